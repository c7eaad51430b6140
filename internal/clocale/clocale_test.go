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

// init and Restore on the variable go-locale would read, and only on it.
func TestInitAndRestore(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "C.UTF-8")
	t.Setenv("LANG", "de_DE.UTF-8")
	os.Unsetenv("LC_ALL")
	hide()
	if got := os.Getenv("LC_MESSAGES"); got != "C" {
		t.Errorf("LC_MESSAGES during initialisation = %q, want C", got)
	}
	if got := os.Getenv("LANG"); got != "de_DE.UTF-8" {
		t.Errorf("LANG was changed to %q", got)
	}
	Restore()
	if got := os.Getenv("LC_MESSAGES"); got != "C.UTF-8" {
		t.Errorf("LC_MESSAGES after Restore = %q, want C.UTF-8", got)
	}
	Restore() // twice is harmless
	if got := os.Getenv("LC_MESSAGES"); got != "C.UTF-8" {
		t.Errorf("LC_MESSAGES after a second Restore = %q", got)
	}

	t.Setenv("LC_MESSAGES", "en_GB.UTF-8")
	hide()
	if changed != "" || os.Getenv("LC_MESSAGES") != "en_GB.UTF-8" {
		t.Errorf("a real locale was changed: %q", os.Getenv("LC_MESSAGES"))
	}
}
