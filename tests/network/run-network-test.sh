#!/usr/bin/env bash
# Runs one network test binary (TAP) against a NetworkManager of its own
# (tests/harness/nm-private.sh): the binary runs with DBUS_SYSTEM_BUS_ADDRESS and
# VMDESK_NM_NETNS pointing there.
#   tests/network/run-network-test.sh TEST-BINARY [ARGS...]
set -uo pipefail

. "$(dirname "$0")/../harness/nm-private.sh"
nm_private_require

# The test runs in the background so that a signal (meson's timeout sends SIGTERM) interrupts
# `wait` at once: the binary is stopped and NetworkManager with it, never left behind.
test_pid=
trap '[ -n "$test_pid" ] && kill -TERM "$test_pid" 2>/dev/null; exit 130' INT TERM
nm_private_up vmdesk-nmtest

export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
export VMDESK_NM_NETNS="$NS"
# For a test that stops NetworkManager and starts it again: "$VMDESK_NM_START" NS DIR.
export VMDESK_NM_START="$HARNESS/nm-start.sh"
export VMDESK_NM_DIR="$DIR"
"$@" &
test_pid=$!
wait "$test_pid"
