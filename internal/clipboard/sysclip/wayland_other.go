//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package sysclip

import "errors"

// openWayland: there is no Wayland on this system.
func openWayland(func(string) string) (Clipboard, string, error) {
	return nil, "", errors.New("no Wayland on this system")
}

func isMutter(error) bool { return false }
