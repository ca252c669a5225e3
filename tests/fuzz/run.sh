#!/usr/bin/env bash
# Builds the fuzz targets and runs each on a temporary copy of its committed corpus (so nothing
# committed changes), at most two at a time. Each target is one test: it passes when libFuzzer
# found no crash, leak, timeout or broken rule in the time given.
#   tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-o TESTLOG.json] [TARGET...]
# -t: time per target (default 30); -o: also write a meson-style testlog (one JSON object a
# line) for scripts/summarize-tests.py. Prints one line per target with runs, cov edges and time.
# Inputs that failed are kept in build-fuzz/artifacts/ (run the target on one to reproduce).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=30
jobs=2
testlog=
while getopts "t:j:o:" option; do
  case $option in
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    o) testlog=$OPTARG ;;
    *) echo "usage: tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-o TESTLOG] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-iso fuzz-tree fuzz-address fuzz-domain-xml fuzz-serial)

out=$top/build-fuzz
artifacts=$out/artifacts
mkdir -p "$artifacts"
build_log=$out/build.log
if ! "$top/tests/fuzz/build.sh" "$out" "${targets[@]}" >"$build_log" 2>&1; then
  tail -n 30 "$build_log"
  echo "fuzz: the targets did not build (full log: $build_log)"
  if [ -n "$testlog" ]; then
    for target in "${targets[@]}"; do
      printf '{"name": "%s", "result": "FAIL", "stdout": "build failed"}\n' "$target"
    done > "$testlog"
  fi
  exit 1
fi

# Scratch space for the targets' trees and images (tmpfs when there is one), and the copies.
base=/dev/shm
[ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/vmdesk-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Leaks count here too; the suppressions are the sanitizer pass's own.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export LSAN_OPTIONS="suppressions=$top/tests/sanitizer.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() {
  local target=$1 corpus=$work/$1/corpus log=$out/$1.log start status
  mkdir -p "$corpus" "$work/$1/tmp"
  cp "$top/tests/fuzz/corpus/$target/"* "$corpus/"
  start=$(date +%s)
  # -malloc_limit_mb: libarchive mallocs as much as an ISO directory claims (up to 4 GiB) before
  # it finds the file too short; untouched, that costs no memory (findings/iso-directory-3gib.iso).
  TMPDIR=$work/$1/tmp "$out/$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -malloc_limit_mb=4200 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1
  status=$?
  echo "$status $(( $(date +%s) - start ))" > "$work/$1/status"
}

running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_one "$target" &
  running=$((running + 1))
done
wait

failed=0
: > "$work/testlog"
for target in "${targets[@]}"; do
  log=$out/$target.log
  read -r status duration < "$work/$target/status"
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
  if [ "$status" -eq 0 ]; then
    result=OK
  else
    result=FAIL
    failed=1
  fi
  summary="$target: $result, ${runs:-?} runs, cov ${cov:-?} edges, $duration s (log: $log)"
  echo "$summary"
  if [ "$result" = FAIL ]; then
    grep -E 'ERROR|SUMMARY|rule broken|opened .* outside|Test unit written' "$log" | head -n 8
  fi
  python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "result": sys.argv[2], "stdout": sys.argv[3], "duration": float(sys.argv[4])}))' \
    "$target" "$result" "$summary" "$duration" >> "$work/testlog"
done
[ -z "$testlog" ] || cp "$work/testlog" "$testlog"
exit "$failed"
