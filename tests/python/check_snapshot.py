#!/usr/bin/env python3
"""Checks of the pre-initialised python.wasm (python-snapshot.wasm), run
natively (unittest): what must be fresh in every run is, although the
interpreter was initialised once, at build time (python/snapshot.c).

    check_snapshot.py --launcher PATH [--python-dir DIR] [unittest args]

Each case runs the guest through the launcher with --snapshot (and, for
comparison, --no-snapshot: the plain python.wasm) and asserts what the guest
sees: sys.argv, os.environ, the preopened directories and the current
directory, the clocks, the random and hash seeds (PYTHONHASHSEED as CPython
treats it), the CA bundle, stdout's buffering.  No network is used.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

LAUNCHER = None
PYTHON_DIR = None
SEED = "0"  # the snapshot's hash seed (python/snapshot.c)
CA_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")

PROBE = r"""
import json, os, random, ssl, sys, time, _wasisock_snapshot as snap
print(json.dumps({
    "start": snap.start, "why": snap.fallback_reason,
    "argv": sys.argv, "orig_argv": sys.orig_argv,
    "environ": dict(os.environ),
    "cwd": os.getcwd(), "listdir": sorted(os.listdir(".")),
    "time": time.time(), "random": random.random(), "urandom": os.urandom(8).hex(),
    "ssl_rand": ssl.RAND_bytes(8).hex(),
    "hash": hash("wasisock"), "hash_randomization": sys.flags.hash_randomization,
    "cas": ssl.create_default_context().cert_store_stats()["x509_ca"],
    "line_buffering": sys.stdout.line_buffering,
}))
"""


def probe(*launcher_args, cwd=None, env=None, args=()):
    """Runs PROBE (as a script, with args) in the guest; returns its dict."""
    with tempfile.TemporaryDirectory(prefix="wasisock-snapshot-") as d:
        script = os.path.join(d, "probe.py")
        with open(script, "w") as f:
            f.write(PROBE)
        cmd = [LAUNCHER] + (["--python-dir", PYTHON_DIR] if PYTHON_DIR else [])
        # Without the caller's PYTHON* settings (PYTHONUNBUFFERED, say, is one
        # a snapshot cannot resume) and CA variables (the launcher hands a
        # host SSL_CERT_FILE to the guest, which would outrank --ca-bundle):
        # each case sets its own.
        full_env = {k: v for k, v in os.environ.items()
                    if not k.startswith("PYTHON") and k not in CA_VARIABLES}
        full_env.update(env or {})
        r = subprocess.run(cmd + list(launcher_args) + [script, *args], cwd=cwd, env=full_env,
                           capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"exit {r.returncode}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def resumed(*launcher_args, **kw):
    """probe() of a run that resumes the snapshot (hash seed pinned)."""
    env = {"PYTHONHASHSEED": SEED, **kw.pop("env", {})}
    got = probe("--snapshot", *launcher_args, env=env, **kw)
    assert got["start"] == "snapshot", got
    return got


class SnapshotTest(unittest.TestCase):
    def test_resumes_only_with_the_snapshot_seed(self):
        self.assertEqual(resumed()["start"], "snapshot")
        full = probe("--snapshot")  # no PYTHONHASHSEED: randomised, as CPython
        self.assertEqual(full["start"], "full")
        self.assertIn("hash_seed", full["why"])
        self.assertIsNone(probe("--no-snapshot")["start"])  # the plain python.wasm

    def test_argv(self):
        a = resumed(args=["one", "two"])
        b = resumed(args=["three"])
        self.assertEqual(a["argv"][1:], ["one", "two"])
        self.assertEqual(b["argv"][1:], ["three"])
        self.assertEqual(b["orig_argv"][-1], "three")

    def test_environ(self):
        for value in ("first", "second"):
            got = resumed("--env", f"WASISOCK_PROBE={value}")
            plain = probe("--no-snapshot", "--env", f"WASISOCK_PROBE={value}", env={"PYTHONHASHSEED": SEED})
            self.assertEqual(got["environ"]["WASISOCK_PROBE"], value)
            self.assertEqual(got["environ"], plain["environ"])

    def test_preopens_and_cwd(self):
        for name in ("a-file", "b-file"):
            with tempfile.TemporaryDirectory(prefix="wasisock-cwd-") as d:
                open(os.path.join(d, name), "w").close()
                got = resumed(cwd=d)
                self.assertEqual(got["listdir"], [name])
                self.assertEqual(got["cwd"], probe("--no-snapshot", cwd=d)["cwd"])

    def test_clocks(self):
        a = resumed()
        self.assertLess(abs(a["time"] - time.time()), 120)  # not the snapshot's time
        time.sleep(0.05)
        self.assertGreater(resumed()["time"], a["time"])

    def test_random_seeds(self):
        a, b = resumed(), resumed()
        for k in ("random", "urandom", "ssl_rand"):
            self.assertNotEqual(a[k], b[k], k)

    def test_hash_seed(self):
        # PYTHONHASHSEED=N: the hash of CPython with seed N (the plain
        # python.wasm's), snapshot or not; unset: randomised per run.
        pinned = resumed()
        self.assertEqual(pinned["hash"], probe("--no-snapshot", env={"PYTHONHASHSEED": SEED})["hash"])
        self.assertEqual(pinned["hash_randomization"], 0)
        other = probe("--snapshot", env={"PYTHONHASHSEED": "4242"})
        self.assertEqual(other["hash"], probe("--no-snapshot", env={"PYTHONHASHSEED": "4242"})["hash"])
        a, b = probe("--snapshot"), probe("--snapshot")
        self.assertEqual(a["hash_randomization"], 1)
        self.assertNotEqual(a["hash"], b["hash"])

    def test_ca_bundle(self):
        bundle = next((f for f in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")
                       if os.path.isfile(f)), None)
        if bundle is None:
            self.skipTest("no host CA bundle")
        with open(bundle) as f:
            first = f.read().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
        with tempfile.TemporaryDirectory(prefix="wasisock-ca-") as d:
            one = os.path.join(d, "one.pem")
            with open(one, "w") as f:
                f.write(first)
            self.assertEqual(resumed("--ca-bundle", one)["cas"], 1)
            self.assertGreater(resumed("--ca-bundle", bundle)["cas"], 1)
            self.assertEqual(resumed("--no-ca-bundle")["cas"], 0)

    def test_stdout_buffering(self):
        self.assertFalse(resumed()["line_buffering"])  # a pipe: block-buffered, as CPython


def main():
    global LAUNCHER, PYTHON_DIR
    p = argparse.ArgumentParser()
    p.add_argument("--launcher", required=True)
    p.add_argument("--python-dir")
    a, rest = p.parse_known_args()
    LAUNCHER, PYTHON_DIR = a.launcher, a.python_dir
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
