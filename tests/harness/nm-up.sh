#!/usr/bin/env bash
# Starts a NetworkManager for tests, isolated from the host: its own network namespace NS
# (lo, and a veth pair veth0/veth1 with veth1 unmanaged and up), a private D-Bus system bus
# in DIR with no service activation, and NM in its own mount and UTS namespaces with private
# folders over its state paths and over /etc/resolv.conf, dns=none and rc-manager=unmanaged.
# Nothing here changes the root network namespace or the host's files.
#   tests/harness/nm-up.sh NS DIR      (DIR: an empty folder of the caller; run as root)
# Prints DBUS_SYSTEM_BUS_ADDRESS=... on success. PIDs go to DIR/nm.pid and DIR/dbus.pid.
set -euo pipefail

die() { echo "nm-up: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: nm-up.sh NS DIR"
NS=$1
DIR=$(realpath "$2")
[ "$(id -u)" -eq 0 ] || die "must run as root"
for tool in ip dbus-daemon NetworkManager nm-online unshare setsid; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-deps.sh"
done
[ -d "$DIR" ] || die "$DIR is not a folder"
# Someone else's namespace is never reused or removed.
ip netns list | grep -qw -- "^$NS" && die "network namespace $NS exists already"

# 1. The namespace and its veth pair. veth1 must be up, or veth0 stays "unavailable".
ip netns add "$NS"
echo "$NS" > "$DIR/netns"
ip -n "$NS" link set lo up
ip -n "$NS" link add veth0 type veth peer name veth1
ip -n "$NS" link set veth1 up

# 2. A private system bus. No <servicedir>: nothing (nm-dispatcher and the host's dispatcher
#    scripts) can be bus-activated. Any local user may connect (DIR is made traversable), so a
#    test can ask as an unprivileged user; NetworkManager grants changes to root only.
cat > "$DIR/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$DIR/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
chmod 0711 "$DIR"
ip netns exec "$NS" dbus-daemon --config-file="$DIR/bus.conf" --fork --print-pid=3 3>"$DIR/dbus.pid"
BUS="unix:path=$DIR/bus.sock"

# 3. NetworkManager's configuration: no DNS handling at all, no polkit (root may do all, others
#    nothing), no auto profiles.
mkdir -p "$DIR/conf.d" "$DIR/etc-nm/system-connections" "$DIR/run" "$DIR/lib-nm"
cat > "$DIR/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
auth-polkit=root-only
dns=none
rc-manager=unmanaged
hostname-mode=none
no-auto-default=*
dhcp=internal

[keyfile]
path=/etc/NetworkManager/system-connections
unmanaged-devices=interface-name:veth1

[connectivity]
enabled=false
EOF
printf '# private to the NetworkManager of %s\n' "$NS" > "$DIR/resolv.conf"

# 4. NM itself, and 5. ready when nm-online says so: nm-start.sh, which can also start it again
#    after a test stopped it.
"$(dirname "$0")/nm-start.sh" "$NS" "$DIR"
echo "DBUS_SYSTEM_BUS_ADDRESS=$BUS"
