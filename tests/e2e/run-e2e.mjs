#!/usr/bin/env node
// run-e2e.mjs — end-to-end test driver: one case per invocation.
//
//   node run-e2e.mjs CASE [ARG]
//   node run-e2e.mjs --list
//
// Each case starts the test peer (tests/peer: loopback servers, ports chosen
// by the OS), runs a wasm32 guest under the runner as a child process, and
// checks the exact bytes the guest printed and the server received.  Exit status 0 on
// success, 1 with a message on failure, 77 when the case cannot run here
// (ctest SKIP_RETURN_CODE).
//
// Environment (CTest sets it, see CMakeLists.txt):
//   WASISOCK_RUNNER        build/bin/wasisock-run
//   WASISOCK_WASM_BIN_DIR  directory of the built .wasm files
//   WASM_OBJDUMP           wasm-objdump (for the imports-* cases)
//   WASISOCK_E2E_NATIVE    a directory of native builds of the examples:
//                          the example cases run those instead of the .wasm
//                          files (the same source, the same servers and
//                          checks; only NATIVE_CASES)
//   WASISOCK_HTTPING       tests/debian's builds of Debian's httping, without
//                          the extension: PATH.wasm under the runner, PATH
//                          natively (the httping_* cases)
//   WASISOCK_PYTHON        python3 for the test peer (tests/peer/peer.mjs)
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { withPeer } from '../peer/peer.mjs';

const SKIP = 77;
const runner = process.env.WASISOCK_RUNNER;
const binDir = process.env.WASISOCK_WASM_BIN_DIR;
const nativeDir = process.env.WASISOCK_E2E_NATIVE;

class Failure extends Error {}
class Skip extends Error {}

function fail(msg) {
  throw new Failure(msg);
}

function show(b) {
  const s = Buffer.isBuffer(b) ? b.toString('utf8') : String(b);
  return JSON.stringify(s.length > 2000 ? `${s.slice(0, 2000)}...` : s);
}

function expectEqual(actual, expected, what) {
  const a = Buffer.isBuffer(actual) ? actual : Buffer.from(String(actual));
  const e = Buffer.isBuffer(expected) ? expected : Buffer.from(String(expected));
  if (!a.equals(e)) fail(`${what}:\n  expected ${show(e)}\n  got      ${show(a)}`);
}

function wasm(name) {
  const f = path.join(binDir, `${name}.wasm`);
  if (!fs.existsSync(f)) fail(`${f} does not exist (build first: cmake --build <build dir>)`);
  return f;
}

// Runs the runner on a guest without blocking this process's event loop
// (the servers live here).  Resolves to {code, signal, stdout: Buffer, stderr: string}.
// [file, argv] that runs a guest: under the runner, or its native build.
function guestCommand(guest, args, runnerArgs = []) {
  if (nativeDir) return [path.isAbsolute(guest) ? guest : path.join(nativeDir, guest), args];
  // The runner is a native command (its engine from $WASISOCK_ENGINE).
  return [runner, [...runnerArgs, guest.includes('/') ? guest : wasm(guest), ...args]];
}

function runGuest(guest, args = [], { runnerArgs = [], timeoutMs = 120000, env } = {}) {
  const [file, argv] = guestCommand(guest, args, runnerArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env || process.env,
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Failure(`timed out after ${timeoutMs} ms: ${argv.join(' ')}\nstderr: ${Buffer.concat(err)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), argv, pid: child.pid });
    });
  });
}

// Starts a guest that serves: resolves `ready` with its first stdout line
// (the guest prints where it listens), `done` like runGuest.
function startGuest(guest, args = [], { runnerArgs = [], timeoutMs = 120000 } = {}) {
  const [file, argv] = guestCommand(guest, args, runnerArgs);
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  let resolveReady;
  let rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  child.stdout.on('data', (d) => {
    out.push(d);
    const text = Buffer.concat(out).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl >= 0) resolveReady(text.slice(0, nl));
  });
  child.stderr.on('data', (d) => err.push(d));
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Failure(`timed out after ${timeoutMs} ms: ${argv.join(' ')}\nstderr: ${Buffer.concat(err)}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); rejectReady(e); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), argv };
      rejectReady(new Failure(`guest exited before its first line: ${show(r.stdout)} ${show(r.stderr)}`));
      resolve(r);
    });
  });
  // What it printed so far.
  const stdout = () => Buffer.concat(out).toString('utf8');
  const stderr = () => Buffer.concat(err).toString('utf8');
  return { child, ready, done, stdout, stderr };
}

// Polls cond() every 25 ms for up to ms; true once it held.
async function waitFor(cond, ms = 30000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (cond()) return true;
    await new Promise((res) => setTimeout(res, 25));
  }
  return cond();
}

// One native client of a guest server, the test peer's: sends data,
// half-closes, resolves with {local: "host:port", echo: Buffer} once the
// server closed.
async function echoClient(peer, host, port, data) {
  const { local: [lhost, lport], received } = await peer.tcp(host, port, data);
  return { local: lhost.includes(':') ? `[${lhost}]:${lport}` : `${lhost}:${lport}`, echo: received };
}

// The echo_server example against `count` concurrent native clients.
async function echoServerCase(host, count) {
  await withPeer((peer) => echoServerClients(peer, host, count));
}

async function echoServerClients(peer, host, count) {
  const g = startGuest('echo_server', [host, '0', String(count)]);
  try {
    const line = await g.ready;
    const m = /^listening on (\[[0-9a-f:]+\]|[\d.]+):(\d+)$/.exec(line);
    if (!m) fail(`first line ${show(line)}`);
    const port = Number(m[2]);
    // Sizes from 1 byte to 1 MiB, distinct contents.
    const payloads = Array.from({ length: count }, (_, i) =>
      crypto.randomBytes(i === 0 ? 1 : i === count - 1 ? 1 << 20 : 1000 * i + 7));
    const results = await Promise.all(payloads.map((p) => echoClient(peer, host, port, p)));
    results.forEach((r, i) => expectEqual(r.echo, payloads[i], `echo of client ${i} (${payloads[i].length} bytes)`));
    const r = await g.done;
    expectExit(r, 0);
    const lines = r.stdout.toString().trim().split('\n');
    expectEqual(lines.length, count + 2, `number of lines in ${show(r.stdout)}`);
    const expected = results.map((res, i) => `from ${res.local}: ${payloads[i].length} bytes`).sort();
    const got = lines.slice(1, -1).map((l) => {
      const lm = /^client (\d+) (from .*)$/.exec(l);
      if (!lm) fail(`client line ${show(l)}`);
      return lm[2];
    }).sort();
    expectEqual(got.join('\n'), expected.join('\n'), 'per-client lines (peer address and bytes)');
    const total = payloads.reduce((n, p) => n + p.length, 0);
    expectEqual(lines[lines.length - 1], `served ${count} clients, ${total} bytes`, 'summary line');
  } finally {
    g.child.kill('SIGKILL');
  }
}

function expectExit(r, code, what = 'exit status') {
  if (r.code !== code) {
    fail(`${what}: expected ${code}, got ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\n` +
      `  command: ${r.argv.join(' ')}\n  stdout: ${show(r.stdout)}\n  stderr: ${show(r.stderr)}`);
  }
}

function expectStderrHas(r, needle) {
  if (!r.stderr.includes(needle)) {
    fail(`stderr should contain ${JSON.stringify(needle)}\n  command: ${r.argv.join(' ')}\n  stderr: ${show(r.stderr)}`);
  }
}

// One server of a test peer: {host, port, log()}, log() resolving to what
// the server saw (tests/peer/servers.py's Log: connections, bytes, sha256,
// head, HTTP exchanges, datagrams).
function server(peer, group, kind) {
  return {
    host: group === 'v6' ? '::1' : '127.0.0.1',
    port: peer.config[group][kind],
    log: async () => (await peer.log())[group][kind],
  };
}

const HTTP_BODY = 'hello from the wasisock e2e server\n';

// A server of a test peer started for fn: kind 'echo', 'http' (answering
// every path with body) or 'udp_echo', on host 127.0.0.1 or ::1.
function withServer(kind, { host = '127.0.0.1', body = HTTP_BODY } = {}, fn) {
  return withPeer(async (peer) => {
    if (kind === 'http') await peer.setDocument(body);
    return fn(server(peer, host === '::1' ? 'v6' : 'v4', kind));
  });
}

// Two echo servers on 127.0.0.1 (one peer's own and its dual-stack one).
function withTwoEchoServers(fn) {
  return withPeer((peer) => fn(server(peer, 'v4', 'echo'), server(peer, 'dual', 'echo')));
}

// The one HTTP exchange a server saw: {request, response} (Buffers).
async function oneExchange(srv) {
  const { exchanges } = await srv.log();
  expectEqual(exchanges.length, 1, 'requests the server received');
  return exchanges[0];
}

// A loopback port nobody listens on: bind one, note it, close it.
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
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

// The bytes bulk.c sends: xorshift32 from 0x2545f491, little-endian words.
function bulkStream(bytes) {
  const buf = Buffer.alloc(bytes);
  let x = 0x2545f491;
  for (let i = 0; i < bytes; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    buf.writeUInt32LE(x, i);
  }
  return buf;
}

// What the headers say: WASISOCK_ABI_REVISION and the import list as
// "name/nparams" in order (include/wasisock.h is the one definition).
function headerAbi() {
  const include = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../include');
  const abiH = fs.readFileSync(path.join(include, 'wasisock_abi.h'), 'utf8');
  const mainH = fs.readFileSync(path.join(include, 'wasisock.h'), 'utf8');
  const list = mainH.slice(mainH.indexOf('#define WASISOCK_IMPORT_LIST(XX)'));
  const body = list.slice(0, list.search(/\n\s*\n/));
  return {
    revision: Number(/#define WASISOCK_ABI_REVISION (\d+)/.exec(abiH)[1]),
    imports: [...body.matchAll(/XX\((\w+), (\d+), \d+/g)].map((m) => `${m[1]}/${m[2]}`),
  };
}

const EXAMPLES = ['echo_client', 'echo_server', 'http_get', 'udp_ping'];
// The cases that run only the examples: also with their native builds.
const NATIVE_CASES = ['echo', 'echo_localhost', 'echo_ipv6', 'echo_server', 'echo_server_ipv6',
  'http_get_url', 'http_get_args', 'udp_ping', 'refused', 'invalid_name',
  'httping_get', 'httping_head_ipv6', 'httping_refused'];

// Debian's httping (tests/debian): its wasm32 build under the runner, or
// its native build from the same source.
function runHttping(args) {
  const base = process.env.WASISOCK_HTTPING;
  if (!base) throw new Skip('WASISOCK_HTTPING is not set (tests/debian builds httping)');
  return runGuest(nativeDir ? base : `${base}.wasm`, args, { timeoutMs: 60000 });
}

// httping's report of n pings, all answered: its first line, a line per
// ping (times vary), the statistics.
function expectHttpingReport(r, { first, target, n, status, stats }) {
  expectExit(r, 0);
  const lines = r.stdout.toString().trim().split('\n');
  expectEqual(lines[0], first, 'first line');
  const esc = (t) => t.replace(/[.[\]]/g, '\\$&');
  for (let i = 0; i < n; i++) {
    const re = new RegExp(`^connected to ${esc(target)} \\(\\d+ bytes\\), seq=${i} time= *[\\d.]+ ms ?${status}$`);
    if (!re.test(lines[1 + i].trimEnd())) fail(`ping line ${i}: ${show(lines[1 + i])} does not match ${re}`);
  }
  expectEqual(lines[1 + n], `--- ${stats} ping statistics ---`, 'statistics header');
  if (!new RegExp(`^${n} connects, ${n} ok, 0\\.00% failed, time \\d+ms$`).test(lines[2 + n])) {
    fail(`statistics line ${show(lines[2 + n])}`);
  }
}

const MESSAGE = 'hello wasisock \u00e9\u00e8 0123456789';

const cases = {
  // TCP echo: exact bytes both ways.
  async echo() {
    await withServer('echo', {}, async (srv) => {
      const r = await runGuest('echo_client', ['127.0.0.1', String(srv.port), MESSAGE]);
      expectExit(r, 0);
      expectEqual(r.stdout, `${MESSAGE}\n`, 'guest stdout');
      expectEqual((await srv.log()).head, MESSAGE, 'bytes the server received');
    });
  },

  // A name, not an address: resolution plus trying every address in order
  // (the server listens on 127.0.0.1 only; if localhost also maps to ::1,
  // that address is refused first and the guest must move on).
  async echo_localhost() {
    await withServer('echo', {}, async (srv) => {
      const r = await runGuest('echo_client', ['localhost', String(srv.port), 'via localhost']);
      expectExit(r, 0);
      expectEqual(r.stdout, 'via localhost\n', 'guest stdout');
    });
  },

  async echo_ipv6() {
    if (!(await canListen('::1'))) throw new Skip('no IPv6 loopback here');
    await withServer('echo', { host: '::1' }, async (srv) => {
      const r = await runGuest('echo_client', ['::1', String(srv.port), 'over ipv6']);
      expectExit(r, 0);
      expectEqual(r.stdout, 'over ipv6\n', 'guest stdout');
      expectEqual((await srv.log()).head, 'over ipv6', 'bytes the server received');
    });
  },

  // A wasm32 server (revision 2: bind, listen, accept, poll) serving eight
  // concurrent Node clients; the peer addresses it saw are theirs.
  async echo_server() {
    await echoServerCase('127.0.0.1', 8);
  },

  async echo_server_ipv6() {
    if (!(await canListen('::1'))) throw new Skip('no IPv6 loopback here');
    await echoServerCase('::1', 3);
  },

  // HTTP GET from a URL: the exact request and the exact response.
  async http_get_url() {
    const body = 'GET worked: \u2713\n'.repeat(3);
    await withServer('http', { body }, async (srv) => {
      const r = await runGuest('http_get', [`http://127.0.0.1:${srv.port}/some/path?q=1`]);
      expectExit(r, 0);
      const { request, response } = await oneExchange(srv);
      expectEqual(r.stdout, response, 'guest stdout (the full response)');
      if (!response.toString().endsWith(`\r\n\r\n${body}`)) fail(`response ${show(response)}`);
      expectEqual(request,
        `GET /some/path?q=1 HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n` +
        'User-Agent: wasisock-http_get/0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n',
        'request the server received');
    });
  },

  // HTTP GET with host, port and path as arguments, and a 1 MiB body.
  async http_get_args() {
    const body = crypto.randomBytes(512 * 1024).toString('hex');
    await withServer('http', { body }, async (srv) => {
      const r = await runGuest('http_get', ['localhost', String(srv.port), '/big']);
      expectExit(r, 0);
      const { request, response } = await oneExchange(srv);
      expectEqual(r.stdout, response, 'guest stdout (the full response)');
      if (!response.toString().endsWith(`\r\n\r\n${body}`)) fail('the response lacks the body');
      expectEqual(request.toString().split('\r\n')[0], 'GET /big HTTP/1.1', 'request line');
    });
  },

  // UDP: per-packet lines, exact datagrams at the server.
  async udp_ping() {
    await withServer('udp_echo', {}, async (srv) => {
      const r = await runGuest('udp_ping', ['127.0.0.1', String(srv.port), '5']);
      expectExit(r, 0);
      const lines = r.stdout.toString().split('\n');
      expectEqual(lines.length, 7, `number of output lines in ${show(r.stdout)}`);
      for (let i = 1; i <= 5; i++) {
        const re = new RegExp(`^reply from 127\\.0\\.0\\.1:${srv.port}: seq=${i} bytes=${String(`wasisock-ping seq=${i}`).length} time=\\d+\\.\\d{3} ms$`);
        if (!re.test(lines[i - 1])) fail(`line ${i}: ${show(lines[i - 1])} does not match ${re}`);
      }
      if (!/^5 packets transmitted, 5 received, rtt min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms$/.test(lines[5])) {
        fail(`summary line ${show(lines[5])}`);
      }
      expectEqual((await srv.log()).datagrams.map((d) => d.toString()).join('|'),
        [1, 2, 3, 4, 5].map((i) => `wasisock-ping seq=${i}`).join('|'), 'datagrams the server received');
    });
  },

  // >= 64 MiB through a guest, both directions, checked by SHA-256.
  async bulk_64mib() {
    const mib = 64;
    const bytes = mib * 1024 * 1024;
    const expected = crypto.createHash('sha256').update(bulkStream(bytes)).digest('hex');
    await withServer('echo', {}, async (srv) => {
      const t0 = process.hrtime.bigint();
      const r = await runGuest('bulk', ['127.0.0.1', String(srv.port), String(mib)], { timeoutMs: 600000 });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      expectExit(r, 0);
      expectEqual(r.stdout, `sent ${bytes} ${expected}\nreceived ${bytes} ${expected}\n`, 'guest stdout (byte counts and SHA-256)');
      const st = await srv.log();
      expectEqual(st.bytes, bytes, 'bytes the server received');
      expectEqual(st.sha256, expected, 'SHA-256 of what the server received');
      console.log(`bulk: ${mib} MiB each way in ${s.toFixed(2)} s (${(2 * mib / s).toFixed(0)} MiB/s through the guest)`);
    });
  },

  // A closed port: ECONNREFUSED reaches the guest's errno.
  async refused() {
    const port = await closedPort();
    const r = await runGuest('echo_client', ['127.0.0.1', String(port), 'x']);
    expectExit(r, 1);
    expectEqual(r.stdout, '', 'guest stdout');
    expectStderrHas(r, `echo_client: connect 127.0.0.1:${port}: Connection refused`);
  },

  // A name in .invalid (RFC 6761: never resolves): EAI_NONAME, quickly.
  async invalid_name() {
    const r = await runGuest('echo_client', ['no-such-host.invalid', '80', 'x'], { timeoutMs: 60000 });
    expectExit(r, 1);
    expectStderrHas(r, 'echo_client: connect no-such-host.invalid:80: Name or service not known');
  },

  // Debian's httping, a C program nobody here wrote, unmodified network
  // code (tests/debian): three GETs, the server sees each.
  async httping_get() {
    await withServer('http', {}, async (srv) => {
      const url = `http://127.0.0.1:${srv.port}/ping`;
      const r = await runHttping(['-c', '3', '-i', '0.1', '-G', '-s', url]);
      expectHttpingReport(r, {
        first: `PING 127.0.0.1:${srv.port} (/ping):`, target: `127.0.0.1:${srv.port}`,
        n: 3, status: '200 OK', stats: url,
      });
      const { exchanges } = await srv.log();
      expectEqual(exchanges.length, 3, 'requests the server received');
      for (const { request: q } of exchanges) {
        if (!q.toString().startsWith('GET /ping HTTP/1.')) fail(`request ${show(q)}`);
      }
    });
  },

  // HEAD requests (httping's default) over IPv6, host and port as options
  // (httping's own URL parser does not take "[::1]:port").
  async httping_head_ipv6() {
    if (!(await canListen('::1'))) throw new Skip('no IPv6 loopback here');
    await withServer('http', { host: '::1' }, async (srv) => {
      const r = await runHttping(['-6', '-c', '2', '-i', '0.1', '-h', '::1', '-p', String(srv.port)]);
      expectHttpingReport(r, {
        first: `PING ::1:${srv.port} (/):`, target: `[::1]:${srv.port}`,
        n: 2, status: '', stats: 'http://::1/',
      });
      const { exchanges } = await srv.log();
      expectEqual(exchanges.length, 2, 'requests the server received');
      for (const { request: q } of exchanges) {
        if (!q.toString().startsWith('HEAD / HTTP/1.')) fail(`request ${show(q)}`);
      }
    });
  },

  // A closed port: httping reports the errno's text and fails.
  async httping_refused() {
    const port = await closedPort();
    const r = await runHttping(['-c', '1', `http://127.0.0.1:${port}/`]);
    if (r.code === 0) fail('httping to a closed port exited 0');
    if (!r.stdout.toString().includes('could not connect (Connection refused)')) {
      fail(`stdout ${show(r.stdout)} lacks "could not connect (Connection refused)"`);
    }
  },

  // Imports nobody provides: refused before instantiation, each one named.
  async unknown_import() {
    const r = await runGuest('bad_import');
    expectExit(r, 1);
    expectStderrHas(r, 'wasisock.sock_frobnicate (function): not provided by this wasisock host');
    expectStderrHas(r, 'env.mystery_function (function): module "env" is neither wasi_snapshot_preview1 nor wasisock');
    expectStderrHas(r, 'cannot link');
  },

  async bad_signature() {
    const r = await runGuest('bad_signature');
    expectExit(r, 1);
    expectStderrHas(r, 'wasisock.sock_close (function): imported as (i32, i32) -> i32, but the host\'s wasisock.sock_close is (i32) -> i32');
  },

  // Only wasi_snapshot_preview1 and wasisock imports in each example.
  async imports(name) {
    if (!EXAMPLES.includes(name)) fail(`imports: unknown example ${name}`);
    const objdump = process.env.WASM_OBJDUMP || 'wasm-objdump';
    const r = await new Promise((resolve, reject) => {
      const c = spawn(objdump, ['-x', '-j', 'Import', wasm(name)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const out = [];
      c.stdout.on('data', (d) => out.push(d));
      c.stderr.on('data', (d) => out.push(d));
      c.on('error', reject);
      c.on('close', (code) => resolve({ code, text: Buffer.concat(out).toString() }));
    });
    if (r.code !== 0) fail(`${objdump} failed (${r.code}):\n${r.text}`);
    const mods = new Map();
    for (const m of r.text.matchAll(/<- ([^.\s]+)\.(\S+)/g)) {
      if (!mods.has(m[1])) mods.set(m[1], []);
      mods.get(m[1]).push(m[2]);
    }
    if (mods.size === 0) fail(`no imports found in:\n${r.text}`);
    const bad = [...mods.keys()].filter((m) => m !== 'wasi_snapshot_preview1' && m !== 'wasisock');
    if (bad.length) fail(`${name}.wasm imports from ${bad.join(', ')}:\n${r.text}`);
    if (!mods.has('wasisock')) fail(`${name}.wasm imports nothing from wasisock:\n${r.text}`);
    console.log(`${name}.wasm imports: ${[...mods].map(([m, n]) => `${m}: ${n.join(' ')}`).join('; ')}`);
  },

  async exit_code() {
    const r = await runGuest('wasitest', ['exit', '7']);
    expectExit(r, 7);
    const z = await runGuest('wasitest', ['exit', '0']);
    expectExit(z, 0);
    // --stack-size re-executes node; the status must survive that.
    const s = await runGuest('wasitest', ['exit', '9'], { runnerArgs: ['--stack-size', '2048'] });
    expectExit(s, 9);
  },

  async trap() {
    const r = await runGuest('wasitest', ['trap']);
    expectExit(r, 134);
    expectStderrHas(r, 'wasitest.wasm: trap: unreachable');
  },

  // Sleeps through poll_oneoff clock subscriptions.  TIMER_ABSTIME on
  // CLOCK_MONOTONIC (CPython's time.sleep) never returned under Node 20's
  // node:wasi; the runner makes absolute timeouts relative
  // (runtimes/node/lib/poll-oneoff.js).  100 ms each: not early, not stuck.
  async sleep() {
    for (const mode of ['abs-mono', 'abs-real', 'rel-mono', 'nanosleep', 'abs-past']) {
      const t0 = process.hrtime.bigint();
      const r = await runGuest('sleeptest', [mode, '100', '100'], { timeoutMs: 20000 });
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      expectExit(r, 0, `exit status of sleeptest ${mode}`);
      const lines = r.stdout.toString().trim().split('\n');
      expectEqual(lines.length, 2, `lines of sleeptest ${mode}: ${show(r.stdout)}`);
      for (const line of lines) {
        const m = /^(\S+) 100 (\d+\.\d{3})$/.exec(line);
        if (!m || m[1] !== mode) fail(`sleeptest ${mode} printed ${show(line)}`);
        const ms = Number(m[2]);
        if (mode === 'abs-past') {
          if (ms >= 50) fail(`${mode}: a deadline already passed waited ${ms} ms`);
        } else if (ms < 95 || ms >= 1000) {
          fail(`${mode}: sleeping 100 ms took ${ms} ms (want 95 <= ms < 1000)`);
        }
      }
      console.log(`sleeptest ${mode}: ${lines.map((l) => `${l.split(' ')[2]} ms`).join(', ')} (run ${wallMs.toFixed(0)} ms)`);
    }
  },

  // argv as given; env only what --env says (no host leakage) unless
  // --inherit-env.
  async argv_env() {
    const a = await runGuest('wasitest', ['argv', 'one', 'two words', '', 'ü']);
    expectExit(a, 0);
    expectEqual(a.stdout, 'one\ntwo words\n\nü\n', 'argv');
    const env = { ...process.env, WASISOCK_E2E_SECRET: 'host-only' };
    const e = await runGuest('wasitest', ['env', 'GREETING', 'EMPTY', 'WASISOCK_E2E_SECRET'], {
      runnerArgs: ['--env', 'GREETING=hello=world', '--env=EMPTY='], env,
    });
    expectExit(e, 0);
    expectEqual(e.stdout, 'GREETING=hello=world\nEMPTY=\nWASISOCK_E2E_SECRET unset\n', 'env');
    const i = await runGuest('wasitest', ['env', 'WASISOCK_E2E_SECRET'], { runnerArgs: ['--inherit-env'], env });
    expectExit(i, 0);
    expectEqual(i.stdout, 'WASISOCK_E2E_SECRET=host-only\n', 'env with --inherit-env');
  },

  // --dir HOST::GUEST maps a directory.
  async dir() {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-e2e-'));
    try {
      fs.writeFileSync(path.join(d, 'note.txt'), 'mapped file contents\n');
      const r = await runGuest('wasitest', ['cat', '/data/note.txt'], { runnerArgs: ['--dir', `${d}::/data`] });
      expectExit(r, 0);
      expectEqual(r.stdout, 'mapped file contents\n', 'file read through --dir');
      const n = await runGuest('wasitest', ['cat', '/data/note.txt']);
      expectExit(n, 1);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  },

  // memory.grow between calls: the adapter must see the new memory.
  async memory_growth() {
    await withServer('echo', {}, async (srv) => {
      const r = await runGuest('wasitest', ['grow', '127.0.0.1', String(srv.port)]);
      expectExit(r, 0);
      const m = /^before \| after growing \| grew (\d+) -> (\d+) pages\n$/.exec(r.stdout.toString());
      if (!m) fail(`guest stdout ${show(r.stdout)}`);
      if (!(Number(m[2]) > Number(m[1]))) fail(`memory did not grow: ${m[1]} -> ${m[2]} pages`);
      expectEqual((await srv.log()).head, 'beforeafter growing', 'bytes the server received');
    });
  },

  // Error codes a guest sees for its own mistakes.
  async errors() {
    const r = await runGuest('wasitest', ['errors']);
    expectExit(r, 0);
    expectEqual(r.stdout,
      'send_bad_handle EBADF\nclose_bad_handle EBADF\nsocket_bad_family EAFNOSUPPORT\n' +
      'socket_bad_type EPROTOTYPE\nresolve_empty EINVAL\nresolve_numeric ENOSPC\n' +
      'recv_efault EFAULT\nrecv_unconnected ENOTCONN\n', 'probe results');
  },

  // The host's revision is the header's.
  async abi() {
    const r = await runGuest('wasitest', ['abi']);
    expectExit(r, 0);
    expectEqual(r.stdout, `revision ${headerAbi().revision}\n`, 'ABI revision');
  },

  // Per-call overhead of a cheap import (reported, loosely bounded).
  async bench() {
    const r = await runGuest('wasitest', ['bench', '2000000']);
    expectExit(r, 0);
    const m = /([\d.]+) ns\/call/.exec(r.stdout.toString());
    if (!m) fail(`guest stdout ${show(r.stdout)}`);
    console.log(r.stdout.toString().trim());
    if (Number(m[1]) > 5000) fail(`sock_abi_version costs ${m[1]} ns per call`);
  },

  // The adapter itself, driven from JS: bounds, growth, misuse, lifetime.
  async adapter() {
    const require = createRequire(import.meta.url);
    const lib = require(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../runtimes/node/lib/wasisock.js'));
    const EFAULT = 21;
    const throwsCode = (fn, code, what) => {
      try {
        fn();
      } catch (e) {
        if (e.code !== code) fail(`${what}: threw ${e.code} (${e.message}), expected ${code}`);
        return;
      }
      fail(`${what}: did not throw ${code}`);
    };
    const names = lib.importTable().map((r) => `${r.name}/${r.nparams}`).join(' ');
    const abi = headerAbi();
    expectEqual(names, abi.imports.join(' '), 'import table (WASISOCK_IMPORT_LIST)');
    const host = lib.createHost();
    const f = host.imports;
    throwsCode(() => f.sock_abi_version(0), 'ERR_WASISOCK_MEMORY', 'call before setMemory');
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    host.setMemory(mem);
    const len = 65536;
    expectEqual(f.sock_abi_version(len - 4), 0, 'sock_abi_version at len - 4');
    expectEqual(new DataView(mem.buffer).getUint32(len - 4, true), abi.revision, 'revision written little-endian');
    expectEqual(f.sock_abi_version(len - 3), EFAULT, 'sock_abi_version at len - 3');
    expectEqual(f.sock_abi_version(-1), EFAULT, 'sock_abi_version at 0xffffffff (as i32 -1)');
    mem.grow(1);
    expectEqual(f.sock_abi_version(len + 8), 0, 'sock_abi_version in grown memory');
    expectEqual(new DataView(mem.buffer).getUint32(len + 8, true), abi.revision, 'revision written in grown memory');
    expectEqual(f.sock_abi_version(2 * len - 3), EFAULT, 'sock_abi_version at new len - 3');
    throwsCode(() => f.sock_abi_version(), 'ERR_WASISOCK_SIGNATURE', 'too few arguments');
    throwsCode(() => f.sock_close(1, 2), 'ERR_WASISOCK_SIGNATURE', 'too many arguments');
    throwsCode(() => lib.loadAddon().bind({}), 'ERR_WASISOCK_HOST', 'bind(not a host)');
    throwsCode(() => host.setMemory({}), undefined, 'setMemory(not a memory)');
    // Per-call cost from JS (the wasm -> JS path is measured by e2e_bench).
    const n = 1e6;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f.sock_abi_version(0);
    console.log(`JS -> addon sock_abi_version: ${(Number(process.hrtime.bigint() - t0) / n).toFixed(1)} ns/call`);
    host.free();
    host.free();
    throwsCode(() => f.sock_abi_version(0), 'ERR_WASISOCK_FREED', 'call after free');
  },

  // Network policy: deny by default, one port allowed.  The guest reaches
  // that port and gets EACCES for the other, which sees no connection; the
  // runner logs the denial.  The README's example (http_get) works as shown.
  async policy_ports() {
    await withTwoEchoServers(async (a, b) => {
      const r = await runGuest('wasitest', ['connect', '127.0.0.1', String(a.port), String(b.port)], {
        runnerArgs: ['--deny-all', '--allow-connect', `127.0.0.1:${a.port}`],
      });
      expectExit(r, 0);
      expectEqual(r.stdout, `127.0.0.1:${a.port} ok\n127.0.0.1:${b.port} EACCES\n`, 'guest stdout');
      expectEqual(r.stderr, `wasisock-run: denied connect 127.0.0.1:${b.port} by default deny\n`, 'runner stderr');
      expectEqual((await a.log()).connections, 1, 'connections to the allowed port');
      expectEqual((await b.log()).connections, 0, 'connections to the refused port');
      // An example guest: EACCES with its message.
      const e = await runGuest('echo_client', ['127.0.0.1', String(b.port), 'x'], {
        runnerArgs: ['--deny-all', `--allow-connect=127.0.0.1:${a.port}`],
      });
      expectExit(e, 1);
      expectStderrHas(e, `wasisock-run: denied connect 127.0.0.1:${b.port} by default deny\n`);
      expectStderrHas(e, `echo_client: connect 127.0.0.1:${b.port}: Permission denied`);
      expectEqual((await b.log()).connections, 0, 'connections to the refused port');
    });
    const body = 'only this server\n';
    await withServer('http', { body }, async (srv) => {
      const r = await runGuest('http_get', [`http://127.0.0.1:${srv.port}/`], {
        runnerArgs: ['--deny-all', '--allow-connect', `127.0.0.1:${srv.port}`],
      });
      expectExit(r, 0);
      expectEqual(r.stdout, (await oneExchange(srv)).response, 'guest stdout (the full response)');
      expectEqual(r.stderr, '', 'runner stderr');
    });
  },

  // Over the socket quota: EMFILE, and the host stays healthy (a socket
  // closed makes room, a connection still works).
  async policy_quota() {
    await withServer('echo', {}, async (srv) => {
      const r = await runGuest('wasitest', ['quota', '127.0.0.1', String(srv.port)], {
        runnerArgs: ['--max-sockets', '5'],
      });
      expectExit(r, 0);
      expectEqual(r.stdout, 'opened 5, then EMFILE\nclosed one, opened another\necho ok\n', 'guest stdout');
      expectEqual(r.stderr, '', 'runner stderr (a limit is not a denial)');
      expectEqual((await srv.log()).head, `ping ${srv.port}`, 'bytes the server received');
      // A limit above what libwasisock can number (WASISOCK_MAX_SOCKETS_LIMIT)
      // is as many as it can: the guest runs.
      const big = await runGuest('echo_client', ['127.0.0.1', String(srv.port), 'many'], {
        runnerArgs: ['--max-sockets', '2000000000'],
      });
      expectExit(big, 0);
      // The same limit from a policy file.
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-e2e-'));
      try {
        const f = path.join(d, 'quota.policy');
        fs.writeFileSync(f, 'max-sockets 3   # small\n');
        const q = await runGuest('wasitest', ['quota', '127.0.0.1', String(srv.port)], { runnerArgs: ['--policy', f] });
        expectExit(q, 0);
        expectEqual(q.stdout, 'opened 3, then EMFILE\nclosed one, opened another\necho ok\n', 'guest stdout (policy file)');
      } finally {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });
  },

  // A policy file, rules in order with flags around it; names: a lookup
  // refused by default, and "allow connect NAME" allowing the lookup and
  // the addresses it returned; logging off; bad rules exit 2 with the
  // parser's message.
  async policy_file() {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-e2e-'));
    try {
      await withTwoEchoServers(async (a, b) => {
        const f = path.join(d, 'sandbox.policy');
        fs.writeFileSync(f, `# e2e sandbox\ndefault deny\n\nallow connect 127.0.0.1:${a.port}  # the echo server\n`);
        const r = await runGuest('wasitest', ['connect', '127.0.0.1', String(a.port), String(b.port)], {
          runnerArgs: ['--policy', f],
        });
        expectExit(r, 0);
        expectEqual(r.stdout, `127.0.0.1:${a.port} ok\n127.0.0.1:${b.port} EACCES\n`, 'guest stdout');
        expectEqual(r.stderr, `wasisock-run: denied connect 127.0.0.1:${b.port} by default deny\n`, 'runner stderr');

        // A flag before the file: first match wins.
        const o = await runGuest('wasitest', ['connect', '127.0.0.1', String(b.port)], {
          runnerArgs: ['--allow-connect', `127.0.0.1:${b.port}`, '--policy', f],
        });
        expectEqual(o.stdout, `127.0.0.1:${b.port} ok\n`, 'guest stdout (flag first)');

        // Names: refused lookup; with --no-log-denials nothing is printed.
        const n = await runGuest('wasitest', ['connect', 'localhost', String(a.port)], {
          runnerArgs: ['--policy', f, '--no-log-denials'],
        });
        expectEqual(n.stdout, `localhost:${a.port} EACCES\n`, 'guest stdout (name refused)');
        expectEqual(n.stderr, '', 'runner stderr with --no-log-denials');
        const l = await runGuest('wasitest', ['connect', 'localhost', String(a.port)], {
          runnerArgs: ['--policy', f],
        });
        expectStderrHas(l, 'wasisock-run: denied resolve "localhost" by default deny\n');
        // "allow connect localhost:A": the lookup and whichever address
        // of localhost accepts (the server is on 127.0.0.1 only).
        const y = await runGuest('wasitest', ['connect', 'localhost', String(a.port), String(b.port)], {
          runnerArgs: ['--deny-all', '--allow-connect', `localhost:${a.port}`],
        });
        expectExit(y, 0);
        expectEqual(y.stdout, `localhost:${a.port} ok\nlocalhost:${b.port} EACCES\n`, 'guest stdout (by name)');
        expectStderrHas(y, `wasisock-run: denied connect 127.0.0.1:${b.port} (localhost) by default deny\n`);
      });

      // Bad rules: exit 2, the parser's message, the guest never starts.
      const bad = await runGuest('wasitest', ['exit', '0'], { runnerArgs: ['--deny-all', '--allow-connect', '127.0.0.1:70000'] });
      expectExit(bad, 2);
      expectStderrHas(bad, 'wasisock-run: --allow-connect 127.0.0.1:70000: port "70000" out of range (0-65535)');
      const g = path.join(d, 'bad.policy');
      fs.writeFileSync(g, 'default deny\nallow resolve 10.0.0.0/8\n');
      const bf = await runGuest('wasitest', ['exit', '0'], { runnerArgs: ['--policy', g] });
      expectExit(bf, 2);
      expectStderrHas(bf, `wasisock-run: ${g}:2: `);
      const nf = await runGuest('wasitest', ['exit', '0'], { runnerArgs: ['--policy', path.join(d, 'missing.policy')] });
      expectExit(nf, 2);
      const ck = await runGuest('wasitest', [], { runnerArgs: ['--check', '--max-buffer', '12q'] });
      expectExit(ck, 2);
      const help = await runGuest('wasitest', [], { runnerArgs: ['--help'] });
      expectExit(help, 0);
      for (const flag of ['--allow-connect SPEC', '--deny-connect SPEC', '--allow-bind SPEC', '--deny-bind SPEC',
        '--allow-resolve SPEC', '--deny-resolve SPEC', '--deny-all', '--allow-all', '--max-sockets N',
        '--max-buffer BYTES', '--policy FILE', '--log-denials']) {
        if (!help.stdout.toString().includes(flag)) fail(`--help does not mention ${flag}`);
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  },

  // The policy API from JS: rules parsed by libwasisock, canonical text
  // back, errors with the parser's message, denials to a callback.
  async policy_api() {
    const require = createRequire(import.meta.url);
    const lib = require(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../runtimes/node/lib/wasisock.js'));
    const p = lib.createPolicy(['default deny', 'ALLOW Connect [::FFFF:127.0.0.1]:8080', 'max-sockets 64', 'max-buffer 1M']);
    const desc = p.describe();
    expectEqual(JSON.stringify(desc),
      JSON.stringify({ defaultAction: 'deny', maxSockets: 64, maxBuffer: 1048576, rules: ['allow connect 127.0.0.1:8080'] }),
      'policy.describe()');
    try {
      p.addRule('allow frob *');
      fail('a bad rule was accepted');
    } catch (e) {
      if (e.code !== 'ERR_WASISOCK_POLICY' || e.errno !== 'EINVAL' || !e.message.includes('frob')) {
        fail(`bad rule: ${e.code} ${e.errno} ${e.message}`);
      }
    }
    expectEqual(p.describe().rules.length, 1, 'rules after a bad one');
    const seen = [];
    const host = lib.createHost({ policy: p, onDenial: (line, d) => seen.push([line, d]) });
    const mem = new WebAssembly.Memory({ initial: 1 });
    host.setMemory(mem);
    const f = host.imports;
    const dv = new DataView(mem.buffer);
    expectEqual(f.sock_open(1, 6, 0), 0, 'sock_open(AF_INET, SOCK_STREAM)');
    const handle = dv.getUint32(0, true);
    // The 19-byte record (ABI.md): family 1 (AF_INET), port big-endian,
    // address bytes.
    const rec = new Uint8Array(mem.buffer, 64, 19);
    rec.fill(0);
    rec[0] = 1;
    dv.setUint16(65, 9, false);
    rec.set([127, 0, 0, 1], 3);
    expectEqual(f.sock_connect(handle, 64), 2, 'sock_connect refused: EACCES (2)');
    expectEqual(seen.length, 1, 'denials reported');
    expectEqual(seen[0][0], 'denied connect 127.0.0.1:9 by default deny', 'denial line');
    expectEqual(JSON.stringify(seen[0][1]), JSON.stringify({
      op: 'connect', name: null, address: '127.0.0.1', port: 9, ruleIndex: -1, line: 0, rule: 'default deny',
    }), 'denial object');
    host.free();
  },

  // --listen: sockets the runner binds with its own rights, handed to a
  // plain POSIX guest (examples/activated_echo.c) that finds them as a
  // socket-activated service does (LISTEN_FDS, LISTEN_FDNAMES,
  // LISTEN_FDS_START), under --deny-all: TCP echoes, and a UDP reply once
  // the policy allows the destination.
  async listen() {
    const FD_BASE = 0x40000000; // WASISOCK_FD_BASE (wasisock_abi.h)
    await withPeer(async (peer) => {
      const g = startGuest('activated_echo', ['2'], {
        runnerArgs: ['--deny-all', '--allow-connect', '127.0.0.1',
          '--listen', 'web=127.0.0.1:0', '--listen', 'dns=udp:127.0.0.1:0'],
      });
      try {
        await g.ready;
        await waitFor(() => g.stdout().split('\n').length > 2);
        const lines = g.stdout().split('\n');
        const web = /^web: tcp 127\.0\.0\.1:(\d+) \(fd (\d+)\)$/.exec(lines[0]);
        const dns = /^dns: udp 127\.0\.0\.1:(\d+) \(fd (\d+)\)$/.exec(lines[1]);
        if (!web || !dns) fail(`first lines ${show(g.stdout())}`);
        expectEqual(Number(web[2]), FD_BASE + 1024, 'first descriptor');
        expectEqual(Number(dns[2]), FD_BASE + 1025, 'second descriptor');
        const reply = await peer.udp('127.0.0.1', Number(dns[1]), 'ping over udp');
        expectEqual(reply, 'ping over udp', 'UDP echo');
        for (const data of [Buffer.from('first client'), crypto.randomBytes(300000)]) {
          const r = await echoClient(peer, '127.0.0.1', Number(web[1]), data);
          expectEqual(r.echo, data, 'TCP echo');
        }
        const r = await g.done;
        expectExit(r, 0);
        if (!/--listen web=127\.0\.0\.1:0: listening on 127\.0\.0\.1:\d+/.test(r.stderr)) {
          fail(`stderr should say where port 0 went: ${show(r.stderr)}`);
        }
        if (r.stderr.includes('denied')) fail(`nothing should be denied: ${show(r.stderr)}`);
      } finally {
        g.child.kill('SIGKILL');
      }
      // Without the allow rule, the UDP reply is the policy's to refuse.
      const d = startGuest('activated_echo', ['1'], {
        runnerArgs: ['--deny-all', '--listen', 'udp:127.0.0.1:0', '--listen', '127.0.0.1:0'],
      });
      try {
        await d.ready;
        await waitFor(() => d.stdout().split('\n').length > 2);
        const udp = /^udp: udp 127\.0\.0\.1:(\d+) /m.exec(d.stdout());
        const tcp = /^tcp: tcp 127\.0\.0\.1:(\d+) /m.exec(d.stdout());
        if (!udp || !tcp) fail(`first lines ${show(d.stdout())}`);
        await peer.udp('127.0.0.1', Number(udp[1]), 'unanswered', { reply: false });
        const refused = await waitFor(() => d.stderr().includes('reply to'));
        if (!refused) fail(`no refused reply in ${show(d.stderr())}`);
        await echoClient(peer, '127.0.0.1', Number(tcp[1]), Buffer.from('bye'));
        const r = await d.done;
        expectExit(r, 0);
        expectStderrHas(r, 'denied connect 127.0.0.1:');
        expectStderrHas(r, 'Permission denied');
      } finally {
        d.child.kill('SIGKILL');
      }
    });
    // A guest nothing was handed to says so.
    const n = await runGuest('activated_echo', []);
    expectExit(n, 2);
    expectStderrHas(n, 'no sockets handed over');
  },

  // --trace=FILE: one strace-style line per wasisock call of http_get.
  async trace() {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-e2e-'));
    try {
      await withServer('http', { body: 'traced\n' }, async (srv) => {
        const file = path.join(d, 'trace.txt');
        const r = await runGuest('http_get', [`http://127.0.0.1:${srv.port}/t`],
          { runnerArgs: [`--trace=${file}`] });
        expectExit(r, 0);
        expectEqual(r.stdout, (await oneExchange(srv)).response, 'guest stdout');
        const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
        const shape = /^sock_\w+\(.*\) = (0|E[A-Z0-9]+ \(.*\)) <\d+\.\d{6}>$/;
        for (const l of lines) if (!shape.test(l)) fail(`trace line ${show(l)}`);
        // (getaddrinfo of a numeric address asks the host nothing.)
        const want = [
          /^sock_open\(AF_INET, SOCK_STREAM, \[1024\]\) = 0 /,
          new RegExp(`^sock_connect\\(1024, 127\\.0\\.0\\.1:${srv.port}\\) = 0 `),
          // data: its first 32 bytes, then "..."
          /^sock_send\(1024, "GET \/t HTTP\/1\.1\\r\\nHost: 127\.0\.0\.1"\.\.\., \d+, \[\d+\]\) = 0 /,
          /^sock_recv\(1024, "HTTP\/1\.0 200 OK\\r\\n[^"]*"\.\.\., \d+, \[\d+\]\) = 0 /,
          /^sock_recv\(1024, "", \d+, \[0\]\) = 0 /,
          /^sock_close\(1024\) = 0 /,
        ];
        let at = 0;
        for (const l of lines) if (at < want.length && want[at].test(l)) at++;
        if (at < want.length) fail(`no line like ${want[at]} (in order) in:\n${lines.join('\n')}`);
        // Without --trace: no file, nothing on stderr.
        const q = await runGuest('http_get', [`http://127.0.0.1:${srv.port}/t`]);
        expectExit(q, 0);
        expectEqual(q.stderr, '', 'stderr without --trace');
      });
      // --trace alone: stderr, with the denial marked.
      const r = await runGuest('echo_client', ['127.0.0.1', '9', 'x'], { runnerArgs: ['--trace', '--deny-all'] });
      expectExit(r, 1);
      if (!/\nsock_connect\(1024, 127\.0\.0\.1:9\) = EACCES \(Permission denied\) <\d+\.\d{6}> \(denied connect 127\.0\.0\.1:9 by default deny\)\n/.test(r.stderr)) {
        fail(`stderr: ${show(r.stderr)}`);
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  },

  // WASISOCK_WASMTIME_PROFILE=perfmap (wasmtime only): /tmp/perf-PID.map
  // names each compiled function for `perf report` (docs/PERFORMANCE.md).
  async profile() {
    const map = (pid) => `/tmp/perf-${pid}.map`;
    // Its own code cache: the first run compiles (Cranelift), the second
    // loads the cached code; both are named.  (Winch, without a cache,
    // writes no map.)
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-e2e-'));
    const env = { ...process.env, WASISOCK_CODE_CACHE: cache };
    try {
      for (const run of ['compiled', 'cached']) {
        const r = await runGuest('wasitest', ['exit', '0'],
          { env: { ...env, WASISOCK_WASMTIME_PROFILE: 'perfmap' } });
        try {
          expectExit(r, 0);
          const lines = fs.readFileSync(map(r.pid), 'utf8').trim().split('\n');
          const shape = /^0x[0-9a-f]+ [0-9a-f]+ \S/;
          const bad = lines.find((l) => !shape.test(l));
          if (bad !== undefined) fail(`${run}: ${map(r.pid)}: line ${show(bad)}`);
          // The guest's functions: "wasm[0]::function[N]", or the name from
          // the module's name section (a debug build's "main"); besides
          // them wasmtime's trampolines and built-ins.
          const engine = / (\S*trampoline|wasmtime_builtin_\S*|module_start\S*)$/;
          const fns = lines.filter((l) => !engine.test(l)).length;
          if (fns < 10) fail(`${run}: ${map(r.pid)}: ${fns} guest functions in ${lines.length} lines`);
        } finally {
          fs.rmSync(map(r.pid), { force: true });
        }
      }
      // Without it: no map.
      const q = await runGuest('wasitest', ['exit', '0'], { env });
      expectExit(q, 0);
      if (fs.existsSync(map(q.pid))) fail(`${map(q.pid)} written without WASISOCK_WASMTIME_PROFILE`);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  },

  // Runner usage errors.
  async usage() {
    const r = await runGuest('wasitest', [], { runnerArgs: ['--bogus'] });
    expectExit(r, 2);
    expectStderrHas(r, 'unknown option --bogus');
    const m = await runGuest('/nonexistent/x.wasm');
    expectExit(m, 1);
    expectStderrHas(m, '/nonexistent/x.wasm: cannot read');
  },
};

async function main() {
  const [name, arg] = process.argv.slice(2);
  if (name === '--list') {
    console.log(Object.keys(cases).join('\n'));
    return 0;
  }
  if (!name || !(name in cases)) {
    console.error(`usage: run-e2e.mjs CASE [ARG]; cases: ${Object.keys(cases).join(' ')}`);
    return 2;
  }
  if (nativeDir && !NATIVE_CASES.includes(name)) {
    console.error(`run-e2e: ${name} runs guests only; native cases: ${NATIVE_CASES.join(' ')}`);
    return 2;
  }
  if (!nativeDir && (!runner || !binDir)) {
    console.error('run-e2e: set WASISOCK_RUNNER and WASISOCK_WASM_BIN_DIR (ctest does)');
    return 2;
  }
  try {
    await cases[name](arg);
  } catch (e) {
    if (e instanceof Skip) {
      console.log(`SKIP ${name}: ${e.message}`);
      return SKIP;
    }
    if (e instanceof Failure) {
      console.error(`FAIL ${name}${arg ? ` ${arg}` : ''}: ${e.message}`);
      return 1;
    }
    console.error(`ERROR ${name}: ${e && e.stack ? e.stack : e}`);
    return 1;
  }
  console.log(`PASS ${name}${arg ? ` ${arg}` : ''}`);
  return 0;
}

process.exitCode = await main();
