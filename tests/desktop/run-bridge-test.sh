#!/usr/bin/env bash
# Runs one bridge test (a python3 dogtail SCRIPT) as the unprivileged USER in USER's own UI
# session against a NetworkManager that asks polkit (tests/harness/nm-private.sh with
# nm-up.sh --polkit RULES: NetworkManager and polkitd in a network namespace of their own, on
# a private system bus; nothing of the host's network or polkit configuration is touched).
#   tests/desktop/run-bridge-test.sh RULES USER SCRIPT [ARG]...         (root; skips otherwise)
# SCRIPT runs with VMDESK_NM_BUS_ADDRESS and VMDESK_NM_NETNS, and VMDESK_AGENT_DIR: the folder
# where tests/desktop/polkit-test-agent.py, the stand-in for the desktop's password dialog
# (run here as root), says it was asked, and waits for the test's answer.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/nm-private.sh"
nm_private_require
[ $# -ge 3 ] || { echo "usage: run-bridge-test.sh RULES USER SCRIPT [ARG]..." >&2; exit 2; }
rules=$(realpath "$1")
user=$2
script=$(realpath "$3")
shift 3

out=$(mktemp)
"$HARNESS/desktop-users.sh" >"$out" 2>&1 ||
  { sed 's/^/# /' "$out"; rm -f "$out"; echo "Bail out! desktop-users.sh failed"; exit 1; }
rm -f "$out"

test_pid=
agent_pid=
stop_agent() { [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null; agent_pid=; }
trap 'if [ -n "$test_pid" ]; then kill -TERM "$test_pid" 2>/dev/null; wait "$test_pid"; fi; stop_agent; exit 130' INT TERM
nm_private_up vmdesk-nmdesk --polkit "$rules"

agent_dir="$DIR/agent"
install -d -o "$user" -m 0700 "$agent_dir"
/usr/bin/python3 "$HERE/polkit-test-agent.py" "unix:path=$DIR/bus.sock" "$user" "$agent_dir" &
agent_pid=$!

export VMDESK_NM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
export VMDESK_NM_NETNS="$NS"
export VMDESK_AGENT_DIR="$agent_dir"
"$HARNESS/as-user.sh" "$user" "$HARNESS/ui-session.sh" /usr/bin/python3 "$script" "$@" &
test_pid=$!
wait "$test_pid"
status=$?
stop_agent
exit "$status"
