#!/usr/bin/env bash
# Sets up everything on a fresh Debian 12 machine, builds, and runs every test suite; runs the unit
# suite again under valgrind memcheck; then builds again with AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the unit and integration suites under them; runs each
# libFuzzer target of tests/fuzz/ for 30 s on its corpus. Ends with one line:
# "N passed, N failed, N skipped" over all passes.
#   scripts/test.sh                 everything (what CI runs)
#   scripts/test.sh --suite unit    one suite (repeatable), plain build only
#   scripts/test.sh --suite fuzz    the fuzz targets only (with the plain build they need)
#   scripts/test.sh --sanitize      the sanitizer pass only
#   scripts/test.sh --no-sanitize   the plain pass only (no valgrind, no sanitizers)
set -uo pipefail
cd "$(dirname "$0")/.."

suites=()
plain=1
sanitize=1
fuzz=1
any_suite=0
fuzz_asked=0
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) any_suite=1
             if [ "$2" = fuzz ]; then fuzz_asked=1; else suites+=(--suite "$2"); fi
             sanitize=0; shift 2 ;;
    --sanitize) plain=0; fuzz=0; shift ;;
    --no-sanitize) sanitize=0; shift ;;
    *) echo "usage: scripts/test.sh [--suite NAME]... [--sanitize|--no-sanitize]" >&2; exit 2 ;;
  esac
done

step() { echo "== $*"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# build DIR [meson options...]
build() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || die "meson setup $dir failed"
  fi
  ninja -C "$dir" >"$dir/ninja.log" 2>&1 || { tail -n 40 "$dir/ninja.log"; die "build of $dir failed"; }
}

# run_tests DIR LOGCOPY [meson test options...]
run_tests() {
  local dir=$1 copy=$2; shift 2
  local start
  start=$(date +%s)
  rm -f "$dir"/meson-logs/testlog*.json
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" > "$dir/meson-test.out" 2>&1
  grep -E '^ *[0-9]+/[0-9]+ ' "$dir/meson-test.out"
  echo "($dir: tests took $(( $(date +%s) - start )) s; full log: $dir/meson-logs/testlog.txt)"
  # meson names the log after the test setup, if any (testlog-valgrind.json).
  local log
  log=$(ls "$dir"/meson-logs/testlog*.json 2>/dev/null | head -n 1)
  [ -n "$log" ] || { tail -n 40 "$dir/meson-test.out"; die "meson test did not run in $dir"; }
  cp "$log" "$copy"
  if grep -qE '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT)' "$dir/meson-test.out"; then
    sed -n '/^Summary of Failures/,$p' "$dir/meson-test.out" | head -n 20
  fi
}

step "dependencies"
scripts/install-deps.sh || die "installing packages failed"

step "libvirt daemon and tiny guest"
tests/harness/libvirt-up.sh || die "the libvirt daemon did not start"
tests/fixtures/build-tiny-guest.sh tests/fixtures/cache || die "building the tiny guest failed"

# With --suite, only what was named: meson's suites, and the fuzz targets if "fuzz" was.
meson_suites=1
if [ "$any_suite" -eq 1 ]; then
  fuzz=$fuzz_asked
  [ ${#suites[@]} -gt 0 ] || meson_suites=0
fi
# The desktop suite's Debian package is built once per run, into build/deb, and reused there.
rm -rf build/deb

logs=()
if [ "$plain" -eq 1 ]; then
  # The fuzz targets take meson's generated enum sources from build/ too.
  step "build (build/)"
  build build
fi
if [ "$plain" -eq 1 ] && [ "$meson_suites" -eq 1 ]; then
  step "tests"
  # The leaks suite needs the sanitizer build: it runs in that pass below.
  run_tests build build/testlog-plain.json "${suites[@]}" --no-suite leaks
  logs+=(build/testlog-plain.json)
  if [ "$sanitize" -eq 1 ]; then
    step "unit tests under valgrind memcheck"
    run_tests build build/testlog-valgrind.json --setup valgrind --suite unit
    logs+=(build/testlog-valgrind.json)
  fi
fi
if [ "$fuzz" -eq 1 ]; then
  # Each target counts as one test; clang builds them apart from meson (tests/fuzz/build.sh).
  step "fuzz targets, 30 s each on their corpus, 2 at a time (tests/fuzz/)"
  rm -f build/testlog-fuzz.json
  tests/fuzz/run.sh -t 30 -j 2 -o build/testlog-fuzz.json
  [ -f build/testlog-fuzz.json ] || die "the fuzz step wrote no results"
  logs+=(build/testlog-fuzz.json)
fi
if [ "$sanitize" -eq 1 ]; then
  step "build with AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/)"
  build build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
  # Leaks count: tests/sanitizer.supp holds the few that are a library's own, each justified.
  asan_base="detect_leaks=1:abort_on_error=0:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  step "unit tests under the sanitizers"
  # Fast unwinding here: slow unwinding makes every malloc walk DWARF, and loading libosinfo's
  # database then takes 20 s instead of 1 s (tests/unit machine-details timed out on CI).
  export ASAN_OPTIONS="$asan_base"
  run_tests build-sanitize build-sanitize/testlog-sanitize-unit.json --suite unit
  logs+=(build-sanitize/testlog-sanitize-unit.json)
  step "integration and leaks tests under the sanitizers"
  # Slow unwinding: Debian's libraries have no frame pointers, and a suppression can only name
  # the library function at fault (libvirt-gobject's, on a daemon with no domains) if the
  # leak's stack reaches it. Only these suites talk to a real daemon.
  export ASAN_OPTIONS="$asan_base:fast_unwind_on_malloc=0"
  run_tests build-sanitize build-sanitize/testlog-sanitize-integration.json \
    --suite integration --suite leaks
  logs+=(build-sanitize/testlog-sanitize-integration.json)
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
fi
/usr/bin/python3 scripts/summarize-tests.py "${logs[@]}"
