// udp-echo.mjs — a UDP echo server for the end-to-end tests.
//
//   const srv = await start({ host: '127.0.0.1' });  // port chosen by the OS
//   srv.port; srv.datagrams -> [Buffer, ...] received; await srv.close();
//
// Sends every datagram back to its sender unchanged.  Run directly
// (node udp-echo.mjs [host]) it prints its port and serves until killed.
import dgram from 'node:dgram';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export function start({ host = '127.0.0.1', port = 0 } = {}) {
  const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const datagrams = [];
  sock.on('message', (msg, rinfo) => {
    datagrams.push(Buffer.from(msg));
    sock.send(msg, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, host, () => {
      resolve({
        host,
        port: sock.address().port,
        datagrams,
        close: () => new Promise((r) => sock.close(() => r())),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const srv = await start({ host: process.argv[2] || '127.0.0.1' });
  console.log(srv.port);
}
