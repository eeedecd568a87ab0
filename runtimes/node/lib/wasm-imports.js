'use strict';
// wasm-imports.js — a module's imports with their function signatures, read
// from the binary (WebAssembly.Module.imports() gives names and kinds only).
// Reads the type and import sections and nothing else.

const VALTYPES = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
  0x70: 'funcref', 0x6f: 'externref',
};
const KINDS = ['function', 'table', 'memory', 'global', 'tag'];

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.b = bytes;
    this.pos = pos;
    this.end = end;
  }

  byte() {
    if (this.pos >= this.end) throw new Error('unexpected end of section');
    return this.b[this.pos++];
  }

  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new Error('bad LEB128');
    }
  }

  bytes(n) {
    if (n > this.end - this.pos) throw new Error('unexpected end of section');
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  name() {
    return Buffer.from(this.bytes(this.u32())).toString('utf8');
  }

  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

// [{module, name, kind, params?: ['i32', ...], results?: [...]}] in import
// order.  Signatures are left out when the binary uses encodings this reader
// does not know (it then returns what it could read, never throws).
function readImports(bytes) {
  const buf = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const types = [];
  const imports = [];
  try {
    const r = new Reader(buf, 8);
    while (r.pos < r.end) {
      const id = r.byte();
      const size = r.u32();
      const s = new Reader(buf, r.pos, r.pos + size);
      r.pos += size;
      if (id === 1) {
        for (let n = s.u32(); n > 0; n--) {
          const form = s.byte();
          if (form !== 0x60) throw new Error('unsupported type form');
          const params = [];
          for (let k = s.u32(); k > 0; k--) params.push(VALTYPES[s.byte()] || '?');
          const results = [];
          for (let k = s.u32(); k > 0; k--) results.push(VALTYPES[s.byte()] || '?');
          types.push({ params, results });
        }
      } else if (id === 2) {
        for (let n = s.u32(); n > 0; n--) {
          const module = s.name();
          const name = s.name();
          const kind = s.byte();
          const imp = { module, name, kind: KINDS[kind] || `kind ${kind}` };
          if (kind === 0) {
            const t = types[s.u32()];
            if (t) Object.assign(imp, t);
          } else if (kind === 1) {
            s.byte();
            s.limits();
          } else if (kind === 2) {
            s.limits();
          } else if (kind === 3) {
            s.byte();
            s.byte();
          } else {
            imports.push(imp);
            break;
          }
          imports.push(imp);
        }
        break; // everything we need precedes the function section
      }
    }
  } catch {
    // Truncated or unknown encoding: WebAssembly.compile reports real errors.
  }
  return imports;
}

function formatSignature(params, results) {
  return `(${params.join(', ')}) -> ${results.length ? results.join(', ') : '()'}`;
}

module.exports = { readImports, formatSignature };
