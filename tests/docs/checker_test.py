#!/usr/bin/env python3
"""The docs checker fails on each kind of mistake it is meant to catch (tests/docs/bad/), naming it.

  checker_test.py CHECKER BUILD SHARED
"""
import os
import re
import shutil
import subprocess
import sys

checker, build, shared = sys.argv[1:4]
bad = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad")
r = subprocess.run([sys.executable, checker, "--source", bad, "--build", build, "--shared", shared],
                   capture_output=True, text=True, timeout=900)
out = r.stdout + r.stderr
kept = re.search(r"folders are kept in (\S+)\)", out)
if kept:
    shutil.rmtree(kept.group(1), ignore_errors=True)
expected = [
    "README.md: link to docs/missing.md: docs/missing.md does not exist",
    "README.md: link to docs/page.md#nowhere: no heading #nowhere there",
    "README.md: --no-such-option is not an option of any soundlens command",
    "README.md: --top-k is not an option of `soundlens serve`",
    "README.md:7: a fenced block without a language",
    "README.md:11: exited 1",
    "README.md:16: `soundlens version --figure never-written.png` wrote no never-written.png",
    "README.md:20: `soundlens version` did not print 'soundlens 0.0.0-not-this-version'",
    "README.md:26: covered-by no_such_test_anywhere: no such test in tests/",
    "README.md:30: exited 127",
    "docs/page.md:7: exited 22",
    "docs/page.md:14: --no-such-flag is not an option of `soundlens analyze`",
]
missing = [e for e in expected if e not in out]
wrongly = [line for line in out.split("\n") if line.startswith("FAIL") and "a-heading" in line]
if r.returncode != 1 or missing or wrongly:
    print(out)
    print(f"exit {r.returncode} (expected 1); not reported: {missing}; reported a good link: {wrongly}")
    sys.exit(1)
print(f"the checker reported all {len(expected)} mistakes")
