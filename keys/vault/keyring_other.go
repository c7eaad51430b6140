//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package vault

// sessionBusCheck: macOS and Windows keyrings need no session bus.
func sessionBusCheck() error { return nil }
