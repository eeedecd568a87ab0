'use strict';
// runner.js — run a WASI preview 1 module under node:wasi with the wasisock
// imports.  bin/wasisock-run is a thin CLI over main(); other launchers
// (bin/wasisock-python) call run() or main() with their own defaults.
//
//   const runner = require('.../runtimes/node/lib/runner.js');
//   const code = await runner.run({ wasm: 'prog.wasm', args: ['prog', 'x'],
//       env: { K: 'V' }, preopens: { '/data': '/srv/data' } });
//
// Exit codes of main(): the guest's own exit code; 134 when the guest traps
// (unreachable, out-of-bounds access, stack overflow, ...), with a message on
// stderr; 1 when the module cannot be loaded or linked (the message names every
// import nobody provides); 2 for a usage error.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const os = require('node:os');

const wasisock = require('./wasisock.js');
const environment = require('./environment.js');
const { readImports, formatSignature } = require('./wasm-imports.js');
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

// Checks a module's imports against what WASI preview 1 (wasiImport, from
// node:wasi) and the wasisock host (its import table) provide.  Returns a list
// of problems, [] when everything links: [{module, name, kind, reason}].
function checkImports(module, bytes, wasiImport, table) {
  const problems = [];
  const rows = new Map(table.map((r) => [r.name, r]));
  const sigs = new Map();
  if (bytes) {
    for (const i of readImports(bytes)) sigs.set(`${i.module}\0${i.name}`, i);
  }
  for (const imp of WebAssembly.Module.imports(module)) {
    const { module: mod, name, kind } = imp;
    const where = `${mod}.${name}`;
    if (mod === WASI_MODULE) {
      if (kind !== 'function') {
        problems.push({ ...imp, reason: `a ${kind}: WASI preview 1 provides only functions` });
      } else if (typeof wasiImport[name] !== 'function') {
        problems.push({ ...imp, reason: `not a WASI preview 1 function this Node (${process.version}) provides` });
      }
    } else if (mod === wasisock.MODULE) {
      const row = rows.get(name);
      const sig = sigs.get(`${mod}\0${name}`);
      if (kind !== 'function') {
        problems.push({ ...imp, reason: `a ${kind}: the wasisock host provides only functions` });
      } else if (!row) {
        const newest = Math.max(0, ...table.map((r) => r.revision));
        problems.push({ ...imp, reason: `not provided by this wasisock host (libwasisock ${wasisock.version()}, ABI revision ${newest}); the guest needs a newer host` });
      } else if (sig && sig.params && (sig.params.length !== row.nparams ||
                 sig.params.some((p) => p !== 'i32') ||
                 sig.results.length !== 1 || sig.results[0] !== 'i32')) {
        problems.push({ ...imp, reason: `imported as ${formatSignature(sig.params, sig.results)}, but the host's ${where} is ${row.signature}` });
      }
    } else {
      problems.push({ ...imp, reason: `module "${mod}" is neither ${WASI_MODULE} nor ${wasisock.MODULE}` });
    }
  }
  return problems;
}

function formatProblems(file, problems) {
  const lines = [`${file}: cannot link: it imports ${problems.length === 1 ? 'something' : `${problems.length} things`} that neither WASI preview 1 nor the wasisock host provides:`];
  for (const p of problems) {
    lines.push(`  ${p.module}.${p.name} (${p.kind}): ${p.reason}`);
  }
  return lines.join('\n');
}

// Runs one guest to completion.  options:
//   wasm       path, bytes (Uint8Array/ArrayBuffer) or a WebAssembly.Module
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
  const listeners = openListeners(options.listen || [], prog, options.stderr ?? 2);
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
    const table = wasisock.importTable();
    const problems = checkImports(module, bytes, wasiImports[WASI_MODULE], table);
    if (problems.length) throw new RunError(formatProblems(name, problems));

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
// consecutive descriptors), and returns the guest's LISTEN_* variables.
function handOver(host, listeners) {
  const handles = [];
  for (let i = 0; i < listeners.length; i++) {
    try {
      handles.push(host.adopt(listeners[i].fd));
    } catch (e) {
      for (const l of listeners.slice(i)) fs.closeSync(l.fd);
      throw new RunError(`--listen: cannot hand the socket over: ${e.message}`);
    }
  }
  if (handles.length === 0) return {};
  if (handles.some((h, i) => h !== handles[0] + i)) {
    throw new RunError('--listen: the handed-over sockets did not get consecutive handles');
  }
  return {
    LISTEN_FDS: String(handles.length),
    LISTEN_FDNAMES: listeners.map((l) => l.name).join(':'),
    LISTEN_FDS_START: String(wasisock.fdBase() + handles[0]),
  };
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

// ---- network policy flags ------------------------------------------------
// Each flag is one line of the policy language (docs/POLICY.md), applied in
// command-line order; --policy FILE loads a file at its position.
const POLICY_RULE_FLAGS = new Map([
  ['--allow-connect', 'allow connect'],
  ['--deny-connect', 'deny connect'],
  ['--allow-bind', 'allow bind'],
  ['--deny-bind', 'deny bind'],
  ['--allow-resolve', 'allow resolve'],
  ['--deny-resolve', 'deny resolve'],
  ['--allow-net', 'allow any'],
  ['--deny-net', 'deny any'],
  ['--max-sockets', 'max-sockets'],
  ['--max-buffer', 'max-buffer'],
]);
const POLICY_SWITCHES = new Map([
  ['--deny-all', 'default deny'],
  ['--allow-all', 'default allow'],
]);

// Handles one policy flag for a launcher's parser: records it in o.policy
// (a list of {rule, flag} / {file} items), o.logDenials or o.maxSockets and
// returns true; false when `flag` is not a policy flag.  value() returns
// the flag's value (and may throw the launcher's usage error).
function parsePolicyFlag(o, flag, value) {
  if (!o.policy) o.policy = [];
  if (POLICY_SWITCHES.has(flag)) {
    o.policy.push({ rule: POLICY_SWITCHES.get(flag), flag });
  } else if (POLICY_RULE_FLAGS.has(flag)) {
    const v = value();
    o.policy.push({ rule: `${POLICY_RULE_FLAGS.get(flag)} ${v}`, flag: `${flag} ${v}` });
    // The policy's limit applies whatever the config says; the config's
    // default (1024) is raised too so that a larger N means N, or as many
    // as libwasisock can number.
    if (flag === '--max-sockets' && /^[0-9]+$/.test(v) && Number(v) >= 1) {
      o.maxSockets = Math.min(Number(v), wasisock.maxSocketsLimit());
    }
  } else if (flag === '--policy') {
    o.policy.push({ file: value() });
  } else if (flag === '--log-denials') {
    o.logDenials = true;
  } else if (flag === '--no-log-denials') {
    o.logDenials = false;
  } else {
    return false;
  }
  return true;
}

const POLICY_USAGE = `network policy (docs/POLICY.md; flags apply in order, first matching rule wins;
with none, the guest may reach anything):
  --deny-all            deny whatever no rule allows ("default deny")
  --allow-all           allow whatever no rule denies (the default)
  --allow-connect SPEC  allow connecting to SPEC ("allow connect SPEC");
                        SPEC is HOST[:PORTS]: * | name | *.suffix | IPv4 or
                        IPv6 address or CIDR ([::1], 10.0.0.0/8), PORTS N,
                        N-M or *.  e.g. --allow-connect 127.0.0.1:8000-8999
  --deny-connect SPEC   deny connecting to SPEC
  --allow-bind SPEC     allow binding/listening on local address SPEC
  --deny-bind SPEC      deny it
  --allow-resolve SPEC  allow looking up names matching SPEC (* | name |
  --deny-resolve SPEC   *.suffix) / deny it
  --allow-net SPEC      all three at once ("allow any SPEC")
  --deny-net SPEC       ("deny any SPEC")
  --max-sockets N       at most N open sockets (EMFILE beyond; default 1024)
  --max-buffer BYTES    kernel send/receive buffer per socket and direction
                        (k and M suffixes: 64k, 1M)
  --policy FILE         rules from FILE, one per line, # comments
  --log-denials         print each denial to stderr (default when any
  --no-log-denials      policy flag is given) / don't
`;

// Re-executes node with --stack-size=KB unless this process already has it;
// never returns in the re-exec case (exits with the child's status).  V8's
// stack limit is fixed when the process starts: python.wasm needs 7600.
function ensureStackSize(kb) {
  if (!kb) return;
  const flag = `--stack-size=${kb}`;
  if (process.execArgv.includes(flag)) return;
  const r = spawnSync(process.execPath,
    [...process.execArgv.filter((a) => !a.startsWith('--stack-size=')), flag, ...process.argv.slice(1)],
    { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`${path.basename(process.argv[1] || 'wasisock-run')}: cannot re-execute node: ${r.error.message}\n`);
    process.exit(EXIT_LOAD);
  }
  if (r.signal) process.exit(128 + (os.constants.signals[r.signal] || 0));
  process.exit(r.status);
}

const USAGE = `usage: PROG [options] module.wasm [args...]

Runs a WASI preview 1 module under Node's node:wasi with real TCP/UDP sockets
and DNS from libwasisock (imports of module "wasisock").

options:
  --dir HOST[::GUEST]   make directory HOST visible to the guest as GUEST
                        (default: the same path); repeatable
  --env NAME=VALUE      set an environment variable for the guest; repeatable
  --inherit-env         pass this process's environment to the guest
  --stack-size KB       V8 stack size (re-executes node with --stack-size=KB;
                        python.wasm needs 7600)
  --check               check that the module links, then exit 0
  -h, --help            this help
  --version             versions of the runner, libwasisock and the ABI

${POLICY_USAGE}
${environment.USAGE}
example: only a local web server, nothing else (no DNS either):
  PROG --deny-all --allow-connect 127.0.0.1:8080 http_get.wasm http://127.0.0.1:8080/

A refused request fails with EACCES (PermissionError in Python) and touches
no network; the denial is printed as "PROG: denied connect ...".

exit status: the guest's exit code; ${EXIT_TRAP} if it traps; ${EXIT_LOAD} if it cannot be
loaded or linked (unknown imports are named); ${EXIT_USAGE} for a usage error
(a bad policy rule included, with the parser's message).
`;

function usageError(message) {
  throw new RunError(message, EXIT_USAGE);
}

// Parses runner options up to the module path.  Returns {options, rest} or
// throws RunError(..., EXIT_USAGE).
function parseArgs(argv) {
  const o = { dirs: [], env: [], inheritEnv: false, stackSize: 0, maxSockets: undefined, check: false, policy: [], logDenials: undefined };
  let i = 0;
  const value = (flag) => {
    const eq = argv[i].indexOf('=');
    if (argv[i].startsWith('--') && eq > 0) return argv[i].slice(eq + 1);
    if (i + 1 >= argv.length) throw new RunError(`${flag} needs a value`, EXIT_USAGE);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    const flag = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    switch (flag) {
      case '--dir': o.dirs.push(value(flag)); break;
      case '--env': {
        const kv = value(flag);
        if (kv.indexOf('=') <= 0) throw new RunError(`--env wants NAME=VALUE, got "${kv}"`, EXIT_USAGE);
        o.env.push(kv);
        break;
      }
      case '--inherit-env': o.inheritEnv = true; break;
      case '--stack-size': {
        const v = value(flag);
        if (!/^[1-9][0-9]*$/.test(v)) throw new RunError(`--stack-size wants a size in KiB, got "${v}"`, EXIT_USAGE);
        o.stackSize = Number(v);
        break;
      }
      case '--check': o.check = true; break;
      case '-h': case '--help': o.help = true; break;
      case '--version': o.version = true; break;
      default:
        if (!parsePolicyFlag(o, flag, () => value(flag)) &&
            !environment.parseFlag(o, a, flag, () => value(flag), usageError)) {
          throw new RunError(`unknown option ${a}`, EXIT_USAGE);
        }
    }
  }
  return { options: o, rest: argv.slice(i) };
}

// Builds run() options from parsed CLI options.
function runOptions(o, rest) {
  const wasm = rest[0];
  const preopens = {};
  for (const d of o.dirs) {
    const sep = d.indexOf('::');
    const hostDir = sep >= 0 ? d.slice(0, sep) : d;
    const guestDir = sep >= 0 ? d.slice(sep + 2) : d;
    if (!hostDir || !guestDir) throw new RunError(`--dir wants HOST[::GUEST], got "${d}"`, EXIT_USAGE);
    let st;
    try {
      st = fs.statSync(hostDir);
    } catch (e) {
      throw new RunError(`--dir ${d}: ${e.message}`, EXIT_USAGE);
    }
    if (!st.isDirectory()) throw new RunError(`--dir ${d}: ${hostDir} is not a directory`, EXIT_USAGE);
    preopens[guestDir] = hostDir;
  }
  // The guest's environment: this process's with --inherit-env, then the
  // user, /etc and CA variables (environment.js), then --env.
  const base = {};
  if (o.inheritEnv) {
    for (const [k, v] of Object.entries(process.env)) {
      if (k !== 'WASISOCK_NODE_ADDON') base[k] = v;
    }
  }
  const userEnv = o.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]);
  return {
    wasm,
    args: [path.basename(wasm), ...rest.slice(1)],
    base,
    userEnv,
    preopens,
    maxSockets: o.maxSockets,
    policy: o.policy,
    logDenials: o.logDenials,
    listen: o.listen,
  };
}

// The CLI.  argv excludes node and the script.  Sets process.exitCode (and
// returns it); prog names the command in messages.  defaults.stackSize
// applies when no --stack-size is given.
async function main(argv, { prog = 'wasisock-run', defaults = {} } = {}) {
  const fail = (msg, code) => {
    process.stderr.write(`${prog}: ${msg}\n`);
    process.exitCode = code;
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof RunError) {
      process.stderr.write(`${prog}: ${e.message}\n${USAGE.replace(/PROG/g, prog)}`);
      process.exitCode = e.exitCode;
      return e.exitCode;
    }
    throw e;
  }
  const { options: o, rest } = parsed;
  if (o.help) {
    process.stdout.write(USAGE.replace(/PROG/g, prog));
    process.exitCode = 0;
    return 0;
  }
  if (o.version) {
    try {
      const rev = Math.max(0, ...wasisock.importTable().map((r) => r.revision));
      process.stdout.write(`${prog} ${require('../package.json').version}\nlibwasisock ${wasisock.version()} (ABI revision ${rev})\nnode ${process.version}\n`);
    } catch (e) {
      return fail(e.message, EXIT_LOAD);
    }
    process.exitCode = 0;
    return 0;
  }
  if (rest.length === 0) {
    process.stderr.write(`${prog}: no module given\n${USAGE.replace(/PROG/g, prog)}`);
    process.exitCode = EXIT_USAGE;
    return EXIT_USAGE;
  }
  ensureStackSize(o.stackSize || defaults.stackSize || 0);

  try {
    const ro = runOptions(o, rest);
    if (o.check) {
      buildPolicy(ro.policy); // rules are checked too
      const bytes = fs.readFileSync(ro.wasm);
      const module = await WebAssembly.compile(bytes);
      const wasi = new (loadWasi())({ version: 'preview1', returnOnExit: true });
      const problems = checkImports(module, bytes, wasi.getImportObject()[WASI_MODULE], wasisock.importTable());
      if (problems.length) return fail(formatProblems(ro.wasm, problems), EXIT_LOAD);
      process.exitCode = 0;
      return 0;
    }
    buildPolicy(ro.policy); // a bad rule: exit 2 before anything is made
    const g = environment.prepare(o, { base: ro.base, userEnv: ro.userEnv,
      preopens: ro.preopens, cacheDir: environment.defaultCacheDir(), bad: usageError });
    const trace = environment.openTrace(o, usageError);
    try {
      const code = await run({ ...ro, env: g.env, preopens: g.preopens, trace, prog });
      process.exitCode = code;
      return code;
    } finally {
      g.cleanup();
      if (trace !== null && trace !== 2) fs.closeSync(trace);
    }
  } catch (e) {
    if (e instanceof RunError) return fail(e.message, e.exitCode);
    if (e && e.code === 'ERR_WASISOCK_ADDON') return fail(e.message, EXIT_LOAD);
    return fail(`internal error: ${e && e.stack ? e.stack : e}`, EXIT_LOAD);
  }
}

module.exports = {
  run,
  main,
  parseArgs,
  parsePolicyFlag,
  buildPolicy,
  POLICY_USAGE,
  runOptions,
  checkImports,
  formatProblems,
  ensureStackSize,
  RunError,
  EXIT_TRAP,
  EXIT_LOAD,
  EXIT_USAGE,
  WASI_MODULE,
};
