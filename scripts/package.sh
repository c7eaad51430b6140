#!/usr/bin/env bash
# package.sh OUT_DIR — build the Linux package with `fyne package -os linux`:
# OUT_DIR/keytray-linux-<arch>.tar.xz holding usr/local/bin/keytray, the
# .desktop file and the icon (and fyne's own Makefile for `sudo make install`),
# plus the man pages from `make man` (MAN_DIR, default dist/man).
#
# `fyne package` adds 1 to Build in FyneApp.toml on every run, so it runs on
# a throwaway copy of the source: packaging leaves the checkout unchanged, and
# the build number is bumped on purpose, by editing FyneApp.toml, for a
# release. Version facts come from the environment (LDFLAGS_X, a
# space-separated list of -X assignments, set by the Makefile) through
# GOFLAGS=-ldflags=…, which `fyne package` passes on to `go build`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=${1:?usage: $0 OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

fyne=$(command -v fyne || true)
[ -n "$fyne" ] || fyne=$(go env GOPATH)/bin/fyne
if [ ! -x "$fyne" ]; then
	echo "package: installing the fyne tool (go install fyne.io/tools/cmd/fyne@v1.7.4)" >&2
	go install fyne.io/tools/cmd/fyne@v1.7.4
	fyne=$(go env GOPATH)/bin/fyne
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keytray-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -c --exclude=./.git --exclude=./.cache --exclude=./dist --exclude=./keytray --exclude=./keytray.exe . |
	tar -x -C "$tmp"

flags=${GOFLAGS:-}
for x in ${LDFLAGS_X:-}; do
	flags+=" -ldflags=$x"
done
# --release: stripped binary; fyne still injects the FyneApp.toml metadata.
(cd "$tmp" && GOFLAGS="$flags" "$fyne" package -os linux --release)

arch=$(go env GOARCH)
mv "$tmp/Keytray.tar.xz" "$out/keytray-linux-$arch.tar.xz"

# The man pages (make man, MAN_DIR) go beside the binary: usr/local/share/man/man1.
mkdir "$tmp/check"
tar -xJf "$out/keytray-linux-$arch.tar.xz" -C "$tmp/check"
man_dir=${MAN_DIR:-$PWD/dist/man}
if ! ls "$man_dir"/keytray*.1 >/dev/null 2>&1; then
	echo "package: no man pages in $man_dir (run make man first)" >&2
	exit 1
fi
prefix=$(dirname "$(dirname "$(find "$tmp/check" -path '*/bin/keytray' -type f)")")
install -d "$prefix/share/man/man1"
install -m0644 "$man_dir"/keytray*.1 "$prefix/share/man/man1/"
(cd "$tmp/check" && tar -cJf "$out/keytray-linux-$arch.tar.xz" --owner=0 --group=0 --sort=name .)

# The .desktop file must pass desktop-file-validate (desktop-file-utils).
desktop=$(find "$tmp/check" -name '*.desktop')
if command -v desktop-file-validate >/dev/null 2>&1; then
	desktop-file-validate "$desktop"
else
	echo "package: desktop-file-validate not found (desktop-file-utils); the .desktop file was not checked" >&2
fi
echo "package: $out/keytray-linux-$arch.tar.xz"
tar -tJf "$out/keytray-linux-$arch.tar.xz" | sed 's/^/  /'
