#!/usr/bin/env bash
# Installs what is missing, builds, makes sure a libvirt daemon can answer, and starts VM Desk.
#   scripts/run.sh [vmdesk options, e.g. --connect qemu:///system]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

# On a machine without systemd nothing starts libvirtd for us; as root we can do it ourselves.
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/systemd/system ]; then
  tests/harness/libvirt-up.sh
fi
# Uninstalled: the compiled schema and translations live in the build tree.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data" VMDESK_LOCALEDIR="$PWD/build/po"
exec build/src/vmdesk "$@"
