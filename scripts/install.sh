#!/usr/bin/env bash
# install.sh install TARBALL | uninstall — install the Linux package built by
# scripts/package.sh for the current user, or remove it again:
#   ~/.local/bin/keytray
#   $XDG_DATA_HOME/applications/io.github.keytray.desktop   (Exec = that path)
#   $XDG_DATA_HOME/icons/hicolor/512x512/apps/io.github.keytray.png
#   $XDG_DATA_HOME/man/man1/keytray.1, keytray-<command>.1
# ($XDG_DATA_HOME defaults to ~/.local/share.) Uninstalling also removes the
# start-at-login entry, which would point at the removed binary. Keys in the
# keyring and the index in ~/.config/keytray are kept: they are the user's
# data, and `keytray remove`/`revoke` are the way to delete them.
set -euo pipefail

app_id=io.github.keytray
bin_dir=$HOME/.local/bin
data=${XDG_DATA_HOME:-$HOME/.local/share}
desktop=$data/applications/$app_id.desktop
icon=$data/icons/hicolor/512x512/apps/$app_id.png
autostart=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/$app_id.desktop
# man finds ~/.local/share/man by itself while ~/.local/bin is on PATH.
man_dir=$data/man/man1

# Menus watch the applications folder themselves. An icon cache is only
# refreshed when the user already has one (creating one would leave a file
# behind after uninstall); without a cache, toolkits scan the folder.
refresh() {
	local cache=$data/icons/hicolor/icon-theme.cache
	if [ -f "$cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
		gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
	fi
}

case "${1:-}" in
install)
	tarball=${2:?usage: $0 install TARBALL}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/keytray-install.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -xJf "$tarball" -C "$tmp"
	src_bin=$(find "$tmp" -path '*/bin/keytray' -type f)
	src_desktop=$(find "$tmp" -name "$app_id.desktop" -type f)
	src_icon=$(find "$tmp" -path "*/pixmaps/$app_id.png" -type f)
	if [ -z "$src_bin" ] || [ -z "$src_desktop" ] || [ -z "$src_icon" ]; then
		echo "install: $tarball does not hold bin/keytray, $app_id.desktop and the icon" >&2
		exit 1
	fi
	install -Dm0755 "$src_bin" "$bin_dir/keytray"
	install -Dm0644 "$src_icon" "$icon"
	mans=$(find "$tmp" -path '*/man1/keytray*.1' -type f)
	if [ -n "$mans" ]; then
		install -d "$man_dir"
		# shellcheck disable=SC2086 # one page per line, no spaces in the names
		install -m0644 $mans "$man_dir/"
	fi
	# An absolute Exec: ~/.local/bin is not on every desktop session's PATH.
	mkdir -p "$(dirname "$desktop")"
	sed -e "s|^Exec=keytray|Exec=$bin_dir/keytray|" "$src_desktop" >"$desktop"
	chmod 0644 "$desktop"
	if command -v desktop-file-validate >/dev/null 2>&1; then
		desktop-file-validate "$desktop"
	fi
	refresh
	echo "Installed Keytray for $(id -un):"
	printf '  %s\n' "$bin_dir/keytray" "$desktop" "$icon"
	[ -z "$mans" ] || echo "  $man_dir/keytray*.1 ($(echo "$mans" | wc -l) man pages: man keytray)"
	case ":$PATH:" in
	*":$bin_dir:"*) ;;
	*) echo "Add $bin_dir to your PATH to run keytray from a terminal." ;;
	esac
	;;
uninstall)
	rm -f "$bin_dir/keytray" "$desktop" "$icon" "$man_dir"/keytray.1 "$man_dir"/keytray-*.1
	if [ -f "$autostart" ] && grep -q "$bin_dir/keytray" "$autostart"; then
		rm -f "$autostart"
	fi
	refresh
	echo "Removed Keytray's program, menu entry, icon and man pages. Your keys (in the keyring) and the index"
	echo "(${XDG_CONFIG_HOME:-$HOME/.config}/keytray) are kept."
	;;
*)
	echo "usage: $0 install TARBALL | uninstall" >&2
	exit 2
	;;
esac
