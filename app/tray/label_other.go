//go:build !linux && !freebsd && !openbsd && !netbsd && !dragonfly && !windows

package tray

// escapeLabel: macOS menus show labels as they are.
func escapeLabel(s string) string { return s }
