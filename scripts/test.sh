#!/usr/bin/env bash
# Sets up everything on a fresh Debian 12 machine, builds, runs every test suite (unit,
# integration, ui), and ends with one line: "N passed, N failed, N skipped".
#   scripts/test.sh [--suite NAME]... [--sanitize]
set -uo pipefail
cd "$(dirname "$0")/.."

suites=()
builddir=build
meson_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suites+=(--suite "$2"); shift 2 ;;
    --sanitize) builddir=build-sanitize; meson_opts+=(-Db_sanitize=address,undefined -Db_lundef=false); shift ;;
    *) echo "usage: scripts/test.sh [--suite NAME]... [--sanitize]" >&2; exit 2 ;;
  esac
done

step() { echo "== $*"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

step "dependencies"
scripts/install-deps.sh || die "installing packages failed"

step "build ($builddir)"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "${meson_opts[@]}" >/dev/null || die "meson setup failed"
fi
ninja -C "$builddir" >"$builddir/ninja.log" 2>&1 || { tail -n 40 "$builddir/ninja.log"; die "build failed"; }

step "libvirt daemon and tiny guest"
tests/harness/libvirt-up.sh || die "the libvirt daemon did not start"
tests/fixtures/build-tiny-guest.sh tests/fixtures/cache || die "building the tiny guest failed"

step "tests"
start=$(date +%s)
rm -f "$builddir/meson-logs/testlog.json"
meson test -C "$builddir" --print-errorlogs "${suites[@]}" --num-processes 2 \
  > "$builddir/meson-test.out" 2>&1
grep -E '^ *[0-9]+/[0-9]+ ' "$builddir/meson-test.out"
echo "(tests took $(( $(date +%s) - start )) s; full log: $builddir/meson-logs/testlog.txt)"
[ -f "$builddir/meson-logs/testlog.json" ] || { tail -n 40 "$builddir/meson-test.out"; die "meson test did not run"; }
/usr/bin/python3 scripts/summarize-tests.py "$builddir/meson-logs/testlog.json"
