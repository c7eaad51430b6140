// Package assets holds Keytray's artwork, drawn for this project: the app
// icon and the tray icons. The SVGs beside this file are the sources;
// scripts/render-icons.sh renders them to the PNGs embedded here. PNG, not
// SVG, because tray hosts need PNG pixmaps. No Fyne import, so that keys/
// and the command line can use this package; app/ wraps the bytes in
// fyne.StaticResource.
package assets

import _ "embed"

// Icon is the app icon: 512×512 PNG (a key whose bow is an open tray, on a
// blue rounded square). FyneApp.toml points at the same file.
//
//go:embed icon.png
var Icon []byte

// TrayLight is the tray icon for light panels (a dark glyph): 64×64 PNG,
// legible down to 16 px.
//
//go:embed tray-light.png
var TrayLight []byte

// TrayDark is the tray icon for dark panels (a light glyph): 64×64 PNG.
//
//go:embed tray-dark.png
var TrayDark []byte
