//go:build integration

package integration

// Keytray on a Wayland desktop with a data-control protocol, as a person
// logged in to sway has it: an unprivileged user's own session (its own
// D-Bus session bus and unlocked gnome-keyring, headless sway 1.7 with
// Xwayland; sway refuses to run as root), Keytray started there as that
// user, its window an Xwayland client that is never focused. The test hosts
// the panel's tray watcher and the notification server on the user's bus.

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/internal/usersession"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

// desktopUser is a person signed in to a Wayland desktop session, with one
// key Keytray fetched from an Open WebUI server.
type desktopUser struct {
	p   *itest.Profile
	srv *owuifake.Server
	gil string // the key's name
	key string
}

// signInOnDesktop signs gil in with the command line as the session's user,
// clipboard-clear 3 s, and checks that the key is in that user's own
// keyring, not the test's, and that doctor names the clipboard path that
// starts with path.
func signInOnDesktop(t *testing.T, session *itest.UserSession, path string) desktopUser {
	t.Helper()
	d := desktopUser{p: session.Profile(t)}
	var password string
	d.srv, password = cliFake(t, "0.6.41", "gil@example.com")
	d.gil = d.p.Name("gil")
	trayMustRun(t, d.p, password, "login", d.srv.URL(), "--email", "gil@example.com", "--password-stdin", "--name", d.gil)
	trayMustRun(t, d.p, "", "config", "clipboard-clear", "3s")
	var ok bool
	if d.key, ok = session.KeyringSecret(t, d.gil); !ok || !strings.HasPrefix(d.key, "sk-") {
		t.Fatalf("no API key in the user's own keyring (found: %v)", ok)
	}
	if _, ok := itest.KeyringSecret(t, d.gil); ok {
		t.Fatal("the key went to the test's keyring, not the user's")
	}
	if out, _, _ := d.p.Run(t, "", "doctor"); !strings.Contains(out, "clipboard path of the desktop app: "+path) {
		t.Errorf("doctor does not name the clipboard path %q…:\n%s", path, out)
	}
	return d
}

// startInTray joins the session (its bus and display become the test's),
// hosts the panel's tray watcher and the notification server there, and
// starts Keytray hidden as the session's user; it returns once the tray
// shows the key.
func (d desktopUser) startInTray(t *testing.T, session *itest.UserSession) (*itest.NotificationServer, *itest.Proc) {
	t.Helper()
	session.Join(t)
	sni := itest.StartSNIWatcher(t)
	notes := itest.StartNotificationServer(t)
	proc := d.p.Start(t, "--hidden")
	session.RunsAsUser(t, proc.PID())
	sni.WaitItem(t, proc.PID())
	itest.WaitTrayItem(t, proc.PID(), d.gil)
	return notes, proc
}

// wlClient runs the session's Wayland clients (wl-copy, wl-paste) as its user.
type wlClient struct{ s *itest.UserSession }

// run runs a client with stdin and returns its output.
func (c wlClient) run(t *testing.T, stdin string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := c.s.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		err = <-done
	}
	if err != nil && !strings.Contains(errb.String(), "No selection") && !strings.Contains(errb.String(), "Nothing is copied") {
		t.Fatalf("%s: %v: %s", name, err, strings.TrimSpace(errb.String()))
	}
	return out.String()
}

// paste is what wl-paste reads ("" when the clipboard is empty).
func (c wlClient) paste(t *testing.T, args ...string) string {
	t.Helper()
	return c.run(t, "", "wl-paste", append([]string{"--no-newline"}, args...)...)
}

// copyText is wl-copy: it forks a server for the selection and returns.
// Its output goes nowhere: the forked server would hold a pipe open.
func (c wlClient) copyText(t *testing.T, text string) {
	t.Helper()
	cmd := c.s.Command("wl-copy")
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Run(); err != nil {
		t.Fatalf("wl-copy: %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(itest.WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, itest.WaitTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWaylandDataControlInTheBackground(t *testing.T) {
	t.Run("sway", func(t *testing.T) { waylandInTheBackground(t, usersession.Sway) })
	// KDE Plasma's KWin: not among the test packages (138 packages of KDE),
	// so this runs where it is installed (apt-get install kwin-wayland).
	t.Run("KWin", func(t *testing.T) {
		if _, err := exec.LookPath(string(usersession.KWin)); err != nil {
			t.Skip("kwin_wayland is not installed (apt-get install --no-install-recommends kwin-wayland)")
		}
		waylandInTheBackground(t, usersession.KWin)
	})
}

// waylandInTheBackground is the test on one compositor with data-control.
func waylandInTheBackground(t *testing.T, compositor usersession.Compositor) {
	session := itest.StartUserSession(t, compositor)
	wl := wlClient{session}
	d := signInOnDesktop(t, session, "Wayland (")

	notes, proc := d.startInTray(t, session)
	pid := proc.PID()

	// A tray copy reaches Wayland apps, marked for clipboard managers, and
	// is cleared after clipboard-clear.
	itest.ClickTray(t, pid, d.gil)
	waitFor(t, "wl-paste returns the copied key", func() bool { return wl.paste(t) == d.key })
	if types := wl.paste(t, "--list-types"); !strings.Contains(types, "x-kde-passwordManagerHint") {
		t.Errorf("the copied key's MIME types lack the hint: %q", types)
	}
	if hint := wl.paste(t, "--type", "x-kde-passwordManagerHint"); hint != "secret" {
		t.Errorf("x-kde-passwordManagerHint = %q, want secret", hint)
	}
	waitFor(t, "the key is cleared after clipboard-clear", func() bool { return wl.paste(t) == "" })

	// A clipboard the user changed meanwhile is left alone.
	itest.ClickTray(t, pid, d.gil)
	waitFor(t, "wl-paste returns the copied key", func() bool { return wl.paste(t) == d.key })
	wl.copyText(t, "the user's own text")
	trayStays(t, 5*time.Second, func() bool { return wl.paste(t) == "the user's own text" },
		"Keytray cleared a Wayland clipboard the user had changed")

	// A session token copied by a Wayland app: exactly one warning.
	before := len(notes.Notifications())
	token := d.srv.TokenFor("gil@example.com")
	wl.copyText(t, token)
	n := notes.WaitCount(t, before+1)[before]
	if n.Summary != sessionTokenTitle {
		t.Errorf("token notification %q", n.Summary)
	}
	trayStays(t, 3*time.Second, func() bool { return len(notes.Notifications()) == before+1 },
		"the token was warned about more than once")

	// Its "Get an API key" action opens the window, an Xwayland client.
	if get := actionKey(n, "Get an API key"); get == "" {
		t.Errorf("the token notification has no “Get an API key” action: %q", n.Actions)
	} else {
		notes.InvokeAction(t, n.ID, get)
		itest.WaitWindow(t, "Keytray", pid)
	}

	itest.ClickTray(t, pid, "Quit")
	trayEndedCleanly(t, proc, "Quit")
}
