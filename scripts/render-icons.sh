#!/usr/bin/env bash
# render-icons.sh — render the hand-drawn SVGs in assets/ to the PNGs that are
# embedded (assets/assets.go). Run it after editing an SVG. ImageMagick's own
# SVG renderer (MSVG) is enough for these shapes as long as every filled shape
# says stroke="none" (it outlines them in black otherwise) and no gradients are used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../assets"
render() { # render SVG PNG SIZE
	convert -background none -density 96 "$1" -resize "$3x$3" -depth 8 "PNG32:$2"
}
render icon.svg icon.png 512
render tray-light.svg tray-light.png 64
render tray-dark.svg tray-dark.png 64
file icon.png tray-light.png tray-dark.png
