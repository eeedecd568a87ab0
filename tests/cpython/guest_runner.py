"""Runs CPython's own test modules in this interpreter (python.wasm), in one
process, and reports every test on stdout for tests/cpython/run_suite.py.

    guest_runner.py --testlib DIR [--resources a,b] [--after TEST_ID] MODULE...

DIR holds the harness's copy of CPython's Lib/test (as the package
``test``); MODULE is a name inside it (``test_socket``,
``test_asyncio.test_streams``).  --resources are the test resources
(``support.use_resources``) the tests may use, as regrtest's ``-u``;
--after TEST_ID runs only the tests planned after that one (run_suite.py
resumes a module that hung or crashed this way).

Every report is one line ``@@cpython-test <json>`` written to file
descriptor 1 directly, so tests that capture ``sys.stdout`` cannot swallow
it:

    {"event": "plan", "module": M, "tests": [ids]}     before M runs
    {"event": "start", "id": ID}                         a test begins
    {"event": "result", "id": ID, "outcome": O, ...}     it ended
    {"event": "fixture", "id": ID, "outcome": O, ...}    a module or class
                                                         fixture failed or
                                                         skipped
    {"event": "done", "module": M}

O is pass, fail, error, skip, xfail (expected failure) or xpass
(unexpected success); "reason" is the skip reason, "exception" the
exception's type and first line, "traceback" its last lines and
"subtest" the failing subtest's parameters.  This
runner classifies nothing: run_suite.py does.
"""

import argparse
import gc
import json
import os
import sys
import time
import traceback
import unittest
import warnings

PREFIX = "@@cpython-test "
TRACEBACK_LINES = 30
# Outcomes from the least to the most serious: a test's outcome is the worst
# of its own and its subtests'.
_RANK = {"pass": 0, "xfail": 1, "skip": 2, "xpass": 3, "fail": 4, "error": 5}


def emit(**record):
    data = (PREFIX + json.dumps(record) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def describe(err):
    """(exception line, last traceback lines) of an exc_info triple."""
    etype, value, tb = err
    lines = traceback.format_exception(etype, value, tb)
    text = "".join(lines).rstrip("\n").split("\n")
    first = traceback.format_exception_only(etype, value)[-1].strip().split("\n")[0]
    return first, "\n".join(text[-TRACEBACK_LINES:])


class Recorder(unittest.TestResult):
    """Reports each test once, when it stops, with the worst outcome of
    the test and its subtests."""

    def __init__(self):
        super().__init__()
        self._current = None

    def startTest(self, test):
        super().startTest(test)
        self._current = {"id": test.id(), "outcome": "pass", "t0": time.monotonic()}
        emit(event="start", id=test.id())

    def _note(self, test, outcome, **info):
        rec = self._current
        if rec is None or rec["id"] != test.id():
            # A module or class fixture (setUpModule, setUpClass, their
            # tearDowns): unittest reports it through an _ErrorHolder.
            emit(event="fixture", id=str(test), outcome=outcome, **info)
            return
        if _RANK[outcome] > _RANK[rec["outcome"]]:
            rec["outcome"] = outcome
            rec.update(info)

    def stopTest(self, test):
        super().stopTest(test)
        # What the test left behind is collected now, not inside a later
        # test that counts ResourceWarnings (a test that stopped at a
        # thread start here would have cleaned up on Linux).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        rec, self._current = self._current, None
        if rec is not None:
            rec["seconds"] = round(time.monotonic() - rec.pop("t0"), 3)
            emit(event="result", **rec)

    def addSuccess(self, test):
        super().addSuccess(test)

    def addError(self, test, err):
        super().addError(test, err)
        first, tb = describe(err)
        self._note(test, "error", exception=first, traceback=tb)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        first, tb = describe(err)
        self._note(test, "fail", exception=first, traceback=tb)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._note(test, "skip", reason=str(reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._note(test, "xfail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._note(test, "xpass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            return
        first, tb = describe(err)
        outcome = "fail" if issubclass(err[0], test.failureException) else "error"
        self._note(test, outcome, subtest=subtest._subDescription(), exception=first, traceback=tb)


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def drop_until(suite, after):
    """Remove from SUITE (in place) every test up to and including AFTER;
    returns whether AFTER was found."""
    found = [False]

    def walk(s):
        kept = []
        for item in s._tests:
            if isinstance(item, unittest.TestSuite):
                walk(item)
                kept.append(item)
            elif found[0]:
                kept.append(item)
            elif item.id() == after:
                found[0] = True
        s._tests = kept

    walk(suite)
    return found[0]


def run_module(name, after):
    full = "test." + name
    try:
        suite = unittest.defaultTestLoader.loadTestsFromName(full)
    except unittest.SkipTest as exc:
        emit(event="plan", module=name, tests=[])
        emit(event="fixture", id=full, outcome="skip", reason=str(exc))
        emit(event="done", module=name)
        return
    emit(event="plan", module=name, tests=[t.id() for t in flatten(suite)])
    if after is not None and not drop_until(suite, after):
        raise SystemExit(f"guest_runner: --after {after}: no such test in {name}")
    result = Recorder()
    suite.run(result)
    emit(event="done", module=name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--testlib", required=True)
    ap.add_argument("--resources", default="")
    ap.add_argument("--after")
    ap.add_argument("modules", nargs="+")
    args = ap.parse_args()

    sys.path.insert(0, args.testlib)
    from test import support

    # As regrtest would set them: the resources given, no verbose output.
    support.use_resources = [r for r in args.resources.split(",") if r]
    support.verbose = 0
    for name in args.modules:
        run_module(name, args.after)


if __name__ == "__main__":
    main()
