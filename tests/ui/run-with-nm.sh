#!/usr/bin/env bash
# Runs one UI test (CMD, usually tests/harness/ui-session.sh python3 SCRIPT) beside a
# NetworkManager of its own: tests/harness/nm-up.sh starts it in a fresh network namespace on a
# private system bus, CMD runs with VMDESK_NM_BUS_ADDRESS (that bus's address) and
# VMDESK_NM_NETNS (the namespace) in its environment, and tests/harness/nm-down.sh always stops it
# and deletes the namespace, even when the test fails or is interrupted.
#
# DBUS_SYSTEM_BUS_ADDRESS itself is NOT exported: the session harness (dbus-run-session,
# AT-SPI) must not see it; the test gives it to the app under test alone.
#   tests/ui/run-with-nm.sh CMD [ARGS...]
set -uo pipefail

HARNESS=$(cd "$(dirname "$0")/../harness" && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v NetworkManager >/dev/null; then
  echo "1..0 # SKIP needs root and NetworkManager (scripts/install-deps.sh)"
  exit 0
fi

# A run killed outright (SIGKILL) could not clean up: stop what it left, if its wrapper is gone.
for stale in /tmp/vmdesk-nmui-*/netns; do
  [ -f "$stale" ] || continue
  stale_ns=$(cat "$stale")
  stale_pid=${stale_ns#vmdesk-nmui-}
  [[ "$stale_pid" =~ ^[0-9]+$ ]] && ! kill -0 "$stale_pid" 2>/dev/null || continue
  echo "# cleaning up after an earlier run: $stale_ns"
  "$HARNESS/nm-down.sh" "$stale_ns" "$(dirname "$stale")" >&2 && rm -rf "$(dirname "$stale")"
done

NS=vmdesk-nmui-$$
DIR=$(mktemp -d /tmp/vmdesk-nmui-XXXXXX)
resolv_before=$(md5sum < /etc/resolv.conf)
now() { date +%s.%N; }
test_pid=

cleanup() {
  local status=$? t0 t1
  trap - EXIT INT TERM
  t0=$(now)
  "$HARNESS/nm-down.sh" "$NS" "$DIR" >&2 || status=1
  t1=$(now)
  echo "# nm-down took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
  # The one thing that must never happen: the host's resolver touched.
  if [ "$(md5sum < /etc/resolv.conf)" != "$resolv_before" ]; then
    echo "# DANGER: /etc/resolv.conf of the host changed during the test" >&2
    status=1
  fi
  if ip netns list | grep -qw -- "^$NS"; then
    echo "# namespace $NS is still there" >&2
    status=1
  fi
  [ "$status" -eq 0 ] && rm -rf "$DIR" || echo "# NetworkManager's log: $DIR/nm.log" >&2
  exit "$status"
}
trap cleanup EXIT
# CMD runs in the background so that a signal (meson's timeout sends SIGTERM) interrupts `wait`
# at once: CMD (the session harness, which stops the app) ends first, then NetworkManager.
trap 'if [ -n "$test_pid" ]; then kill -TERM "$test_pid" 2>/dev/null; wait "$test_pid"; fi; exit 130' INT TERM

t0=$(now)
if ! "$HARNESS/nm-up.sh" "$NS" "$DIR" >"$DIR/up.out" 2>&1; then
  sed 's/^/# /' "$DIR/up.out"
  echo "Bail out! nm-up.sh failed"
  exit 1
fi
t1=$(now)
echo "# nm-up took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"

export VMDESK_NM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
export VMDESK_NM_NETNS="$NS"
"$@" &
test_pid=$!
wait "$test_pid"
