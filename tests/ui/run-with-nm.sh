#!/usr/bin/env bash
# Runs one UI test (CMD, usually tests/harness/ui-session.sh python3 SCRIPT) beside a
# NetworkManager of its own (tests/harness/nm-private.sh): CMD runs with VMDESK_NM_BUS_ADDRESS
# (that bus's address) and VMDESK_NM_NETNS (the namespace) in its environment.
#
# DBUS_SYSTEM_BUS_ADDRESS itself is NOT exported: the session harness (dbus-run-session,
# AT-SPI) must not see it; the test gives it to the app under test alone.
#   tests/ui/run-with-nm.sh CMD [ARGS...]
set -uo pipefail

. "$(dirname "$0")/../harness/nm-private.sh"
nm_private_require

# CMD runs in the background so that a signal (meson's timeout sends SIGTERM) interrupts `wait`
# at once: CMD (the session harness, which stops the app) ends first, then NetworkManager.
test_pid=
trap 'if [ -n "$test_pid" ]; then kill -TERM "$test_pid" 2>/dev/null; wait "$test_pid"; fi; exit 130' INT TERM
nm_private_up vmdesk-nmui

export VMDESK_NM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
export VMDESK_NM_NETNS="$NS"
"$@" &
test_pid=$!
wait "$test_pid"
