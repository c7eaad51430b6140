//go:build !linux && !freebsd && !openbsd && !netbsd && !dragonfly && !windows && !darwin

package autostart

// Enable is not supported on this system yet.
func Enable(string) error { return ErrNotSupported }

// Disable is not supported on this system.
func Disable() error { return ErrNotSupported }

// Enabled is always false on this system.
func Enabled() bool { return false }
