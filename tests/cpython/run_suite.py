#!/usr/bin/env python3
"""CPython's own test modules, run inside python.wasm: the conformance suite.

Runs natively (standard library only); the tests themselves run in the
guest, one python.wasm process per module (guest_runner.py), with nothing
but loopback reachable (a --deny-all network policy).

    run_suite.py prepare --testlib DIR (--source SRC | --build-command CMD...)
    run_suite.py run --testlib DIR --runner CMD [--json FILE] MODULE
    run_suite.py report FILE.json...
    run_suite.py check-docs [--docs docs/PYTHON.md] [--results DIR] MODULE...

prepare  copies Lib/test of CPython's source (--source, or with
         --build-command CMD... the tree scripts/cpython-wasi.sh built
         python.wasm from, i.e. Debian's python3.13 source) to DIR and lifts the test package's "WASI has
         no sockets" gates there (GATES below; the source stays as it is).
         Nothing happens when DIR is up to date.
run      runs MODULE (test_socket, test_asyncio.test_streams, ...) in the
         guest, classifies every test (below) and exits 0 when every test
         that ran passed or is a known failure (known-failures.txt, each
         with its reason) and no known failure passed.  A test that hangs
         (--test-timeout) or crashes the guest counts as failed and the
         module resumes after it, in a new process.
report   prints docs/PYTHON.md's block of results from run's --json files:
         per module, skips by category, the known failures with reasons.
check-docs  fails when that block in the docs disagrees with
         known-failures.txt (its list, a module's count), or with --results,
         with a fresh report of the runs there.

Skipped tests are counted by category (CATEGORIES): what python.wasm cannot
do (threads, subprocesses, signals, AF_UNIX), what the suite must not do
(reach the internet) and what the tests themselves declare not applicable
to this platform (CPython's own skip conditions, listed by reason).
"""

import argparse
import collections
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PREFIX = "@@cpython-test "

# ---- the copy of Lib/test ----------------------------------------------------

# The test package's gates that keep socket tests from running on WASI,
# lifted in the copy the harness runs, and the two places where a socket
# test depends on what WASI lacks (termios, SIGCHLD) only through shared
# set-up code: (file, CPython 3.13's text, replacement, what it opens[,
# count]).  Each must match exactly count times (default once), or prepare
# fails.
GATES = [
    ("support/__init__.py",
     "has_socket_support = not (\n    is_emscripten\n    or is_wasi\n)\n",
     "has_socket_support = not is_emscripten  # lifted: wasisock gives WASI sockets\n",
     "every requires_working_socket() and the network/urlfetch resources"),
    ("test_selectors.py",
     "if support.is_emscripten or support.is_wasi:\n",
     "if support.is_emscripten:  # lifted: socketpair works under wasisock\n",
     "the whole module: 'Cannot create socketpair on Emscripten/WASI'"),
    ("test_socket.py",
     '    @unittest.skipIf(support.is_wasi, "WASI is missing these methods")\n',
     "",
     "GeneralModuleTests.test_socket_methods: bind, connect, accept... exist"),
    ("support/socket_helper.py",
     "        with socket.socket(socket.AF_UNIX) as sock:\n"
     "            try:\n"
     "                sock.bind(path)\n"
     "                _bind_nix_socket_error = False\n"
     "            except OSError as e:\n"
     "                _bind_nix_socket_error = e\n"
     "            finally:\n"
     "                unlink(path)\n",
     "        try:  # adapted: socket(AF_UNIX) itself fails where only socketpair() has them\n"
     "            with socket.socket(socket.AF_UNIX) as sock:\n"
     "                sock.bind(path)\n"
     "            _bind_nix_socket_error = False\n"
     "        except OSError as e:\n"
     "            _bind_nix_socket_error = e\n"
     "        finally:\n"
     "            unlink(path)\n",
     "skip_unless_bind_unix_socket: its probe made the AF_UNIX socket outside its try "
     "(python.wasm has AF_UNIX for socketpair() only)"),
    ("support/socket_helper.py",
     "has_gethostname = not support.is_wasi\n",
     "has_gethostname = True  # lifted: socket.gethostname() works under wasisock\n",
     "test_urllib2 and the tests of socket.gethostname()"),
    ("test_asyncio/test_events.py",
     "    import tty\n",
     "    try:  # adapted: WASI has no termios, which tty needs (only the pty tests use it)\n"
     "        import tty\n    except ImportError:\n        tty = None\n",
     "test_asyncio.test_events imports tty for its pty tests"),
    ("test_asyncio/test_events.py",
     "                watcher = asyncio.SafeChildWatcher()\n"
     "                watcher.attach_loop(self.loop)\n"
     "                asyncio.set_child_watcher(watcher)\n",
     "                if support.has_subprocess_support:  # adapted: a child watcher needs SIGCHLD\n"
     "                    watcher = asyncio.SafeChildWatcher()\n"
     "                    watcher.attach_loop(self.loop)\n"
     "                    asyncio.set_child_watcher(watcher)\n",
     "test_asyncio.test_events: the Unix loop tests' and get_event_loop tests' setUp watched "
     "children with a SIGCHLD handler (subprocess tests skip on their own)", 2),
]
# What the copy holds: the package, its helpers and data, and the test files.
COPY_DIRS = ["support", "libregrtest", "certdata", "test_asyncio"]


def source_tree(args):
    """CPython's source tree holding Lib/test: --source, or the one in the
    cache directory that the build command (--build-command, run with
    --print-key) names."""
    if args.source:
        return os.path.abspath(args.source)
    if not args.build_command:
        sys.exit("run_suite: prepare needs --source or --build-command")
    out = subprocess.run(args.build_command + ["--print-key"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    src = os.path.join(out[-1], "src")
    trees = sorted(d for d in os.listdir(src) if d.startswith("Python-")) if os.path.isdir(src) else []
    if not trees:
        sys.exit(f"run_suite: no CPython source in {src}: build python.wasm first")
    return os.path.join(src, trees[-1])


def prepare(args):
    src = source_tree(args)
    lib = os.path.join(src, "Lib", "test")
    if not os.path.isfile(os.path.join(lib, "test_socket.py")):
        sys.exit(f"run_suite: {lib} has no test_socket.py")
    stamp_text = json.dumps({"source": src, "mtime": os.stat(os.path.join(lib, "__init__.py")).st_mtime,
                             "gates": GATES, "dirs": COPY_DIRS})
    dest = os.path.abspath(args.testlib)
    stamp = os.path.join(dest, ".prepared")
    try:
        with open(stamp) as f:
            if f.read() == stamp_text:
                print(f"run_suite: {dest} is up to date")
                return 0
    except OSError:
        pass
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    pkg = os.path.join(tmp, "test")
    os.makedirs(pkg)
    for name in os.listdir(lib):
        path = os.path.join(lib, name)
        if os.path.isfile(path) and name.endswith(".py"):
            shutil.copy2(path, pkg)
    for d in COPY_DIRS:
        shutil.copytree(os.path.join(lib, d), os.path.join(pkg, d),
                        ignore=shutil.ignore_patterns("__pycache__"))
    for rel, old, new, why, *count in GATES:
        path = os.path.join(pkg, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.count(old) != (count or [1])[0]:
            sys.exit(f"run_suite: gate in {rel} ({why}) found {text.count(old)} times: "
                     "CPython's test sources changed, update GATES")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
        print(f"run_suite: lifted gate in {rel}: {why}")
    with open(os.path.join(tmp, ".prepared"), "w") as f:
        f.write(stamp_text)
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    print(f"run_suite: CPython's tests from {lib} in {dest}")
    return 0


# ---- classification ---------------------------------------------------------------

# Why a test did not run: (category, regular expression over the skip reason
# or the error), first match wins.  A test that fails only because
# python.wasm cannot start a thread is counted under "threads".
CATEGORIES = [
    ("threads", r"can't start new thread|requires? (working )?thread|threading"),
    ("subprocesses", r"subprocess|\bfork|os\.spawn|sys\.executable"),
    ("signals", r"signal|siginterrupt|SIGALRM|setitimer|\balarm\b"),
    ("AF_UNIX", r"(?i)AF_UNIX|unix (domain )?sockets?|unix bind"),
    ("internet", r"'network' resource|resource 'network'|network is not enabled|'urlfetch' resource"
                 r"|Resource '.*' is not available"),
]
# Errors that mean the same as a skip: the test needs what python.wasm
# cannot do, and said so only by failing at it: (category, the exception,
# and what the test's id or traceback must mention, or None).  A socket
# python.wasm cannot make is an AF_UNIX one (socketpair() is the only way to
# get those), so EAFNOSUPPORT counts when the test is about Unix sockets.
NEEDS = [
    ("threads", r"^RuntimeError: can't start new thread$", None),
    ("signals", r"^AttributeError: module 'signal' has no attribute", None),
    ("AF_UNIX", r"^OSError: \[Errno \d+\] Address family not supported by protocol$",
     r"(?i)AF_UNIX|unix"),
]
OTHER = "not applicable (the test's own condition)"


def category(text):
    for name, pattern in CATEGORIES:
        if re.search(pattern, text or ""):
            return name
    return OTHER


def load_known(path):
    """known-failures.txt: 'TEST_ID  reason' per line; '#' comments."""
    known = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                sys.exit(f"run_suite: {path}:{n}: want 'TEST_ID  reason'")
            known[parts[0]] = parts[1]
    return known


def classify(rec):
    """(verdict, category or reason) of one test record: verdict is pass,
    skip or fail."""
    outcome = rec["outcome"]
    if outcome in ("pass", "xfail"):
        return "pass", None
    if outcome == "skip":
        return "skip", category(rec.get("reason"))
    for name, pattern, context in NEEDS:
        if outcome == "error" and re.search(pattern, rec.get("exception", "")) and (
                context is None or re.search(context, rec["id"] + rec.get("traceback", ""))):
            return "skip", name
    return "fail", rec.get("exception") or outcome


# ---- running a module --------------------------------------------------------------

POLICY = [  # loopback only: the conformance suite never reaches the internet
    "--deny-all",
    "--allow-net", "127.0.0.0/8",
    "--allow-net", "::1",
    "--allow-resolve", "localhost",
    "--allow-resolve", socket.gethostname(),  # the guest's /etc/hostname is the host's
    "--allow-bind", "*",
]
# Test resources (regrtest's -u) per module; "network" only where every
# use of it is loopback.
RESOURCES = {"test_socketserver": "network,cpu,walltime"}
DEFAULT_RESOURCES = "cpu,walltime"


class Guest:
    """One python.wasm process running guest_runner.py; yields its reports
    and keeps its other output (last lines) for failure reports."""

    def __init__(self, cmd, cwd, env):
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.lines = collections.deque(maxlen=40)
        self.events = []
        self.cond = threading.Condition()
        self.eof = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.cond:
                if line.startswith(PREFIX):
                    self.events.append(json.loads(line[len(PREFIX):]))
                else:
                    self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def next_event(self, timeout):
        """The next report, None at the end of output, or 'timeout'."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self.events and not self.eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "timeout"
                self.cond.wait(left)
            return self.events.pop(0) if self.events else None

    def output(self):
        with self.cond:
            out = list(self.lines)
            self.lines.clear()
        return out

    def finish(self, grace=0):
        """The exit status, after GRACE seconds to exit on its own."""
        try:
            return self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


class Run:
    """What the guest processes of one module reported, merged."""

    def __init__(self):
        self.plan = []       # every test id, in order
        self.results = {}    # id -> result record
        self.fixtures = []   # fixture records

    def follow(self, guest, test_timeout, verbose):
        """Read GUEST's reports until it is done (returns None) or stops
        early: returns (the test it was in or None, why)."""
        current = None
        while True:
            ev = guest.next_event(test_timeout)
            if ev == "timeout":
                return current, f"hung: no result after {test_timeout:.0f} s"
            if ev is None:
                return current, f"guest exited with status {guest.finish(30)}"
            kind = ev["event"]
            if kind == "plan":
                self.plan = self.plan or ev["tests"]
            elif kind == "start":
                current = ev["id"]
            elif kind == "result":
                out = guest.output()
                if ev["outcome"] not in ("pass", "skip", "xfail"):
                    ev["output"] = out
                self.results[ev["id"]] = ev
                current = None
                if verbose:
                    print(f"  {ev['id']}: {ev['outcome']} {ev.get('reason') or ev.get('exception') or ''}",
                          flush=True)
            elif kind == "fixture":
                ev["output"] = guest.output()
                self.fixtures.append(ev)
            elif kind == "done":
                return None


def guest_env(work):
    env = dict(os.environ)
    for name in list(env):  # loopback directly, never a proxy
        if name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            del env[name]
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_module(args):
    module = args.module
    testlib = os.path.abspath(args.testlib)
    if not os.path.isfile(os.path.join(testlib, ".prepared")):
        sys.exit(f"run_suite: {testlib} is not prepared (run_suite.py prepare)")
    known = load_known(args.known)
    runner = shlex.split(args.runner)
    if os.sep in runner[0]:  # the guest runs in a scratch directory
        runner[0] = os.path.abspath(runner[0])
    work = tempfile.mkdtemp(prefix=f"cpython-{module}-")
    os.makedirs(os.path.join(work, "tmp"))
    cmd = runner + ["--dir", testlib, "--dir", HERE, "--env", f"TMPDIR={work}/tmp", *POLICY,
                    os.path.join(HERE, "guest_runner.py"), "--testlib", testlib,
                    "--resources", RESOURCES.get(module, DEFAULT_RESOURCES)]
    print(f"run_suite: {module}: {shlex.join(cmd + [module])}", flush=True)
    run, after, t0 = Run(), [], time.monotonic()
    try:
        for _ in range(args.max_restarts + 1):
            guest = Guest(cmd + after + [module], work, guest_env(work))
            stopped = run.follow(guest, args.test_timeout, args.verbose)
            rc = guest.finish(30 if stopped is None else 0)
            if stopped is None:
                if rc != 0:
                    run.fixtures.append({"id": module, "outcome": "error",
                                         "exception": f"guest exit status {rc} after its last test",
                                         "output": guest.output()})
                break
            current, why = stopped
            if current is None:  # outside any test: import, a fixture, before the plan
                run.fixtures.append({"id": module, "outcome": "error", "exception": why,
                                     "output": guest.output()})
                break
            run.results[current] = {"id": current, "outcome": "error", "exception": why,
                                    "output": guest.output()}
            print(f"run_suite: {module}: {current} {why}; resuming after it", flush=True)
            after = ["--after", current]
        else:
            run.fixtures.append({"id": module, "outcome": "error", "output": [],
                                 "exception": f"gave up after {args.max_restarts} restarts"})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report_module(module, run, known, time.monotonic() - t0, args)


def fixture_for(test_id, fixtures):
    """The class or module fixture that kept TEST_ID from running."""
    for fx in fixtures:
        m = re.match(r"(\w+) \(([\w.]+)\)", fx["id"])  # "setUpClass (mod.Class)"
        scope = m.group(2) if m else fx["id"]
        if test_id.startswith(scope + "."):
            return fx
    return None


def report_module(module, run, known, seconds, args):
    plan, results, fixtures = run.plan, run.results, run.fixtures
    tests, used = {}, set()
    for tid in plan or list(results):
        rec = results.get(tid)
        if rec is None:
            fx = fixture_for(tid, fixtures)
            if fx is not None:
                used.add(id(fx))
            rec = dict(fx, id=tid) if fx else {"id": tid, "outcome": "error", "exception": "never ran"}
        tests[tid] = rec
    # A failed fixture no test stands for (a tearDownClass, tearDownModule,
    # or a module that never loaded) is one failure of its own.
    unattached = [fx for fx in fixtures if fx["outcome"] in ("error", "fail") and id(fx) not in used]
    counts = collections.Counter()
    skips = collections.Counter()
    other_reasons = collections.Counter()
    failures, known_hit, fixed = [], [], []
    for tid, rec in tests.items():
        verdict, why = classify(rec)
        reason = known.get(tid)
        if verdict == "fail" and reason:
            counts["known"] += 1
            known_hit.append((tid, reason))
        elif verdict == "fail":
            counts["fail"] += 1
            failures.append(rec)
        elif verdict == "skip":
            counts["skip"] += 1
            skips[why] += 1
            if why == OTHER:
                other_reasons[rec.get("reason", "")] += 1
        else:
            counts["pass"] += 1
            if reason:
                fixed.append(tid)
    for fx in unattached:
        counts["fail"] += 1
        failures.append(fx)
    ran = counts["pass"] + counts["fail"] + counts["known"]
    summary = {
        "module": module, "tests": len(tests), "ran": ran, "passed": counts["pass"],
        "failed": counts["fail"], "known_failures": counts["known"], "skipped": counts["skip"],
        "skipped_by_category": dict(sorted(skips.items())),
        "not_applicable_reasons": dict(other_reasons.most_common()),
        "failures": [{"id": r["id"], "exception": r.get("exception", r.get("outcome"))} for r in failures],
        "known": [{"id": t, "reason": r} for t, r in known_hit],
        "fixed": fixed, "seconds": round(seconds, 1),
    }
    for rec in failures:
        print(f"\nFAIL {rec['id']}: {rec.get('exception', rec['outcome'])}")
        if rec.get("traceback"):
            print("    " + rec["traceback"].replace("\n", "\n    "))
        if rec.get("output"):
            print("    output:\n      " + "\n      ".join(rec["output"][-15:]))
    for tid in fixed:
        print(f"\nFIXED {tid}: passes now; remove it from {os.path.basename(args.known)}")
    print(f"\n{module}: {len(tests)} tests in {seconds:.0f} s: {ran} ran, {counts['pass']} passed, "
          f"{counts['fail']} failed, {counts['known']} known failures; {counts['skip']} skipped "
          + "(" + ", ".join(f"{k} {v}" for k, v in sorted(skips.items())) + ")")
    for reason, n in other_reasons.most_common():
        print(f"    not applicable x{n}: {reason}")
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    if not tests:
        for fx in fixtures:
            print(f"{module}: the whole module {fx['outcome']}: {fx.get('reason') or fx.get('exception')}")
    ok = counts["fail"] == 0 and not fixed and len(tests) > 0
    return 0 if ok else 1


# ---- the docs block -----------------------------------------------------------------

# docs/PYTHON.md holds `report`'s output between these lines; check-docs
# holds it to known-failures.txt (and to the results, when given).
DOCS_BEGIN = "<!-- begin: tests/cpython/run_suite.py report (check-docs holds it to known-failures.txt) -->"
DOCS_END = "<!-- end: tests/cpython/run_suite.py report -->"


def module_of(test_id, modules):
    """The module of modules (test_socket, test_asyncio.test_events, ...)
    that TEST_ID (test.test_socket.Class.test) belongs to, or None."""
    for m in sorted(modules, key=len, reverse=True):
        if test_id.startswith(f"test.{m}."):
            return m
    return None


def known_table(known):
    """The Markdown table of known-failures.txt: every test with its reason."""
    out = ["| known failure | reason |", "| --- | --- |"]
    out += [f"| `{tid.removeprefix('test.')}` | {why} |" for tid, why in known.items()]
    return out


def report_lines(rows, known):
    """The docs block: results per module, skips by category, the known
    failures with their reasons, what 'not applicable' was."""
    cats = [c for c, _ in CATEGORIES]
    out = ["| module | tests | ran | passed | known failures | "
           + " | ".join(f"skipped: {c}" for c in cats) + " | skipped: not applicable |",
           "| --- " * (6 + len(cats)) + "|"]
    total = collections.Counter()
    reasons = collections.Counter()
    for r in rows:
        by = r["skipped_by_category"]
        out.append(f"| {r['module']} | {r['tests']} | {r['ran']} | {r['passed']} | {r['known_failures']} | "
                   + " | ".join(str(by.get(c, 0)) for c in cats + [OTHER]) + " |")
        total.update({k: r[k] for k in ("tests", "ran", "passed", "known_failures")})
        total.update({c: by.get(c, 0) for c in cats + [OTHER]})
        reasons.update(r.get("not_applicable_reasons", {}))
    pct = f" ({total['passed'] / total['ran'] * 100:.1f} %)" if total["ran"] else ""
    out.append(f"| **all** | {total['tests']} | {total['ran']} | {total['passed']}{pct} | {total['known_failures']} | "
               + " | ".join(str(total[c]) for c in cats + [OTHER]) + " |")
    out += ["", f"Skipped, {sum(total[c] for c in cats + [OTHER])} in all: "
            + ", ".join(f"*{c}* {total[c]}" for c in cats)
            + f"; *not applicable* {total[OTHER]}, by the tests' own reasons:", ""]
    out += [f"* {n} × {why or '(no reason given)'}" for why, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
    out += ["", f"The {len(known)} known failures, as `known-failures.txt` gives them:", ""]
    out += known_table(known)
    return out


def report(args):
    rows = sorted((json.load(open(p)) for p in args.files), key=lambda r: r["module"])
    print(DOCS_BEGIN)
    print("\n".join(report_lines(rows, load_known(args.known))))
    print(DOCS_END)
    return 0


def check_docs(args):
    """Fails when the block in the docs disagrees with known-failures.txt:
    its table of known failures, or a module's count of them in the results
    table; with --results DIR (run's --json files), when any of it
    disagrees with a fresh report."""
    known = load_known(args.known)
    with open(args.docs, encoding="utf-8") as f:
        text = f.read()
    if text.count(DOCS_BEGIN) != 1 or text.count(DOCS_END) != 1:
        sys.exit(f"check-docs: {args.docs} needs one block between\n  {DOCS_BEGIN}\n  {DOCS_END}")
    block = text.split(DOCS_BEGIN)[1].split(DOCS_END)[0].strip("\n").split("\n")
    errors = []
    table = known_table(known)
    start = block.index(table[0]) if table[0] in block else len(block)
    end = next((i for i in range(start, len(block)) if not block[i].startswith("|")), len(block))
    if block[start:end] != table:
        errors.append("its table of known failures is not known-failures.txt's (run `report`)")
    modules = args.modules
    per_module = collections.Counter(module_of(t, modules) for t in known)
    if None in per_module:
        errors.append("known-failures.txt names a test of no module of --modules")
    seen = set()
    for line in block:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 5 and cells[0] in modules:
            seen.add(cells[0])
            if cells[4] != str(per_module.get(cells[0], 0)):
                errors.append(f"{cells[0]}: {cells[4]} known failures in the docs, "
                              f"{per_module.get(cells[0], 0)} in known-failures.txt")
        elif cells[0] == "**all**" and cells[4] != str(len(known)):
            errors.append(f"all: {cells[4]} known failures in the docs, {len(known)} in known-failures.txt")
    if seen != set(modules):
        errors.append(f"the results table lacks {sorted(set(modules) - seen)}")
    if args.results:
        files = sorted(os.path.join(args.results, f"{m}.json") for m in modules)
        if all(os.path.exists(f) for f in files):
            rows = sorted((json.load(open(f)) for f in files), key=lambda r: r["module"])
            if block != report_lines(rows, known):
                errors.append(f"the block is not what `report {args.results}/*.json` prints now")
    for e in errors:
        print(f"check-docs: {args.docs}: {e}")
    if not errors:
        print(f"check-docs: {args.docs} agrees with {os.path.basename(args.known)} ({len(known)} known failures)")
    return 1 if errors else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--testlib", required=True)
    p.add_argument("--source", help="CPython source tree")
    p.add_argument("--build-command", nargs=argparse.REMAINDER,
                   help="python.wasm's scripts/cpython-wasi.sh command line (the rest of the "
                        "arguments): its cache directory's CPython source")
    r = sub.add_parser("run")
    r.add_argument("--testlib", required=True)
    r.add_argument("--runner", required=True, help="the wasisock-python command (a shell word list)")
    r.add_argument("--known", default=os.path.join(HERE, "known-failures.txt"))
    r.add_argument("--json", help="write the module's summary here")
    r.add_argument("--test-timeout", type=float, default=180, help="seconds one test may take")
    r.add_argument("--max-restarts", type=int, default=10)
    r.add_argument("-v", "--verbose", action="store_true", help="print every test's outcome")
    r.add_argument("module")
    s = sub.add_parser("report")
    s.add_argument("--known", default=os.path.join(HERE, "known-failures.txt"))
    s.add_argument("files", nargs="+")
    d = sub.add_parser("check-docs")
    d.add_argument("--known", default=os.path.join(HERE, "known-failures.txt"))
    d.add_argument("--docs", default=os.path.join(REPO, "docs", "PYTHON.md"))
    d.add_argument("--results", help="a directory of run's --json files, MODULE.json")
    d.add_argument("modules", nargs="+", help="the modules the suite runs (test_socket, ...)")
    args = ap.parse_args(argv)
    return {"prepare": prepare, "run": run_module, "report": report,
            "check-docs": check_docs}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
