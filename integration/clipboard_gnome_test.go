//go:build integration

package integration

// Keytray on GNOME's Wayland session, as a person logged in to GNOME has
// it: an unprivileged user's own session (its own D-Bus session bus and
// unlocked gnome-keyring, GNOME's compositor Mutter 43 headless with
// Xwayland), Keytray started there as that user and never focused. Mutter
// offers no data-control protocol, so Keytray goes through Xwayland, where
// Mutter relays the clipboard between Wayland and X11 apps whatever has
// focus. The Wayland app is zenity's entry dialog (GTK), typed into with
// GNOME's remote-desktop virtual keyboard.

import (
	"os/exec"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/internal/usersession"
)

func TestGNOMEClipboardThroughXwaylandInTheBackground(t *testing.T) {
	session := itest.StartUserSession(t, usersession.Mutter)
	for _, tool := range []string{"zenity", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: scripts/deps.sh test installs it", tool)
		}
	}
	d := signInOnDesktop(t, session, "X11 through Xwayland (GNOME's Mutter relays")
	kbd, err := session.Keyboard()
	if err != nil {
		t.Fatal(err)
	}
	defer kbd.Close()
	openEntry := func() *usersession.Entry {
		t.Helper()
		e, err := session.OpenEntry(kbd)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(e.Close)
		return e
	}

	notes, proc := d.startInTray(t, session)
	pid := proc.PID()

	// A session token copied in a GNOME app: exactly one warning.
	entry := openEntry()
	before := len(notes.Notifications())
	if err := entry.Copy(d.srv.TokenFor("gil@example.com")); err != nil {
		t.Fatal(err)
	}
	n := notes.WaitCount(t, before+1)[before]
	if n.Summary != sessionTokenTitle {
		t.Errorf("token notification %q", n.Summary)
	}
	trayStays(t, 3*time.Second, func() bool { return len(notes.Notifications()) == before+1 },
		"the token was warned about more than once")

	// A key copied from the tray is pasted by the GNOME app.
	itest.ClickTray(t, pid, d.gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == d.key })
	if got, err := entry.Paste(); err != nil || got != d.key {
		t.Errorf("the GNOME app pasted something else than the key (%v)", err)
	}

	// It is cleared after clipboard-clear: the app then pastes no key.
	entry = openEntry()
	itest.ClickTray(t, pid, d.gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == d.key })
	waitFor(t, "the key is cleared after clipboard-clear", func() bool { got, _ := session.ReadX11Clipboard(); return got != d.key })
	if got, err := entry.Paste(); err != nil || got == d.key {
		t.Errorf("the GNOME app still pasted the key after clipboard-clear (%v)", err)
	}

	// A clipboard the user changed meanwhile is left alone.
	entry = openEntry()
	itest.ClickTray(t, pid, d.gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == d.key })
	if err := entry.Copy("the user's own text"); err != nil {
		t.Fatal(err)
	}
	trayStays(t, 5*time.Second, func() bool { got, _ := session.ReadX11Clipboard(); return got == "the user's own text" },
		"Keytray cleared a clipboard the user had changed in a GNOME app")
	if got, err := entry.Paste(); err != nil || got != "the user's own text" {
		t.Errorf("the GNOME app pasted %q (%v), want the user's own text", got, err)
	}

	itest.ClickTray(t, pid, "Quit")
	trayEndedCleanly(t, proc, "Quit")
}
