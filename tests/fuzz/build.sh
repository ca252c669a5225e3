#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, against the project's own sources (the same files the app links).
#   tests/fuzz/build.sh [OUT_DIR [TARGET...]]   (default: build-fuzz/ at the top, all targets)
# Prints the path of each target built. Rebuilds a target only when a source is newer.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-fuzz}
cc=${CC:-clang}
meson_build=${MESON_BUILD:-$top/build}
mkdir -p "$out/obj"

command -v "$cc" >/dev/null || { echo "fuzz/build.sh: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

# What meson's configure_file() writes, for the few sources that include config.h.
cat > "$out/config.h.new" <<'EOF'
#pragma once
#define APPLICATION_ID "io.github.vmdesk.VmDesk"
#define GETTEXT_PACKAGE "vmdesk"
#define LOCALEDIR "/usr/share/locale"
#define PACKAGE_VERSION "fuzz"
EOF
cmp -s "$out/config.h.new" "$out/config.h" || mv "$out/config.h.new" "$out/config.h"
rm -f "$out/config.h.new"

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags=(-g -O1 -fno-omit-frame-pointer $sanitize -std=gnu11 -Wall -Wno-unused-parameter
  -DG_LOG_DOMAIN='"vmdesk"' -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
  -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE
  -I"$out" -I"$meson_build/src" -I"$top/src" -I"$top/src/core" -I"$top/src/net" -I"$top/tests/fuzz")

# target: project sources, pkg-config packages
declare -A sources packages
sources[fuzz-iso]="core/vmd-install-media.c core/vmd-install-media-extract.c core/vmd-untrusted-file.c core/vmd-os-catalog.c core/vmd-error.c"
packages[fuzz-iso]="glib-2.0 gio-2.0 libosinfo-1.0 libarchive libvirt"
sources[fuzz-tree]=${sources[fuzz-iso]}
packages[fuzz-tree]=${packages[fuzz-iso]}
sources[fuzz-address]="net/vmd-address-validation.c core/vmd-error.c"
packages[fuzz-address]="glib-2.0 libvirt"
sources[fuzz-domain-xml]="core/vmd-machine-config.c core/vmd-domain-xml.c core/vmd-form-fields.c core/vmd-text-diff.c core/vmd-xml.c core/vmd-error.c"
packages[fuzz-domain-xml]="glib-2.0 libxml-2.0 libvirt"
sources[fuzz-serial]="core/vmd-console-info.c core/vmd-xml.c core/vmd-error.c"
packages[fuzz-serial]="glib-2.0 libxml-2.0 libvirt"

targets=(fuzz-iso fuzz-tree fuzz-address fuzz-domain-xml fuzz-serial)
[ $# -gt 1 ] && targets=("${@:2}")

# newer FILE THAN: is any of the headers or FILE newer than THAN?
newer() {
  local file=$1 than=$2
  [ ! -e "$than" ] || [ "$file" -nt "$than" ] && return 0
  find "$top/src/core" "$top/src/net" "$top/tests/fuzz" -name '*.h' -newer "$than" | grep -q . 
}

for target in "${targets[@]}"; do
  pkg_cflags=$(pkg-config --cflags ${packages[$target]})
  pkg_libs=$(pkg-config --libs ${packages[$target]})
  objects=()
  for src in ${sources[$target]}; do
    obj="$out/obj/$(echo "$src" | tr / _).o"
    if newer "$top/src/$src" "$obj"; then
      # fuzzer-no-link: coverage of the project's code guides the fuzzer.
      "$cc" "${cflags[@]}" -fsanitize=fuzzer-no-link $pkg_cflags -c "$top/src/$src" -o "$obj"
    fi
    objects+=("$obj")
  done
  exe="$out/$target"
  if newer "$top/tests/fuzz/$target.c" "$exe" || [ -n "$(find "${objects[@]}" -newer "$exe")" ]; then
    "$cc" "${cflags[@]}" -fsanitize=fuzzer $pkg_cflags "$top/tests/fuzz/$target.c" "${objects[@]}" \
      $pkg_libs -ldl -o "$exe"
  fi
  echo "$exe"
done
