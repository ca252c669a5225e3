#!/usr/bin/python3
"""Counts test cases over meson's testlog.json files (one per pass): the TAP lines of each test,
so one GTest binary with ten cases counts ten; a binary that crashed or timed out without a
"not ok" line counts as one failure more. Prints the closing line; exits 1 on any failure or skip
(no issue allows a skip)."""
import json
import re
import sys


def results(paths):
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for line in log:
                yield json.loads(line)


def diagnostics(lines, not_ok, limit=12):
    """The '#' lines that follow a "not ok" line: what the test saw, so that a failure in CI,
    where only the end of the output is kept, says why."""
    after = lines[lines.index(not_ok) + 1:]
    said = []
    for line in after:
        if not line.startswith("#"):
            break
        said.append("\n    " + line[:300])
    return "".join(said[:limit])


def count(test):
    """(passed, failed, skipped, failure descriptions) of one meson test."""
    lines = (test.get("stdout") or "").splitlines()
    oks = [l for l in lines if re.match(r"^ok \d+", l)]
    not_oks = [l for l in lines if re.match(r"^not ok \d+", l)]
    skips = [l for l in oks if re.search(r"#\s*SKIP", l, re.I)]
    passed, failed, skipped = len(oks) - len(skips), len(not_oks), len(skips)
    failures = [f"{test['name']}: {l}" + diagnostics(lines, l) for l in not_oks]
    result = test.get("result")
    if not oks and not not_oks:
        if result == "SKIP":
            skipped += 1
        elif result == "OK":
            passed += 1
    if result not in ("OK", "EXPECTEDFAIL", "SKIP") and not not_oks:
        failed += 1
        failures.append(f"{test['name']}: {result}")
    return passed, failed, skipped, failures


def main():
    passed = failed = skipped = 0
    for test in results(sys.argv[1:]):
        p, f, s, failures = count(test)
        passed, failed, skipped = passed + p, failed + f, skipped + s
        for failure in failures:
            print(f"FAILED {failure}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
