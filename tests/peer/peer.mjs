// peer.mjs — the test peer (peer.py) for harnesses written in JavaScript.
//
//   import { startPeer, withPeer } from '../peer/peer.mjs';
//   const peer = await startPeer();          // peer.py in a child process
//   peer.config.v4.echo;                     // its configuration (peer.py)
//   (await peer.log()).v4.echo.sha256;       // what its servers saw
//   await peer.setDocument('body\n');        // what its HTTP servers serve
//   await peer.tcp(host, port, data);        // its native clients, of a
//   await peer.udp(host, port, data);        //   server in the guest
//   await peer.close();
//
// The peer ends with its stdin, so it goes away with this process too.
// python3 is $WASISOCK_PYTHON (CTest sets it), else the one on PATH.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peer.py');

// A log (servers.Log.report()) with its bytes as Buffers.
function decodeLog(log) {
  return {
    ...log,
    head: Buffer.from(log.head, 'base64'),
    exchanges: log.exchanges.map((e) => ({
      request: Buffer.from(e.request, 'base64'),
      response: Buffer.from(e.response, 'base64'),
    })),
    datagrams: log.datagrams.map((d) => Buffer.from(d, 'base64')),
  };
}

// One request on the peer's control port: one JSON line each way.
function control(port, request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const c = net.connect({ host: '127.0.0.1', port }, () => c.end(`${JSON.stringify(request)}\n`));
    c.on('data', (d) => chunks.push(d));
    c.on('error', reject);
    c.on('end', () => {
      const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!reply.ok) reject(new Error(`peer: ${request.op}: ${reply.error}`));
      else resolve(reply);
    });
  });
}

export function startPeer({ tls = false } = {}) {
  const python = process.env.WASISOCK_PYTHON || 'python3';
  const child = spawn(python, [PEER, ...(tls ? ['--tls'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    exited.then((code) => reject(new Error(`peer.py exited (${code}) before its configuration`)));
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const config = JSON.parse(out.slice(0, nl));
      resolve({
        config,
        async log() {
          const { ok, ...groups } = await control(config.peer, { op: 'log' });
          const decoded = {};
          for (const [group, logs] of Object.entries(groups)) {
            decoded[group] = Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, decodeLog(v)]));
          }
          return decoded;
        },
        setDocument(body) {
          return control(config.peer, { op: 'document', body: Buffer.from(body).toString('base64') });
        },
        // Connects, sends data, shuts down writing, reads to the end:
        // {local: [host, port] of the client, received: Buffer}.
        async tcp(host, port, data) {
          const r = await control(config.peer, { op: 'tcp', host, port, send: Buffer.from(data).toString('base64') });
          return { local: r.local, received: Buffer.from(r.received, 'base64') };
        },
        // Sends one datagram; resolves with the one that comes back (a
        // Buffer), or with null at once when reply is false.
        async udp(host, port, data, { reply = true } = {}) {
          const r = await control(config.peer, { op: 'udp', host, port, send: Buffer.from(data).toString('base64'), reply });
          return reply ? Buffer.from(r.received, 'base64') : null;
        },
        close() {
          child.stdin.end();
          return exited;
        },
      });
    });
  });
}

// Runs fn(peer) with a peer started for it, and stops the peer after.
export async function withPeer(fn, opts) {
  const peer = await startPeer(opts);
  try {
    return await fn(peer);
  } finally {
    await peer.close();
  }
}
