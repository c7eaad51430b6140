#!/usr/bin/env bash
# package.sh OUT_DIR — build the Linux packages:
#   OUT_DIR/keytray-linux-<arch>.tar.xz  `fyne package -os linux`: usr/local/bin/keytray,
#       the .desktop file and the icon (and fyne's own Makefile for `sudo make install`),
#       plus the man pages from `make man` (MAN_DIR, default dist/man);
#   OUT_DIR/keytray_<version>_amd64.deb, OUT_DIR/keytray-<version>.x86_64.rpm  made by
#       nfpm from packaging/nfpm.yaml out of the same binary (built once), with the
#       desktop entry, the icon in the hicolor sizes, the AppStream metainfo, the man
#       pages and the licence, under /usr.
# PKG_VERSION (default: VERSION from the Makefile, a leading v dropped, `-` made
# `+`/`.` so that dpkg and rpm accept and order it) names the .deb and .rpm.
# Files in them are dated SOURCE_DATE_EPOCH (the Makefile passes the commit's
# date), so two builds of one commit give the same bytes.
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

# The .deb and the .rpm: nfpm (pinned; `go run` fetches it through the module
# proxy once, then it is cached) on a tree of what they install.
nfpm_mod=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
if [ "$arch" != amd64 ]; then
	echo "package: .deb and .rpm are made for amd64 only (this is $arch)" >&2
	exit 0
fi
version=${PKG_VERSION:-${VERSION:-}}
if [ -z "$version" ]; then
	version=$(sed -nE 's/^Version *= *"(.*)"/\1/p' FyneApp.toml)
fi
version=${version#v}
# 0.1.0-3-gabc-dirty (git describe) → 0.1.0+3.gabc.dirty: sorts after 0.1.0 in
# dpkg and rpm, and rpm allows no `-` in a version.
if [[ $version == *-* ]]; then
	version="${version%%-*}+$(tr - . <<<"${version#*-}")"
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
root=$tmp/pkgroot
install -Dm0755 "$(find "$tmp/check" -path '*/bin/keytray' -type f)" "$root/usr/bin/keytray"
install -Dm0644 "$desktop" "$root/usr/share/applications/io.github.keytray.desktop"
for size in 16 22 24 32 48 64 128 256 512; do
	dir=$root/usr/share/icons/hicolor/${size}x$size/apps
	mkdir -p "$dir"
	# -strip and no date chunks: the PNG bytes depend on the icon alone.
	convert assets/icon.png -resize "${size}x$size" -strip -define png:exclude-chunks=date,time \
		"PNG32:$dir/io.github.keytray.png"
done
mkdir -p "$root/usr/share/man/man1"
for page in "$man_dir"/keytray*.1; do
	gzip -n -9 -c "$page" >"$root/usr/share/man/man1/$(basename "$page").gz"
done
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f ! -path '*/usr/bin/*' -exec chmod 0644 {} +
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$out/keytray_${version}_amd64.deb
rpm=$out/keytray-$version.x86_64.rpm
rm -f "$deb" "$rpm"
for fmt in deb rpm; do
	target=$deb
	[ "$fmt" = deb ] || target=$rpm
	VERSION=$version PKGROOT=$root go run "$nfpm_mod" package --config packaging/nfpm.yaml \
		--packager "$fmt" --target "$target" >&2
done
echo "package: $deb ($(du -h "$deb" | cut -f1))"
echo "package: $rpm ($(du -h "$rpm" | cut -f1))"
