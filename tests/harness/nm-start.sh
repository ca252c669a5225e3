#!/usr/bin/env bash
# Starts NetworkManager in the namespace NS that tests/harness/nm-up.sh NS DIR prepared (its bus
# and configuration are in DIR), and waits until it is ready. nm-up.sh runs it once; a test that
# stopped NetworkManager runs it again to restart it the same way: the namespace, the bus and
# NM's private /etc/NetworkManager, /var/lib/NetworkManager and /run (DIR/run) stay, as when a
# host's NetworkManager restarts, so profiles it kept in memory (/run/NetworkManager) come back.
# --fresh-run empties DIR/run first, as after a reboot: in-memory profiles are then gone.
# Nothing here changes the root network namespace or the host's files.
#   tests/harness/nm-start.sh NS DIR [--fresh-run]      (run as root)
# The PID goes to DIR/nm.pid; the log is appended to DIR/nm.log.
set -euo pipefail

die() { echo "nm-start: $*" >&2; exit 1; }
[ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$3" = --fresh-run ]; } ||
  die "usage: nm-start.sh NS DIR [--fresh-run]"
NS=$1
DIR=$(realpath "$2")
FRESH_RUN=${3:-}
BUS="unix:path=$DIR/bus.sock"
[ "$(id -u)" -eq 0 ] || die "must run as root"
# Only the namespace nm-up.sh made, with its bus and configuration.
[ "$(cat "$DIR/netns" 2>/dev/null)" = "$NS" ] || die "$DIR is not nm-up.sh's folder for $NS"
ip netns list | grep -qw -- "^$NS" || die "network namespace $NS does not exist"
if [ ! -S "$DIR/bus.sock" ] || [ ! -f "$DIR/NetworkManager.conf" ]; then die "run nm-up.sh first"; fi
# One that was just stopped may take a moment to exit (a zombie counts as gone).
gone() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0; [ "${st%% *}" = Z ]; }
if pid=$(cat "$DIR/nm.pid" 2>/dev/null) && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = NetworkManager ]; then
  for _ in $(seq 100); do gone "$pid" && break; sleep 0.1; done
  gone "$pid" || die "NetworkManager ($pid) is still running"
fi

if [ -n "$FRESH_RUN" ]; then
  rm -rf "$DIR/run"
fi
mkdir -p "$DIR/run"

# /sys read-only (but /sys/devices writable) makes NM run without udev and manage the veth.
# DIR/run over /run gives NM a private /run/NetworkManager without creating anything in the
# host's /run. The exec chain makes $! NetworkManager's PID.
#    shellcheck disable=SC2016
setsid ip netns exec "$NS" unshare --mount --uts --propagation private sh -c '
  set -e
  DIR=$1
  mount --bind /sys/devices /sys/devices
  mount -o remount,bind,ro /sys
  mount --bind "$DIR/etc-nm" /etc/NetworkManager
  mount --bind "$DIR/lib-nm" /var/lib/NetworkManager
  mount --bind "$DIR/run" /run
  mkdir -p /run/NetworkManager
  mount --bind "$DIR/resolv.conf" /etc/resolv.conf
  export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$DIR/bus.sock"
  exec NetworkManager --debug --config="$DIR/NetworkManager.conf" --config-dir="$DIR/conf.d" \
    --system-config-dir="$DIR/conf.d" --state-file="$DIR/NetworkManager.state" \
    --intern-config="$DIR/NetworkManager-intern.conf"
' nm-start "$DIR" </dev/null >>"$DIR/nm.log" 2>&1 &
echo $! > "$DIR/nm.pid"

# Ready when nm-online says so on the private bus.
if ! DBUS_SYSTEM_BUS_ADDRESS="$BUS" nm-online -s -q -t 30; then
  tail -n 20 "$DIR/nm.log" >&2
  die "NetworkManager did not start (log: $DIR/nm.log)"
fi
[ "$(cat "/proc/$(cat "$DIR/nm.pid")/comm" 2>/dev/null)" = NetworkManager ] ||
  die "the process in $DIR/nm.pid is not NetworkManager"
