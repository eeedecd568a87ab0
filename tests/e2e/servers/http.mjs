// http.mjs — a minimal HTTP/1.1 server for the end-to-end tests, on raw TCP so
// that every response byte is known in advance (no Date header).
//
//   const srv = await start({ body: 'hello\n' });
//   srv.port; srv.requests -> [Buffer of each request head]; srv.response;
//   await srv.close();
//
// Reads a request head (up to the blank line), records it, answers with a
// fixed 200 response carrying `body` and closes the connection.  Run directly
// (node http.mjs [host]) it prints its port and serves until killed.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export function response(body) {
  const b = Buffer.from(body);
  return Buffer.concat([
    Buffer.from('HTTP/1.1 200 OK\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${b.length}\r\n` +
      'Connection: close\r\n' +
      'X-Served-By: wasisock-e2e\r\n' +
      '\r\n'),
    b,
  ]);
}

export function start({ host = '127.0.0.1', port = 0, body = 'hello from the wasisock e2e server\n' } = {}) {
  const res = response(body);
  const requests = [];
  const sockets = new Set();
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => {});
    let buf = Buffer.alloc(0);
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        requests.push(buf.subarray(0, end + 4));
        c.end(res);
      } else if (buf.length > 65536) {
        c.destroy();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        host,
        port: server.address().port,
        requests,
        response: res,
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
