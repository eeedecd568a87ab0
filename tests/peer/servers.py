"""The peer's servers: what each one does with a connection, and what it saw.

Plain TCP and TLS servers share these handlers (tlspeer.py wraps the
socket and does the handshake before the handler runs).  Every server has
a Log of what reached it, which a harness reads through the peer's "log"
operation (peer.py) to check what a guest sent, byte for byte.

  echo     sends back everything it receives, until EOF
  banner   sends BANNER and closes
  bulk     "UP n\\n" + n bytes  -> "<n> <sha256 hex>\\n"
           "DOWN n seed\\n"     -> "<sha256 hex>\\n" + n bytes, then closes
  http     HTTP/1.0: GET or HEAD / and /hello -> the hello body (or the
           document a harness set, for every path), /bytes/N -> N bytes of
           "x"; POST /echo -> the request body; anything else 404
  udp_echo returns each datagram to its sender
"""

import base64
import hashlib
import http.server
import random
import socket
import socketserver
import threading

BANNER = b"wasisock banner\n"
HELLO_BODY = b"Hello from the wasisock test server\n"
#: Bytes of what an echo server received kept verbatim (all are hashed).
HEAD_MAX = 64 * 1024
#: Datagrams a UDP server keeps (the first ones).
DATAGRAMS_MAX = 1000


def _b64(data):
    return base64.b64encode(bytes(data)).decode()


class Log:
    """What one server (or a dual-stack pair) saw, for the harness."""

    def __init__(self):
        self._lock = threading.Lock()
        self.connections = 0
        self.bytes = 0
        self._sha256 = hashlib.sha256()
        self._head = bytearray()
        self.exchanges = []  # HTTP: (request head, response bytes)
        self.datagrams = []

    def connected(self):
        with self._lock:
            self.connections += 1

    def received(self, data):
        with self._lock:
            self.bytes += len(data)
            self._sha256.update(data)
            self._head += data[:HEAD_MAX - len(self._head)]

    def exchange(self, request, response):
        """An HTTP request head and its response: a bytearray the handler
        goes on filling, so that whatever a client has read is here."""
        with self._lock:
            self.exchanges.append((bytes(request), response))

    def datagram(self, data):
        with self._lock:
            if len(self.datagrams) < DATAGRAMS_MAX:
                self.datagrams.append(bytes(data))

    def report(self):
        """JSON-ready: counts, the SHA-256 and first HEAD_MAX bytes of what
        was received, HTTP exchanges and datagrams (bytes in base64)."""
        with self._lock:
            return {
                "connections": self.connections,
                "bytes": self.bytes,
                "sha256": self._sha256.hexdigest(),
                "head": _b64(self._head),
                "exchanges": [{"request": _b64(q), "response": _b64(r)} for q, r in self.exchanges],
                "datagrams": [_b64(d) for d in self.datagrams],
            }


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class TCPServer(socketserver.ThreadingTCPServer):
    """A threading TCP server on host:port with a Log (shared when given,
    so both halves of a dual-stack pair report together)."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, host, port, handler, log=None):
        self.address_family = _family(host)
        self.log = log if log is not None else Log()
        super().__init__((host, port), handler)

    def serve(self):
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class HTTPServer(TCPServer):
    #: The body of GET/HEAD for every path but /bytes/N when set (a
    #: harness's "document"); None: the hello body for / and /hello.
    document = None
    hello = HELLO_BODY


def read_command(rfile, limit=256):
    line = rfile.readline(limit)
    if not line.endswith(b"\n"):
        raise ValueError(f"bad command line {line!r}")
    return line.decode("ascii").split()


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        log = self.server.log
        log.connected()
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            log.received(data)
            self.request.sendall(data)
        unwrap = getattr(self.request, "unwrap", None)
        if unwrap is not None:  # TLS: answer the client's close_notify
            try:
                unwrap()
            except (OSError, ValueError):
                pass


class BannerHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.log.connected()
        self.request.sendall(BANNER)


class BulkHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.log.connected()
        cmd = read_command(self.rfile)
        if cmd[0] == "UP":
            remaining = int(cmd[1])
            digest, count = hashlib.sha256(), 0
            while remaining > 0:
                chunk = self.rfile.read1(min(remaining, 1 << 20))
                if not chunk:
                    break
                digest.update(chunk)
                count += len(chunk)
                remaining -= len(chunk)
            self.wfile.write(f"{count} {digest.hexdigest()}\n".encode())
        elif cmd[0] == "DOWN":
            n, seed = int(cmd[1]), int(cmd[2])
            data = random.Random(seed).randbytes(n)
            self.wfile.write(hashlib.sha256(data).hexdigest().encode() + b"\n")
            self.wfile.write(data)
        else:
            self.wfile.write(b"ERR unknown command\n")


class _Recorder:
    """A file object whose lines read or bytes written are also kept in
    data (the request head, the response)."""

    def __init__(self, f):
        self._f = f
        self.data = bytearray()

    def readline(self, *args):
        line = self._f.readline(*args)
        self.data += line
        return line

    def write(self, b):
        self.data += b  # before sending: what a client read is logged
        return self._f.write(b)

    def __getattr__(self, name):
        return getattr(self._f, name)


class HTTPHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def setup(self):
        super().setup()
        self.server.log.connected()
        self._head = _Recorder(self.rfile)
        self._response = _Recorder(self.wfile)
        self.rfile, self.wfile = self._head, self._response

    def parse_request(self):
        # The head has been read (request line and headers): log it, with
        # the response to come; the body is read without recording.
        ok = super().parse_request()
        self.server.log.exchange(self._head.data, self._response.data)
        self.rfile = self._head._f
        return ok

    def _body(self):
        doc = self.server.document
        if self.path.startswith("/bytes/"):
            return b"x" * int(self.path[len("/bytes/"):])
        if doc is not None:
            return doc
        if self.path in ("/", "/hello"):
            return self.server.hello
        return None

    def do_GET(self):
        body = self._body()
        if body is None:
            self.send_error(404)
            return
        self.reply(body)

    def do_HEAD(self):
        body = self._body()
        if body is None:
            self.send_error(404)
            return
        self.reply(body, send_body=False)

    def do_POST(self):
        if self.path != "/echo":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.reply(body, self.headers.get("Content-Type", "application/octet-stream"))

    def reply(self, body, content_type="application/octet-stream", send_body=True):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.extra_headers():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def extra_headers(self):
        return ()

    def log_message(self, *args):
        pass


class UDPEcho:
    """Returns each datagram to its sender."""

    def __init__(self, host, log=None):
        self.sock = socket.socket(_family(host), socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.port = self.sock.getsockname()[1]
        self.log = log if log is not None else Log()

    def _run(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(65535)
                self.log.datagram(data)
                self.sock.sendto(data, peer)
            except OSError:
                return

    def serve(self):
        threading.Thread(target=self._run, daemon=True).start()

    def stop(self):
        self.sock.close()
