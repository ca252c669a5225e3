#!/usr/bin/env bash
# ui-session.sh CMD [ARG]...
# Runs CMD inside a fresh, private desktop session for UI tests and returns CMD's exit code:
#   - its own X server: Xvfb on a free display (Xvfb picks it with -displayfd, so two sessions
#     started at once never race for the same number), 1280x800x24 (or $VMDESK_UI_SCREEN, e.g.
#     2560x1600x24 for pictures at GDK_SCALE=2), no TCP;
#   - its own session D-Bus (dbus-run-session) with the AT-SPI accessibility bus
#     (at-spi-bus-launcher) and registry (at-spi2-registryd) started and answering before CMD;
#   - a private XDG_RUNTIME_DIR (0700) and in-memory GSettings, so nothing of the user's
#     desktop settings is read or written;
#   - accessibility switched on (org.a11y.Status.IsEnabled), GTK's AT-SPI bridge enabled.
# On exit (normal, error, INT, TERM) it stops everything it started: every process carries a
# unique VMDESK_UI_SESSION marker in its environment, and all that still carry it are killed.
set -uo pipefail

die() { echo "ui-session: $*" >&2; exit 125; }
[ $# -ge 1 ] || die "usage: $0 CMD [ARG]..."
for tool in Xvfb dbus-run-session dbus-send; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-deps.sh"
done
[ -x /usr/libexec/at-spi-bus-launcher ] && [ -x /usr/libexec/at-spi2-registryd ] \
  || die "at-spi2-core missing: run scripts/install-deps.sh"

# --- inner half: runs under dbus-run-session, with DISPLAY and the session bus set -------------
if [ "${1:-}" = "--ui-session-inner" ]; then
  shift
  # Session-bus calls; the answer (if any) on stdout.
  session_call() { timeout 5 dbus-send --session --print-reply=literal "$@" 2>/dev/null; }

  # The accessibility bus. at-spi-bus-launcher is D-Bus activated by the first GetAddress, here
  # and now rather than by the app on first use, so that it is up before CMD and a broken
  # install fails here, clearly, not as a dogtail "no application" timeout later. (Starting it
  # by hand as well would race with that activation and leave two launchers.)
  bus_addr=
  for _ in $(seq 50); do
    bus_addr=$(session_call --dest=org.a11y.Bus /org/a11y/bus org.a11y.Bus.GetAddress | tr -d ' ')
    [ -n "$bus_addr" ] && break
    sleep 0.1
  done
  [ -n "$bus_addr" ] || die "at-spi-bus-launcher did not answer on the session bus"
  # Accessibility on: what toolkits and the launcher read instead of the GSettings key
  # toolkit-accessibility (which the memory backend cannot carry from one process to another).
  session_call --dest=org.a11y.Bus /org/a11y/bus org.freedesktop.DBus.Properties.Set \
    string:org.a11y.Status string:IsEnabled variant:boolean:true >/dev/null \
    || echo "ui-session: warning: could not set org.a11y.Status.IsEnabled" >&2

  # The registry on the accessibility bus: it keeps the desktop's list of applications and
  # injects mouse and key events (through XTEST) for dogtail. StartServiceByName returns once it
  # owns its name.
  timeout 10 dbus-send --bus="$bus_addr" --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.StartServiceByName \
    string:org.a11y.atspi.Registry uint32:0 >/dev/null 2>&1 \
    || die "at-spi2-registryd did not start on the accessibility bus"

  # CMD in the background so that signals reach our trap (the outer half's) promptly; its
  # stdout is the real one (fd 7), everything else's went to stderr (see the outer half).
  "$@" >&7 7>&- &
  cmd_pid=$!
  trap 'kill -TERM "$cmd_pid" 2>/dev/null' INT TERM
  while :; do
    wait "$cmd_pid"; rc=$?
    # wait returns >128 when a trapped signal interrupted it: wait again for the real status.
    kill -0 "$cmd_pid" 2>/dev/null || break
  done
  exit "$rc"
fi

# --- outer half: X server, private directories, clean-up ---------------------------------------
MARK="$$-$(date +%s%N)-$RANDOM"
export VMDESK_UI_SESSION="$MARK"
RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vmdesk-ui-session.XXXXXX") || die "mktemp failed"
chmod 0700 "$RUNTIME_DIR"
xvfb_pid=
session_pid=

# Every live process whose environment carries our marker (our own shell excluded).
marked_pids() {
  local env pid
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
    grep -qzx "VMDESK_UI_SESSION=$MARK" "$env" 2>/dev/null && echo "$pid"
  done
}

cleanup() {
  local pids _
  trap - EXIT INT TERM
  [ -n "$session_pid" ] && kill -TERM "$session_pid" 2>/dev/null
  # Everything the session started (D-Bus daemons, AT-SPI, the app under test if the test left
  # it), then the X server: TERM, a short grace period, then KILL.
  pids=$(marked_pids)
  if [ -n "$pids" ]; then
    kill -TERM $pids 2>/dev/null
    for _ in $(seq 30); do
      pids=$(marked_pids)
      [ -z "$pids" ] && break
      sleep 0.1
    done
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  fi
  [ -n "$xvfb_pid" ] && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$RUNTIME_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Xvfb chooses the first free display itself and writes its number to fd 3 once it accepts
# connections: no guessing from lock files, no race with another session starting at once.
displayfile="$RUNTIME_DIR/display"
Xvfb -displayfd 3 -screen 0 "${VMDESK_UI_SCREEN:-1280x800x24}" -nolisten tcp -noreset \
  3>"$displayfile" </dev/null >"$RUNTIME_DIR/xvfb.log" 2>&1 &
xvfb_pid=$!
display=
for _ in $(seq 300); do
  # Complete once the newline is there.
  if [ "$(tail -c1 "$displayfile" 2>/dev/null | od -An -c | tr -d ' ')" = '\n' ]; then
    display=$(tr -d '\n' <"$displayfile")
    break
  fi
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.05
done
if ! [[ "$display" =~ ^[0-9]+$ ]] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
  echo "ui-session: Xvfb did not start; its log:" >&2
  cat "$RUNTIME_DIR/xvfb.log" >&2
  exit 125
fi

export DISPLAY=":$display"
export XDG_RUNTIME_DIR="$RUNTIME_DIR"
export GSETTINGS_BACKEND=memory
export GTK_A11Y=atspi          # GTK 4's switch; harmless for GTK 3
export NO_AT_BRIDGE=0          # GTK 3 loads its built-in atk-bridge unless this is 1
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS
export GDK_BACKEND=x11
# GTK 3 links atk-bridge itself; GTK_MODULES=gail:atk-bridge would only print "Failed to load
# module" (Debian 12 ships no such modules), so it is not set. dogtail's own check for that
# variable is switched off in tests/ui/vmdtest.py instead.

# The daemons (and what D-Bus activates) print on their stdout; TAP output must be CMD's alone,
# so they get stderr and CMD gets the real stdout as fd 7.
exec 7>&1
dbus-run-session -- "$0" --ui-session-inner "$@" >&2 &
session_pid=$!
while :; do
  wait "$session_pid"; rc=$?
  kill -0 "$session_pid" 2>/dev/null || break
done
session_pid=
exit "$rc"
