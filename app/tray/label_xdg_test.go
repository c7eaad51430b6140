//go:build linux || freebsd || openbsd || netbsd || dragonfly

package tray

import "testing"

func TestEscapeLabel(t *testing.T) {
	if got := escapeLabel("my_key_2"); got != "my__key__2" {
		t.Errorf("escapeLabel = %q", got)
	}
}
