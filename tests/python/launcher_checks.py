"""What the native check_*.py scripts share: the launcher they run, how they
run it, and their command line.

    import launcher_checks as lc
    class MyTest(lc.LauncherCase): ...  # self.tmp, self.write(), self.assertRan()
    r = lc.launch("--deny-all", "-c", "pass", env={...}, drop=("USER",))
    sys.exit(lc.main())          # --launcher PATH [--python-dir DIR] [unittest args]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

LAUNCHER = None
PYTHON_DIR = None


def command(*args):
    """The launcher's command line with args (and --python-dir when given)."""
    cmd = [LAUNCHER]
    if PYTHON_DIR:
        cmd += ["--python-dir", PYTHON_DIR]
    return cmd + list(args)


def launch(*args, env=None, drop=(), timeout=300, **kw):
    """Runs the launcher with this environment minus `drop`, plus `env`;
    returns the CompletedProcess (text)."""
    full = dict(os.environ)
    for name in drop:
        full.pop(name, None)
    full.update(env or {})
    return subprocess.run(command(*args), env=full, capture_output=True, text=True,
                          timeout=timeout, **kw)


class LauncherCase(unittest.TestCase):
    """A case with its own temporary directory (self.tmp, real path)."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="wasisock-check-")
        self.addCleanup(tmp.cleanup)
        self.tmp = os.path.realpath(tmp.name)

    def write(self, name, text):
        """self.tmp/name with text (dedented); returns the path."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return path

    def assertRan(self, r, rc=0):
        self.assertEqual(r.returncode, rc, f"stdout={r.stdout!r}\nstderr={r.stderr!r}")


def main():
    """Parses --launcher/--python-dir, runs the calling script's tests;
    returns the exit status."""
    global LAUNCHER, PYTHON_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--python-dir")
    args, rest = ap.parse_known_args()
    LAUNCHER = os.path.abspath(args.launcher)
    PYTHON_DIR = args.python_dir and os.path.abspath(args.python_dir)
    prog = unittest.main(module="__main__", argv=[sys.argv[0], "-v"] + rest, exit=False)
    return 0 if prog.result.wasSuccessful() else 1
