#!/usr/bin/env bash
# Runs one desktop test (a python3 dogtail SCRIPT) as the unprivileged USER in USER's own UI
# session (tests/harness/as-user.sh around tests/harness/ui-session.sh), after root has set up
# what a Debian desktop has: the users (tests/harness/desktop-users.sh), the system libvirt
# daemon (libvirt-up.sh), polkitd on the system bus (polkit-up.sh), the tiny guest.
#   tests/desktop/run-desktop-test.sh USER SCRIPT [ARG]...        (root; skips otherwise)
# SCRIPT runs with VMDESK_TEST_MEDIA: a folder of USER's holding tiny-guest.iso (the shared
# cache is root's), removed afterwards; the pictures (*.png) SCRIPT leaves there are copied to
# $VMDESK_SCREENSHOT_DIR (relative to the source tree) or build/screenshots/. (The comm of QEMU is cut to 15 characters.) What the test left running as USER (a guest's QEMU
# after a failure) is stopped afterwards, by PID.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
HARNESS=$HERE/../harness
CACHE=$HERE/../fixtures/cache

if [ "$(id -u)" -ne 0 ]; then
  echo "1..0 # SKIP needs root (it makes the test users and starts the daemons)"
  exit 0
fi
[ $# -ge 2 ] || { echo "usage: run-desktop-test.sh USER SCRIPT [ARG]..." >&2; exit 2; }
user=$1
script=$(realpath "$2")
shift 2

bail() { echo "Bail out! $*"; exit 1; }
out=$(mktemp)
for step in "$HARNESS/desktop-users.sh" "$HARNESS/libvirt-up.sh" "$HARNESS/polkit-up.sh"; do
  "$step" >"$out" 2>&1 || { sed 's/^/# /' "$out"; rm -f "$out"; bail "$(basename "$step") failed"; }
done
"$HERE/../fixtures/build-tiny-guest.sh" "$CACHE" >"$out" 2>&1 ||
  { sed 's/^/# /' "$out"; rm -f "$out"; bail "the tiny guest could not be built"; }
rm -f "$out"

media=$(mktemp -d /tmp/vmdesk-desktop-media.XXXXXX)
cleanup() {
  local pids
  trap - EXIT INT TERM
  pids=$(pgrep -u "$user" -x qemu-system-x86 || true)
  if [ -n "$pids" ]; then
    echo "# stopping QEMU left running by $user: $pids" >&2
    kill -TERM $pids 2>/dev/null
  fi
  if compgen -G "$media/*.png" >/dev/null; then
    shots=${VMDESK_SCREENSHOT_DIR:-build/screenshots}
    case "$shots" in /*) ;; *) shots="$HERE/../../$shots" ;; esac
    mkdir -p "$shots" && cp "$media"/*.png "$shots/"
  fi
  rm -rf "$media"
}
trap cleanup EXIT
cp "$CACHE/tiny-guest.iso" "$media/"
chown -R "$user:" "$media"
chmod 0755 "$media"
export VMDESK_TEST_MEDIA=$media

"$HARNESS/as-user.sh" "$user" "$HARNESS/ui-session.sh" /usr/bin/python3 "$script" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 130' INT TERM
wait "$pid"
