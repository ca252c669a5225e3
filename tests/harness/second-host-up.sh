#!/usr/bin/env bash
# A second libvirt host on this machine, reached over SSH as a remote host is (issue 16).
# Idempotent and quiet; run as root. What it makes:
# - network namespace vmdesk-host-b, linked to the first host's namespace vmdesk-libvirt
#   (tests/harness/libvirt-up.sh) by one veth pair: 10.213.0.1/30 on the first host's end,
#   10.213.0.2/30 on the second's. Those addresses exist only inside those two namespaces; the
#   machine's own interfaces and its root namespace are never touched.
# - a mount and UTS namespace (hostname vmdesk-host-b) with its own /etc/libvirt (another
#   host_uuid), /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt and /run/libvirt;
#   its own virtlogd and libvirtd, running QEMU under TCG without cgroups.
# - an OpenSSH server listening on 10.213.0.2:22 only, for user vmdesk-remote (group libvirt),
#   who logs in with a key made here or with a password made here.
# Clients reach it from the first host's namespace: `ip netns exec vmdesk-libvirt ...` (the
# integration tests re-run themselves there). Files for them, under /run/vmdesk-host-b/client:
#   id_ed25519        the key (no passphrase), known_hosts  the host key under 10.213.0.2,
#   password          the user's password,   ssh_config   an ssh client configuration using them,
#   ssh               ssh with that configuration, ssh_password  ssh that logs in with the password.
# Behind SSH's back, B's libvirtd also answers on /run/vmdesk-host-b/run-libvirt/libvirt-sock.
set -euo pipefail
unset VMDESK_UI_SESSION

HERE=$(cd "$(dirname "$0")" && pwd)
NETNS_A=vmdesk-libvirt
NETNS=vmdesk-host-b
ADDR_A=10.213.0.1
ADDR=10.213.0.2
USER_B=vmdesk-remote
STATE=/run/vmdesk-host-b
ROOT=/var/lib/vmdesk-host-b    # B's /etc/libvirt, /var/lib/libvirt, ... (disk images: not tmpfs)
CLIENT=$STATE/client

die() { echo "second-host-up: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"
for tool in ip unshare virsh libvirtd virtlogd ssh ssh-keygen python3 useradd chpasswd; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-deps.sh"
done
[ -x /usr/sbin/sshd ] || die "sshd missing: run scripts/install-deps.sh (openssh-server)"

"$HERE/libvirt-up.sh"

running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
b_virsh() { timeout 10 virsh -q -c "qemu:///system?socket=$STATE/run-libvirt/libvirt-sock" "$@"; }
ssh_ok() {
  timeout 20 ip netns exec "$NETNS_A" ssh -F "$CLIENT/ssh_config" "$USER_B@$ADDR" \
    virsh -q -c qemu:///system uri >/dev/null 2>&1
}
healthy() {
  running "$STATE/libvirtd.pid" libvirtd && running "$STATE/virtlogd.pid" virtlogd \
    && running "$STATE/sshd.pid" sshd && b_virsh uri >/dev/null 2>&1 && ssh_ok
}
[ -f "$CLIENT/ssh_password" ] && healthy && exit 0
# Half there (a daemon died, the machine was restarted): start again from nothing.
"$HERE/second-host-down.sh"

mkdir -p "$STATE" "$CLIENT" "$STATE/authorized_keys" "$STATE/host" "$STATE/sshd-run"
chmod 0755 "$STATE" "$STATE/authorized_keys"
chmod 0700 "$CLIENT" "$STATE/host"

# --- the test user: group libvirt for B's socket, a password made now
if ! getent passwd "$USER_B" >/dev/null; then
  useradd --create-home --shell /bin/bash --user-group --groups libvirt "$USER_B"
fi
head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$CLIENT/password"
chmod 0600 "$CLIENT/password"
printf '%s:%s\n' "$USER_B" "$(cat "$CLIENT/password")" | chpasswd

# --- keys: the host's, the client's, and one the host does not have (for "host key changed")
ssh-keygen -q -t ed25519 -N '' -C vmdesk-host-b -f "$STATE/host/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C vmdesk-test-client -f "$CLIENT/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C vmdesk-impostor -f "$CLIENT/impostor_key"
cp "$CLIENT/id_ed25519.pub" "$STATE/authorized_keys/$USER_B"
chmod 0644 "$STATE/authorized_keys/$USER_B"
echo "$ADDR $(cut -d' ' -f1,2 "$STATE/host/ssh_host_ed25519_key.pub")" > "$CLIENT/known_hosts"
echo "$ADDR $(cut -d' ' -f1,2 "$CLIENT/impostor_key.pub")" > "$CLIENT/known_hosts_changed"
cat > "$CLIENT/ssh_config" <<EOF
Host $ADDR
  User $USER_B
  IdentityFile $CLIENT/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $CLIENT/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
EOF
# For qemu+ssh:// (which runs `ssh` with no way to name a configuration): ?command=THIS.
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$CLIENT/ssh_config" > "$CLIENT/ssh"
chmod 0755 "$CLIENT/ssh"
# The password way: no key, ssh asks for the password (through SSH_ASKPASS: setsid leaves it no
# terminal to ask on, as for an app started from the desktop).
cat > "$CLIENT/ssh_config_password" <<EOF
Host $ADDR
  User $USER_B
  PubkeyAuthentication no
  PreferredAuthentications password
  NumberOfPasswordPrompts 1
  UserKnownHostsFile $CLIENT/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
EOF
printf '#!/bin/sh\nexec setsid -w /usr/bin/ssh -F %s "$@"\n' "$CLIENT/ssh_config_password" \
  > "$CLIENT/ssh_password"
chmod 0755 "$CLIENT/ssh_password"

cat > "$STATE/sshd_config" <<EOF
ListenAddress $ADDR
Port 22
HostKey $STATE/host/ssh_host_ed25519_key
PidFile $STATE/sshd.pid
AuthorizedKeysFile $STATE/authorized_keys/%u
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $USER_B
UsePAM no
X11Forwarding no
AllowTcpForwarding yes
PrintMotd no
LogLevel VERBOSE
EOF

# --- B's libvirt trees: the stock configuration files, none of A's domains or networks
rm -rf "$ROOT" "$STATE/run-libvirt"
mkdir -p "$ROOT/etc/qemu/networks" "$ROOT/lib/images" "$ROOT/cache" "$ROOT/log" \
  "$STATE/run-libvirt"
chmod 0755 "$ROOT" "$ROOT/lib"
cp /etc/libvirt/*.conf "$ROOT/etc/"
cat >> "$ROOT/etc/libvirtd.conf" <<EOF

# vmdesk second host (tests/harness/second-host-up.sh)
host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
unix_sock_group = "libvirt"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
EOF
# Two daemons share this kernel's cgroup tree: B uses none. Migration data and NBD disk copies
# come to B's own address, which sources learn from migration_host.
cat >> "$ROOT/etc/qemu.conf" <<EOF

# vmdesk second host (tests/harness/second-host-up.sh)
cgroup_controllers = [ ]
migration_address = "$ADDR"
migration_host = "$ADDR"
EOF

# --- the network: one veth pair between the two namespaces, nothing in the root namespace
ip netns add "$NETNS"
ip -n "$NETNS" link set lo up
ip -n "$NETNS" link add vmdhb0 type veth peer name vmdhb1 netns "$NETNS_A"
ip -n "$NETNS" addr add "$ADDR/30" dev vmdhb0
ip -n "$NETNS_A" addr add "$ADDR_A/30" dev vmdhb1
ip -n "$NETNS" link set vmdhb0 up
ip -n "$NETNS_A" link set vmdhb1 up

# --- the daemons, in B's namespaces (second-host-ns.py stays their parent and reaper)
mkdir -p /run/sshd   # sshd checks that its privilege separation directory exists
setsid ip netns exec "$NETNS" unshare --mount --uts --propagation private \
  /usr/bin/python3 "$HERE/second-host-ns.py" "$STATE" "$ROOT" \
  </dev/null >"$STATE/ns.log" 2>&1 &
echo $! > "$STATE/launcher.pid"

for _ in $(seq 120); do
  healthy && exit 0
  sleep 0.5
done
echo "second-host-up: the second host does not answer over SSH; its logs:" >&2
tail -n 20 "$STATE/ns.log" "$ROOT/log/libvirtd.log" "$STATE/sshd.log" >&2 || true
exit 1
