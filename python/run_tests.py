#!/usr/bin/env python3
"""Runs the Python bridge's tests (unittest) and writes a JSON report for tools/test-summary.mjs.

    /usr/bin/python3 python/run_tests.py [--report .test-reports/python.json] [-k pattern]

Report: {"tool": "python-unittest", "passed": N, "failed": N, "tests": [{"name", "status", "seconds", "message"}]}.
A skipped test counts as failed (nothing here may be silently skipped), and a missing torch or
numpy is one failed test naming the interpreter, never an empty pass.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = []
        self._started = {}

    def startTest(self, test):
        self._started[test.id()] = time.perf_counter()
        super().startTest(test)

    def _record(self, test, status, message=""):
        seconds = time.perf_counter() - self._started.get(test.id(), time.perf_counter())
        self.records.append({"name": test.id(), "status": status, "seconds": round(seconds, 3), "message": message})

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "failed", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "failed", f"skipped ({reason}): the Python suite must not skip")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", "unexpected success")


def write_report(path, records):
    passed = sum(r["status"] == "passed" for r in records)
    failed = len(records) - passed
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"tool": "python-unittest", "python": sys.executable, "passed": passed, "failed": failed, "tests": records}, f, indent=1)
    os.replace(tmp, path)
    return passed, failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", default=os.path.join(ROOT, ".test-reports", "python.json"))
    parser.add_argument("-k", dest="pattern", default=None, help="only tests whose id contains this text")
    args = parser.parse_args()
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        message = (f"{sys.executable} cannot import torch/numpy ({e}); install them with tools/ci-system-deps.sh "
                   "(Debian python3-torch, python3-numpy) and run the tests with /usr/bin/python3")
        print(message, file=sys.stderr)
        write_report(args.report, [{"name": "python.environment", "status": "failed", "seconds": 0, "message": message}])
        return 1
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(os.path.join(HERE, "tests"), top_level_dir=HERE)
    if args.pattern:
        def keep(s):
            out = unittest.TestSuite()
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    out.addTests(keep(t))
                elif args.pattern in t.id():
                    out.addTest(t)
            return out
        suite = keep(suite)
    runner = unittest.TextTestRunner(resultclass=RecordingResult, verbosity=2, stream=sys.stdout)
    result = runner.run(suite)
    records = list(result.records)
    # A module that failed to import shows up as an error of a synthetic test: it is in records already.
    passed, failed = write_report(args.report, records)
    print(f"python: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
