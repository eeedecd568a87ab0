#!/usr/bin/env python3
"""Run the wasisocket unittest suites inside python.wasm against local servers.

Runs natively (standard library only).  It starts loopback TCP and UDP
servers on 127.0.0.1 and, when the host has it, ::1 (all on port 0, so
parallel runs never collide), tells the guest their ports through the
environment variable WASISOCK_TEST_CONFIG (JSON), runs

    <interpreter> -m unittest -v <modules>

with this directory as the current directory (wasisock-python maps it into
the guest), stops the servers and exits with the guest's exit status.
Nothing leaves the machine.

    harness.py [--runner PATH] [--python-dir DIR] [--interpreter CMD]
               [--timeout SECONDS] [MODULE ...]
    harness.py --command [--timeout SECONDS] -- CMD [ARG ...]

--runner defaults to ../../build/bin/wasisock-python (the default build
tree's command; its engine: --engine in it or $WASISOCK_ENGINE); --interpreter
replaces the whole command (e.g. --interpreter "python3" with a stand-in
_wasisocket on PYTHONPATH, to debug the tests natively).  MODULE defaults to
every test_*.py here.  --command runs CMD ARG... instead of unittest, as it
is, in the current directory (other guests' test programs, e.g. Go's:
tests/go); the servers are the same, and CMD must pass WASISOCK_TEST_CONFIG
on to its guest (wasisock-run --inherit-env).

Servers (each on both families unless noted):
  echo     sends back everything it receives, until EOF
  banner   sends BANNER and closes
  bulk     "UP n\\n" + n bytes  -> "<n> <sha256 hex>\\n"
           "DOWN n seed\\n"     -> "<sha256 hex>\\n" + n bytes, then closes
  http     HTTP/1.x: GET /hello -> HELLO_BODY, /bytes/N -> N bytes of "x";
           POST /echo -> the request body
  refused  a bound socket that never listens: connecting is refused
  udp_echo (UDP) returns each datagram to its sender
  dual     echo and http again, each on one port on both families, for
           names like "localhost" whichever address they resolve to first
  tls_*, https  TLS servers and a native TLS client with certificates made
           at run time by the openssl command: tlspeer.py
  peer     (127.0.0.1 only) a native *client* on request, for servers that
           run inside the guest: the guest sends one JSON line, e.g.
             {"op": "http", "url": "http://127.0.0.1:PORT/x",
              "method": "POST", "body": "...", "headers": {...}}
             {"op": "tcp", "host": "127.0.0.1", "port": PORT,
              "send": "<base64>"}   (sends, shuts down writing, reads to EOF)
           then serves the connection the peer makes, and reads one JSON
           line back: {"ok": true, "status", "headers", "body"} (body in
           base64) or {"ok": true, "received": "<base64>"}, or
           {"ok": false, "error": "..."}.  Every native step has a timeout
           ("timeout" in the request, default 30 s).
             {"op": "clients", "host": "127.0.0.1", "port": PORT,
              "count": N, "size": BYTES, "delay": SECONDS}
           N native clients at once, each connects, waits "delay" seconds
           (default 0: the guest has N idle connections meanwhile), sends
           its own payload, shuts down writing and reads to EOF; reply {"ok": true, "echoed": <clients
           that got their payload back>, "ports": [client ports],
           "errors": [...]}.
"""

import argparse
import base64
import hashlib
import http.server
import json
import os
import random
import shlex
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import tlspeer

HERE = os.path.dirname(os.path.abspath(__file__))
BANNER = b"wasisock banner\n"
HELLO_BODY = b"Hello from the wasisock test server\n"


# ---- servers ------------------------------------------------------------


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, host, port, handler):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), handler)


def _read_line(rfile, limit=256):
    line = rfile.readline(limit)
    if not line.endswith(b"\n"):
        raise ValueError(f"bad command line {line!r}")
    return line.decode("ascii").split()


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                return
            self.request.sendall(data)


class BannerHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(BANNER)


class BulkHandler(socketserver.StreamRequestHandler):
    def handle(self):
        cmd = _read_line(self.rfile)
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


class HTTPHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        if self.path in ("/", "/hello"):
            body = HELLO_BODY
        elif self.path.startswith("/bytes/"):
            body = b"x" * int(self.path[len("/bytes/"):])
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/echo":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", self.headers.get("Content-Type", "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class PeerHandler(socketserver.StreamRequestHandler):
    """One request from the guest: act as a native client of a server that
    runs inside the guest, and report what that client saw."""

    def handle(self):
        try:
            req = json.loads(self.rfile.readline(1 << 24))
            reply = {"ok": True, **getattr(self, "op_" + req["op"])(req)}
        except Exception as exc:  # reported to the guest, which fails the test
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(reply).encode() + b"\n")

    @staticmethod
    def op_http(req):
        body = req.get("body")
        r = urllib.request.Request(
            req["url"],
            data=None if body is None else body.encode("latin-1"),
            headers=req.get("headers", {}),
            method=req.get("method", "GET"),
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
        try:
            with opener.open(r, timeout=req.get("timeout", 30)) as resp:
                status, headers, data = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, headers, data = err.code, dict(err.headers), err.read()
        return {"status": status, "headers": headers, "body": base64.b64encode(data).decode()}

    @staticmethod
    def op_tcp(req):
        with socket.create_connection((req["host"], req["port"]), timeout=req.get("timeout", 30)) as s:
            s.sendall(base64.b64decode(req.get("send", "")))
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return {"received": base64.b64encode(b"".join(chunks)).decode()}


    @staticmethod
    def op_clients(req):
        host, port, count = req["host"], int(req["port"]), int(req["count"])
        size, timeout = int(req.get("size", 100)), req.get("timeout", 30)
        delay = float(req.get("delay", 0))
        results = [None] * count

        def client(i):
            payload = (f"<client {i}>".encode() * (size // 8 + 1))[:size]
            try:
                with socket.create_connection((host, port), timeout=timeout) as s:
                    local = s.getsockname()[1]
                    time.sleep(delay)
                    s.sendall(payload)
                    s.shutdown(socket.SHUT_WR)
                    got = bytearray()
                    while chunk := s.recv(65536):
                        got += chunk
                results[i] = (local, bytes(got) == payload, None)
            except OSError as exc:
                results[i] = (None, False, f"client {i}: {type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout)
        done = [r for r in results if r is not None]
        return {
            "echoed": sum(1 for r in done if r[1]),
            "ports": [r[0] for r in done if r[0] is not None],
            "errors": [r[2] for r in done if r[2]] + ["client hung"] * (count - len(done)),
        }


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, port, handler):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), handler)


class UDPEcho:
    def __init__(self, host):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(65535)
                self.sock.sendto(data, peer)
            except OSError:
                return

    def start(self):
        self.thread.start()

    def stop(self):
        self.sock.close()


class Servers:
    """All servers of one address family on one loopback address."""

    def __init__(self, host):
        self.host = host
        self.tcp = {
            "echo": _TCPServer(host, 0, EchoHandler),
            "banner": _TCPServer(host, 0, BannerHandler),
            "bulk": _TCPServer(host, 0, BulkHandler),
            "http": _HTTPServer(host, 0, HTTPHandler),
        }
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.refused = socket.socket(fam, socket.SOCK_STREAM)
        self.refused.bind((host, 0))  # bound, never listening
        self.udp = UDPEcho(host)

    def start(self):
        for srv in self.tcp.values():
            threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
        self.udp.start()

    def stop(self):
        for srv in self.tcp.values():
            srv.shutdown()
            srv.server_close()
        self.refused.close()
        self.udp.stop()

    def config(self):
        cfg = {name: srv.server_address[1] for name, srv in self.tcp.items()}
        cfg["host"] = self.host
        cfg["refused"] = self.refused.getsockname()[1]
        cfg["udp_echo"] = self.udp.port
        return cfg


def ipv6_reason():
    """None if ::1 can be bound, else why not."""
    if not socket.has_ipv6:
        return "Python was built without IPv6"
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except OSError as exc:
        return f"cannot bind ::1 on this host: {exc}"
    return None


def dual_stack(server_class, handler, with_v6):
    """Servers on 127.0.0.1 and ::1 sharing one port, so a name like
    "localhost" reaches one whichever address it resolves to."""
    for _ in range(50):
        v4 = server_class("127.0.0.1", 0, handler)
        if not with_v6:
            return [v4]
        try:
            v6 = server_class("::1", v4.server_address[1], handler)
        except OSError:
            v4.server_close()
            continue
        return [v4, v6]
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


# ---- running the guest --------------------------------------------------


def default_modules():
    return sorted(
        name[:-3]
        for name in os.listdir(HERE)
        if name.startswith("test_") and name.endswith(".py")
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runner",
        default=os.path.join(HERE, "..", "..", "build", "bin", "wasisock-python"),
        help="the wasisock-python command (default: the one of build/)",
    )
    ap.add_argument("--python-dir", help="directory holding python.wasm and its lib/")
    ap.add_argument("--interpreter", help="whole interpreter command, replaces --runner")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before the guest is killed")
    ap.add_argument("--command", action="store_true", help="run the arguments as the guest's command")
    ap.add_argument("modules", nargs="*", help="unittest names (default: every test_*.py here)")
    args = ap.parse_args(argv)

    if args.command:
        if not args.modules:
            ap.error("--command needs the command to run")
        cmd = args.modules
    elif args.interpreter:
        cmd = shlex.split(args.interpreter)
    else:
        cmd = [os.path.abspath(args.runner)]
        if args.python_dir:
            cmd += ["--python-dir", os.path.abspath(args.python_dir)]
    if not args.command:
        cmd += ["-m", "unittest", "-v"] + (args.modules or default_modules())

    v6_reason = ipv6_reason()
    # The TLS suites' certificates (made now, in a temporary directory the
    # guest gets mapped at the same path) and TLS servers: tlspeer.py.
    tls, tls_skip_reason = tlspeer.start(v6_reason is None)
    if tls is not None and not args.interpreter and not args.command:
        cmd[1:1] = ["--dir", tls.dir]
    groups = [Servers("127.0.0.1")]
    if v6_reason is None:
        groups.append(Servers("::1"))
    dual = {
        "echo": dual_stack(_TCPServer, EchoHandler, v6_reason is None),
        "http": dual_stack(_HTTPServer, HTTPHandler, v6_reason is None),
    }
    peer = _TCPServer("127.0.0.1", 0, PeerHandler)
    for g in groups:
        g.start()
    for srv in sum(dual.values(), [peer]):
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()

    config = {
        "v4": groups[0].config(),
        "v6": groups[1].config() if v6_reason is None else None,
        "v6_skip_reason": v6_reason,
        "dual": {name: pair[0].server_address[1] for name, pair in dual.items()},
        "peer": peer.server_address[1],
        "banner": BANNER.decode(),
        "hello_body": HELLO_BODY.decode(),
        "tls": tls.config() if tls is not None else None,
        "tls_skip_reason": tls_skip_reason,
    }
    env = dict(os.environ)
    env["WASISOCK_TEST_CONFIG"] = json.dumps(config)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep the source tree clean
    for name in list(env):  # urllib in the guest talks to loopback directly
        if name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            del env[name]

    print("harness:", shlex.join(cmd), flush=True)
    print("harness: servers", json.dumps(config), flush=True)
    start = time.monotonic()
    try:
        rc = subprocess.run(cmd, cwd=None if args.command else HERE, env=env, timeout=args.timeout).returncode
        print(f"harness: guest exited with {rc} after {time.monotonic() - start:.1f} s", flush=True)
    except subprocess.TimeoutExpired:
        print(f"harness: guest killed after {args.timeout:.0f} s", flush=True)
        rc = 124
    finally:
        for g in groups:
            g.stop()
        for srv in sum(dual.values(), [peer]):
            srv.shutdown()
            srv.server_close()
        if tls is not None:
            tls.stop()
    return rc if 0 <= rc < 256 else 1


if __name__ == "__main__":
    sys.exit(main())
