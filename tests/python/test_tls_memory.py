"""TLS inside python.wasm without sockets: _ssl, _hashlib and OpenSSL 3.5.

Two ssl.SSLObjects talk over MemoryBIOs, with the certificates the harness
made for this run (tlspeer.py; the directory is mapped into the guest).
Also: the CA bundle the launcher provides as /etc/ssl/cert.pem, SSL_CERT_FILE,
hashlib through OpenSSL, randomness.
"""

import hashlib
import os
import ssl
import sys
import unittest

import support

TLS = support.CONFIG.get("tls")


def pki(test):
    """The harness's certificate files; skips when it could not make them."""
    if TLS is None:
        test.skipTest(support.CONFIG.get("tls_skip_reason") or "no TLS config")
    return TLS["files"]


def contexts(files, *, server_cert="server", alpn=("http/1.1",)):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(files[server_cert], files[server_cert + "_key"])
    client = ssl.create_default_context(cafile=files["ca"])
    if alpn:
        server.set_alpn_protocols(list(alpn))
        client.set_alpn_protocols(list(alpn))
    return server, client


class Pair:
    """A client and a server SSLObject wired back to back through BIOs."""

    def __init__(self, server_ctx, client_ctx, hostname="localhost"):
        self.c_in, self.c_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.s_in, self.s_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.client = client_ctx.wrap_bio(self.c_in, self.c_out, server_hostname=hostname)
        self.server = server_ctx.wrap_bio(self.s_in, self.s_out, server_side=True)

    def pump(self):
        moved = 0
        for src, dst in ((self.c_out, self.s_in), (self.s_out, self.c_in)):
            data = src.read()
            if data:
                dst.write(data)
                moved += len(data)
        return moved

    def step(self, obj, func, *args):
        try:
            return True, getattr(obj, func)(*args)
        except ssl.SSLWantReadError:
            return False, None

    def handshake(self):
        done = {self.client: False, self.server: False}
        for _ in range(20):
            for obj in done:
                if not done[obj]:
                    done[obj], _ = self.step(obj, "do_handshake")
            moved = self.pump()
            if all(done.values()) and not moved:
                return
        raise AssertionError("handshake did not finish in 20 rounds")

    def send(self, src, dst, data):
        src.write(data)
        self.pump()
        out = bytearray()
        while len(out) < len(data):
            ok, chunk = self.step(dst, "read", 65536)
            if not ok:
                self.pump()
                continue
            out += chunk
        return bytes(out)


class BuildTest(unittest.TestCase):
    def test_openssl(self):
        self.assertEqual(sys.platform, "wasi")
        self.assertTrue(ssl.OPENSSL_VERSION.startswith("OpenSSL 3."), ssl.OPENSSL_VERSION)
        self.assertGreaterEqual(ssl.OPENSSL_VERSION_INFO[:2], (3, 5))
        self.assertTrue(ssl.HAS_TLSv1_3)
        self.assertTrue(ssl.HAS_ALPN)
        self.assertTrue(ssl.HAS_SNI)

    def test_default_paths(self):
        # OPENSSLDIR is /etc/ssl in the guest (scripts/openssl-wasi.sh).
        paths = ssl.get_default_verify_paths()
        self.assertEqual(paths.openssl_cafile, "/etc/ssl/cert.pem")
        self.assertEqual(paths.openssl_capath, "/etc/ssl/certs")
        self.assertEqual(paths.openssl_cafile_env, "SSL_CERT_FILE")

    def test_hashlib_through_openssl(self):
        import _hashlib

        h = hashlib.new("sha256", b"abc")
        self.assertEqual(type(h).__module__, "_hashlib")
        self.assertEqual(h.hexdigest(),
                         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        self.assertIn("sha3_256", hashlib.algorithms_available)
        self.assertEqual(hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 10).hex()[:16],
                         "72aecd14244887c3")
        self.assertTrue(_hashlib.get_fips_mode() in (0, 1))

    def test_zlib(self):
        import zlib

        data = b"wasisock " * 1000
        self.assertEqual(zlib.decompress(zlib.compress(data)), data)

    def test_random(self):
        a, b = ssl.RAND_bytes(32), ssl.RAND_bytes(32)
        self.assertEqual(len(a), 32)
        self.assertNotEqual(a, b)
        self.assertTrue(ssl.RAND_status())

    def test_socket_class_is_cpythons(self):
        # _ssl works on the socket's descriptor, as on Linux: no replacement
        # class, and _socket has the C API _ssl imports.
        import _socket

        self.assertIs(ssl.SSLContext.sslsocket_class, ssl.SSLSocket)
        self.assertTrue(hasattr(_socket, "CAPI"))


class MemoryHandshakeTest(unittest.TestCase):
    def setUp(self):
        self.files = pki(self)

    def test_tls13(self):
        server_ctx, client_ctx = contexts(self.files)
        p = Pair(server_ctx, client_ctx)
        p.handshake()
        self.assertEqual(p.client.version(), "TLSv1.3")
        self.assertEqual(p.server.version(), "TLSv1.3")
        self.assertEqual(p.client.selected_alpn_protocol(), "http/1.1")
        cert = p.client.getpeercert()
        self.assertEqual(dict(x[0] for x in cert["subject"])["commonName"], "localhost")
        self.assertIn(("DNS", "localhost"), cert["subjectAltName"])
        self.assertIsNone(p.server.getpeercert())
        name, version, bits = p.client.cipher()
        self.assertEqual(version, "TLSv1.3")
        self.assertGreaterEqual(bits, 128)
        self.assertEqual(p.send(p.client, p.server, b"ping"), b"ping")
        data = os.urandom(300_000)
        self.assertEqual(p.send(p.server, p.client, data), data)

    def test_chacha20_first(self):
        # python.wasm's OpenSSL lists TLS 1.3 ChaCha20-Poly1305 first
        # (python/patches/openssl/): wasm has no AES instructions.
        server_ctx, client_ctx = contexts(self.files)
        suites = [c["name"] for c in client_ctx.get_ciphers() if c["protocol"] == "TLSv1.3"]
        self.assertEqual(suites[0], "TLS_CHACHA20_POLY1305_SHA256")
        p = Pair(server_ctx, client_ctx)
        p.handshake()
        self.assertEqual(p.client.cipher()[0], "TLS_CHACHA20_POLY1305_SHA256")

    def test_tls12(self):
        server_ctx, client_ctx = contexts(self.files)
        client_ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        p = Pair(server_ctx, client_ctx)
        p.handshake()
        self.assertEqual(p.client.version(), "TLSv1.2")
        self.assertEqual(p.send(p.client, p.server, b"twelve"), b"twelve")

    def test_ip_address_name(self):
        server_ctx, client_ctx = contexts(self.files)
        p = Pair(server_ctx, client_ctx, hostname="127.0.0.1")
        p.handshake()
        self.assertEqual(p.client.version(), "TLSv1.3")

    def test_client_certificate(self):
        server_ctx, client_ctx = contexts(self.files)
        server_ctx.load_verify_locations(self.files["ca"])
        server_ctx.verify_mode = ssl.CERT_REQUIRED
        client_ctx.load_cert_chain(self.files["client"], self.files["client_key"])
        p = Pair(server_ctx, client_ctx)
        p.handshake()
        self.assertEqual(p.send(p.client, p.server, b"x"), b"x")  # TLS 1.3: cert checked by now
        subject = dict(x[0] for x in p.server.getpeercert()["subject"])
        self.assertEqual(subject["commonName"], "wasisock test client")

    def test_wrong_hostname(self):
        server_ctx, client_ctx = contexts(self.files)
        p = Pair(server_ctx, client_ctx, hostname="wrong.example")
        with self.assertRaises(ssl.SSLCertVerificationError) as cm:
            p.handshake()
        self.assertEqual(cm.exception.verify_code, 62)  # X509_V_ERR_HOSTNAME_MISMATCH
        self.assertIn("wrong.example", cm.exception.verify_message)

    def test_unknown_ca(self):
        server_ctx, client_ctx = contexts(self.files, server_cert="unknown-server")
        p = Pair(server_ctx, client_ctx)
        with self.assertRaises(ssl.SSLCertVerificationError) as cm:
            p.handshake()
        self.assertEqual(cm.exception.verify_code, 20)  # unable to get local issuer

    def test_session_resumption(self):
        server_ctx, client_ctx = contexts(self.files)
        p = Pair(server_ctx, client_ctx)
        p.handshake()
        p.send(p.server, p.client, b"ticket")  # session tickets arrive with data
        session = p.client.session
        self.assertIsNotNone(session)
        q = Pair(server_ctx, client_ctx)
        q.client = client_ctx.wrap_bio(q.c_in, q.c_out, server_hostname="localhost",
                                       session=session)
        q.handshake()
        self.assertTrue(q.client.session_reused)


class CABundleTest(unittest.TestCase):
    def test_ssl_cert_file(self):
        files = pki(self)
        old = os.environ.get("SSL_CERT_FILE")
        os.environ["SSL_CERT_FILE"] = files["ca"]
        try:
            ctx = ssl.create_default_context()
        finally:
            if old is None:
                del os.environ["SSL_CERT_FILE"]
            else:
                os.environ["SSL_CERT_FILE"] = old
        self.assertEqual(ctx.cert_store_stats()["x509_ca"], 1)
        server_ctx, _ = contexts(files)
        p = Pair(server_ctx, ctx)
        p.handshake()
        self.assertEqual(p.client.version(), "TLSv1.3")

    def test_launcher_bundle(self):
        # The launcher gives the guest the host's CA bundle at OpenSSL's
        # /etc/ssl/cert.pem and the other usual paths (check_ca_bundle.py
        # tests its flags); this host may have none.
        if not os.path.exists("/etc/ssl/cert.pem"):
            self.skipTest("the launcher mapped no CA bundle (none on this host?)")
        ctx = ssl.create_default_context()
        self.assertGreater(ctx.cert_store_stats()["x509_ca"], 10)
        with open("/etc/ssl/cert.pem", "rb") as a, \
                open("/etc/ssl/certs/ca-certificates.crt", "rb") as b:
            self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main()
