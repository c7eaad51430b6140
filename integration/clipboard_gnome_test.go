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
	"strings"
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
	p := session.Profile(t)
	srv, password := cliFake(t, "0.6.41", "gil@example.com")
	gil := p.Name("gil")
	trayMustRun(t, p, password, "login", srv.URL(), "--email", "gil@example.com", "--password-stdin", "--name", gil)
	trayMustRun(t, p, "", "config", "clipboard-clear", "3s")
	key, ok := session.KeyringSecret(t, gil)
	if !ok || !strings.HasPrefix(key, "sk-") {
		t.Fatalf("no API key in the user's own keyring (found: %v)", ok)
	}
	if out, _, _ := p.Run(t, "", "doctor"); !strings.Contains(out, "clipboard path of the desktop app: X11 through Xwayland (GNOME's Mutter relays") {
		t.Errorf("doctor does not name the path through Xwayland with Mutter's relay:\n%s", out)
	}
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

	session.Join(t)
	sni := itest.StartSNIWatcher(t)
	notes := itest.StartNotificationServer(t)
	proc := p.Start(t, "--hidden")
	pid := proc.PID()
	session.RunsAsUser(t, pid)
	sni.WaitItem(t, pid)
	itest.WaitTrayItem(t, pid, gil)

	// A session token copied in a GNOME app: exactly one warning.
	entry := openEntry()
	before := len(notes.Notifications())
	if err := entry.Copy(srv.TokenFor("gil@example.com")); err != nil {
		t.Fatal(err)
	}
	n := notes.WaitCount(t, before+1)[before]
	if n.Summary != sessionTokenTitle {
		t.Errorf("token notification %q", n.Summary)
	}
	trayStays(t, 3*time.Second, func() bool { return len(notes.Notifications()) == before+1 },
		"the token was warned about more than once")

	// A key copied from the tray is pasted by the GNOME app.
	itest.ClickTray(t, pid, gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == key })
	if got, err := entry.Paste(); err != nil || got != key {
		t.Errorf("the GNOME app pasted something else than the key (%v)", err)
	}

	// It is cleared after clipboard-clear: the app then pastes no key.
	entry = openEntry()
	itest.ClickTray(t, pid, gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == key })
	waitFor(t, "the key is cleared after clipboard-clear", func() bool { got, _ := session.ReadX11Clipboard(); return got != key })
	if got, err := entry.Paste(); err != nil || got == key {
		t.Errorf("the GNOME app still pasted the key after clipboard-clear (%v)", err)
	}

	// A clipboard the user changed meanwhile is left alone.
	entry = openEntry()
	itest.ClickTray(t, pid, gil)
	waitFor(t, "the key reaches the clipboard", func() bool { got, _ := session.ReadX11Clipboard(); return got == key })
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
