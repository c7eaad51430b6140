#!/usr/bin/env bash
# test-windows.sh — run the Windows build under Wine (make test-windows):
#   1. dist/keytray.exe cross-compiled with cgo through MinGW-w64 (make windows);
#   2. a private Wine prefix (WINEPREFIX under .cache/wine, made fresh each run)
#      with scripts/wine/processprng.c built into system32/bcryptprimitives.dll:
#      Go 1.22+ programs load ProcessPrng from it, and Wine 8 (Debian 12) lacks it;
#   3. inside scripts/testenv.sh (Xvfb): app/instance's tests (the named pipe)
#      and app/clip's clipboard test (the history-exclusion formats, read back
#      through Wine's clipboard), cross-compiled and run as Windows programs;
#   4. integration/wine: keytray.exe's command line against an owuifake server
#      on 127.0.0.1 (login, get, list, check, rotate, export, remove, import)
#      with keys in Wine's Credential Manager, the start-at-login Run key, and
#      a second start handing over to the first, with a screenshot of the
#      window in .cache/wine/shots/.
# Installs what it needs (scripts/deps.sh wine: Wine, MinGW-w64) when run as root.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
scripts/deps.sh wine || exit 1

work=$PWD/.cache/wine
rm -rf "$work"
mkdir -p "$work/shots"

step() { # step NAME CMD… — run CMD, report NAME ok/FAILED with its duration
	local name=$1 t0=$SECONDS
	shift
	echo "==> $name"
	if "$@"; then
		echo "    $name ok ($((SECONDS - t0))s)"
		return 0
	fi
	echo "    $name FAILED ($((SECONDS - t0))s)"
	failed=1
	return 1
}
failed=0

build_exe() { make --no-print-directory windows; }

# The shim and the prefix. wineboot -i makes the prefix; Mono and Gecko are not
# wanted (the overrides skip their install prompts).
make_prefix() {
	x86_64-w64-mingw32-gcc -shared -O2 -s -o "$work/bcryptprimitives.dll" \
		scripts/wine/processprng.c scripts/wine/processprng.def -ladvapi32 || return 1
	WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY='' wineboot -i >"$work/wineboot.log" 2>&1 || {
		cat "$work/wineboot.log"
		return 1
	}
	wineserver -w
	cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
}

test_exes() {
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -tags ci -o "$work/instance.test.exe" ./app/instance &&
		CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -tags ci -o "$work/clip.test.exe" ./app/clip
}

# Run inside testenv.sh: Wine's clipboard and the window need the X server.
in_session() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	scripts/testenv.sh env WINEDEBUG=-all WINEPREFIX="$WINEPREFIX" KEYTRAY_EXE="$PWD/dist/keytray.exe" \
		KEYTRAY_WINE_SHOTS="$work/shots" WORK="$work" bash -c '
		set -u
		rc=0
		# One wineserver for every step, kept until the end: a server
		# lingers 3 s after its last program and then exits, and a program
		# started at that moment fails with "wine client error: recvmsg:
		# Connection reset by peer" (seen in CI, as the first command of
		# integration/wine started while go test was compiling).
		wineserver -w
		wineserver -p
		run_win() { # the Windows test programs: XDG_* would steer adrg/xdg
			env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_RUNTIME_DIR wine "$@"
		}
		echo "--- app/instance under Wine (named pipe)"
		run_win "$WORK/instance.test.exe" -test.v -test.count=1 || rc=1
		echo "--- app/clip under Wine (clipboard formats)"
		run_win "$WORK/clip.test.exe" -test.v -test.count=1 -test.run "Windows|Excluded" || rc=1
		echo "--- integration/wine (keytray.exe)"
		go test -tags integration -count=1 -v -timeout 8m ./integration/wine/ || rc=1
		wineserver -k 2>/dev/null || true
		exit $rc'
}

export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all
if step build build_exe && step prefix make_prefix && step test-programs test_exes; then
	step "tests under Wine" in_session
fi
total=$((SECONDS - start))
if [ "$failed" = 0 ]; then
	echo "make test-windows: PASS in $((total / 60))m$((total % 60))s (screenshots: $work/shots)"
else
	echo "make test-windows: FAIL in $((total / 60))m$((total % 60))s"
fi
exit "$failed"
