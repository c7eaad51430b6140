//go:build linux || freebsd || netbsd || openbsd || dragonfly

package sysclip

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/keytray/keytray/internal/clipboard/wlclip"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestIsGNOME(t *testing.T) {
	for desktop, want := range map[string]bool{
		"GNOME": true, "ubuntu:GNOME": true, "GNOME-Classic:GNOME": true, "gnome": true,
		"": false, "KDE": false, "sway": false, "GNOME-Flashback": false, "X-Cinnamon": false,
	} {
		if got := IsGNOME(env(map[string]string{"XDG_CURRENT_DESKTOP": desktop})); got != want {
			t.Errorf("IsGNOME(%q) = %v, want %v", desktop, got, want)
		}
	}
}

func TestIsMutter(t *testing.T) {
	if !isMutter(fmt.Errorf("opening: %w", &wlclip.NoDataControlError{Mutter: true})) {
		t.Error("Mutter's globals are not recognised")
	}
	if isMutter(&wlclip.NoDataControlError{}) || isMutter(errors.New("connection refused")) || isMutter(nil) {
		t.Error("another compositor counts as Mutter")
	}
}

// Without a reachable compositor or X server, Open falls back to the
// toolkit's clipboard; only a Wayland session other than GNOME hides it
// from the background.
func TestOpenFallbackBackground(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "wayland-9")
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"XDG_SESSION_TYPE": "x11"}, true},
		{map[string]string{"WAYLAND_DISPLAY": missing, "XDG_SESSION_TYPE": "wayland"}, false},
		{map[string]string{"WAYLAND_DISPLAY": missing, "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, true},
	} {
		p := Open(env(tc.env))
		if p.Clipboard != nil {
			p.Clipboard.Close()
			t.Fatalf("%v: opened a clipboard", tc.env)
		}
		if p.Background != tc.want {
			t.Errorf("%v: Background = %v, want %v", tc.env, p.Background, tc.want)
		}
	}
}
