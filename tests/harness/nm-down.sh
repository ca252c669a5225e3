#!/usr/bin/env bash
# Stops what tests/harness/nm-up.sh NS DIR started: NetworkManager, then the private bus, then
# deletes the namespace (and with it br0, the veths and every address NM left configured).
# Safe to run after a partial nm-up, and twice.
#   tests/harness/nm-down.sh NS DIR
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: nm-down.sh NS DIR" >&2; exit 2; }
NS=$1
DIR=$2
status=0

# Gone or a zombie.
gone() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0; [ "${st%% *}" = Z ]; }
# Stops the process in PIDFILE if it is still NAME: TERM, up to 10 s, then KILL.
stop() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || { rm -f "$1"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do gone "$pid" && { rm -f "$1"; return 0; }; sleep 0.1; done
  echo "nm-down: $2 ($pid) ignored SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null
  rm -f "$1"
}

stop "$DIR/nm.pid" NetworkManager
stop "$DIR/polkitd.pid" polkitd
stop "$DIR/dbus.pid" dbus-daemon
# Only the namespace nm-up made (its name is in DIR/netns).
if [ "$(cat "$DIR/netns" 2>/dev/null)" = "$NS" ] && ip netns list | grep -qw -- "^$NS"; then
  ip netns del "$NS" || status=1
fi
rm -f "$DIR/netns" "$DIR/bus.sock"
exit $status
