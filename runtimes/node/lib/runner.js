'use strict';
// runner.js — run a WASI preview 1 module under node:wasi with the wasisock
// imports: the Node engine of wasisock-run and wasisock-python (launch.js,
// which the native commands exec with their plan), and an API of its own:
//
//   const runner = require('.../runtimes/node/lib/runner.js');
//   const code = await runner.run({ wasm: 'prog.wasm', args: ['prog', 'x'],
//       env: { K: 'V' }, preopens: { '/data': '/srv/data' } });
//
// Exit codes (the same in every engine, runtimes/common/launch.h): the
// guest's own exit code; 134 when the guest traps (unreachable,
// out-of-bounds access, stack overflow, ...), with a message on stderr; 1
// when the module cannot be loaded or linked (the message names every import
// nobody provides); 2 for a usage error (a bad policy rule).

const fs = require('node:fs');
const path = require('node:path');

const wasisock = require('./wasisock.js');
const { wrapPollOneoff } = require('./poll-oneoff.js');

const WASI_MODULE = 'wasi_snapshot_preview1';
const EXIT_TRAP = 134; // 128 + SIGABRT, as a native program that aborts
const EXIT_LOAD = 1;
const EXIT_USAGE = 2;

class RunError extends Error {
  constructor(message, exitCode = EXIT_LOAD) {
    super(message);
    this.name = 'RunError';
    this.exitCode = exitCode;
  }
}

// Node 20's node:wasi has V8 "fast API" entry points that keep using the
// guest memory's old backing store after memory.grow: a guest that grows its
// memory by tens of MiB, touches it and then calls fd_write makes node
// segfault (exit 139), with or without wasisock (reproduced with a 12-line
// .wat on Node 20.20).  Turning fast API calls off sends every WASI call
// through the regular callback, which looks the memory up afresh.  Our own
// imports are Node-API functions and never take that path.  Must run before
// node:wasi is loaded and any guest code is optimised; V8 prints an error for
// flags it does not know, so only on the versions known to have it.
// WASISOCK_NODE_FAST_API=1 leaves V8 alone.
function disableFastApiCalls() {
  const major = Number(process.versions.node.split('.')[0]);
  if (process.env.WASISOCK_NODE_FAST_API === '1' || major > 22) return;
  require('node:v8').setFlagsFromString('--no-turbo-fast-api-calls');
}

// node:wasi prints an ExperimentalWarning when first loaded (Node 20); the
// runner is the product here, so keep the guest's stderr clean.
let WASI = null;
function loadWasi() {
  if (WASI) return WASI;
  disableFastApiCalls();
  const emit = process.emitWarning;
  process.emitWarning = function emitWarning(warning, ...rest) {
    const text = typeof warning === 'string' ? warning : warning && warning.message;
    if (typeof text === 'string' && text.includes('WASI')) return;
    return emit.call(process, warning, ...rest);
  };
  try {
    ({ WASI } = require('node:wasi'));
  } finally {
    process.emitWarning = emit;
  }
  return WASI;
}

// Whether the module links against WASI preview 1 and this wasisock host,
// checked by the front end's C code (runtimes/common/module_check.c, through
// the addon) so that every engine names unknown imports in the same words.
// Throws RunError(message) when it does not.
function checkModule(name, bytes) {
  const message = bytes ? wasisock.loadAddon().checkModule(bytes, name) : null;
  if (message) throw new RunError(message);
}

// Runs one guest to completion.  options:
//   wasm       path, bytes (Uint8Array/ArrayBuffer) or a WebAssembly.Module
//   bytes      the module's bytes when wasm is a Module (for the import
//              check; without them only instantiation finds what is missing)
//   args       argv as the guest sees it (args[0] is the program name);
//              default [basename of wasm]
//   env        {name: value} for the guest (default {})
//   preopens   {guestPath: hostPath}
//   maxSockets passed to libwasisock
//   policy     the network policy: a wasisock.Policy, or a list of rule
//              lines (strings) / {rule, flag} / {file} items applied in
//              order (parsed by libwasisock; a bad one rejects with
//              RunError(..., EXIT_USAGE)); none: everything allowed
//   onDenial   (line, denial) => {} for each request the policy refuses
//   logDenials write each denial to stderr as "PROG: LINE" (default: when a
//              policy is given and no onDenial)
//   prog       names the runner in those lines (default wasisock-run)
//   stdin, stdout, stderr  host fds (default 0, 1, 2)
//   name       how to refer to the module in messages
//   listen     [{spec, name, flag}]: sockets to bind with this process's
//              rights and hand to the guest (--listen; the guest finds
//              them through LISTEN_FDS, LISTEN_FDNAMES, LISTEN_FDS_START,
//              docs/ENVIRONMENT.md); a bad spec rejects with RunError(...,
//              EXIT_USAGE), a failed bind with RunError(..., EXIT_LOAD)
//   listeners  [{fd, name}]: such sockets opened already (the commands'
//              front end opens them: runtimes/common), handed over after
//              those of listen
//   trace      a file descriptor that gets one line per wasisock call
//              (--trace), or null
// Resolves to the guest's exit code; rejects with RunError(message, exitCode)
// when the module cannot run or traps.
async function run(options) {
  const { wasm } = options;
  let bytes = null;
  let module;
  let name = options.name;
  if (wasm instanceof WebAssembly.Module) {
    module = wasm;
    bytes = options.bytes || null;
    name = name || 'module';
  } else {
    if (typeof wasm === 'string') {
      name = name || wasm;
      try {
        bytes = fs.readFileSync(wasm);
      } catch (e) {
        throw new RunError(`${wasm}: cannot read: ${e.message}`);
      }
    } else {
      bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
      name = name || 'module';
    }
    try {
      module = await WebAssembly.compile(bytes);
    } catch (e) {
      throw new RunError(`${name}: not a valid WebAssembly module: ${e.message}`);
    }
  }

  const args = options.args || [typeof wasm === 'string' ? path.basename(wasm) : 'module'];
  const WASIClass = loadWasi();
  const prog = options.prog || 'wasisock-run';
  const policy = buildPolicy(options.policy);
  let { onDenial } = options;
  if (options.logDenials ?? (policy !== null && !onDenial)) {
    const next = onDenial;
    const fd = options.stderr ?? 2;
    // Synchronous, so the line comes before whatever the guest prints
    // about the failure (node:wasi writes the guest's stderr synchronously
    // too), also from a worker thread.
    onDenial = (line, denial) => {
      try {
        fs.writeSync(fd, `${prog}: ${line}\n`);
      } catch (e) { /* stderr closed: nothing to report to */ }
      if (next) next(line, denial);
    };
  }
  // The sockets handed over are bound before anything of the guest exists,
  // so a port in use fails the run at once.
  const listeners = [...openListeners(options.listen || [], prog, options.stderr ?? 2),
    ...(options.listeners || [])];
  let host;
  try {
    host = wasisock.createHost({ maxSockets: options.maxSockets, policy, onDenial,
      traceFd: options.trace ?? undefined });
  } catch (e) {
    for (const l of listeners) fs.closeSync(l.fd);
    throw e;
  }
  try {
    const env = { ...(options.env || {}), ...handOver(host, listeners) };
    const wasi = new WASIClass({
      version: 'preview1',
      args,
      env,
      preopens: options.preopens || {},
      returnOnExit: true,
      stdin: options.stdin ?? 0,
      stdout: options.stdout ?? 1,
      stderr: options.stderr ?? 2,
    });
    const wasiImports = wasi.getImportObject();
    // node:wasi's poll_oneoff with absolute clock timeouts made relative
    // (lib/poll-oneoff.js: Node 20 never returns from an ABSTIME sleep on
    // CLOCK_MONOTONIC, e.g. CPython's time.sleep).
    let guestMemory = null;
    wasiImports[WASI_MODULE] = {
      ...wasiImports[WASI_MODULE],
      poll_oneoff: wrapPollOneoff(wasiImports[WASI_MODULE], () => guestMemory),
      fd_fdstat_set_flags: keepStdioBlocking(wasiImports[WASI_MODULE].fd_fdstat_set_flags),
    };
    checkModule(name, bytes);

    let instance;
    try {
      instance = await WebAssembly.instantiate(module, { ...wasiImports, ...host.importObject });
    } catch (e) {
      throw new RunError(`${name}: cannot instantiate: ${e.message}`);
    }
    const { memory } = instance.exports;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new RunError(`${name}: does not export its memory as "memory" (not a WASI command?)`);
    }
    if (typeof instance.exports._start !== 'function') {
      throw new RunError(`${name}: has no _start export (a reactor, not a WASI command?)`);
    }
    host.setMemory(memory);
    guestMemory = memory;
    try {
      return wasi.start(instance);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
        const what = e instanceof RangeError ? `${e.message} (stack overflow; try --stack-size)` : e.message;
        const frames = String(e.stack || '').split('\n').filter((l) => l.includes('wasm://')).slice(0, 8);
        throw new RunError([`${name}: trap: ${what}`, ...frames].join('\n'), EXIT_TRAP);
      }
      if (e && typeof e.code === 'string' && e.code.startsWith('ERR_WASISOCK')) {
        throw new RunError(`${name}: wasisock adapter error: ${e.message}`);
      }
      throw e;
    }
  } finally {
    host.free();
  }
}

// A fd_fdstat_set_flags that keeps the guest's stdin, stdout and stderr
// blocking.  Go's wasip1 runtime makes them non-blocking at start-up, meaning
// to wait for them in poll_oneoff, and then asks fd_fdstat_get whether they
// are; Node 20's node:wasi answers with the host's open flags (O_NONBLOCK is
// 0x800), not WASI's fdflags (NONBLOCK is 0x4), so Go takes them for blocking
// and returns the EAGAIN of a full pipe as an error: "write /dev/stdout: Try
// again" after the first 64 KiB to a slow reader.  Refused here (ENOTSUP: Go
// carries on with blocking stdio), a write waits for the reader as it would
// natively.
const FDFLAGS_NONBLOCK = 0x4;
const ERRNO_NOTSUP = 58;
function keepStdioBlocking(setFlags) {
  return function fd_fdstat_set_flags(fd, flags) {
    if (fd >= 0 && fd <= 2 && (flags & FDFLAGS_NONBLOCK)) return ERRNO_NOTSUP;
    return setFlags(fd, flags);
  };
}

// Opens the sockets of --listen (wasisock_listen_open): [{fd, name, ...}].
// Closes what it opened when one fails.  A port 0 is resolved and said.
function openListeners(list, prog, stderrFd) {
  const open = [];
  try {
    for (const l of list) {
      let sock;
      try {
        sock = wasisock.listenOpen(l.spec);
      } catch (e) {
        if (e.code !== 'ERR_WASISOCK_LISTEN') throw e;
        throw new RunError(`--listen ${e.message}`,
          e.errno === 'EINVAL' ? EXIT_USAGE : EXIT_LOAD);
      }
      open.push({ ...sock, name: l.name });
      if (/:0$/.test(l.spec)) {
        const where = sock.family === 6 ? `[${sock.address}]:${sock.port}` : `${sock.address}:${sock.port}`;
        try {
          fs.writeSync(stderrFd, `${prog}: ${l.flag || `--listen ${l.spec}`}: listening on ${where}\n`);
        } catch (e) { /* no stderr */ }
      }
    }
  } catch (e) {
    for (const s of open) fs.closeSync(s.fd);
    throw e;
  }
  return open;
}

// Gives the opened sockets to the host, in order (its first handles, so
// consecutive descriptors), and returns the guest's LISTEN_* variables, as
// every engine does (runtimes/common/listen.c, through the addon).
function handOver(host, listeners) {
  if (listeners.length === 0) return {};
  try {
    return host.handOver(listeners.map((l) => l.fd), listeners.map((l) => l.name));
  } catch (e) {
    throw new RunError(`--listen: ${e.message}`);
  }
}

// The policy of run()'s options: null when there is none.
function buildPolicy(spec) {
  if (spec == null) return null;
  if (spec instanceof wasisock.Policy) return spec;
  if (!Array.isArray(spec)) throw new TypeError('run: options.policy must be a wasisock.Policy or an array');
  if (spec.length === 0) return null;
  const policy = new wasisock.Policy();
  for (const item of spec) {
    const it = typeof item === 'string' ? { rule: item } : item;
    try {
      if (it && typeof it.rule === 'string') policy.addRule(it.rule);
      else if (it && typeof it.file === 'string') policy.loadFile(it.file);
      else throw new TypeError('run: policy items are rule strings, {rule} or {file}');
    } catch (e) {
      if (e.code !== 'ERR_WASISOCK_POLICY') throw e;
      // A rule: "--allow-connect X: message" (or the rule itself); a file:
      // the parser's "FILE:LINE: message" already names it.
      const where = it.file ? '' : `${it.flag || it.rule}: `;
      throw new RunError(`${where}${e.message}`, EXIT_USAGE);
    }
  }
  return policy;
}

// --check: the module compiles and links, and the policy's rules parse.
// Resolves to 0; rejects with RunError otherwise.
async function check(options) {
  buildPolicy(options.policy);
  let bytes;
  try {
    bytes = fs.readFileSync(options.wasm);
  } catch (e) {
    throw new RunError(`${options.wasm}: cannot read: ${e.message}`);
  }
  try {
    await WebAssembly.compile(bytes);
  } catch (e) {
    throw new RunError(`${options.wasm}: not a valid WebAssembly module: ${e.message}`);
  }
  checkModule(options.wasm, bytes);
  return 0;
}

module.exports = {
  run,
  check,
  buildPolicy,
  checkModule,
  RunError,
  EXIT_TRAP,
  EXIT_LOAD,
  EXIT_USAGE,
  WASI_MODULE,
};
