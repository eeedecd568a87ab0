#!/usr/bin/env node
// run-posix.mjs — runs one posixtest case, native or wasm32, with what the
// case needs: a loopback server (the test peer, tests/peer), a directory, a
// stdin.
//
//   node run-posix.mjs native|wasm CASE
//
// Exit status: 0 when the case printed "ok CASE" and exited 0 (and, for
// echo_bulk, the server saw exactly the bytes the guest says it sent), 77
// when it cannot run here (no IPv6 loopback), 1 otherwise.
//
// Environment (CTest sets it, see CMakeLists.txt): WASISOCK_RUNNER (the
// runner of wasm32 modules), WASISOCK_WASM_BIN_DIR (posixtest.wasm),
// POSIXTEST_NATIVE (the native posixtest), WASISOCK_PYTHON (python3 for the
// test peer).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { withPeer } from '../peer/peer.mjs';

const SKIP = 77;

// [file, argv] that runs posixtest of a build; dirs: directories the guest
// may open (the native build sees everything anyway).
function command(build, args, dirs, runnerArgs) {
  if (build === 'native') return [process.env.POSIXTEST_NATIVE, args];
  const wasm = path.join(process.env.WASISOCK_WASM_BIN_DIR || '', 'posixtest.wasm');
  // The runner is a native command (its engine: $WASISOCK_ENGINE).
  return [process.env.WASISOCK_RUNNER,
    [...runnerArgs, ...dirs.flatMap((d) => ['--dir', d]), wasm, ...args]];
}

// Runs posixtest; feed(stdin) writes its stdin (closed at once if absent);
// runnerArgs go to the runner (a guest build only).
function run(build, args, { dirs = [], runnerArgs = [], feed, timeoutMs = 240000 } = {}) {
  const [file, argv] = command(build, args, dirs, runnerArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.stdin.on('error', () => {});
    if (feed) feed(child.stdin); else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

async function canListen(host) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(0, host, () => s.close(() => resolve(true)));
  });
}

// The stream echo_bulk sends, hashed as it is generated.
function bulkHash(bytes) {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.alloc(Math.min(bytes, 1 << 20));
  let x = 0x2545f491;
  for (let done = 0; done < bytes; done += buf.length) {
    const n = Math.min(buf.length, bytes - done);
    for (let i = 0; i < n; i += 4) {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      buf.writeUInt32LE(x, i);
    }
    hash.update(buf.subarray(0, n));
  }
  return hash.digest('hex');
}

async function echoBulk(build, host) {
  if (!(await canListen(host))) return SKIP;
  const mib = 16;
  const group = host === '::1' ? 'v6' : 'v4';
  return withPeer(async (peer) => {
    const r = await run(build, ['echo_bulk', host, String(peer.config[group].echo), String(mib)]);
    if (r.code !== 0) return report(r);
    const bytes = mib << 20;
    const sha = bulkHash(bytes);
    const want = `sent ${bytes} ${sha}\nreceived ${bytes} ${sha}\nok echo_bulk\n`;
    const st = (await peer.log())[group].echo;
    if (r.stdout !== want || st.bytes !== bytes || st.sha256 !== sha) {
      console.error(`echo_bulk: want ${JSON.stringify(want)}, got ${JSON.stringify(r.stdout)}; server saw ${st.bytes} bytes ${st.sha256}`);
      return 1;
    }
    return 0;
  });
}

function report(r, name) {
  if (r.code === SKIP) return SKIP;
  if (r.code === 0 && (!name || r.stdout.includes(`ok ${name}\n`))) return 0;
  console.error(`exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return 1;
}

// Cases that open files: a fresh directory, given to the guest.
async function withDir(build, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posixtest-'));
  try {
    return report(await run(build, [name, dir], { dirs: [dir] }), name);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const special = {
  async tcp6(build) {
    if (!(await canListen('::1'))) return SKIP;
    return report(await run(build, ['tcp6']), 'tcp6');
  },
  fds: (build) => withDir(build, 'fds'),
  dirs: (build) => withDir(build, 'dirs'),
  errors: (build) => withDir(build, 'errors'),
  // stdin: "hello\n" after 300 ms, end of file 1.5 s later.
  async stdin(build) {
    return report(await run(build, ['stdin'], {
      feed: (s) => {
        setTimeout(() => s.write('hello\n'), 300);
        setTimeout(() => s.end(), 1800);
      },
    }), 'stdin');
  },
  // The guest's own /etc (the runners give it the host's files; here the
  // driver's, so the names are known): native Linux has its own, skip.
  async netdb_files(build) {
    if (build === 'native') return SKIP;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posixtest-etc-'));
    try {
      fs.writeFileSync(path.join(dir, 'services'),
        '# test services\nwasisock-test\t4242/tcp wt-alias # comment\nwasisock-udp 4343/udp\n');
      fs.writeFileSync(path.join(dir, 'protocols'), 'fakeproto 253 FAKE\n');
      fs.writeFileSync(path.join(dir, 'hostname'), 'guest-host\n');
      fs.writeFileSync(path.join(dir, 'hosts'), '10.1.2.3\tfiles-host fh # test\n::2 v6-host\n');
      return report(await run(build, ['netdb_files'], { dirs: [`${dir}::/etc`] }), 'netdb_files');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  // The host's network policy as POSIX errors: a guest case only.
  async policy(build) {
    if (build === 'native') return SKIP;
    return report(await run(build, ['policy'], { runnerArgs: ['--deny-all', '--no-log-denials'] }), 'policy');
  },
  echo_bulk: (build) => echoBulk(build, '127.0.0.1'),
  echo_bulk6: (build) => echoBulk(build, '::1'),
  udp_echo: (build) => withPeer(async (peer) =>
    report(await run(build, ['udp_echo', '127.0.0.1', String(peer.config.v4.udp_echo), '40']), 'udp_echo')),
};

async function main() {
  const [build, name] = process.argv.slice(2);
  if (!['native', 'wasm'].includes(build) || !name) {
    console.error('usage: run-posix.mjs native|wasm CASE');
    return 2;
  }
  const code = special[name] ? await special[name](build) : report(await run(build, [name]), name);
  console.log(`${code === 0 ? 'PASS' : code === SKIP ? 'SKIP' : 'FAIL'} ${build} ${name}`);
  return code;
}

process.exitCode = await main();
