//go:build integration

// Package itest holds the helpers that Keytray's integration tests use to
// drive the real things: the built binary, a real Secret Service
// (gnome-keyring), a real X server (Xvfb) with its clipboard and windows, and
// the session bus where the tray (StatusNotifierItem + dbusmenu) and desktop
// notifications live.
//
// Everything here expects to run inside scripts/testenv.sh, which gives each
// run a private session bus, an unlocked throwaway keyring and an Xvfb
// display; `make test` does that. Outside it the helpers skip the test rather
// than touch the user's own keyring, clipboard or desktop.
//
// Helpers never log secrets: outputs and clipboard contents are returned to
// the test, not printed.
package itest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// WaitTimeout bounds every wait in this package (windows, tray items,
// notifications, clipboard, output). Generous, because the machine running
// the tests may be busy; waits end as soon as their event happens.
var WaitTimeout = 20 * time.Second

// RunTimeout bounds one command run with Profile.Run.
var RunTimeout = 30 * time.Second

// pollInterval is how often the helpers that have no event to wait on
// (xdotool, xclip, bus names) look again.
const pollInterval = 50 * time.Millisecond

const viaMakeTest = "run the integration tests with `make test` (it builds the binaries and starts scripts/testenv.sh)"

// Bin returns the path of the desktop build of keytray under test, from
// $KEYTRAY_BIN, or skips the test when it is not set.
func Bin(t testing.TB) string {
	t.Helper()
	return binFrom(t, "KEYTRAY_BIN")
}

// CLIBin returns the path of the static headless build (-tags headless), from
// $KEYTRAY_CLI_BIN, or skips the test when it is not set.
func CLIBin(t testing.TB) string {
	t.Helper()
	return binFrom(t, "KEYTRAY_CLI_BIN")
}

func binFrom(t testing.TB, env string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		t.Skipf("$%s is not set: %s", env, viaMakeTest)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("$%s: %v", env, err)
	}
	return p
}

// RequireSession skips the test unless it runs inside scripts/testenv.sh, so
// that no test ever reaches the user's real keyring, clipboard or display.
// Every helper that touches the session calls it.
func RequireSession(t testing.TB) {
	t.Helper()
	if os.Getenv("KEYTRAY_TESTENV_DIR") == "" || os.Getenv("DISPLAY") == "" ||
		os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skipf("not inside scripts/testenv.sh: %s", viaMakeTest)
	}
}

// requireTool fails the test with the fix when a command-line tool is missing.
func requireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed: run scripts/deps.sh test (make test does)", name)
	}
}

// poll calls check every pollInterval until it reports done or WaitTimeout
// passes; it returns whether check succeeded.
func poll(check func() bool) bool {
	deadline := time.Now().Add(WaitTimeout)
	for {
		if check() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pollInterval)
	}
}
