//go:build !linux && !freebsd && !openbsd && !netbsd && !dragonfly

package tray

// probe: Windows and macOS always have a tray (notification area, menu bar).
func probe() error { return nil }
