#!/usr/bin/env bash
# Installs every Debian 12 package that VM Desk's build, the app and its tests need.
# Idempotent and quiet when everything is already there.
set -euo pipefail

BUILD_PKGS=(
  meson ninja-build pkg-config gcc gettext appstream desktop-file-utils
  libglib2.0-dev libglib2.0-bin libgtk-3-dev libvte-2.91-dev
  libvirt-dev libvirt-glib-1.0-dev libspice-client-gtk-3.0-dev
  libosinfo-1.0-dev osinfo-db libnm-dev libgtksourceview-4-dev libarchive-dev
)
RUN_PKGS=(
  adwaita-icon-theme dbus libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
  qemu-system-x86 qemu-utils ovmf dnsmasq-base iptables
)
TEST_PKGS=(
  xvfb xauth at-spi2-core dbus-x11 python3-dogtail python3-gi gir1.2-atspi-2.0
  gir1.2-gtk-3.0 xorriso isolinux syslinux-common busybox-static cpio
  iproute2 valgrind network-manager
  # The emulated TPM of tests/integration/test-hardware.c: libvirt runs swtpm_setup
  # (swtpm-tools) to make the TPM's state before it starts swtpm.
  swtpm swtpm-tools
  locales fonts-vlgothic
  clang libclang-rt-14-dev
  # The second libvirt host (tests/harness/second-host-up.sh) is reached over SSH, as a remote
  # host is: its own sshd, and the client that qemu+ssh:// runs.
  openssh-server openssh-client
)
# The desktop suite (tests/desktop/): the Debian package built with dpkg-buildpackage and checked
# with lintian; polkitd answers libvirt's and NetworkManager's questions about unprivileged users;
# gtk-launch (libgtk-3-bin) starts the installed app from its desktop file; swtpm is the last of
# the package's Recommends, there beforehand so that installing the package fetches nothing.
DESKTOP_PKGS=(
  dpkg-dev debhelper lintian polkitd libgtk-3-bin swtpm
  # Storage pools on loop devices (tests/integration/test-storage.c): LVM volume groups.
  lvm2
)
# bench/: the side-by-side comparison runs Debian's virt-manager under the same session.
BENCH_PKGS=(
  virt-manager gir1.2-gtk-vnc-2.0 gir1.2-spiceclientgtk-3.0 gir1.2-libvirt-glib-1.0 time
)

# The Japanese UI test (tests/ui/test_japanese.py) runs the app with LANG=ja_JP.UTF-8: generate
# that locale when it is not there yet (quietly, and only once).
ensure_ja_locale() {
  locale -a 2>/dev/null | grep -qix 'ja_JP\.utf-\?8' && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: locale ja_JP.UTF-8 missing: run as root" >&2
    return 1
  fi
  localedef -i ja_JP -f UTF-8 ja_JP.UTF-8 >/dev/null 2>&1 \
    || { echo "install-deps: localedef ja_JP.UTF-8 failed" >&2; return 1; }
}

missing=()
for p in "${BUILD_PKGS[@]}" "${RUN_PKGS[@]}" "${TEST_PKGS[@]}" "${DESKTOP_PKGS[@]}" "${BENCH_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then ensure_ja_locale; exit; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list finds nothing: refresh it when it is older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
  apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
fi
# Packages must not start their daemons: a NetworkManager or libvirtd started by a postinst
# would run in the host's own network namespace. The tests start what they need, isolated.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  own_policy=1
fi
status=0
apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/tmp/vmdesk-apt.log 2>&1 || status=$?
[ "$own_policy" -eq 1 ] && rm -f "$policy"
if [ "$status" -ne 0 ]; then
  tail -n 30 /tmp/vmdesk-apt.log >&2
  exit 1
fi
ensure_ja_locale
