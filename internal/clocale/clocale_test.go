package clocale

import (
	"os"
	"testing"
)

func TestIsCWithCodeset(t *testing.T) {
	for v, want := range map[string]bool{
		"C.UTF-8": true, "C.utf8": true, "POSIX.UTF-8": true, "C@euro": true,
		"C": false, "POSIX": false, "": false, "en_US.UTF-8": false, "Ca_ES.UTF-8": false, "CC.UTF-8": false,
	} {
		if got := isCWithCodeset(v); got != want {
			t.Errorf("isCWithCodeset(%q) = %v, want %v", v, got, want)
		}
	}
}

// Hide changes the variable go-locale would read, and only that one, and
// its restore puts it back.
func TestHide(t *testing.T) {
	t.Setenv("LC_ALL", "")
	os.Unsetenv("LC_ALL")
	t.Setenv("LC_MESSAGES", "C.UTF-8")
	t.Setenv("LANG", "de_DE.UTF-8")
	restore := Hide()
	if got := os.Getenv("LC_MESSAGES"); got != "C" {
		t.Errorf("LC_MESSAGES while hidden = %q, want C", got)
	}
	if got := os.Getenv("LANG"); got != "de_DE.UTF-8" {
		t.Errorf("LANG was changed to %q", got)
	}
	restore()
	if got := os.Getenv("LC_MESSAGES"); got != "C.UTF-8" {
		t.Errorf("LC_MESSAGES after restore = %q, want C.UTF-8", got)
	}

	t.Setenv("LC_MESSAGES", "en_GB.UTF-8")
	Hide()()
	if got := os.Getenv("LC_MESSAGES"); got != "en_GB.UTF-8" {
		t.Errorf("a real locale was changed: %q", got)
	}
}

// Restore undoes init's Hide once; later calls change nothing.
func TestRestore(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	restoreInit = Hide()
	if os.Getenv("LANG") != "C" {
		t.Fatal("not hidden")
	}
	Restore()
	if got := os.Getenv("LANG"); got != "C.UTF-8" {
		t.Errorf("LANG after Restore = %q", got)
	}
	t.Setenv("LANG", "fr_FR.UTF-8")
	Restore()
	if got := os.Getenv("LANG"); got != "fr_FR.UTF-8" {
		t.Errorf("a second Restore changed LANG to %q", got)
	}
}
