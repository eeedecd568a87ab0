// run-python-wasi.mjs — smoke-test runner for the python.wasm that
// scripts/cpython-wasi.sh --out DIR installs. Not the wasisock runtime: every
// import outside wasi_snapshot_preview1 (e.g. module "wasisock") is stubbed to
// return WASI ENOSYS (52), so this only proves the build loads and runs.
//
// Usage: node --stack-size=7600 scripts/run-python-wasi.mjs
//            [--dir HOST::GUEST]… [--env NAME=VALUE]… DIR [python args…]
//
// The recipe it encodes (see the header of scripts/cpython-wasi.sh):
//   preopen  guest "/lib" = host DIR/lib
//   env      PYTHONHOME=/
//   argv[0]  "python.wasm"
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';

const ENOSYS = 52;
const argv = process.argv.slice(2);
const preopens = {};
const env = { PYTHONHOME: '/' };
while (argv.length && argv[0].startsWith('--')) {
  const opt = argv.shift();
  const val = argv.shift();
  if (val === undefined) throw new Error(`${opt} needs a value`);
  if (opt === '--dir') {
    const [host, guest] = val.split('::');
    preopens[guest ?? host] = resolve(host);
  } else if (opt === '--env') {
    const i = val.indexOf('=');
    env[val.slice(0, i)] = val.slice(i + 1);
  } else {
    throw new Error(`unknown option ${opt}`);
  }
}
if (!argv.length) {
  console.error('usage: node --stack-size=7600 run-python-wasi.mjs [--dir HOST::GUEST]… [--env K=V]… DIR [args…]');
  process.exit(2);
}
const dir = resolve(argv.shift());
preopens['/lib'] = join(dir, 'lib');

process.removeAllListeners('warning'); // node:wasi is "experimental" in Node 20
const wasi = new WASI({ version: 'preview1', args: ['python.wasm', ...argv], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(join(dir, 'python.wasm')));
const imports = wasi.getImportObject();
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.module === 'wasi_snapshot_preview1' || imp.kind !== 'function') continue;
  imports[imp.module] ??= {};
  imports[imp.module][imp.name] = () => ENOSYS;
}
const instance = await WebAssembly.instantiate(module, imports);
process.exitCode = wasi.start(instance);
