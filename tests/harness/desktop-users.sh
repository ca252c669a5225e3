#!/usr/bin/env bash
# Makes the two unprivileged desktop users the `desktop` suite runs VM Desk as, the way a
# Debian desktop has them: vmd-member (groups libvirt and kvm, what "adduser USER libvirt"
# gives) and vmd-outsider (in neither). Idempotent: an existing user is only brought back to
# that membership. Nothing else about them is set by hand; their home folders start empty.
#   tests/harness/desktop-users.sh          (run as root)
# Prints nothing on success.
set -euo pipefail

MEMBER=vmd-member
OUTSIDER=vmd-outsider

die() { echo "desktop-users: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"
for tool in useradd usermod gpasswd getent; do
  command -v "$tool" >/dev/null || die "$tool missing"
done
# Debian's libvirt-daemon-system makes the libvirt group, udev's rules the kvm group.
for group in libvirt kvm; do
  getent group "$group" >/dev/null || die "group $group missing: install libvirt-daemon-system"
done

# in_group USER GROUP: USER is listed in GROUP (the supplementary membership adduser gives).
in_group() { getent group "$2" | cut -d: -f4 | tr ',' '\n' | grep -qx "$1"; }

ensure_user() {
  getent passwd "$1" >/dev/null && return 0
  # A locked password: nobody logs in as them; tests switch with runuser.
  useradd --create-home --shell /bin/bash --user-group "$1" >/dev/null
}

ensure_user "$MEMBER"
for group in libvirt kvm; do
  in_group "$MEMBER" "$group" || usermod -a -G "$group" "$MEMBER"
done

ensure_user "$OUTSIDER"
for group in libvirt kvm; do
  if in_group "$OUTSIDER" "$group"; then gpasswd -d "$OUTSIDER" "$group" >/dev/null; fi
done
