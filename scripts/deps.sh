#!/usr/bin/env bash
# deps.sh build|test|windows|wine|package — make sure the system packages and
# the Go toolchain that `make run` (build), `make test` (test), `make windows`
# (windows: the MinGW cross compiler for cgo), `make test-windows` (wine: Wine
# too, and what scripts/testenv.sh needs) or `make test-package` (package: rpm
# and the AppStream validator) need are present.
#
# On Debian/Ubuntu, missing packages are installed with apt-get when we run as
# root; otherwise the exact `sudo apt-get install` line is printed and we exit 1,
# because installing system packages is the user's decision.
set -euo pipefail

# Everything cgo needs to link Fyne's GLFW driver (xorg-dev is not needed).
build_pkgs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev)
# What the integration tests drive: a private session bus, a Secret Service,
# an X server, the clipboard, the stock age command, window tools, screenshots,
# the .desktop validator, a CJK font (so CJK text renders as text, not boxes),
# python3-xlib (internal/itest/clipmanager.py, a clipboard manager), man-db
# (man renders the generated man pages) and bash-completion (the completion
# test sources it, as an interactive bash on Debian/Ubuntu does), sway, xwayland
# and wl-clipboard (a headless wlroots session for the Wayland clipboard tests;
# x11-xserver-utils' xhost lets the test, as root, into that user's Xwayland),
# mutter and zenity (GNOME's compositor headless, and a GTK app to copy and
# paste in there) and ripgrep (make bench measures keytray scan against rg).
test_pkgs=(xvfb dbus gnome-keyring libsecret-tools xclip age xdotool imagemagick x11-utils
	desktop-file-utils fonts-noto-cjk python3-xlib man-db bash-completion sway xwayland wl-clipboard
	x11-xserver-utils mutter zenity ripgrep)
# Cross-compiling the Windows exe: cgo (go-gl, GLFW) through MinGW-w64.
windows_pkgs=(gcc-mingw-w64-x86-64 zip)
# Running it: Debian 12's Wine 8 (wine64 is the 64-bit loader, wine the
# `wine` command), inside the test session (Xvfb, xdotool, import).
wine_pkgs=(wine wine64)
# Checking the .deb and .rpm: rpm -qpl, appstreamcli validate, desktop-file-validate.
package_pkgs=(rpm appstream desktop-file-utils imagemagick)

min_go_minor=26 # go.mod says go 1.26

usage() {
	echo "usage: $0 build|test|windows|wine|package" >&2
	exit 2
}

[ $# -eq 1 ] || usage
case "$1" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
windows) want=("${windows_pkgs[@]}") ;;
wine) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${windows_pkgs[@]}" "${wine_pkgs[@]}") ;;
package) want=("${build_pkgs[@]}" "${package_pkgs[@]}") ;;
*) usage ;;
esac

check_go() {
	local v minor
	if ! command -v go >/dev/null 2>&1; then
		cat >&2 <<-MSG
			deps: the Go toolchain (go 1.${min_go_minor} or newer) is not on PATH.
			  Install it from https://go.dev/dl/ (Debian's golang package is too old), e.g.:
			    curl -LO https://go.dev/dl/go1.${min_go_minor}.0.linux-amd64.tar.gz
			    sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go1.${min_go_minor}.0.linux-amd64.tar.gz
			    export PATH=\$PATH:/usr/local/go/bin
		MSG
		return 1
	fi
	# Run inside the module so that GOTOOLCHAIN=auto can switch to the version
	# go.mod asks for; GOVERSION then reports the toolchain that will build.
	v=$(go env GOVERSION 2>/dev/null || true)
	minor=$(sed -nE 's/^go1\.([0-9]+).*/\1/p' <<<"$v")
	if [ -z "$minor" ] || [ "$minor" -lt "$min_go_minor" ]; then
		echo "deps: found Go '${v:-unknown}', need go1.${min_go_minor} or newer." >&2
		echo "  Install a newer Go from https://go.dev/dl/, or allow toolchain downloads (GOTOOLCHAIN=auto)." >&2
		return 1
	fi
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
	for p in "${want[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		[ "${status:0:2}" = ii ] || missing+=("$p")
	done
else
	echo "deps: not a Debian/Ubuntu system; make sure the equivalents of these are installed:" >&2
	echo "  ${want[*]}" >&2
fi

go_ok=1
check_go || go_ok=0

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing ${missing[*]}" >&2
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
	else
		echo "deps: missing system packages. Install them with:" >&2
		echo "  sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
fi
[ "$go_ok" = 1 ]
