#!/usr/bin/env python3
"""Run the wasisocket unittest suites inside python.wasm under the test peer.

Runs natively (standard library only).  It starts the native loopback peer
of the test harnesses (tests/peer/peer.py: echo, banner, bulk, HTTP, UDP
echo and TLS servers on 127.0.0.1 and ::1, and native clients on request),
tells the guest where they listen through the environment variable
WASISOCK_TEST_CONFIG (JSON, as peer.py describes it), runs

    <interpreter> -m unittest -v <modules>

with this directory as the current directory (wasisock-python maps it into
the guest), stops the peer and exits with the guest's exit status.
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
tests/go); the peer is the same, and CMD must pass WASISOCK_TEST_CONFIG on
to its guest (wasisock-run --inherit-env).
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peer"))
import peer  # noqa: E402


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

    servers = peer.Peer(tls=True)
    config = servers.start()
    # The TLS suites' certificates are in a temporary directory the guest
    # gets mapped at the same path.
    if servers.tls is not None and not args.interpreter and not args.command:
        cmd[1:1] = ["--dir", servers.tls.dir]
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
        servers.stop()
    return rc if 0 <= rc < 256 else 1


if __name__ == "__main__":
    sys.exit(main())
