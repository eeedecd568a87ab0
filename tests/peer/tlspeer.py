"""The peer's TLS side: certificates made at run time, and TLS servers.

Needs the ``openssl`` command (certificates) besides the standard library.
Everything is made in a temporary directory and nothing leaves loopback:

  certificates  two private CAs ("wasisock test CA" and an "unknown CA" the
                guest never trusts) and, signed by the first, a server
                certificate for localhost, 127.0.0.1 and ::1 and a client
                certificate; EC P-256 keys (fast to make and to use)
  https         HTTPS/1.0 on 127.0.0.1 (and ::1 on the same port when the
                host has it): the http server of servers.py, with HELLO
  tls_echo      TLS echo server: sends back everything, until EOF
  tls_bulk      TLS "UP n\\n" + n bytes -> "<n> <sha256>\\n";
                "DOWN n seed\\n" -> "<sha256>\\n" + n bytes (as bulk)
  tls_unknown   TLS echo with a certificate of the unknown CA
  tls_client_auth  TLS echo that asks for a client certificate
  tls_client    a native TLS *client* on request, for TLS servers inside the
                guest: the guest sends one JSON line
                  {"port": P, "server_hostname": "localhost", "size": N,
                   "seed": S, "client_cert": false}
                and then serves the connection; the client sends N seeded
                bytes while it reads until the guest's close_notify,
                answers it with its own and reports
                {"ok": true, "version", "cipher", "alpn", "peer_subject",
                 "sent_sha256", "received", "received_sha256"}
                or {"ok": false, "error": "..."}.
"""

import hashlib
import json
import os
import random
import shutil
import socket
import socketserver
import ssl
import subprocess
import tempfile

import servers

HELLO = b"Hello over TLS from the wasisock test server\n"


# ---- certificates ------------------------------------------------------------


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _make_ca(d, name, cn):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "3",
             "-subj", f"/O=wasisock tests/CN={cn}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash", cwd=d)


def _make_leaf(d, name, ca, cn, ext):
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write(ext + "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/O=wasisock tests/CN={cn}",
             cwd=d)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
             "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
             cwd=d)


def make_certificates(d):
    """Write the test PKI into directory d; return {name: path}."""
    _make_ca(d, "ca", "wasisock test CA")
    _make_ca(d, "unknown-ca", "wasisock unknown CA")
    server_ext = ("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                  "extendedKeyUsage=serverAuth\n")
    _make_leaf(d, "server", "ca", "localhost", server_ext)
    _make_leaf(d, "unknown-server", "unknown-ca", "localhost", server_ext)
    _make_leaf(d, "client", "ca", "wasisock test client", "extendedKeyUsage=clientAuth\n")
    names = ["ca", "unknown-ca", "server", "unknown-server", "client"]
    files = {}
    for n in names:
        files[n] = os.path.join(d, f"{n}.pem")
        if n != "ca" and n != "unknown-ca":
            files[n + "_key"] = os.path.join(d, f"{n}.key")
    for f in os.listdir(d):  # only the .pem and .key files are needed
        if f.endswith((".csr", ".ext", ".srl")) or f.endswith("ca.key"):
            os.unlink(os.path.join(d, f))
    return files


# ---- servers -------------------------------------------------------------------


def server_context(files, cert="server", client_ca=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(files[cert], files[cert + "_key"])
    ctx.set_alpn_protocols(["http/1.1", "wasisock-test"])
    if client_ca:
        ctx.load_verify_locations(files["ca"])
        ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx


class _TLS:
    """Mixin for servers.TCPServer and kin: accepts on the main loop and
    does the handshake in the handler's thread (a client that fails its
    checks costs that thread only), before the plain handler runs."""

    def __init__(self, host, port, handler, ctx):
        self.ctx = ctx
        super().__init__(host, port, handler)

    def get_request(self):
        sock, addr = super().get_request()
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def finish_request(self, request, client_address):
        request.do_handshake()
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # handshake failures are what some tests provoke


class TLSServer(_TLS, servers.TCPServer):
    pass


class HTTPSServer(_TLS, servers.HTTPServer):
    hello = HELLO


class HTTPSHandler(servers.HTTPHandler):
    def extra_headers(self):
        return [("X-TLS-Version", self.request.version())]


class ClientHandler(socketserver.StreamRequestHandler):
    """tls_client: a native TLS client of a server inside the guest."""

    files = None
    WINDOW = 64 * 1024

    def handle(self):
        try:
            req = json.loads(self.rfile.readline(1 << 16))
            reply = {"ok": True, **self.connect(req)}
        except Exception as exc:  # reported to the guest, which fails the test
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(reply).encode() + b"\n")

    def connect(self, req):
        ctx = ssl.create_default_context(cafile=self.files["ca"])
        ctx.set_alpn_protocols(["wasisock-test"])
        if req.get("client_cert"):
            ctx.load_cert_chain(self.files["client"], self.files["client_key"])
        data = random.Random(req.get("seed", 0)).randbytes(req.get("size", 0))
        host = req.get("host", "127.0.0.1")
        with socket.create_connection((host, req["port"]), timeout=req.get("timeout", 60)) as raw:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with ctx.wrap_socket(raw, server_hostname=req.get("server_hostname", "localhost")) as s:
                info = {"version": s.version(), "cipher": s.cipher()[0],
                        "alpn": s.selected_alpn_protocol(),
                        "peer_subject": dict(x[0] for x in s.getpeercert()["subject"])}
                # One thread: OpenSSL does not allow one thread to read while
                # another writes on the same connection.  The guest echoes
                # what it receives, so with at most WINDOW bytes in flight
                # neither direction's buffers fill up.
                received, digest, sent = 0, hashlib.sha256(), 0
                view = memoryview(data)
                while True:
                    while sent < len(view) and sent - received < self.WINDOW:
                        n = min(16384, len(view) - sent)
                        s.sendall(view[sent:sent + n])
                        sent += n
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    digest.update(chunk)
                    received += len(chunk)
                try:  # answer the guest's close_notify with ours
                    s.unwrap()
                except (OSError, ValueError):
                    pass
        info.update(sent_sha256=hashlib.sha256(data).hexdigest(), received=received,
                    received_sha256=digest.hexdigest())
        return info


class TLSPeers:
    """The certificates and every TLS server of the suites."""

    def __init__(self, with_v6):
        self.dir = tempfile.mkdtemp(prefix="wasisock-tls-")
        self.files = make_certificates(self.dir)
        ctx = server_context(self.files)
        self.servers = {
            "tls_echo": TLSServer("127.0.0.1", 0, servers.EchoHandler, ctx),
            "tls_bulk": TLSServer("127.0.0.1", 0, servers.BulkHandler, ctx),
            "tls_unknown": TLSServer("127.0.0.1", 0, servers.EchoHandler,
                                     server_context(self.files, "unknown-server")),
            "tls_client": servers.TCPServer(
                "127.0.0.1", 0, type("H", (ClientHandler,), {"files": self.files})),
            "tls_client_auth": TLSServer("127.0.0.1", 0, servers.EchoHandler,
                                         server_context(self.files, client_ca=True)),
        }
        self.https = [HTTPSServer("127.0.0.1", 0, HTTPSHandler, ctx)]
        if with_v6:
            try:
                self.https.append(HTTPSServer("::1", self.https[0].server_address[1],
                                              HTTPSHandler, ctx))
            except OSError:
                pass  # port taken on ::1: "localhost" tests use 127.0.0.1 then

    def start(self):
        for srv in list(self.servers.values()) + self.https:
            srv.serve()

    def stop(self):
        for srv in list(self.servers.values()) + self.https:
            srv.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def config(self):
        cfg = {name: srv.server_address[1] for name, srv in self.servers.items()}
        cfg["https"] = self.https[0].server_address[1]
        cfg["https_v6"] = len(self.https) > 1
        cfg["dir"] = self.dir
        cfg["files"] = self.files
        cfg["hello"] = HELLO.decode()
        return cfg


def start(with_v6):
    """(TLSPeers started, None), or (None, why not) when the host cannot
    make certificates (no openssl command)."""
    if shutil.which("openssl") is None:
        return None, "no openssl command on the host (Debian package: openssl)"
    try:
        peers = TLSPeers(with_v6)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return None, f"making test certificates failed: {exc} {detail.decode(errors='replace')}"
    peers.start()
    return peers, None
