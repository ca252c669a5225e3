#!/usr/bin/env bash
# Stops what tests/harness/libvirt-up.sh started (listed in /run/vmdesk-libvirt/started),
# newest first: libvirtd, its network namespace, virtlogd, the system D-Bus.
# Daemons that were already running before libvirt-up.sh are left alone.
set -euo pipefail

NETNS=vmdesk-libvirt
STATE=/run/vmdesk-libvirt
[ -f "$STATE/started" ] || exit 0

running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
# Gone or a zombie: daemons are children of PID 1, which may reap them late.
gone() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0; [ "${st%% *}" = Z ]; }
# Stop the daemon named NAME whose pid is in PIDFILE, waiting up to 10 s.
stop() {
  local pid
  running "$1" "$2" || { rm -f "$1"; return 0; }
  pid=$(cat "$1")
  kill -TERM "$pid"
  for _ in $(seq 100); do gone "$pid" && { rm -f "$1"; return 0; }; sleep 0.1; done
  echo "libvirt-down: $2 ($pid) did not stop" >&2
}

started=$(cat "$STATE/started")
has() { grep -qx "$1" <<<"$started"; }

if has libvirtd; then
  # QEMU processes outlive libvirtd: tests must destroy their domains first.
  nrun=$(timeout 10 virsh -q -c qemu:///system list --name 2>/dev/null | grep -c . || true)
  [ "$nrun" -eq 0 ] || echo "libvirt-down: warning: $nrun domain(s) still running" >&2
  stop /run/libvirtd.pid libvirtd
fi
if has netns && [ -e "/run/netns/$NETNS" ]; then
  # Processes still inside (dnsmasq, QEMU) would keep it alive: leave it then.
  if [ -z "$(ip netns pids "$NETNS" 2>/dev/null)" ]; then
    ip netns del "$NETNS"
  else
    echo "libvirt-down: processes remain in netns $NETNS, not deleting it" >&2
  fi
fi
has virtlogd && stop /run/virtlogd.pid virtlogd
has dbus && stop /run/dbus/pid dbus-daemon
rm -f "$STATE/started"
