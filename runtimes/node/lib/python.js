'use strict';
// python.js — python.wasm under Node, for wasisock-python (launch.js): the
// guest runs in a worker thread with the stack the plan asks for, and V8's
// compiled code for python.wasm is kept in the plan's cache directory.
//
// Stack: python.wasm recurses deeply; a worker with an 8 MiB stack (the
// plan's stackKb) starts faster than re-executing node with
// --stack-size=7600.
//
// Code cache: V8 compiles python.wasm with TurboFan once and the code is
// kept in the plan's cacheDir ($WASISOCK_PYTHON_CACHE, default
// ~/.cache/wasisock/python-code), so later runs load machine code instead
// of compiling.  Node 20 has no public API for that (no code cache for wasm
// in node:vm/v8, and WebAssembly streaming compilation does not offer V8's
// cache hook), so this uses V8's %SerializeWasmModule/%DeserializeWasmModule
// natives behind --allow-natives-syntax.  V8 checks its version, CPU
// features and flags when loading (a mismatch just recompiles); we also
// check SHA-1s of python.wasm and of the cached code.  Any failure falls
// back to compiling.  Without a cache directory (--no-code-cache,
// WASISOCK_PYTHON_CACHE=off) python.wasm is compiled lazily on each run.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const runner = require('./runner.js');

// Eager, TurboFan-only compilation: every function gets optimized code at
// once, and all of it lands in the cache.  Without the cache the lazy
// default is faster, so these flags are set only with it.  They are set at
// run time (v8.setFlagsFromString), in the guest thread before python.wasm
// is compiled; V8 hashes its flags into the cache, so every run must set
// the same ones.
const CACHE_FLAGS = [
  '--no-wasm-lazy-compilation',
  '--no-liftoff',
  '--no-wasm-dynamic-tiering',
  '--allow-natives-syntax',
];
// Cache file: this line, the SHA-1 of python.wasm and the SHA-1 of the code
// (one hex line each), then V8's serialized module.
const CACHE_MAGIC = 'wasisock-python code cache 2\n';

// ---- the compiled-code cache ----------------------------------------------

// Whether the eager flags are worth setting: V8 still has the natives (the
// probe needs --allow-natives-syntax, which is one of the cache flags), and
// no earlier run found that V8 refuses its own cache for this python.wasm
// (see loadModule).  Without this, a Node whose V8 cannot round-trip the
// cache would pay the eager compilation on every run.
function cacheWorks(dir, wasmPath) {
  v8.setFlagsFromString('--allow-natives-syntax');
  return v8Natives() !== null && !fs.existsSync(`${cacheFile(dir, wasmPath)}.refused`);
}

function v8Natives() {
  try {
    return {
      serialize: new Function('m', 'return %SerializeWasmModule(m);'),
      deserialize: new Function('b', 'w', 'return %DeserializeWasmModule(b, w);'),
    };
  } catch (e) {
    return null; // no --allow-natives-syntax, or V8 dropped them
  }
}

function cacheFile(dir, wasmPath) {
  const id = crypto.createHash('sha256')
    .update([fs.realpathSync(wasmPath), process.version, process.versions.v8,
      process.arch, ...process.execArgv, ...CACHE_FLAGS].join('\0'))
    .digest('hex').slice(0, 32);
  return path.join(dir, `${id}.v8cache`);
}

// A WebAssembly.Module for bytes, from the cache when it holds code for
// exactly these bytes, else compiled (and then written to the cache).
async function loadModule(bytes, wasmPath, dir) {
  const natives = dir && v8Natives();
  if (!natives) return WebAssembly.compile(bytes);
  const file = cacheFile(dir, wasmPath);
  const sha1 = (b) => crypto.createHash('sha1').update(b).digest('hex');
  const prefix = `${CACHE_MAGIC}${sha1(bytes)}\n`;
  const headerLength = prefix.length + 41;
  try {
    const data = fs.readFileSync(file);
    const header = data.subarray(0, headerLength).toString('latin1');
    const code = data.subarray(headerLength);
    if (header === `${prefix}${sha1(code)}\n`) {
      const copy = code.buffer.slice(code.byteOffset, code.byteOffset + code.length);
      const module = natives.deserialize(copy, bytes);
      if (module instanceof WebAssembly.Module) return module;
    }
  } catch (e) { /* no cache yet, or unreadable: compile */ }

  const module = await WebAssembly.compile(bytes);
  try {
    const code = Buffer.from(natives.serialize(module));
    // Written only if V8 takes it back; otherwise remember that it does not,
    // so later runs compile lazily instead of eagerly (cacheWorks).
    const copy = code.buffer.slice(code.byteOffset, code.byteOffset + code.length);
    if (code.length && natives.deserialize(copy, bytes) instanceof WebAssembly.Module) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${prefix}${sha1(code)}\n`, 'latin1'), code]));
      fs.renameSync(tmp, file);
    } else {
      fs.writeFileSync(`${file}.refused`, `${process.version} V8 ${process.versions.v8}\n`);
    }
  } catch (e) { /* the cache is an optimisation only */ }
  return module;
}

// ---- main thread and guest thread ---------------------------------------------

// Main thread: start the guest thread and wait for its exit status.  The V8
// flags are set in the guest thread, once it has started: V8 hashes its
// flags into code caches, Node's own built-in one included, so setting them
// here would make the worker compile Node's internal modules from source
// (~35 ms of a ~250 ms start, docs/PERFORMANCE.md).
function run(plan, options) {
  const stackMb = Math.max(1, Math.ceil((plan.stackKb || 8192) / 1024));
  // A temporary /etc (no cache directory) is ours to remove: the command
  // that made it exec'd node.
  const cleanup = () => {
    if (plan.etcDirTemporary && plan.etcDir) {
      try { fs.rmSync(plan.etcDir, { recursive: true, force: true }); } catch (e) { /* gone */ }
    }
  };
  return new Promise((resolve) => {
    const worker = new Worker(__filename, {
      workerData: { wasmPath: plan.module, cacheDir: plan.cacheDir, run: options },
      resourceLimits: { stackSizeMb: stackMb },
    });
    let code = null;
    worker.on('message', (c) => { code = c; });
    worker.on('error', (e) => {
      process.stderr.write(`${plan.prog}: internal error: ${e && e.stack ? e.stack : e}\n`);
      code = runner.EXIT_LOAD;
    });
    worker.on('exit', () => {
      cleanup();
      resolve(code ?? runner.EXIT_LOAD);
    });
  });
}

// Guest thread: load python.wasm (from the cache if possible) and run it.
async function guest({ wasmPath, cacheDir, run: options }) {
  try {
    // Before anything is compiled in this isolate (see run).
    const dir = cacheDir && cacheWorks(cacheDir, wasmPath) ? cacheDir : null;
    if (dir) for (const f of CACHE_FLAGS) v8.setFlagsFromString(f);
    const bytes = fs.readFileSync(wasmPath);
    let module;
    try {
      module = await loadModule(bytes, wasmPath, dir);
    } catch (e) {
      if (!(e instanceof WebAssembly.CompileError)) throw e;
      throw new runner.RunError(`${wasmPath}: not a valid WebAssembly module: ${e.message}`);
    }
    return await runner.run({ ...options, wasm: module, bytes, name: wasmPath });
  } catch (e) {
    if (e instanceof runner.RunError || (e && e.code === 'ERR_WASISOCK_ADDON')) {
      process.stderr.write(`${options.prog}: ${e.message}\n`);
      return e.exitCode || runner.EXIT_LOAD;
    }
    process.stderr.write(`${options.prog}: internal error: ${e && e.stack ? e.stack : e}\n`);
    return runner.EXIT_LOAD;
  }
}

if (!isMainThread && workerData && workerData.wasmPath) {
  guest(workerData).then((code) => parentPort.postMessage(code));
}

module.exports = { run };
