#!/usr/bin/env bash
# screenshots.sh — render the desktop window's main screens (English and
# Simplified Chinese, light and dark) with fake data into docs/screenshots/.
# The screens are built by the real code on Fyne's test driver and drawn by
# its software painter, so no display is needed; Chinese text needs a CJK
# font (Debian: fonts-noto-cjk), or it shows as boxes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh-cn | grep -q .; then
	echo "screenshots: no Chinese font found; install fonts-noto-cjk, or the zh_Hans shots show boxes." >&2
fi
out="$PWD/docs/screenshots"
mkdir -p "$out"
KEYTRAY_SCREENSHOTS_DIR="$out" ${GO:-go} test -count=1 -tags ci,screenshots -run '^TestScreenshots$' ./app/
echo "screenshots: wrote $(ls "$out"/*.png | wc -l) PNGs to docs/screenshots/"
