#!/usr/bin/env python3
"""Checks of wasisock-python's CA bundle for TLS in the guest, run natively.

    check_ca_bundle.py --launcher PATH [--python-dir DIR] [unittest args]

The launcher gives the guest the host's CA bundle as a regular file at every
path Debian, Fedora, Alpine and OpenSSL look for one (/etc/ssl/cert.pem is
python.wasm's OpenSSL default; runtimes/common/guest_env.c,
docs/ENVIRONMENT.md); --ca-bundle FILE picks another, --no-ca-bundle none;
SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE reach the guest as guest
paths or not at all.  Each case runs the launcher and asks the guest what
it trusts, or has it fetch from an HTTPS server started here.  The test CA
is made here with the openssl command (tlspeer.py).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

import launcher_checks as lc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peer"))
import tlspeer  # noqa: E402

CA_VARS = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# Where the guest finds the bundle (guest_env.c's wasisock_guest_ca_paths).
GUEST_CA_PATHS = ("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/cert.pem",
                  "/etc/pki/tls/certs/ca-bundle.crt",
                  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                  "/etc/pki/tls/cacert.pem", "/etc/ssl/ca-bundle.pem")
ETC_SSL = ["ca-bundle.pem", "cert.pem", "certs"]

PROBE = """
import json, os, ssl
ctx = ssl.create_default_context()
print(json.dumps({
    "cas": ctx.cert_store_stats()["x509_ca"],
    "subjects": sorted(dict(x[0] for x in c["subject"]).get("commonName", "")
                       for c in ctx.get_ca_certs())[:3],
    "etc_ssl": sorted(os.listdir("/etc/ssl")) if os.path.isdir("/etc/ssl") else None,
    "env": {k: os.environ.get(k) for k in %r},
}))
""" % (CA_VARS,)


def host_bundle():
    for f in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
              "/etc/ssl/ca-bundle.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
              "/etc/ssl/cert.pem"):
        if os.path.isfile(f) and os.access(f, os.R_OK):
            return f
    return None


def count_certs(path):
    with open(path, "rb") as f:
        return len(re.findall(rb"-----BEGIN CERTIFICATE-----", f.read()))


class CABundleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="wasisock-ca-")
        cls.tmp = cls._tmp.name
        cls.files = tlspeer.make_certificates(cls.tmp)
        cls.cache = os.path.join(cls.tmp, "cache")

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def launch(self, *flags, env=None, code=PROBE, args=()):
        full = dict(os.environ)
        for name in CA_VARS:
            full.pop(name, None)
        full["WASISOCK_PYTHON_CACHE"] = os.environ.get("WASISOCK_PYTHON_CACHE", self.cache)
        full.update(env or {})
        return subprocess.run(lc.command(*flags, "-c", code, *args), env=full,
                              capture_output=True, text=True, timeout=300)

    def probe(self, *flags, env=None):
        r = self.launch(*flags, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_default_is_the_host_bundle(self):
        bundle = host_bundle()
        if bundle is None:
            self.skipTest("this host has no CA bundle")
        got = self.probe()
        self.assertEqual(got["etc_ssl"], ETC_SSL)
        self.assertEqual(got["cas"], count_certs(bundle))

    def test_ca_bundle_flag(self):
        got = self.probe("--ca-bundle", self.files["ca"])
        self.assertEqual(got["cas"], 1)
        self.assertEqual(got["subjects"], ["wasisock test CA"])
        got = self.probe(f"--ca-bundle={self.files['unknown-ca']}")
        self.assertEqual(got["subjects"], ["wasisock unknown CA"])

    def test_no_ca_bundle(self):
        got = self.probe("--no-ca-bundle")
        self.assertEqual(got["cas"], 0)
        self.assertIsNone(got["etc_ssl"])

    def test_host_ssl_cert_file(self):
        # The launcher's $SSL_CERT_FILE names the bundle on the host; the
        # guest gets the bundle and the variable with its guest path.
        got = self.probe(env={"SSL_CERT_FILE": self.files["ca"], "SSL_CERT_DIR": "/nonexistent"})
        self.assertEqual(got["subjects"], ["wasisock test CA"])
        self.assertEqual(got["env"], {"SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
                                      "SSL_CERT_DIR": None, "REQUESTS_CA_BUNDLE": None,
                                      "CURL_CA_BUNDLE": None})

    def test_every_path(self):
        code = ("import json\n"
                "print(json.dumps([open(p).read() for p in %r]))\n" % (GUEST_CA_PATHS,))
        r = self.launch("--ca-bundle", self.files["ca"], code=code)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.files["ca"]) as f:
            self.assertEqual(json.loads(r.stdout), [f.read()] * len(GUEST_CA_PATHS))

    def test_variables_never_carry_a_host_path(self):
        # REQUESTS_CA_BUNDLE names another file than the bundle: a copy;
        # CURL_CA_BUNDLE names nothing: gone; SSL_CERT_DIR: gone.
        got = self.probe("--ca-bundle", self.files["unknown-ca"], env={
            "REQUESTS_CA_BUNDLE": self.files["ca"], "CURL_CA_BUNDLE": "/nonexistent/ca.pem",
            "SSL_CERT_DIR": "/etc/ssl/certs"})
        self.assertEqual(got["env"], {"SSL_CERT_FILE": None, "SSL_CERT_DIR": None,
                                      "REQUESTS_CA_BUNDLE": "/etc/ssl/host/REQUESTS_CA_BUNDLE.pem",
                                      "CURL_CA_BUNDLE": None})
        self.assertEqual(got["etc_ssl"], ETC_SSL + ["host"])
        got = self.probe("--no-ca-bundle", env={"REQUESTS_CA_BUNDLE": self.files["ca"]})
        self.assertIsNone(got["env"]["REQUESTS_CA_BUNDLE"])

    def test_https_through_the_usual_paths(self):
        # An HTTPS request relying on Debian's path (certifi as Debian ships
        # it points there), and one through REQUESTS_CA_BUNDLE as requests
        # uses it, against a server signed by the test CA.
        server = tlspeer.HTTPSServer("127.0.0.1", 0, tlspeer.HTTPSHandler,
                                     tlspeer.server_context(self.files))
        server.serve()
        self.addCleanup(server.stop)
        url = f"https://localhost:{server.server_address[1]}/hello"
        code = textwrap.dedent(f"""\
            import os, ssl, sys, urllib.request
            cafile = os.environ.get(sys.argv[1], sys.argv[1])
            ctx = ssl.create_default_context(cafile=cafile)
            with urllib.request.urlopen({url!r}, context=ctx, timeout=60) as r:
                print(cafile, r.status, r.read().decode().strip())
            """)
        hello = tlspeer.HELLO.decode().strip()
        r = self.launch("--ca-bundle", self.files["ca"], code=code,
                        args=["/etc/ssl/certs/ca-certificates.crt"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"/etc/ssl/certs/ca-certificates.crt 200 {hello}\n")
        if host_bundle() is None:
            self.skipTest("this host has no CA bundle")
        r = self.launch(code=code, args=["REQUESTS_CA_BUNDLE"],
                        env={"REQUESTS_CA_BUNDLE": self.files["ca"]})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"/etc/ssl/host/REQUESTS_CA_BUNDLE.pem 200 {hello}\n")

    def test_bad_bundle(self):
        r = self.launch("--ca-bundle", os.path.join(self.tmp, "missing.pem"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--ca-bundle", r.stderr)
        empty = os.path.join(self.tmp, "empty.pem")
        open(empty, "w").close()
        r = self.launch("--ca-bundle", empty)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no PEM certificate", r.stderr)

    def test_guest_cannot_change_the_copy(self):
        # Whatever a guest writes into its /etc/ssl, the next one gets the
        # bundle again, and nothing else.
        cache = os.path.join(self.tmp, "tamper-cache")
        env = {"WASISOCK_PYTHON_CACHE": cache}
        r = self.launch("--ca-bundle", self.files["ca"], env=env, code=(
            "import os\n"
            "for step in (lambda: open('/etc/ssl/cert.pem', 'w').write('garbage'),\n"
            "             lambda: os.mkdir('/etc/ssl/private'),\n"
            "             lambda: open('/etc/ssl/certs/evil.pem', 'w').write('evil')):\n"
            "    try:\n"
            "        step()\n"
            "    except OSError:\n"
            "        pass  # read-only for a non-root user\n"))
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.probe("--ca-bundle", self.files["ca"], env=env)
        self.assertEqual(got["etc_ssl"], ETC_SSL)
        self.assertEqual(got["subjects"], ["wasisock test CA"])


def main():
    if subprocess.run(["openssl", "version"], capture_output=True).returncode != 0:
        print("check_ca_bundle: no openssl command (Debian package: openssl); skipped")
        return 77
    return lc.main()


if __name__ == "__main__":
    sys.exit(main())
