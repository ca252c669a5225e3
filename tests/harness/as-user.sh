#!/usr/bin/env bash
# Runs CMD as USER, with the environment a login gives (HOME, USER, LOGNAME, SHELL, PATH, LANG)
# and the groups /etc/group gives USER (runuser does initgroups, as a login does), and nothing
# else of root's but the VMDESK_* variables and the few a test needs. Returns CMD's status.
#   tests/harness/as-user.sh USER CMD [ARG]...        (run as root)
# CMD usually is tests/harness/ui-session.sh ...: then USER's own Xvfb, session bus, AT-SPI and
# XDG_RUNTIME_DIR (owned by USER, 0700) are made by USER, so all of them are USER's to reach.
set -uo pipefail

die() { echo "as-user: $*" >&2; exit 125; }
[ $# -ge 2 ] || die "usage: as-user.sh USER CMD [ARG]..."
[ "$(id -u)" -eq 0 ] || die "must run as root"
user=$1
shift
entry=$(getent passwd "$user") || die "no user $user (tests/harness/desktop-users.sh makes them)"
home=$(cut -d: -f6 <<<"$entry")
[ -d "$home" ] || die "$user's home $home does not exist"

vars=(HOME="$home" USER="$user" LOGNAME="$user" SHELL=/bin/bash
      PATH=/usr/local/bin:/usr/bin:/bin LANG="${LANG:-C.UTF-8}" PYTHONDONTWRITEBYTECODE=1)
for name in $(compgen -e); do
  case "$name" in
    VMDESK_*|GSETTINGS_SCHEMA_DIR|GTK_THEME|GDK_SCALE|G_MESSAGES_DEBUG) vars+=("$name=${!name}") ;;
  esac
done

# In the background, so that a TERM (meson's timeout) reaches us at once; runuser passes it on.
cd "$home" || die "cannot enter $home"
runuser -u "$user" -- env -i "${vars[@]}" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' INT TERM
while :; do
  wait "$pid"; rc=$?
  kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
