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

// The host's import table: [{name, nparams, signature, revision}].
function importTable() {
  return loadAddon().importTable();
}

// libwasisock's version string.
function version() {
  return loadAddon().version();
}

class Host {
  // options.maxSockets: open sockets per instance (libwasisock's default if
  // omitted).
  constructor(options = {}) {
    const a = loadAddon();
    this._addon = a;
    this._host = a.createHost(options.maxSockets);
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

module.exports = {
  MODULE,
  Host,
  createHost,
  importTable,
  version,
  loadAddon,
  addonCandidates,
};
