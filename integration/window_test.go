//go:build integration

package integration

// The desktop window as a user meets it: the real binary ($KEYTRAY_BIN) in a
// private session (scripts/testenv.sh: Xvfb, its own D-Bus session bus and
// an unlocked gnome-keyring), with keys stored beforehand through the
// command line. The window must appear titled "Keytray", stay alive, and a
// second start must bring it back instead of starting another app.

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
)

func TestWindow(t *testing.T) {
	p := itest.NewProfile(t)
	srv, password := cliFake(t, "0.6.41", "alice@example.com")
	alice, bob := p.Name("alice"), p.Name("bob")
	trayMustRun(t, p, password, "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", alice)
	trayMustRun(t, p, trayRandomKey(t), "add", srv.URL(), "--key-stdin", "--no-verify", "--name", bob)

	proc := p.Start(t)
	win := itest.WaitWindow(t, "Keytray", proc.PID())
	if got := itest.FindWindows(t, "Keytray", proc.PID(), true); len(got) != 1 {
		t.Fatalf("%d visible Keytray windows, want 1", len(got))
	}
	if dir := os.Getenv("KEYTRAY_ARTIFACTS"); dir != "" {
		itest.ScreenshotWindow(t, win, filepath.Join(dir, "window.png"))
	}

	// Alive: still running, still mapped, a moment later.
	trayStays(t, 2*time.Second, func() bool {
		select {
		case <-proc.Done():
			return false
		default:
		}
		return len(itest.FindWindows(t, "Keytray", proc.PID(), true)) == 1
	}, "the window went away or the app exited by itself")

	// A second start activates the running app and exits at once.
	second := p.Start(t)
	if code := second.Wait(t); code != 0 {
		t.Fatalf("second start exited with %d\n%s", code, second.Stderr())
	}
	if got := itest.FindWindows(t, "Keytray", 0, true); len(got) != 1 {
		t.Errorf("%d Keytray windows after a second start, want 1", len(got))
	}
	if code := proc.Stop(t); code != 0 && code != -1 {
		t.Errorf("the app exited with %d\n%s", code, proc.Stderr())
	}
}
