#!/usr/bin/env bash
# Builds VM Desk's Debian package from a clean copy of the source tree (the files git tracks,
# and new ones it does not ignore: no build/, no caches) with `dpkg-buildpackage -us -uc -b`,
# and runs lintian on the result. Once per source state: when OUTDIR already holds the package
# of exactly these sources, it is reused (scripts/test.sh removes OUTDIR first, so every test
# run builds it once and its tests share it).
#   tests/desktop/build-package.sh OUTDIR
# On success OUTDIR holds vmdesk_*.deb, vmdesk_*.changes, build.log, lintian.txt, and the
# stamp; prints the .deb's path. Fails (exit 1) when the build fails or lintian reports an
# error or a warning that debian/*lintian-overrides do not explain.
set -euo pipefail

die() { echo "build-package: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: build-package.sh OUTDIR"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
OUT=$(realpath "$1")
for tool in git dpkg-buildpackage dh lintian; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-deps.sh"
done

# What the package is made of, and a stamp of it: paths and contents.
mapfile -d '' files < <(git -C "$SRC" ls-files -z --cached --others --exclude-standard)
present=()
for f in "${files[@]}"; do [ -f "$SRC/$f" ] && present+=("$f"); done
stamp=$(cd "$SRC" && sha256sum -- "${present[@]}" | sha256sum | cut -d' ' -f1)
version=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
deb="$OUT/vmdesk_${version}_$(dpkg --print-architecture).deb"
if [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$deb" ]; then
  echo "$deb"
  exit 0
fi

rm -rf "$OUT/src" "$OUT"/vmdesk[_-]* "$OUT/stamp" "$OUT/lintian.txt"
tree="$OUT/src/vmdesk-$version"
mkdir -p "$tree"
(cd "$SRC" && printf '%s\0' "${present[@]}" | cpio --null -pdm --quiet "$tree")

started=$(date +%s)
if ! (cd "$tree" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1; then
  tail -n 40 "$OUT/build.log" >&2
  die "dpkg-buildpackage failed (log: $OUT/build.log)"
fi
echo "build-package: built in $(( $(date +%s) - started )) s" >&2
mv "$OUT/src"/*.deb "$OUT/src"/*.changes "$OUT/src"/*.buildinfo "$OUT/"
rm -rf "$OUT/src"

# --fail-on error,warning: a warning fails too, unless an override (with its reason) covers it.
changes=$(ls "$OUT"/vmdesk_*.changes)
# lintian needs no privileges: as root it runs as nobody.
as_nobody=()
[ "$(id -u)" -ne 0 ] || as_nobody=(runuser -u nobody -- env HOME=/tmp)
if ! "${as_nobody[@]}" lintian --fail-on error,warning --info --display-info "$changes" >"$OUT/lintian.txt" 2>&1; then
  cat "$OUT/lintian.txt" >&2
  die "lintian found problems in $changes"
fi
echo "$stamp" >"$OUT/stamp"
echo "$deb"
