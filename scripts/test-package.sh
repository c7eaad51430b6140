#!/usr/bin/env bash
# test-package.sh — build the Linux packages and check them as a package
# manager and a user meet them (make test-package; needs root for dpkg):
#   * make package twice: the .deb and .rpm of one commit are byte-identical;
#   * dpkg -i the .deb, then /usr/bin/keytray --version and a headless command
#     (list --json in an empty profile), the man page, the hicolor icons, and
#     desktop-file-validate / appstreamcli validate --no-net on what it installed;
#   * dpkg --purge, and nothing of it is left;
#   * rpm -qpl / --requires on the .rpm: the same files, the libraries declared.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
failed=0
fail() {
	echo "test-package: $*" >&2
	failed=1
}

if [ "$(id -u)" != 0 ]; then
	echo "test-package: needs root (dpkg -i); run it in CI or a throwaway machine" >&2
	exit 1
fi
if dpkg-query -W -f='${db:Status-Abbrev}' keytray 2>/dev/null | grep -q '^ii'; then
	echo "test-package: a keytray package is already installed here; not touching it" >&2
	exit 1
fi
scripts/deps.sh package || exit 1

work=$PWD/.cache/package
rm -rf "$work"
mkdir -p "$work/first"

# 1. Two builds of one commit.
make --no-print-directory package || exit 1
deb=$(ls dist/keytray_*_amd64.deb)
rpm=$(ls dist/keytray-*.x86_64.rpm)
cp "$deb" "$rpm" "$work/first/"
t0=$SECONDS
make --no-print-directory package >"$work/second.log" 2>&1 || {
	cat "$work/second.log"
	exit 1
}
for f in "$deb" "$rpm"; do
	a=$(sha256sum <"$work/first/$(basename "$f")" | cut -d' ' -f1)
	b=$(sha256sum <"$f" | cut -d' ' -f1)
	if [ "$a" = "$b" ]; then
		echo "reproducible: $(basename "$f") sha256 $a (second build $((SECONDS - t0))s)"
	else
		fail "$(basename "$f") differs between two builds of one commit ($a, $b)"
	fi
done

# 2. Install, run, validate.
echo "==> dpkg -i $deb"
dpkg -i "$deb" || fail "dpkg -i failed"
if [ -x /usr/bin/keytray ]; then
	/usr/bin/keytray --version || fail "keytray --version failed"
	profile=$(mktemp -d)
	out=$(XDG_CONFIG_HOME=$profile/config XDG_DATA_HOME=$profile/data /usr/bin/keytray list --json) ||
		fail "keytray list --json failed"
	[ "$out" = "[]" ] || fail "keytray list --json in an empty profile printed: $out"
	rm -rf "$profile"
	man -w keytray >/dev/null || fail "man keytray: no page"
	desktop-file-validate /usr/share/applications/io.github.keytray.desktop || fail "desktop entry invalid"
	appstreamcli validate --no-net /usr/share/metainfo/io.github.keytray.metainfo.xml || fail "metainfo invalid"
	for size in 16 32 48 64 128 256 512; do
		icon=/usr/share/icons/hicolor/${size}x$size/apps/io.github.keytray.png
		identify -format '%wx%h' "$icon" 2>/dev/null | grep -qx "${size}x$size" || fail "no ${size}px icon at $icon"
	done
	[ -f /usr/share/doc/keytray/copyright ] || fail "no /usr/share/doc/keytray/copyright"
else
	fail "/usr/bin/keytray missing after dpkg -i"
fi
files=$(dpkg -L keytray 2>/dev/null | while read -r f; do [ -f "$f" ] && echo "$f"; done)
echo "==> dpkg --purge keytray"
dpkg --purge keytray || fail "dpkg --purge failed"
for f in $files; do
	[ ! -e "$f" ] || fail "$f left after purge"
done
! dpkg-query -W keytray >/dev/null 2>&1 || fail "dpkg still lists keytray after purge"

# 3. The .rpm (not installed: this is Debian).
echo "==> rpm -qpl $rpm"
list=$(rpm -qpl "$rpm" 2>/dev/null) || fail "rpm -qpl failed"
for f in /usr/bin/keytray /usr/share/applications/io.github.keytray.desktop \
	/usr/share/metainfo/io.github.keytray.metainfo.xml /usr/share/licenses/keytray/LICENSE \
	/usr/share/icons/hicolor/256x256/apps/io.github.keytray.png /usr/share/man/man1/keytray.1.gz; do
	grep -qx "$f" <<<"$list" || fail "$f not in the .rpm"
done
rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'libGL.so.1' || fail "the .rpm does not require libGL"
# Folders such as /usr/share/icons/hicolor/48x48/apps belong to the system's
# packages (filesystem, hicolor-icon-theme); the .rpm lists files only.
dirs=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm" 2>/dev/null | sed -n 's/^d[^ ]* //p')
[ -z "$dirs" ] || fail "the .rpm owns folders other packages own: $(echo $dirs)"

echo "sizes: $(du -h "$deb" | cut -f1) $(basename "$deb"), $(du -h "$rpm" | cut -f1) $(basename "$rpm")"
total=$((SECONDS - start))
if [ "$failed" = 0 ]; then
	echo "make test-package: PASS in $((total / 60))m$((total % 60))s"
else
	echo "make test-package: FAIL in $((total / 60))m$((total % 60))s"
fi
exit "$failed"
