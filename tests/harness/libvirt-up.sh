#!/usr/bin/env bash
# Makes the system libvirt daemon (qemu:///system) usable on a machine without systemd:
# system D-Bus, virtlogd, then libvirtd. Idempotent and quiet; run as root.
# libvirtd runs inside the network namespace vmdesk-libvirt, so every network it makes
# (virbr0, dnsmasq, firewall rules) stays there and never touches the host's network;
# its unix socket in /run/libvirt still works from the root namespace.
# What this script started is listed in /run/vmdesk-libvirt/started for libvirt-down.sh.
set -euo pipefail
# Started from a UI test session, the daemons must not carry its marker: ui-session.sh kills
# every process that has it when the session ends.
unset VMDESK_UI_SESSION

NETNS=vmdesk-libvirt
STATE=/run/vmdesk-libvirt
LOG=/var/log/libvirt/vmdesk-libvirtd.log

die() { echo "libvirt-up: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"
for tool in dbus-daemon dbus-send virtlogd libvirtd virsh ip; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-deps.sh"
done
mkdir -p "$STATE" /var/log/libvirt

# libvirt runs swtpm_setup as tss; its local CA is made on first use by whoever runs it. A root
# session daemon (or swtpm_setup run by hand) leaves it root's, and every emulated TPM then fails
# ("Need read/write rights on .../.lock.swtpm-localca for user tss"). The package gives it to tss.
if [ -d /var/lib/swtpm-localca ] && getent passwd tss >/dev/null; then
  chown -R tss:root /var/lib/swtpm-localca
fi

# Without udev a /dev/kvm node stays 0600 root. libvirt then finds KVM when it probes
# QEMU but "not usable" for user libvirt-qemu, declares its capability cache stale and
# re-probes QEMU (~4 s) on every call. Give it the mode Debian's udev rules give it.
if [ -c /dev/kvm ] && getent group kvm >/dev/null && [ "$(stat -c %G /dev/kvm)" = root ]; then
  chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
fi

# True if PIDFILE names a live process whose command is NAME.
running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
note_started() { grep -qx "$1" "$STATE/started" 2>/dev/null || echo "$1" >> "$STATE/started"; }

# --- System D-Bus (libvirtd uses it for polkit/firewalld probing and logs errors without)
bus_ok() {
  timeout 5 dbus-send --system --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.GetId >/dev/null 2>&1
}
if ! bus_ok; then
  mkdir -p /run/dbus
  # dbus-daemon refuses to start while a pid file exists, even a stale one.
  running /run/dbus/pid dbus-daemon || rm -f /run/dbus/pid
  running /run/dbus/pid dbus-daemon || { dbus-daemon --system --fork && note_started dbus; }
  for _ in $(seq 50); do bus_ok && break; sleep 0.1; done
  bus_ok || die "system D-Bus does not answer"
fi

# --- virtlogd: QEMU's stdout/stderr and <log file=...> go through it by default.
if ! running /run/virtlogd.pid virtlogd; then
  virtlogd -d
  note_started virtlogd
fi

# --- libvirtd in its own network namespace.
answering() { timeout 10 virsh -q -c qemu:///system version >/dev/null 2>&1; }
answering && exit 0

if [ ! -e "/run/netns/$NETNS" ]; then
  ip netns add "$NETNS"
  note_started netns
fi
ip -n "$NETNS" link set lo up

if ! running /run/libvirtd.pid libvirtd; then
  rm -f /run/libvirtd.pid
  : > "$LOG"
  # Warnings and errors go to our own log file; -d daemonises and writes /run/libvirtd.pid.
  export LIBVIRT_LOG_OUTPUTS="3:file:$LOG"
  if [ -x /usr/bin/python3 ]; then
    # Two fixes in a small launcher that stays libvirtd's parent:
    # - `ip netns exec` mounts a fresh /sys, without the cgroup hierarchies; libvirt then
    #   runs QEMU without cgroups and virDomainGetCPUStats fails ("CPUACCT controller is
    #   not mounted"). Replay the host's /sys/fs/cgroup mounts (in libvirtd's private
    #   mount namespace only), passed as arguments: fstype mountpoint options.
    # - libvirtd and the QEMUs it double-forks are orphans. Where PID 1 reaps orphans
    #   lazily (this sandbox's init: ~1-2 s), libvirt waits for the zombie on every
    #   domain stop. As child subreaper the launcher reaps them at once.
    mapfile -t cgmounts < <(awk '$2 ~ "^/sys/fs/cgroup(/|$)" { print $3; print $2; print $4 }' /proc/self/mounts)
    ip netns exec "$NETNS" setsid /usr/bin/python3 -c '
import ctypes, os, subprocess, sys
m = sys.argv[1:]
for fstype, path, opts in zip(m[0::3], m[1::3], m[2::3]):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", fstype, "-o", opts, fstype, path])
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
if os.fork() == 0:
    os.execvp("libvirtd", ["libvirtd", "-d"])
while True:
    try:
        os.wait()
    except ChildProcessError:  # no libvirtd, no QEMU left
        break
' "${cgmounts[@]}" </dev/null >/dev/null 2>&1 &
  else
    ip netns exec "$NETNS" libvirtd -d
  fi
  note_started libvirtd
fi

# The first connection probes QEMU's capabilities (a few seconds under TCG).
for _ in $(seq 40); do
  answering && exit 0
  sleep 0.5
done
echo "libvirt-up: libvirtd does not answer on /run/libvirt/libvirt-sock; last log lines:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
