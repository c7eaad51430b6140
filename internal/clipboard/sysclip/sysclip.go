// Package sysclip picks the way Keytray reaches the desktop clipboard on
// Linux and the BSDs, without Fyne: a Wayland data-control protocol when the
// session is Wayland and the compositor offers one, else Keytray's own X11
// connection (xsel), else nothing (the caller falls back to Fyne's
// clipboard). It has no Fyne dependency, so `keytray doctor` can name the
// path too.
package sysclip

import (
	"strings"
	"time"

	"github.com/keytray/keytray/internal/clipboard/xsel"
)

// Clipboard is a clipboard Keytray owns and watches itself.
type Clipboard interface {
	// Set makes Keytray the clipboard's owner serving text; secret adds the
	// x-kde-passwordManagerHint = secret mark.
	Set(text string, secret bool) error
	// Owns reports whether Keytray still owns the clipboard, and its text.
	Owns() (text string, ok bool)
	// Read returns the clipboard's text.
	Read(timeout time.Duration) (string, error)
	// Changes receives a value whenever someone else changes the clipboard.
	Changes() <-chan struct{}
	Close()
}

// Path is how the clipboard is reached.
type Path struct {
	Clipboard Clipboard // nil: use Fyne's clipboard
	// Name says which path, for logs and `keytray doctor`.
	Name string
	// Background is false when the platform hides the clipboard from an app
	// in the background (Wayland without data-control).
	Background bool
}

// Open chooses and opens the path for the session described by getenv.
func Open(getenv func(string) string) Path {
	wayland := getenv("WAYLAND_DISPLAY") != "" && !strings.EqualFold(getenv("XDG_SESSION_TYPE"), "x11")
	if wayland {
		if c, proto, err := openWayland(getenv); err == nil {
			return Path{Clipboard: c, Name: "Wayland (" + proto + ")", Background: true}
		}
	}
	if getenv("DISPLAY") != "" {
		if c, err := xsel.Open(getenv("DISPLAY")); err == nil {
			if wayland {
				return Path{Clipboard: c, Name: "X11 through Xwayland (the compositor offers no data-control protocol)", Background: false}
			}
			return Path{Clipboard: c, Name: "X11 (own selection owner, XFixes events)", Background: true}
		}
	}
	return Path{Name: "the toolkit's clipboard (polled)", Background: !wayland}
}

// Describe names the path Open would choose, and closes it again.
func Describe(getenv func(string) string) string {
	p := Open(getenv)
	if p.Clipboard != nil {
		p.Clipboard.Close()
	}
	return p.Name
}
