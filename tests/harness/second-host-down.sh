#!/usr/bin/env bash
# Stops the second libvirt host of tests/harness/second-host-up.sh and removes what it made:
# its domains (destroyed), sshd, libvirtd, virtlogd, its namespace with the veth pair (both ends
# go with it), its folders. The test user stays (made once, like desktop-users.sh's). Idempotent.
set -euo pipefail

NETNS=vmdesk-host-b
STATE=/run/vmdesk-host-b
ROOT=/var/lib/vmdesk-host-b

[ "$(id -u)" -eq 0 ] || { echo "second-host-down: must run as root" >&2; exit 1; }

running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
gone() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0; [ "${st%% *}" = Z ]; }
stop() {
  local pid
  running "$1" "$2" || { rm -f "$1"; return 0; }
  pid=$(cat "$1")
  kill -TERM "$pid"
  for _ in $(seq 100); do gone "$pid" && { rm -f "$1"; return 0; }; sleep 0.1; done
  echo "second-host-down: $2 ($pid) did not stop" >&2
}

if running "$STATE/libvirtd.pid" libvirtd; then
  # QEMU outlives libvirtd: destroy B's machines first.
  uri="qemu:///system?socket=$STATE/run-libvirt/libvirt-sock"
  for name in $(timeout 10 virsh -q -c "$uri" list --name 2>/dev/null); do
    timeout 30 virsh -q -c "$uri" destroy "$name" >/dev/null 2>&1 || true
  done
fi
stop "$STATE/sshd.pid" sshd
stop "$STATE/libvirtd.pid" libvirtd
stop "$STATE/virtlogd.pid" virtlogd

if [ -e "/run/netns/$NETNS" ]; then
  # Whatever is left inside (a QEMU libvirtd lost track of) would keep the namespace alive.
  for pid in $(ip netns pids "$NETNS" 2>/dev/null); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = python3 ] || kill -KILL "$pid" 2>/dev/null || true
  done
  ip netns del "$NETNS"
fi
rm -rf "$STATE" "$ROOT"
