// tcp-echo.mjs — a TCP echo server for the end-to-end tests.
//
//   import { start } from './tcp-echo.mjs';
//   const srv = await start({ host: '127.0.0.1' });   // port chosen by the OS
//   ... srv.port ...; srv.stats() -> {connections, bytes, sha256, head};
//   await srv.close();
//
// Echoes every byte back and keeps a running SHA-256 and count of what it
// received (over all connections), plus the first 64 KiB verbatim.
// Run directly (node tcp-echo.mjs [host]) it prints its port and serves until
// killed.
import net from 'node:net';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';

const HEAD_MAX = 64 * 1024;

export function start({ host = '127.0.0.1', port = 0 } = {}) {
  const hash = crypto.createHash('sha256');
  const head = [];
  let headLen = 0;
  let bytes = 0;
  let connections = 0;
  const sockets = new Set();
  const server = net.createServer((c) => {
    connections++;
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => {});
    c.on('data', (d) => {
      bytes += d.length;
      hash.update(d);
      if (headLen < HEAD_MAX) {
        const part = d.subarray(0, HEAD_MAX - headLen);
        head.push(Buffer.from(part));
        headLen += part.length;
      }
      if (!c.write(d)) {
        c.pause();
        c.once('drain', () => c.resume());
      }
    });
    c.on('end', () => c.end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        host,
        port: server.address().port,
        stats: () => ({
          connections,
          bytes,
          sha256: hash.copy().digest('hex'),
          head: Buffer.concat(head),
        }),
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const srv = await start({ host: process.argv[2] || '127.0.0.1' });
  console.log(srv.port);
}
