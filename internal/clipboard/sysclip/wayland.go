//go:build linux || freebsd || netbsd || openbsd || dragonfly

package sysclip

import (
	"errors"

	"github.com/keytray/keytray/internal/clipboard/wlclip"
)

// openWayland opens the Wayland data-control path.
func openWayland(getenv func(string) string) (Clipboard, string, error) {
	c, err := wlclip.Open(getenv)
	if err != nil {
		return nil, "", err
	}
	return c, c.Protocol, nil
}

// isMutter reports whether openWayland's err says the compositor is Mutter
// (its gtk_shell1 global).
func isMutter(err error) bool {
	var nd *wlclip.NoDataControlError
	return errors.As(err, &nd) && nd.Mutter
}
