#!/usr/bin/env python3
"""Checks of the wasisock-python launcher itself, run natively (unittest).

    check_launcher.py --launcher PATH [--python-dir DIR] [unittest args]

Runs the launcher as a user would: scripts by relative and absolute path,
-c and -m, arguments, stdin, exit codes, the working directory, the guest
environment, how python.wasm is found and the compiled-code cache.  Without
--python-dir the launcher must find python.wasm on its own (as it does in
the build tree: bin/../python-wasm).  No network is used.
"""

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
import time
import unittest

from launcher_checks import LauncherCase

LAUNCHER = None
PYTHON_DIR = None


def launch(*args, cwd=None, env=None, input=None, cache=None, timeout=300):
    """Run the launcher; returns CompletedProcess (text)."""
    cmd = [LAUNCHER]
    if PYTHON_DIR:
        cmd += ["--python-dir", PYTHON_DIR]
    full_env = dict(os.environ)
    if cache is not None:
        full_env["WASISOCK_PYTHON_CACHE"] = cache
    full_env.update(env or {})
    return subprocess.run(cmd + list(args), cwd=cwd, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)


class LauncherTest(LauncherCase):
    def test_exit_codes(self):
        self.assertRan(launch("-c", "pass"))
        self.assertRan(launch("-c", "import sys; sys.exit(7)"), 7)
        r = launch("-c", "raise ValueError('boom')")
        self.assertRan(r, 1)
        self.assertIn("ValueError: boom", r.stderr)

    def test_script_relative_path_args_and_files(self):
        self.write("data.txt", "from the host\n")
        self.write("script.py", """\
            import sys
            print("argv", sys.argv)
            print(open("data.txt").read().strip())
            with open("out.txt", "w") as f:
                f.write("from the guest")
            """)
        r = launch("script.py", "a b", "-c", cwd=self.tmp)
        self.assertRan(r)
        self.assertIn("argv ['script.py', 'a b', '-c']", r.stdout)
        self.assertIn("from the host", r.stdout)
        with open(os.path.join(self.tmp, "out.txt")) as f:
            self.assertEqual(f.read(), "from the guest")

    def test_script_absolute_path_elsewhere(self):
        path = self.write("abs_script.py", "import sys; print('ran', sys.argv[1:])\n")
        r = launch(path, "x", cwd="/")
        self.assertRan(r)
        self.assertIn("ran ['x']", r.stdout)

    def test_module_from_cwd(self):
        self.write("mymod.py", "print('module', __name__)\n")
        r = launch("-m", "mymod", cwd=self.tmp)
        self.assertRan(r)
        self.assertIn("module __main__", r.stdout)

    def test_stdin(self):
        r = launch("-c", "import sys; print(sys.stdin.read().upper())", input="piped\n")
        self.assertRan(r)
        self.assertIn("PIPED", r.stdout)

    def test_environment(self):
        code = "import os, sys; print(os.environ.get('HOSTVAR'), os.environ.get('GUESTVAR'), " \
               "os.environ.get('PYTHONHOME'), [p for p in sys.path if 'nonexistent' in p])"
        r = launch("--env", "GUESTVAR=g", "-c", code,
                   env={"HOSTVAR": "h", "PYTHONPATH": "/nonexistent", "PYTHONHOME": "/nonexistent"})
        self.assertRan(r)
        self.assertIn("h g / []", r.stdout)

    def test_wasisocket_is_there(self):
        r = launch("-c", "import wasisocket, _wasisocket; print(wasisocket.abi_version())")
        self.assertRan(r)
        self.assertGreaterEqual(int(r.stdout.strip()), 1)

    def test_first_poll_with_no_sockets_sleeps(self):
        # A fresh interpreter whose first sock_poll has no records (a timed
        # select() used as a sleep) once raised MemoryError: the reused
        # record buffer did not exist yet.
        r = launch("-c", "import select, time; t = time.monotonic(); "
                   "select.select([], [], [], 0.1); print(time.monotonic() - t)")
        self.assertRan(r)
        self.assertGreaterEqual(float(r.stdout), 0.09)

    def test_finds_python_dir(self):
        global PYTHON_DIR
        saved, PYTHON_DIR = PYTHON_DIR, None
        try:
            env = {"WASISOCK_PYTHON_DIR": saved} if saved else {}
            self.assertRan(launch("-c", "pass", env=env))
            r = launch("-c", "pass", env={"WASISOCK_PYTHON_DIR": self.tmp})
            self.assertRan(r, 1)
            self.assertIn("python.wasm not found", r.stderr)
        finally:
            PYTHON_DIR = saved

    def test_network_policy(self):
        # Deny by default: refused requests raise PermissionError (EACCES)
        # and touch no network; the launcher prints each denial.
        code = textwrap.dedent("""\
            import errno, wasisocket
            s = wasisocket.Socket()
            try:
                s.connect(("127.0.0.1", 9))
            except PermissionError as e:
                print("connect", errno.errorcode[e.errno])
            s.close()
            try:
                wasisocket.getaddrinfo("localhost", 80)
            except PermissionError as e:
                print("getaddrinfo", errno.errorcode[e.errno])
            """)
        r = launch("--deny-all", "--allow-connect", "127.0.0.1:8000-8999", "-c", code)
        self.assertRan(r)
        self.assertEqual(r.stdout, "connect EACCES\ngetaddrinfo EACCES\n")
        self.assertIn("wasisock-python: denied connect 127.0.0.1:9 by default deny\n", r.stderr)
        self.assertIn('wasisock-python: denied resolve "localhost" by default deny\n', r.stderr)
        r = launch("--deny-all", "--no-log-denials", "-c", code)
        self.assertRan(r)
        self.assertEqual(r.stderr, "")
        # --max-sockets: EMFILE beyond.
        r = launch("--max-sockets", "1", "-c", textwrap.dedent("""\
            import errno, wasisocket
            a = wasisocket.Socket()
            try:
                wasisocket.Socket()
            except OSError as e:
                print(errno.errorcode[e.errno])
            """))
        self.assertRan(r)
        self.assertEqual(r.stdout, "EMFILE\n")
        # A bad rule: exit 2 with the parser's message, before python runs.
        r = launch("--allow-connect", "127.0.0.1:70000", "-c", "print('ran')")
        self.assertRan(r, 2)
        self.assertIn('port "70000" out of range', r.stderr)
        self.assertNotIn("ran", r.stdout)

    def test_usage(self):
        r = subprocess.run([LAUNCHER, "--launcher-help"], capture_output=True, text=True)
        self.assertRan(r)
        self.assertIn("--python-dir", r.stdout)
        r = subprocess.run([LAUNCHER, "--env", "NOEQUALS", "-c", "pass"], capture_output=True, text=True)
        self.assertRan(r, 2)

    def test_code_cache(self):
        cache = os.path.join(self.tmp, "cache")
        self.assertRan(launch("-c", "pass", cache=cache))
        # The engine's compiled code: V8's (node) or wasmtime's.
        suffix = ".cwasm" if os.environ.get("WASISOCK_ENGINE") == "wasmtime" else ".v8cache"
        files = [f for f in os.listdir(cache) if f.endswith(suffix)]
        self.assertEqual(len(files), 1, files)
        path = os.path.join(cache, files[0])
        stamp = os.stat(path).st_mtime_ns
        r = launch("-c", "print('hit')", cache=cache)
        self.assertRan(r)
        self.assertIn("hit", r.stdout)
        self.assertEqual(os.stat(path).st_mtime_ns, stamp, "a cache hit must not rewrite the cache")
        size = os.path.getsize(path)
        # A damaged cache is ignored and rewritten: a changed header, code
        # bytes flipped in the middle, a truncated file.
        for offset, damage, length in ((40, b"garbage!", size), (size // 2, b"\xff" * 64, size),
                                       (0, b"", 4096)):
            with self.subTest(offset=offset, length=length):
                with open(path, "r+b") as f:
                    f.seek(offset)
                    f.write(damage)
                    f.truncate(length)
                r = launch("-c", "print('after damage')", cache=cache)
                self.assertRan(r)
                self.assertIn("after damage", r.stdout)
                # Rewritten whole (V8's output size varies by a few bytes).
                self.assertGreater(os.path.getsize(path), size * 0.9)

    def test_code_cache_off(self):
        cache = os.path.join(self.tmp, "nocache")
        self.assertRan(launch("--no-code-cache", "-c", "pass", cache=cache))
        self.assertFalse(os.path.exists(cache) and os.listdir(cache))
        self.assertRan(launch("-c", "pass", cache="off"))

    def test_timing(self):
        # Not a pass/fail criterion: prints what a warm run of -c pass costs
        # with and without the code cache (docs/PYTHON.md quotes it).
        cache = os.path.join(self.tmp, "timing")
        self.assertRan(launch("-c", "pass", cache=cache))
        for label, args in (("cached", ["-c", "pass"]), ("uncached", ["--no-code-cache", "-c", "pass"])):
            times = []
            for _ in range(5):
                t = time.monotonic()
                self.assertRan(launch(*args, cache=cache))
                times.append(time.monotonic() - t)
            print(f"\n  -c pass {label}: median {statistics.median(times):.3f} s "
                  f"(min {min(times):.3f}, max {max(times):.3f})", file=sys.stderr, end="")


def main():
    global LAUNCHER, PYTHON_DIR
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--python-dir")
    args, rest = ap.parse_known_args()
    LAUNCHER = os.path.abspath(args.launcher)
    PYTHON_DIR = os.path.abspath(args.python_dir) if args.python_dir else None
    unittest.main(argv=[sys.argv[0], "-v"] + rest)


if __name__ == "__main__":
    main()
