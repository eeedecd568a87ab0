#!/usr/bin/env python3
"""Checks of wasisock-python's CA bundle for TLS in the guest, run natively.

    check_ca_bundle.py --launcher PATH [--python-dir DIR] [unittest args]

The launcher gives python.wasm's OpenSSL the host's CA bundle as a regular
file, /etc/ssl/cert.pem in the guest (runtimes/node/lib/ca-bundle.js);
--ca-bundle FILE picks another, --no-ca-bundle none.  Each case runs the
launcher and asks the guest what ssl.create_default_context() trusts.  The
test CA is made here with the openssl command (tlspeer.py).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import tlspeer

LAUNCHER = None
PYTHON_DIR = None

PROBE = """
import json, os, ssl
ctx = ssl.create_default_context()
print(json.dumps({
    "cas": ctx.cert_store_stats()["x509_ca"],
    "subjects": sorted(dict(x[0] for x in c["subject"]).get("commonName", "")
                       for c in ctx.get_ca_certs())[:3],
    "etc_ssl": sorted(os.listdir("/etc/ssl")) if os.path.isdir("/etc/ssl") else None,
    "env": {k: os.environ.get(k) for k in ("SSL_CERT_FILE", "SSL_CERT_DIR")},
}))
"""


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

    def launch(self, *flags, env=None, code=PROBE):
        cmd = [LAUNCHER]
        if PYTHON_DIR:
            cmd += ["--python-dir", PYTHON_DIR]
        full = dict(os.environ)
        full.pop("SSL_CERT_FILE", None)
        full.pop("SSL_CERT_DIR", None)
        full["WASISOCK_PYTHON_CACHE"] = os.environ.get("WASISOCK_PYTHON_CACHE", self.cache)
        full.update(env or {})
        return subprocess.run(cmd + list(flags) + ["-c", code], env=full,
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
        self.assertEqual(got["etc_ssl"], ["cert.pem"])
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
        # guest gets it at /etc/ssl/cert.pem and no host path.
        got = self.probe(env={"SSL_CERT_FILE": self.files["ca"], "SSL_CERT_DIR": "/nonexistent"})
        self.assertEqual(got["subjects"], ["wasisock test CA"])
        self.assertEqual(got["env"], {"SSL_CERT_FILE": None, "SSL_CERT_DIR": None})

    def test_guest_ssl_cert_file(self):
        # --env sets the guest's own variable (a guest path).
        got = self.probe("--env", f"SSL_CERT_FILE={self.files['unknown-ca']}",
                         "--dir", self.tmp)
        self.assertEqual(got["subjects"], ["wasisock unknown CA"])

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
            "             lambda: os.mkdir('/etc/ssl/certs'),\n"
            "             lambda: open('/etc/ssl/certs/evil.pem', 'w').write('evil')):\n"
            "    try:\n"
            "        step()\n"
            "    except OSError:\n"
            "        pass  # read-only for a non-root user\n"))
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.probe("--ca-bundle", self.files["ca"], env=env)
        self.assertEqual(got["etc_ssl"], ["cert.pem"])
        self.assertEqual(got["subjects"], ["wasisock test CA"])


def main():
    global LAUNCHER, PYTHON_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--python-dir")
    args, rest = ap.parse_known_args()
    LAUNCHER = os.path.abspath(args.launcher)
    PYTHON_DIR = args.python_dir and os.path.abspath(args.python_dir)
    if subprocess.run(["openssl", "version"], capture_output=True).returncode != 0:
        print("check_ca_bundle: no openssl command (Debian package: openssl); skipped")
        return 77
    prog = unittest.main(argv=[sys.argv[0], "-v"] + rest, exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
