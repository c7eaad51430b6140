// Package sysclip picks the way Keytray reaches the desktop clipboard on
// Linux and the BSDs, without Fyne: a Wayland data-control protocol when the
// session is Wayland and the compositor offers one, else Keytray's own X11
// connection (xsel), else nothing (the caller falls back to Fyne's
// clipboard). It has no Fyne dependency, so `keytray doctor` can name the
// path too.
package sysclip

import (
	"runtime"
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
	mutter := false
	if wayland {
		c, proto, err := openWayland(getenv)
		if err == nil {
			return Path{Clipboard: c, Name: "Wayland (" + proto + ")", Background: true}
		}
		mutter = isMutter(err) || IsGNOME(getenv)
	}
	if getenv("DISPLAY") != "" {
		if c, err := xsel.Open(getenv("DISPLAY")); err == nil {
			if wayland && mutter {
				return Path{Clipboard: c, Name: "X11 through Xwayland (GNOME's Mutter relays the Wayland clipboard to X11 clients)", Background: true}
			}
			if wayland {
				return Path{Clipboard: c, Name: "X11 through Xwayland (the compositor offers no data-control protocol: the clipboard is seen only while Keytray's window has focus)", Background: false}
			}
			return Path{Clipboard: c, Name: "X11 (own selection owner, XFixes events)", Background: true}
		}
	}
	return Path{Name: "the toolkit's clipboard (polled)", Background: !wayland || mutter}
}

// IsGNOME reports whether XDG_CURRENT_DESKTOP names GNOME ("GNOME",
// "ubuntu:GNOME", …). On Wayland, GNOME's compositor Mutter offers no
// data-control protocol but keeps Xwayland's clipboard and the Wayland one in
// step whatever has focus (measured on Mutter 43.8: an unfocused X11 client
// got an XFixes event for a Wayland app's copy and read it, and a Wayland app
// pasted what an X11 client owned), so Keytray watches through X11 there.
func IsGNOME(getenv func(string) string) bool {
	for d := range strings.SplitSeq(getenv("XDG_CURRENT_DESKTOP"), ":") {
		if strings.EqualFold(strings.TrimSpace(d), "GNOME") {
			return true
		}
	}
	return false
}

// Describe names the path Open would choose, and closes it again. On
// Windows and macOS the desktop app writes the system clipboard through its
// toolkit, with the platform's history-exclusion marks (app/clip).
func Describe(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return "the Windows clipboard (marked to stay out of clipboard history and cloud sync)"
	case "darwin":
		return "the macOS pasteboard (marked concealed for clipboard managers)"
	}
	p := Open(getenv)
	if p.Clipboard != nil {
		p.Clipboard.Close()
	}
	return p.Name
}
