package sysclip

import "github.com/keytray/keytray/internal/clipboard/wlclip"

// openWayland opens the Wayland data-control path.
func openWayland(getenv func(string) string) (Clipboard, string, error) {
	c, err := wlclip.Open(getenv)
	if err != nil {
		return nil, "", err
	}
	return c, c.Protocol, nil
}
