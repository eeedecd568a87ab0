'use strict';
// wasisock.js — the wasisock host imports for a WebAssembly guest under Node,
// backed by the native addon wasisock_node.node (libwasisock).
//
//   const wasisock = require('.../runtimes/node/lib/wasisock.js');
//   const host = wasisock.createHost();            // one per guest instance
//   const instance = new WebAssembly.Instance(module,
//       { ...wasi.getImportObject(), ...host.importObject });
//   host.setMemory(instance.exports.memory);       // before the first call
//   try { wasi.start(instance); } finally { host.free(); }
//
// Every import returns the WASI errno the host library produced; a JS
// exception from an import means the adapter was misused (no memory set,
// host freed, wrong import signature).
//
// A network policy (docs/POLICY.md) is built from rule lines, parsed by
// libwasisock itself:
//
//   const policy = wasisock.createPolicy(['default deny',
//       'allow connect 127.0.0.1:8080']);     // throws ERR_WASISOCK_POLICY
//   const host = wasisock.createHost({ policy,
//       onDenial: (line, d) => console.error(line) });

const fs = require('node:fs');
const path = require('node:path');

const MODULE = 'wasisock';
const ADDON_NAME = 'wasisock_node.node';

let addon = null;
let addonFile = null;

// Where the addon is looked for, first match wins: WASISOCK_NODE_ADDON (a
// file), then build/ and build/Release/ next to this package, then lib/.
// CMake's build-tree wrappers (build/bin/wasisock-run) set the variable.
function addonCandidates() {
  const c = [];
  if (process.env.WASISOCK_NODE_ADDON) c.push(process.env.WASISOCK_NODE_ADDON);
  const root = path.join(__dirname, '..');
  c.push(path.join(root, 'build', ADDON_NAME),
    path.join(root, 'build', 'Release', ADDON_NAME),
    path.join(__dirname, ADDON_NAME));
  return c;
}

// Loads the native addon once.  `file` overrides the search.
function loadAddon(file) {
  if (addon && (!file || file === addonFile)) return addon;
  const candidates = file ? [file] : addonCandidates();
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) {
    const err = new Error(`${ADDON_NAME} not found (looked at: ${candidates.join(', ')}); ` +
      'build it with CMake (cmake -S . -B build && cmake --build build) and run ' +
      'build/bin/wasisock-run, or set WASISOCK_NODE_ADDON to its path');
    err.code = 'ERR_WASISOCK_ADDON';
    throw err;
  }
  addon = require(path.resolve(found));
  addonFile = found;
  return addon;
}

// The host's import table: [{name, nparams, signature, revision,
// params: [{name, kind}]}] (kinds of WASISOCK_IMPORT_LIST: "HANDLE", ...).
function importTable() {
  return loadAddon().importTable();
}

// libwasisock's version string.
function version() {
  return loadAddon().version();
}

// A network policy: rules and directives in the language of docs/POLICY.md,
// kept and parsed by libwasisock.  Errors are Errors with code
// ERR_WASISOCK_POLICY, the parser's one-line message, and errno ("EINVAL",
// "ENOENT", ...); the policy is unchanged then.
class Policy {
  constructor() {
    this._addon = loadAddon();
    this._policy = this._addon.createPolicy();
  }

  // One line: a rule ("allow connect 127.0.0.1:8000-8999") or a directive
  // ("default deny", "max-sockets 64", "max-buffer 1M").
  addRule(text) {
    this._addon.policyAddRule(this._policy, text);
    return this;
  }

  // A policy file (one line each, '#' comments), all or nothing.
  loadFile(file) {
    this._addon.policyLoadFile(this._policy, file);
    return this;
  }

  // {defaultAction: 'allow'|'deny', maxSockets, maxBuffer (null: unset),
  //  rules: [canonical text, ...]}
  describe() {
    return this._addon.policyDescribe(this._policy);
  }
}

// A policy from rule lines (strings), or {rule: text} / {file: path} items
// applied in order.
function createPolicy(items = []) {
  const p = new Policy();
  for (const item of items) {
    if (typeof item === 'string') p.addRule(item);
    else if (item && typeof item.rule === 'string') p.addRule(item.rule);
    else if (item && typeof item.file === 'string') p.loadFile(item.file);
    else throw new TypeError('createPolicy: items are rule strings, {rule} or {file}');
  }
  return p;
}

class Host {
  // options.maxSockets: open sockets per instance (libwasisock's default if
  // omitted).  options.traceFd: a file descriptor that gets one line per
  // import call (libwasisock's tracer, wasisock_call_write).  options.policy: a Policy (copied: changing it later does not
  // affect this host).  options.onDenial(line, denial): called for each
  // request the policy refuses, during the guest's call; line is one line of
  // text ("denied connect 10.0.0.1:80 by default deny"), denial has op,
  // name, address, port, ruleIndex, line, rule.
  constructor(options = {}) {
    const a = loadAddon();
    this._addon = a;
    if (options.policy != null && !(options.policy instanceof Policy)) {
      throw new TypeError('createHost: options.policy must be a wasisock.Policy');
    }
    if (options.onDenial != null && typeof options.onDenial !== 'function') {
      throw new TypeError('createHost: options.onDenial must be a function');
    }
    if (options.traceFd != null && !Number.isInteger(options.traceFd)) {
      throw new TypeError('createHost: options.traceFd must be a file descriptor');
    }
    this._host = a.createHost(options.maxSockets,
      options.policy ? options.policy._policy : undefined,
      options.onDenial || undefined, options.traceFd ?? undefined);
    this.imports = a.bind(this._host);
    this.importObject = { [MODULE]: this.imports };
    this.freed = false;
  }

  // The guest's WebAssembly.Memory (instance.exports.memory).  Must be set
  // before the guest makes its first wasisock call.
  setMemory(memory) {
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new TypeError('setMemory: expected the guest\'s WebAssembly.Memory ' +
        '(does the module export "memory"?)');
    }
    this._addon.setMemory(this._host, memory);
  }

  // Takes the native socket fd (from listenOpen()) as a handle of this
  // host, no policy asked; returns the handle.  Throws (code: the errno's
  // name) and leaves fd to the caller when it cannot.
  adopt(fd) {
    return this._addon.adopt(this._host, fd);
  }

  // Hands the sockets fds (names: their LISTEN_FDNAMES) to this host in
  // order and returns the guest's variables {LISTEN_FDS, LISTEN_FDNAMES,
  // LISTEN_FDS_START} (runtimes/common/listen.c, as in every engine).
  // Throws an Error with the message when it cannot.
  handOver(fds, names) {
    return this._addon.handOver(this._host, fds, names);
  }

  // Closes every socket of this instance now.  Idempotent; a finalizer does
  // the same if it is never called.
  free() {
    if (this.freed) return;
    this.freed = true;
    this._addon.free(this._host);
  }
}

function createHost(options) {
  return new Host(options);
}

// The socket of --listen SPEC ("[tcp:|udp:]HOST:PORT"), bound (and for TCP
// listening) with this process's rights: {fd, protocol, family, address,
// port}.  Throws an Error with code ERR_WASISOCK_LISTEN and the message.
function listenOpen(spec) {
  return loadAddon().listenOpen(spec);
}

// The guest's user, /etc and CA variables (runtimes/common/guest_env.h):
// {etcDir, unset, set, handle}; guestEnvFree(handle) after the run.
function guestEnv(options) {
  return loadAddon().guestEnv(options);
}

function guestEnvFree(handle) {
  loadAddon().guestEnvFree(handle);
}

// WASISOCK_FD_BASE: a socket's descriptor in the guest's POSIX layer is
// this + its handle.
function fdBase() {
  return loadAddon().fdBase;
}

// WASISOCK_MAX_SOCKETS_LIMIT: the largest maxSockets createHost accepts.
function maxSocketsLimit() {
  return loadAddon().maxSocketsLimit;
}

module.exports = {
  MODULE,
  Host,
  Policy,
  createHost,
  createPolicy,
  importTable,
  version,
  listenOpen,
  guestEnv,
  guestEnvFree,
  fdBase,
  maxSocketsLimit,
  loadAddon,
  addonCandidates,
};
