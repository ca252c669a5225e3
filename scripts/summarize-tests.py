#!/usr/bin/python3
"""Counts test cases from meson's testlog.json: the TAP lines of each suite, so one GTest binary
with ten cases counts ten; a binary that crashed or timed out counts as one failure more."""
import json
import re
import sys

passed = failed = skipped = 0
failures = []
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        test = json.loads(line)
        out = test.get("stdout") or ""
        oks = [l for l in out.splitlines() if re.match(r"^ok \d+", l)]
        not_oks = [l for l in out.splitlines() if re.match(r"^not ok \d+", l)]
        skips = [l for l in oks if re.search(r"#\s*SKIP", l, re.I)]
        passed += len(oks) - len(skips)
        skipped += len(skips)
        failed += len(not_oks)
        failures += [f"{test['name']}: {l}" for l in not_oks]
        result = test.get("result")
        if result == "SKIP" and not oks and not not_oks:
            skipped += 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and not not_oks:
            failed += 1
            failures.append(f"{test['name']}: {result}")
        elif result == "OK" and not oks and not not_oks:
            passed += 1
for f in failures:
    print(f"FAILED {f}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or skipped else 0)
