"""TLS over wasisock sockets inside python.wasm, against native peers.

The harness's native TLS servers and client (tlspeer.py) use certificates it
made for this run; the guest trusts the test CA through a context or
SSL_CERT_FILE, with verification on.  Covered: ssl.SSLContext.wrap_socket
(CPython's own ssl.SSLSocket, _ssl on the socket's descriptor),
wasisocket.tls_connect, http.client, urllib,
blocking / timeout / non-blocking sockets, TLS servers in the guest answered
by a native client, asyncio clients and servers, failing verification, and
bulk transfers checked by SHA-256.
"""

import asyncio
import contextlib
import hashlib
import http.client
import json
import os
import random
import select
import socket
import ssl
import time
import unittest
import urllib.error
import urllib.request

import support
import wasisocket

TLS = support.CONFIG.get("tls")
#: At least 8 MiB through TLS each way, not a multiple of a record or buffer.
BULK = 8 * 1024 * 1024 + 4321


def setUpModule():
    if TLS is None:
        raise unittest.SkipTest(support.CONFIG.get("tls_skip_reason") or "no TLS config")


def client_context(alpn=None):
    ctx = ssl.create_default_context(cafile=TLS["files"]["ca"])
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def server_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(TLS["files"]["server"], TLS["files"]["server_key"])
    ctx.set_alpn_protocols(["wasisock-test"])
    return ctx


@contextlib.contextmanager
def ssl_cert_file(path):
    old = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = path
    try:
        yield
    finally:
        if old is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = old


def native_client(port, size=0, seed=0, **extra):
    """Ask the harness's native TLS client to connect to *port* of the
    guest; returns the control socket the report will come back on."""
    ctl = socket.create_connection(("127.0.0.1", TLS["tls_client"]), timeout=60)
    ctl.sendall(json.dumps({"port": port, "size": size, "seed": seed, **extra}).encode() + b"\n")
    return ctl


def native_report(ctl):
    with ctl, ctl.makefile("rb") as f:
        reply = json.loads(f.readline())
    if not reply.pop("ok"):
        raise AssertionError("native TLS client: " + reply["error"])
    return reply


def serve_echo(conn, size):
    """Echo exactly *size* bytes on a TLS connection, then close_notify."""
    done = 0
    buf = bytearray(65536)
    while done < size:
        n = conn.recv_into(buf)
        if not n:
            raise AssertionError(f"EOF after {done} of {size} bytes")
        conn.sendall(memoryview(buf)[:n])
        done += n
    return conn.unwrap()


class ClientTest(unittest.TestCase):
    def test_wrap_socket_is_cpythons(self):
        ctx = client_context(["wasisock-test"])
        with socket.create_connection(("127.0.0.1", TLS["tls_echo"])) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                self.assertIs(type(s), ssl.SSLSocket)  # _ssl drives the descriptor
                self.assertEqual(raw.fileno(), -1)  # detached into s
                self.assertEqual(s.version(), "TLSv1.3")
                self.assertEqual(s.selected_alpn_protocol(), "wasisock-test")
                name, version, bits = s.cipher()
                self.assertEqual(version, "TLSv1.3")
                cert = s.getpeercert()
                self.assertEqual(dict(x[0] for x in cert["subject"])["commonName"], "localhost")
                self.assertTrue(s.getpeercert(binary_form=True).startswith(b"\x30"))
                self.assertEqual(s.server_hostname, "localhost")
                self.assertFalse(s.server_side)
                self.assertIs(s.context, ctx)
                self.assertEqual(s.pending(), 0)
                s.sendall(b"hello tls")
                self.assertEqual(support.recv_exactly(s.recv, 9), b"hello tls")
                buf = bytearray(100)
                s.send(b"into")
                n = s.recv_into(buf)
                self.assertEqual(bytes(buf[:n]), b"into"[:n])
                if n < 4:
                    support.recv_exactly(s.recv, 4 - n)
                s.write(b"write/read")
                self.assertEqual(s.read(10), b"write/read")
                self.assertIn("ssl.SSLSocket", repr(s))

    def test_connect_after_wrap(self):
        ctx = client_context()
        with ctx.wrap_socket(socket.socket(), server_hostname="localhost") as s:
            s.connect(("127.0.0.1", TLS["tls_echo"]))
            s.sendall(b"late connect")
            self.assertEqual(support.recv_exactly(s.recv, 12), b"late connect")

    def test_tls_connect(self):
        with ssl_cert_file(TLS["files"]["ca"]):
            s = wasisocket.tls_connect("localhost", TLS["tls_echo"])
        self.assertIsInstance(s, ssl.SSLSocket)
        with s:
            self.assertEqual(s.version(), "TLSv1.3")
            s.sendall(b"x" * 100000)
            self.assertEqual(support.recv_exactly(s.recv, 100000), b"x" * 100000)
            plain = s.unwrap()
            self.assertIs(plain, s)
            self.assertIsNone(s.version())

    def test_tls12(self):
        ctx = client_context()
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        with wasisocket.tls_connect("127.0.0.1", TLS["tls_echo"], context=ctx,
                             server_hostname="localhost") as s:
            self.assertEqual(s.version(), "TLSv1.2")
            s.sendall(b"twelve")
            self.assertEqual(support.recv_exactly(s.recv, 6), b"twelve")

    def test_makefile(self):
        with wasisocket.tls_connect("localhost", TLS["tls_echo"], context=client_context()) as s:
            with s.makefile("rwb") as f:
                f.write(b"line one\nline two\n")
                f.flush()
                self.assertEqual(f.readline(), b"line one\n")
                self.assertEqual(f.readline(), b"line two\n")


class VerificationTest(unittest.TestCase):
    def test_wrong_hostname(self):
        with self.assertRaises(ssl.SSLCertVerificationError) as cm:
            wasisocket.tls_connect("127.0.0.1", TLS["tls_echo"], context=client_context(),
                            server_hostname="wrong.example")
        self.assertEqual(cm.exception.verify_code, 62)
        self.assertIn("wrong.example", str(cm.exception))

    def test_unknown_ca(self):
        with self.assertRaises(ssl.SSLCertVerificationError) as cm:
            wasisocket.tls_connect("localhost", TLS["tls_unknown"], context=client_context())
        self.assertEqual(cm.exception.verify_code, 20)

    def test_no_ca_at_all(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # trusts nothing
        with self.assertRaises(ssl.SSLCertVerificationError):
            wasisocket.tls_connect("localhost", TLS["tls_echo"], context=ctx)

    def test_wrap_socket_wrong_hostname(self):
        raw = socket.create_connection(("127.0.0.1", TLS["tls_echo"]))
        with self.assertRaises(ssl.SSLCertVerificationError):
            client_context().wrap_socket(raw, server_hostname="not-localhost")
        self.assertEqual(raw.fileno(), -1)

    def test_urllib_unknown_ca(self):
        url = f"https://localhost:{TLS['https']}/hello"
        # A new opener: urlopen() keeps its first one, with the context
        # (and CAs) made then.
        with ssl_cert_file(TLS["files"]["unknown-ca"]):
            with self.assertRaises(urllib.error.URLError) as cm:
                urllib.request.build_opener().open(url, timeout=30)
        self.assertIsInstance(cm.exception.reason, ssl.SSLCertVerificationError)

    def test_check_hostname_off(self):
        ctx = client_context()
        ctx.check_hostname = False
        with wasisocket.tls_connect("127.0.0.1", TLS["tls_echo"], context=ctx,
                             server_hostname="any.name") as s:
            self.assertEqual(s.version(), "TLSv1.3")


class HTTPSTest(unittest.TestCase):
    def url(self, path):
        return f"https://localhost:{TLS['https']}{path}"

    def test_urlopen_with_context(self):
        with urllib.request.urlopen(self.url("/hello"), context=client_context(), timeout=30) as r:
            self.assertEqual(r.status, 200)
            self.assertEqual(r.read(), TLS["hello"].encode())
            self.assertEqual(r.headers["X-TLS-Version"], "TLSv1.3")

    def test_urlopen_with_ssl_cert_file(self):
        with ssl_cert_file(TLS["files"]["ca"]):
            with urllib.request.build_opener().open(self.url("/bytes/100000"), timeout=30) as r:
                self.assertEqual(r.read(), b"x" * 100000)

    def test_urlopen_post(self):
        body = random.Random(3).randbytes(1 << 20)
        req = urllib.request.Request(self.url("/echo"), data=body, method="POST")
        with urllib.request.urlopen(req, context=client_context(), timeout=60) as r:
            self.assertEqual(hashlib.sha256(r.read()).digest(), hashlib.sha256(body).digest())

    def test_http_client(self):
        conn = http.client.HTTPSConnection("localhost", TLS["https"], context=client_context(),
                                           timeout=30)
        try:
            conn.request("GET", "/hello")
            self.assertIsInstance(conn.sock, ssl.SSLSocket)
            r = conn.getresponse()
            self.assertEqual((r.status, r.read()), (200, TLS["hello"].encode()))
        finally:
            conn.close()


class BulkTest(unittest.TestCase):
    def test_download(self):
        with wasisocket.tls_connect("localhost", TLS["tls_bulk"], context=client_context()) as s:
            s.sendall(f"DOWN {BULK} 7\n".encode())
            digest = support.recv_line(s.recv).decode().strip()
            h, got = hashlib.sha256(), 0
            buf = bytearray(1 << 16)
            while True:
                n = s.recv_into(buf)
                if not n:
                    break
                h.update(memoryview(buf)[:n])
                got += n
        self.assertEqual(got, BULK)
        self.assertEqual(h.hexdigest(), digest)
        self.assertEqual(digest, hashlib.sha256(random.Random(7).randbytes(BULK)).hexdigest())

    def test_upload(self):
        data = random.Random(8).randbytes(BULK)
        with wasisocket.tls_connect("localhost", TLS["tls_bulk"], context=client_context()) as s:
            s.sendall(f"UP {BULK}\n".encode())
            s.sendall(data)
            reply = support.recv_line(s.recv).decode().split()
        self.assertEqual(reply, [str(BULK), hashlib.sha256(data).hexdigest()])


class TimeoutTest(unittest.TestCase):
    def test_read_times_out(self):
        with wasisocket.tls_connect("localhost", TLS["tls_echo"], context=client_context(),
                             timeout=0.5) as s:
            self.assertEqual(s.gettimeout(), 0.5)
            start = time.monotonic()
            with self.assertRaises(TimeoutError) as cm:
                s.recv(10)
            self.assertGreaterEqual(time.monotonic() - start, 0.4)
            self.assertLess(time.monotonic() - start, 10)
            self.assertIn("read operation timed out", str(cm.exception))
            self.assertEqual(s.gettimeout(), 0.5)  # put back
            s.sendall(b"still works")
            self.assertEqual(support.recv_exactly(s.recv, 11), b"still works")

    def test_handshake_times_out(self):
        # A plain TCP server that never answers the ClientHello.
        with socket.create_server(("127.0.0.1", 0)) as srv:
            raw = socket.create_connection(srv.getsockname()[:2], timeout=0.5)
            with self.assertRaises(TimeoutError) as cm:
                client_context().wrap_socket(raw, server_hostname="localhost")
            self.assertIn("handshake", str(cm.exception))

    def test_bulk_with_timeout(self):
        with wasisocket.tls_connect("localhost", TLS["tls_echo"], context=client_context(),
                             timeout=30) as s:
            data = os.urandom(1 << 20)
            for i in range(0, len(data), 1 << 16):
                s.sendall(data[i:i + (1 << 16)])
                self.assertEqual(support.recv_exactly(s.recv, 1 << 16), data[i:i + (1 << 16)])


class NonBlockingTest(unittest.TestCase):
    def wait(self, s, exc):
        r, w = ([s], []) if isinstance(exc, ssl.SSLWantReadError) else ([], [s])
        self.assertTrue(any(select.select(r, w, [], 10)), "select timed out")

    def test_handshake_and_echo(self):
        raw = socket.create_connection(("127.0.0.1", TLS["tls_echo"]))
        raw.setblocking(False)
        s = client_context().wrap_socket(raw, server_hostname="localhost",
                                         do_handshake_on_connect=False)
        with s:
            while True:  # usually wants to read once or twice (timing)
                try:
                    s.do_handshake()
                    break
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError) as exc:
                    self.wait(s, exc)
            self.assertEqual(s.version(), "TLSv1.3")
            with self.assertRaises(ssl.SSLWantReadError):
                while True:  # session tickets, then nothing
                    s.recv(100)
            data = os.urandom(3 << 20)
            sent = got = 0
            received = bytearray()
            while got < len(data):
                if sent < len(data):
                    try:
                        sent += s.send(data[sent:sent + 65536])
                    except ssl.SSLWantWriteError:
                        pass
                try:
                    chunk = s.recv(65536)
                    received += chunk
                    got += len(chunk)
                except ssl.SSLWantReadError:
                    select.select([s], [s] if sent < len(data) else [], [], 10)
            self.assertEqual(bytes(received), data)

    def test_default_handshake_refused(self):
        raw = socket.create_connection(("127.0.0.1", TLS["tls_echo"]))
        raw.setblocking(False)
        with self.assertRaises(ValueError):
            client_context().wrap_socket(raw, server_hostname="localhost")


class ServerTest(unittest.TestCase):
    """TLS servers inside the guest; the harness's native client connects."""

    def test_accept_echo(self):
        listener = socket.create_server(("127.0.0.1", 0))
        with server_context().wrap_socket(listener, server_side=True) as srv:
            port = srv.getsockname()[1]
            ctl = native_client(port, size=100000, seed=1)
            conn, addr = srv.accept()
            with conn:
                self.assertIsInstance(conn, ssl.SSLSocket)
                self.assertTrue(conn.server_side)
                self.assertEqual(conn.version(), "TLSv1.3")
                self.assertEqual(conn.selected_alpn_protocol(), "wasisock-test")
                self.assertIsNone(conn.getpeercert())
                plain = serve_echo(conn, 100000)
                self.assertIs(plain, conn)
            report = native_report(ctl)
        self.assertEqual(report["version"], "TLSv1.3")
        # The guest server's order wins (CPython sets OP_CIPHER_SERVER_PREFERENCE)
        # and python.wasm's OpenSSL puts ChaCha20-Poly1305 first.
        self.assertEqual(report["cipher"], "TLS_CHACHA20_POLY1305_SHA256")
        self.assertEqual(report["alpn"], "wasisock-test")
        self.assertEqual(report["peer_subject"]["commonName"], "localhost")
        self.assertEqual(report["received"], 100000)
        self.assertEqual(report["received_sha256"], report["sent_sha256"])

    def test_wrap_accepted_bulk(self):
        with socket.create_server(("127.0.0.1", 0)) as srv:
            ctl = native_client(srv.getsockname()[1], size=BULK, seed=2)
            raw, _ = srv.accept()
            conn = server_context().wrap_socket(raw, server_side=True)
            with conn:
                serve_echo(conn, BULK)
            report = native_report(ctl)
        self.assertEqual(report["received"], BULK)
        self.assertEqual(report["received_sha256"], report["sent_sha256"])
        self.assertEqual(report["sent_sha256"],
                         hashlib.sha256(random.Random(2).randbytes(BULK)).hexdigest())

    def test_client_certificate(self):
        ctx = server_context()
        ctx.load_verify_locations(TLS["files"]["ca"])
        ctx.verify_mode = ssl.CERT_REQUIRED
        with socket.create_server(("127.0.0.1", 0)) as srv:
            ctl = native_client(srv.getsockname()[1], size=10, client_cert=True)
            raw, _ = srv.accept()
            with ctx.wrap_socket(raw, server_side=True) as conn:
                subject = dict(x[0] for x in conn.getpeercert()["subject"])
                serve_echo(conn, 10)
            native_report(ctl)
        self.assertEqual(subject["commonName"], "wasisock test client")


class AsyncioTest(unittest.TestCase):
    def test_client_against_native(self):
        async def main():
            reader, writer = await asyncio.open_connection(
                "localhost", TLS["tls_echo"], ssl=client_context())
            obj = writer.get_extra_info("ssl_object")
            writer.write(b"async hello\n")
            line = await reader.readline()
            big = os.urandom(1 << 20)
            writer.write(big)
            echoed = await reader.readexactly(len(big))
            writer.close()
            await writer.wait_closed()
            return obj.version(), line, echoed == big

        self.assertEqual(asyncio.run(main()), ("TLSv1.3", b"async hello\n", True))

    def test_echo_in_guest(self):
        async def handler(reader, writer):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()

        async def main():
            server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_context())
            async with server:
                port = server.sockets[0].getsockname()[1]
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", port, ssl=client_context(), server_hostname="localhost")
                peercert = writer.get_extra_info("peercert")
                data = random.Random(4).randbytes(BULK)
                digest = hashlib.sha256()

                async def send():
                    for i in range(0, len(data), 1 << 18):
                        writer.write(data[i:i + (1 << 18)])
                        await writer.drain()

                sender = asyncio.create_task(send())
                got = 0
                while got < len(data):
                    chunk = await reader.read(1 << 18)
                    self.assertTrue(chunk, "EOF too early")
                    digest.update(chunk)
                    got += len(chunk)
                await sender
                writer.close()
                await writer.wait_closed()
            return peercert, digest.hexdigest(), hashlib.sha256(data).hexdigest()

        peercert, got, want = asyncio.run(main())
        self.assertEqual(dict(x[0] for x in peercert["subject"])["commonName"], "localhost")
        self.assertEqual(got, want)

    def test_server_in_guest_native_client(self):
        async def handler(reader, writer):
            done = 0
            while done < 50000:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
                done += len(data)
            writer.close()
            await writer.wait_closed()

        async def main():
            server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_context())
            async with server:
                port = server.sockets[0].getsockname()[1]
                reader, writer = await asyncio.open_connection("127.0.0.1", TLS["tls_client"])
                writer.write(json.dumps({"port": port, "size": 50000, "seed": 9}).encode() + b"\n")
                reply = json.loads(await reader.readline())
                writer.close()
            return reply

        reply = asyncio.run(main())
        self.assertTrue(reply.pop("ok"), reply)
        self.assertEqual(reply["received"], 50000)
        self.assertEqual(reply["received_sha256"], reply["sent_sha256"])

    def test_wrong_hostname(self):
        async def main():
            await asyncio.open_connection("127.0.0.1", TLS["tls_echo"], ssl=client_context(),
                                          server_hostname="wrong.example")

        with self.assertRaises(ssl.SSLCertVerificationError):
            asyncio.run(main())


if __name__ == "__main__":
    unittest.main()
