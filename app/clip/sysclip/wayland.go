package sysclip

import "errors"

// openWayland opens the Wayland data-control path.
func openWayland(getenv func(string) string) (Clipboard, string, error) {
	return nil, "", errors.New("Wayland data-control is not implemented yet")
}
