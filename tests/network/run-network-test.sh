#!/usr/bin/env bash
# Runs one network test binary (TAP) against a NetworkManager of its own: nm-up.sh starts it in
# a fresh network namespace on a private bus, the binary runs with DBUS_SYSTEM_BUS_ADDRESS and
# VMDESK_NM_NETNS pointing there, and nm-down.sh always stops it and deletes the namespace, even
# when the test fails or is interrupted.
#   tests/network/run-network-test.sh TEST-BINARY [ARGS...]
set -uo pipefail

HARNESS=$(cd "$(dirname "$0")/../harness" && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v NetworkManager >/dev/null; then
  echo "1..0 # SKIP needs root and NetworkManager (scripts/install-deps.sh)"
  exit 0
fi

# A run killed outright (SIGKILL) could not clean up: stop what it left, if its wrapper is gone.
for stale in /tmp/vmdesk-nmtest-*/netns; do
  [ -f "$stale" ] || continue
  stale_ns=$(cat "$stale")
  stale_pid=${stale_ns#vmdesk-nmtest-}
  [[ "$stale_pid" =~ ^[0-9]+$ ]] && ! kill -0 "$stale_pid" 2>/dev/null || continue
  echo "# cleaning up after an earlier run: $stale_ns"
  "$HARNESS/nm-down.sh" "$stale_ns" "$(dirname "$stale")" >&2 && rm -rf "$(dirname "$stale")"
done

NS=vmdesk-nmtest-$$
DIR=$(mktemp -d /tmp/vmdesk-nmtest-XXXXXX)
resolv_before=$(md5sum < /etc/resolv.conf)
now() { date +%s.%N; }

cleanup() {
  local status=$? t0 t1
  trap - EXIT INT TERM
  t0=$(now)
  "$HARNESS/nm-down.sh" "$NS" "$DIR" >&2 || status=1
  t1=$(now)
  echo "# nm-down took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
  # The one thing that must never happen: the host's resolver touched.
  if [ "$(md5sum < /etc/resolv.conf)" != "$resolv_before" ]; then
    echo "# DANGER: /etc/resolv.conf of the host changed during the network tests" >&2
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
# The test runs in the background so that a signal (meson's timeout sends SIGTERM) interrupts
# `wait` at once: the binary is stopped and NetworkManager with it, never left behind.
test_pid=
trap '[ -n "$test_pid" ] && kill -TERM "$test_pid" 2>/dev/null; exit 130' INT TERM

t0=$(now)
if ! "$HARNESS/nm-up.sh" "$NS" "$DIR" >"$DIR/up.out" 2>&1; then
  sed 's/^/# /' "$DIR/up.out"
  echo "Bail out! nm-up.sh failed"
  exit 1
fi
t1=$(now)
echo "# nm-up took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"

export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
export VMDESK_NM_NETNS="$NS"
# For a test that stops NetworkManager and starts it again: "$VMDESK_NM_START" NS DIR.
export VMDESK_NM_START="$HARNESS/nm-start.sh"
export VMDESK_NM_DIR="$DIR"
"$@" &
test_pid=$!
wait "$test_pid"
