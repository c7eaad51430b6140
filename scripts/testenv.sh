#!/usr/bin/env bash
# testenv.sh CMD [ARGS…] — run CMD inside a private, throwaway desktop session:
# its own D-Bus session bus, an unlocked gnome-keyring Secret Service, an Xvfb
# X server and XDG directories in a temporary folder. Nothing the command does
# touches the user's keyring, clipboard, display or configuration, and
# everything is stopped and removed when it ends. HOME is left alone on
# purpose: go commands need the real module and build caches.
#
# Exported to CMD:
#   DISPLAY                          the private Xvfb server (1280x800x24)
#   DBUS_SESSION_BUS_ADDRESS         the private session bus
#   XDG_RUNTIME_DIR, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME
#   KEYTRAY_TEST_KEYRING_PASSWORD    unlocks the `login` collection again
#   KEYTRAY_TESTENV_DIR              the throwaway folder (removed at exit)
#   LANG (en_US.UTF-8, or C.UTF-8 where that is not installed: both English
#   to Fyne, the second through internal/clocale)
#
# The exit status is CMD's.
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi

# dbus-run-session starts the bus as `$self --nofork --print-address N --session`
# (see --dbus-daemon below) so that the daemon's start-up chatter ("Failed to
# set fd limit") goes to a log file instead of the test output, and so do the
# services it activates: a gnome-keyring-daemon started on demand after a test
# killed the first one prints GNOME_KEYRING_CONTROL=… to its stdout. The address
# travels on the fd of --print-address, not on stdout.
if [ "${KEYTRAY_TESTENV_INNER:-}" = 1 ] && [ "$1" = --nofork ]; then
	exec dbus-daemon "$@" >>"$KEYTRAY_TESTENV_DIR/dbus.log" 2>&1
fi

if [ "${KEYTRAY_TESTENV_INNER:-}" != 1 ]; then
	for tool in dbus-run-session gnome-keyring-daemon Xvfb; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "testenv: $tool is missing; run scripts/deps.sh test (or make test) first." >&2
			exit 1
		fi
	done
	dir=$(mktemp -d "${TMPDIR:-/tmp}/keytray-testenv.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
	# No exec: the trap must run after the session ends. dbus-run-session
	# returns the inner command's exit status and stops the bus.
	# On Ctrl-C dbus-run-session dies at once while the inner script is still
	# waiting for CMD to exit and then cleaning up: wait for it (up to 10 s)
	# before removing the folder CMD may still be writing to.
	wait_inner() {
		local pid
		pid=$(cat "$dir/inner.pid" 2>/dev/null) || return 0
		for _ in $(seq 1 200); do
			kill -0 "$pid" 2>/dev/null || return 0
			sleep 0.05
		done
	}
	trap 'wait_inner; rm -rf "$dir"' EXIT
	set +e
	KEYTRAY_TESTENV_INNER=1 KEYTRAY_TESTENV_DIR="$dir" \
		dbus-run-session --dbus-daemon="$self" -- "$self" "$@"
	status=$?
	set -e
	exit "$status"
fi

# Inside the private session bus.
unset KEYTRAY_TESTENV_INNER WAYLAND_DISPLAY
dir=$KEYTRAY_TESTENV_DIR
echo $$ >"$dir/inner.pid"
mkdir -m 0700 "$dir/run"
mkdir -p "$dir/data" "$dir/config" "$dir/cache"
# Go keeps its build cache under XDG_CACHE_HOME: pin it first, or every go
# command in the session would compile from nothing (go-gl alone: minutes).
if command -v go >/dev/null 2>&1; then
	GOCACHE=${GOCACHE:-$(go env GOCACHE)}
	export GOCACHE
fi
export XDG_RUNTIME_DIR=$dir/run XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config XDG_CACHE_HOME=$dir/cache

if locale -a 2>/dev/null | grep -qixE 'en_US\.utf-?8'; then
	export LANG=en_US.UTF-8
else
	export LANG=C.UTF-8
fi
unset LC_ALL LC_MESSAGES LANGUAGE

secrets_pid() { # pid of the process owning org.freedesktop.secrets on our bus, if any
	gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets 2>/dev/null |
		sed -nE 's/^\(uint32 ([0-9]+),\)$/\1/p' || true
}

xvfb_pid= keyring_pid=
cleanup() {
	local now
	[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
	# A test may have restarted the daemon (gnome-keyring-daemon --replace).
	now=$(secrets_pid)
	for pid in $keyring_pid $now; do
		kill "$pid" 2>/dev/null || true
	done
	[ -z "$xvfb_pid" ] || wait "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A throwaway password: random, so that nothing can rely on a fixed one.
KEYTRAY_TEST_KEYRING_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export KEYTRAY_TEST_KEYRING_PASSWORD

# --unlock with the password on stdin creates and unlocks the `login`
# collection and returns at once; without it the first keyring call would
# D-Bus-activate a daemon with no `login` collection.
keyring_env=$(printf %s "$KEYTRAY_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)
while IFS= read -r line; do
	case "$line" in
	GNOME_KEYRING_CONTROL=*) export "${line?}" ;;
	esac
done <<<"$keyring_env"
# The daemon forks and claims its bus name a moment after returning; its pid
# (to stop it at exit) comes from the bus, since other sessions run their own.
for _ in $(seq 1 100); do
	keyring_pid=$(secrets_pid)
	[ -z "$keyring_pid" ] || break
	sleep 0.05
done
if [ -z "$keyring_pid" ]; then
	echo "testenv: gnome-keyring-daemon did not provide org.freedesktop.secrets on the session bus within 5 s" >&2
	exit 1
fi

# -displayfd picks a free display number and writes it once the server accepts
# connections, so there is no race with other X servers on this machine.
# setsid: a Ctrl-C must reach CMD but not the X server it is still using; the
# cleanup below stops Xvfb after CMD has exited.
# -noreset: by default the server resets each time its last client goes, and
# a client that connects during the reset gets "Can't open display" (seen in
# about 2 % of TestItestWindow runs on a loaded 2-core machine).
setsid Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 200); do
	[ -s "$dir/display" ] && break
	if ! kill -0 "$xvfb_pid" 2>/dev/null; then
		echo "testenv: Xvfb failed to start:" >&2
		cat "$dir/xvfb.log" >&2
		exit 1
	fi
	sleep 0.05
done
if [ ! -s "$dir/display" ]; then
	echo "testenv: Xvfb did not report a display within 10 s" >&2
	exit 1
fi
DISPLAY=:$(tr -d '\n' <"$dir/display")
export DISPLAY

set +e
"$@"
status=$?
set -e
exit "$status"
