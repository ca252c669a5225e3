# Sourced by tests/network/run-network-test.sh and tests/ui/run-with-nm.sh: a NetworkManager of
# the caller's own, started by nm-up.sh in a fresh network namespace on a private bus, and always
# stopped with its namespace by nm-down.sh when the caller exits, even when its test fails or is
# interrupted. The caller sets its own INT/TERM trap (what to stop first differs) before
# nm_private_up, and exports what its test needs from NS and DIR afterwards.

HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Without root or NetworkManager the caller's test is skipped, as TAP says it.
nm_private_require() {
  if [ "$(id -u)" -ne 0 ] || ! command -v NetworkManager >/dev/null; then
    echo "1..0 # SKIP needs root and NetworkManager (scripts/install-deps.sh)"
    exit 0
  fi
}

nm_private_now() { date +%s.%N; }

nm_private_cleanup() {
  local status=$? t0 t1
  trap - EXIT INT TERM
  t0=$(nm_private_now)
  "$HARNESS/nm-down.sh" "$NS" "$DIR" >&2 || status=1
  t1=$(nm_private_now)
  echo "# nm-down took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
  # The one thing that must never happen: the host's resolver touched.
  if [ "$(md5sum < /etc/resolv.conf)" != "$nm_private_resolv_before" ]; then
    echo "# DANGER: /etc/resolv.conf of the host changed during the test" >&2
    status=1
  fi
  if ip netns list | grep -qw -- "^$NS"; then
    echo "# namespace $NS is still there" >&2
    status=1
  fi
  [ "$status" -eq 0 ] && rm -rf "$DIR" || echo "# NetworkManager's log: $DIR/nm.log" >&2
  exit "$status"
}

#   nm_private_up PREFIX [--polkit RULES]
# Sets NS (PREFIX-PID) and DIR (/tmp/PREFIX-XXXXXX: bus.sock, nm.log) and starts NetworkManager
# (with polkitd and RULES: see nm-up.sh); on failure says so in TAP and exits.
nm_private_up() {
  local prefix=$1 stale stale_ns stale_pid t0 t1
  shift

  # A run killed outright (SIGKILL) could not clean up: stop what it left, if its wrapper is gone.
  for stale in /tmp/"$prefix"-*/netns; do
    [ -f "$stale" ] || continue
    stale_ns=$(cat "$stale")
    stale_pid=${stale_ns#"$prefix"-}
    [[ "$stale_pid" =~ ^[0-9]+$ ]] && ! kill -0 "$stale_pid" 2>/dev/null || continue
    echo "# cleaning up after an earlier run: $stale_ns"
    "$HARNESS/nm-down.sh" "$stale_ns" "$(dirname "$stale")" >&2 && rm -rf "$(dirname "$stale")"
  done

  NS=$prefix-$$
  DIR=$(mktemp -d "/tmp/$prefix-XXXXXX")
  nm_private_resolv_before=$(md5sum < /etc/resolv.conf)
  trap nm_private_cleanup EXIT

  t0=$(nm_private_now)
  if ! "$HARNESS/nm-up.sh" "$NS" "$DIR" "$@" >"$DIR/up.out" 2>&1; then
    sed 's/^/# /' "$DIR/up.out"
    echo "Bail out! nm-up.sh failed"
    exit 1
  fi
  t1=$(nm_private_now)
  echo "# nm-up took $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
}
