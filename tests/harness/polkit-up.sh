#!/usr/bin/env bash
# Makes Debian's polkitd answer on the system bus (started by tests/harness/libvirt-up.sh), as
# on a desktop: libvirtd asks it whether a user may use qemu:///system (Debian's rule in
# /usr/share/polkit-1/rules.d/60-libvirt.rules says yes to the libvirt group). The bus starts
# it on the first question (its D-Bus service file); where that activation is not possible it
# is started here. Idempotent and quiet; run as root after libvirt-up.sh.
set -euo pipefail
unset VMDESK_UI_SESSION

die() { echo "polkit-up: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"
[ -x /usr/lib/polkit-1/polkitd ] || die "polkitd missing: run scripts/install-deps.sh"

answering() {
  timeout 10 dbus-send --system --print-reply --dest=org.freedesktop.PolicyKit1 \
    /org/freedesktop/PolicyKit1/Authority org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.PolicyKit1.Authority string:BackendName >/dev/null 2>&1
}
answering && exit 0
# It drops its privileges to the polkitd user by itself.
setsid /usr/lib/polkit-1/polkitd --no-debug </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do
  answering && exit 0
  sleep 0.2
done
die "polkitd does not answer on the system bus"
