#!/usr/bin/env python3
"""The native loopback peer of every test harness.

One set of servers (and native clients on request) that the guests of all
suites talk to: the C end-to-end and POSIX-layer drivers (JavaScript,
through peer.mjs), the Python suites and the Go package's tests (through
tests/python/harness.py).  Standard library only, plus the ``openssl``
command for --tls.  Everything listens on port 0 of 127.0.0.1 and, when
the host has it, ::1, so parallel runs never collide; nothing leaves
loopback.

    peer.py [--tls]

prints its configuration as one JSON line on stdout and serves until its
stdin reaches end of file (so it ends with the harness that started it).
As a module: ``Peer(tls=...)``, ``.start()`` returns the same
configuration, ``.stop()``.

The configuration (what guests get in WASISOCK_TEST_CONFIG):
  v4, v6     {"host", "echo", "banner", "bulk", "http", "refused",
             "udp_echo"} on 127.0.0.1 / ::1 (v6 null, with v6_skip_reason,
             without IPv6 loopback); servers.py says what each does;
             "refused" is a bound socket that never listens
  dual       {"echo", "http"}: one port on both families, for names such
             as "localhost" whichever address they resolve to first
  peer       the control port (below)
  banner, hello_body   what those servers send
  tls        tlspeer.py's servers and certificate files (--tls), or null
             with tls_skip_reason

The control port takes one JSON line and answers one (bytes in base64;
every native step has a timeout, "timeout" in the request, default 30 s):
  {"op": "http", "url", "method", "body", "headers"}
      a native HTTP client of a server in the guest:
      {"ok": true, "status", "headers", "body"}
  {"op": "tcp", "host", "port", "send"}
      sends, shuts down writing, reads to EOF:
      {"ok": true, "received", "local": [client host, client port]}
  {"op": "udp", "host", "port", "send", "reply"}
      sends one datagram from a new socket and, unless "reply" is false,
      waits for one back: {"ok": true, "received", "from": [host, port]}
  {"op": "clients", "host", "port", "count", "size", "delay"}
      count native clients at once; each connects, waits "delay" seconds
      (default 0: the guest has count idle connections meanwhile), sends
      its own payload, shuts down writing and reads to EOF:
      {"ok": true, "echoed": <clients that got their payload back>,
       "ports": [client ports], "errors": [...]}
  {"op": "log"}
      what every server saw: {"ok": true, "v4": {"echo": LOG, ...},
      "v6": ..., "dual": ...}, LOG as servers.Log.report()
  {"op": "document", "body"}
      every http server answers GET/HEAD of any path (but /bytes/N) with
      body from now on, instead of 404 for paths it does not know
A failure is {"ok": false, "error": "..."}.
"""

import base64
import json
import os
import shutil
import socket
import socketserver
import sys
import threading
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

TCP_SERVERS = {
    "echo": (servers.TCPServer, servers.EchoHandler),
    "banner": (servers.TCPServer, servers.BannerHandler),
    "bulk": (servers.TCPServer, servers.BulkHandler),
    "http": (servers.HTTPServer, servers.HTTPHandler),
}
DUAL_SERVERS = ("echo", "http")


class Group:
    """Every server of one address family on its loopback address."""

    def __init__(self, host):
        self.host = host
        self.tcp = {name: cls(host, 0, handler) for name, (cls, handler) in TCP_SERVERS.items()}
        self.refused = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.refused.bind((host, 0))  # bound, never listening
        self.udp = servers.UDPEcho(host)

    def all(self):
        return list(self.tcp.values()) + [self.udp]

    def config(self):
        cfg = {name: srv.server_address[1] for name, srv in self.tcp.items()}
        cfg["host"] = self.host
        cfg["refused"] = self.refused.getsockname()[1]
        cfg["udp_echo"] = self.udp.port
        return cfg

    def logs(self):
        logs = {name: srv.log.report() for name, srv in self.tcp.items()}
        logs["udp_echo"] = self.udp.log.report()
        return logs

    def stop(self):
        for srv in self.all():
            srv.stop()
        self.refused.close()


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


def dual_stack(name, with_v6):
    """Servers on 127.0.0.1 and ::1 sharing one port and one log."""
    cls, handler = TCP_SERVERS[name]
    for _ in range(50):
        v4 = cls("127.0.0.1", 0, handler)
        if not with_v6:
            return [v4]
        try:
            v6 = cls("::1", v4.server_address[1], handler, log=v4.log)
        except OSError:
            v4.server_close()
            continue
        return [v4, v6]
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


class ControlHandler(socketserver.StreamRequestHandler):
    """One request on the control port: act, and report."""

    def handle(self):
        try:
            req = json.loads(self.rfile.readline(1 << 26))
            reply = {"ok": True, **getattr(self, "op_" + req["op"])(req)}
        except Exception as exc:  # reported to the caller, which fails the test
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(reply).encode() + b"\n")

    def op_log(self, req):
        return self.server.peer.logs()

    def op_document(self, req):
        self.server.peer.set_document(base64.b64decode(req["body"]))
        return {}

    @staticmethod
    def op_http(req):
        import urllib.error  # only here: a tenth of the peer's start-up
        import urllib.request

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
            local = list(s.getsockname()[:2])
            s.sendall(base64.b64decode(req.get("send", "")))
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return {"received": base64.b64encode(b"".join(chunks)).decode(), "local": local}

    @staticmethod
    def op_udp(req):
        host = req["host"]
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(req.get("timeout", 30))
            s.sendto(base64.b64decode(req.get("send", "")), (host, int(req["port"])))
            if not req.get("reply", True):
                return {}
            data, sender = s.recvfrom(65535)
        return {"received": base64.b64encode(data).decode(), "from": list(sender[:2])}

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


class Peer:
    """Every server, the control port and (with tls) the TLS side."""

    def __init__(self, tls=False):
        self.v6_reason = ipv6_reason()
        with_v6 = self.v6_reason is None
        self.groups = {"v4": Group("127.0.0.1")}
        if with_v6:
            self.groups["v6"] = Group("::1")
        self.dual = {name: dual_stack(name, with_v6) for name in DUAL_SERVERS}
        self.control = servers.TCPServer("127.0.0.1", 0, ControlHandler)
        self.control.peer = self
        self.tls, self.tls_reason = None, "not asked for (peer.py --tls)"
        if tls:
            import tlspeer  # ssl and the openssl command only when asked

            self.tls, self.tls_reason = tlspeer.start(with_v6)

    def _servers(self):
        found = [srv for g in self.groups.values() for srv in g.all()]
        return found + [srv for pair in self.dual.values() for srv in pair] + [self.control]

    def start(self):
        for srv in self._servers():
            srv.serve()
        self.started = True
        return self.config()

    def stop(self):
        if not getattr(self, "started", False):
            return  # shutdown() would wait for serve_forever forever
        for g in self.groups.values():
            g.stop()
        for srv in [srv for pair in self.dual.values() for srv in pair] + [self.control]:
            srv.stop()
        if self.tls is not None:
            self.tls.stop()

    def config(self):
        return {
            "v4": self.groups["v4"].config(),
            "v6": self.groups["v6"].config() if "v6" in self.groups else None,
            "v6_skip_reason": self.v6_reason,
            "dual": {name: pair[0].server_address[1] for name, pair in self.dual.items()},
            "peer": self.control.server_address[1],
            "banner": servers.BANNER.decode(),
            "hello_body": servers.HELLO_BODY.decode(),
            "tls": self.tls.config() if self.tls is not None else None,
            "tls_skip_reason": None if self.tls is not None else self.tls_reason,
        }

    def logs(self):
        logs = {name: g.logs() for name, g in self.groups.items()}
        logs["dual"] = {name: pair[0].log.report() for name, pair in self.dual.items()}
        return logs

    def set_document(self, body):
        for srv in self._servers():
            if isinstance(srv, servers.HTTPServer):
                srv.document = body


def main():
    tls = sys.argv[1:] == ["--tls"]
    if sys.argv[1:] not in ([], ["--tls"]):
        print("usage: peer.py [--tls]", file=sys.stderr)
        return 2
    peer = Peer(tls=tls)
    print(json.dumps(peer.start()), flush=True)
    try:
        sys.stdin.buffer.read()  # until the harness closes it, or exits
    except KeyboardInterrupt:
        pass
    # Exiting closes every socket at once; only the certificates' directory
    # needs removing (a graceful stop waits for each server's loop).
    if peer.tls is not None:
        shutil.rmtree(peer.tls.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
