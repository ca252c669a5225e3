#!/usr/bin/env bash
# Starts a NetworkManager for tests, isolated from the host: its own network namespace NS
# (lo, and a veth pair veth0/veth1 with veth1 unmanaged and up), a private D-Bus system bus
# in DIR with no service activation, and NM in its own mount and UTS namespaces with private
# folders over its state paths and over /etc/resolv.conf, dns=none and rc-manager=unmanaged.
# Nothing here changes the root network namespace or the host's files.
#   tests/harness/nm-up.sh NS DIR [--polkit RULES]   (DIR: an empty folder of the caller; root)
# Prints DBUS_SYSTEM_BUS_ADDRESS=... on success. PIDs go to DIR/nm.pid and DIR/dbus.pid.
# --polkit RULES: NetworkManager asks polkit (auth-polkit=true), as on a desktop: Debian's
# polkitd runs on the private bus, in a mount namespace of its own where the polkit rules file
# RULES is the only one in /etc/polkit-1/rules.d (the host's folder is never written). Its PID
# goes to DIR/polkitd.pid.
set -euo pipefail

die() { echo "nm-up: $*" >&2; exit 1; }
[ $# -eq 2 ] || { [ $# -eq 4 ] && [ "$3" = --polkit ]; } || die "usage: nm-up.sh NS DIR [--polkit RULES]"
NS=$1
DIR=$(realpath "$2")
RULES=${4:-}
[ -z "$RULES" ] || [ -f "$RULES" ] || die "no polkit rules file $RULES"
[ -z "$RULES" ] || [ -x /usr/lib/polkit-1/polkitd ] || die "polkitd missing: run scripts/install-deps.sh"
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
#    nothing) unless --polkit, no auto profiles.
mkdir -p "$DIR/conf.d" "$DIR/etc-nm/system-connections" "$DIR/run" "$DIR/lib-nm"
cat > "$DIR/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
auth-polkit=$([ -n "$RULES" ] && echo true || echo root-only)
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

# 3b. polkitd on the private bus, with RULES as its only local rules (it reads the folder
#     compiled into it, hence the mount namespace), answering before NM asks it anything.
if [ -n "$RULES" ]; then
  mkdir -p "$DIR/polkit-rules"
  install -m 0644 "$RULES" "$DIR/polkit-rules/50-vmdesk-test.rules"
  chmod 0755 "$DIR/polkit-rules"
  #    shellcheck disable=SC2016
  setsid ip netns exec "$NS" unshare --mount --propagation private sh -c '
    mount --bind "$1/polkit-rules" /etc/polkit-1/rules.d
    export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$1/bus.sock"
    exec /usr/lib/polkit-1/polkitd --no-debug
  ' polkitd "$DIR" </dev/null >>"$DIR/polkitd.log" 2>&1 &
  echo $! > "$DIR/polkitd.pid"
  for _ in $(seq 100); do
    timeout 5 dbus-send --bus="$BUS" --print-reply --dest=org.freedesktop.PolicyKit1 \
      /org/freedesktop/PolicyKit1/Authority org.freedesktop.DBus.Properties.Get \
      string:org.freedesktop.PolicyKit1.Authority string:BackendName >/dev/null 2>&1 && break
    sleep 0.1
  done
  [ "$(cat "/proc/$(cat "$DIR/polkitd.pid")/comm" 2>/dev/null)" = polkitd ] ||
    die "polkitd did not start (log: $DIR/polkitd.log)"
fi

# 4. NM itself, and 5. ready when nm-online says so: nm-start.sh, which can also start it again
#    after a test stopped it.
"$(dirname "$0")/nm-start.sh" "$NS" "$DIR"
echo "DBUS_SYSTEM_BUS_ADDRESS=$BUS"
