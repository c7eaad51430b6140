//go:build integration

package integration

// The tray, the clipboard keeper and the clipboard guard as a user meets them:
// the desktop binary ($KEYTRAY_BIN) started with --hidden in a private
// session (scripts/testenv.sh) that has Xvfb, a real gnome-keyring, and this
// test's own StatusNotifierWatcher and notification server on the bus. The
// menu is read and clicked over dbusmenu, as a panel does; the clipboard is
// read and written with xclip, as another application would.

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
)

const sessionTokenTitle = "You copied a session token, not an API key"

func TestTray(t *testing.T) {
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	notes := itest.StartNotificationServer(t)

	// An account with a user id in the index (login), so the guard can name
	// a token's owner, and a key stored without a server check (add).
	srv, password := cliFake(t, "0.6.41", "alice@example.com")
	alice, bob, carol := p.Name("alice"), p.Name("bob"), p.Name("carol")
	trayMustRun(t, p, password, "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", alice)
	bobKey := trayRandomKey(t)
	trayMustRun(t, p, bobKey, "add", srv.URL(), "--key-stdin", "--no-verify", "--name", bob)
	trayMustRun(t, p, "", "config", "clipboard-clear", "3s")
	// No background check: bob's made-up key would fail it about 5 s after
	// start and the menu be rebuilt with "⚠ bob", which a slow machine saw
	// half done ("alice" alone) when reading it below.
	trayMustRun(t, p, "", "config", "check-interval", "0")
	aliceKey, _, _ := p.Run(t, "", "get", alice)
	aliceKey = strings.TrimSpace(aliceKey)
	if aliceKey == "" || aliceKey != srv.KeyOf("alice@example.com") {
		t.Fatal("the key stored by login is not the account's server key")
	}

	proc := p.Start(t, "--hidden")
	pid := proc.PID()
	sni.WaitItem(t, pid)
	itest.WaitTrayItem(t, pid, alice)
	itest.WaitTrayItem(t, pid, bob)
	labels := itest.VisibleLabels(itest.TrayLayout(t, pid))
	if got, want := strings.Join(labels, " | "), alice+" | "+bob+" | Open Keytray | Quit"; got != want {
		t.Errorf("tray menu\n got %s\nwant %s", got, want)
	}
	if w := itest.FindWindows(t, "Keytray", pid, true); len(w) != 0 {
		t.Errorf("--hidden showed a window: %v", w)
	}

	// A click copies the key, says so, and the clipboard is emptied after
	// clipboard-clear.
	before := len(notes.Notifications())
	itest.ClickTray(t, pid, alice)
	itest.WaitClipboard(t, aliceKey)
	n := notes.WaitCount(t, before+1)[before]
	if n.Summary != "Key copied" || !strings.Contains(n.Body, alice) || !strings.Contains(n.Body, "3 seconds") {
		t.Errorf("copy notification %q / %q does not name the key and the clear time", n.Summary, n.Body)
	}
	if strings.Contains(n.Body, aliceKey) {
		t.Fatal("the copy notification contains the key")
	}
	itest.WaitClipboard(t, "")

	// A clipboard the user changed meanwhile is left alone.
	itest.ClickTray(t, pid, bob)
	itest.WaitClipboard(t, bobKey)
	itest.SetClipboard(t, "the user's own text")
	trayStays(t, 5*time.Second, func() bool { return itest.Clipboard(t) == "the user's own text" },
		"Keytray cleared a clipboard the user had changed")

	// A session JWT on the clipboard: exactly one notification, naming it a
	// session token and its owner; copying it again warns no more.
	token := srv.TokenFor("alice@example.com")
	before = len(notes.Notifications())
	itest.SetClipboard(t, token)
	n = notes.WaitCount(t, before+1)[before]
	if n.Summary != sessionTokenTitle || !strings.Contains(n.Body, alice) || !strings.Contains(n.Body, "alice@example.com") {
		t.Errorf("token notification %q / %q does not name a session token and its owner", n.Summary, n.Body)
	}
	if strings.Contains(n.Body, token) {
		t.Fatal("the token notification contains the token")
	}
	itest.SetClipboard(t, "something else")
	itest.SetClipboard(t, token)
	trayStays(t, 3*time.Second, func() bool { return len(notes.Notifications()) == before+1 },
		"the same token was warned about twice")
	// Another account's token is warned about: the guard is still watching.
	srv.AddUser("dave@example.com", "pw-dave-Zq9-"+hex.EncodeToString([]byte(t.Name()))[:8], "user")
	itest.SetClipboard(t, srv.TokenFor("dave@example.com"))
	n = notes.WaitCount(t, before+2)[before+1]
	if n.Summary != sessionTokenTitle || !strings.Contains(n.Body, "an unknown account") {
		t.Errorf("unknown owner's token: %q / %q", n.Summary, n.Body)
	}
	// The server offers actions: "Get an API key" starts the swap in the
	// window without opening it first.
	if get := actionKey(n, "Get an API key"); get == "" {
		t.Errorf("the token notification has no “Get an API key” action: %q", n.Actions)
	} else {
		notes.InvokeAction(t, n.ID, get)
		itest.WaitWindow(t, "Keytray", pid)
	}

	// The command line adds a key in another process: the menu follows.
	trayMustRun(t, p, trayRandomKey(t), "add", srv.URL(), "--key-stdin", "--no-verify", "--name", carol)
	itest.WaitTrayItem(t, pid, carol)

	// Quit clears Keytray's key and ends the app cleanly.
	itest.ClickTray(t, pid, alice)
	itest.WaitClipboard(t, aliceKey)
	itest.ClickTray(t, pid, "Quit")
	trayEndedCleanly(t, proc, "Quit")
	// Without a clipboard manager X drops the app's selection when it exits,
	// so this holds whether or not Quit cleared it first;
	// TestTrayKeyDoesNotOutliveTheApp checks it with a clipboard manager.
	if itest.Clipboard(t) == aliceKey {
		t.Error("the key is still on the clipboard after Quit")
	}
	sni.WaitItemGone(t, pid)
}

// Every way out clears Keytray's key from the clipboard first, so that a
// clipboard manager, which takes the clipboard over from an application
// that exits, does not keep it. Signals end the app through the same path
// as Quit, with exit status 0 rather than death by the signal.
func TestTrayKeyDoesNotOutliveTheApp(t *testing.T) {
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	itest.StartNotificationServer(t)
	manager := itest.StartClipboardManager(t)
	srv, _ := cliFake(t, "0.6.41", "erin@example.com")
	erin := p.Name("erin")
	key := trayRandomKey(t)
	trayMustRun(t, p, key, "add", srv.URL(), "--key-stdin", "--no-verify", "--name", erin)

	for _, way := range []struct {
		name string
		end  func(t *testing.T, pid int) error
	}{
		{"Quit in the tray", func(t *testing.T, pid int) error { itest.ClickTray(t, pid, "Quit"); return nil }},
		{"SIGTERM", func(_ *testing.T, pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }},
		{"SIGINT", func(_ *testing.T, pid int) error { return syscall.Kill(pid, syscall.SIGINT) }},
		{"SIGHUP", func(_ *testing.T, pid int) error { return syscall.Kill(pid, syscall.SIGHUP) }},
	} {
		t.Run(way.name, func(t *testing.T) {
			itest.SetClipboard(t, "before "+way.name) // so that the key seen next is this round's copy
			proc := p.Start(t, "--hidden")
			pid := proc.PID()
			sni.WaitItem(t, pid)
			itest.WaitTrayItem(t, pid, erin)
			itest.ClickTray(t, pid, erin)
			itest.WaitClipboard(t, key)
			saves := manager.Saves()
			if err := way.end(t, pid); err != nil {
				t.Fatal(err)
			}
			trayEndedCleanly(t, proc, way.name)
			// The app still owned the clipboard (emptied) when it exited, so
			// the manager took it over: a check that cannot pass by default.
			if size := manager.WaitSave(t, saves+1); size != "0" {
				t.Errorf("the clipboard manager kept %s bytes from Keytray's clipboard, want it emptied first", size)
			}
			if itest.Clipboard(t) == key {
				t.Errorf("the key is still on the clipboard after the app ended")
			}
			sni.WaitItemGone(t, pid)
		})
	}
}

// Started with SIGHUP ignored (nohup, or a shell's empty trap on HUP), Keytray keeps
// running when its terminal closes, as the user asked; SIGTERM still ends it
// through Quit.
func TestTrayNohupSurvivesSIGHUP(t *testing.T) {
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	itest.StartNotificationServer(t)
	bin := itest.Bin(t)
	p.Bin = "/bin/sh"
	proc := p.Start(t, "-c", `trap '' HUP; exec "$0" --hidden`, bin)
	pid := proc.PID()
	sni.WaitItem(t, pid)
	itest.WaitTrayItem(t, pid, "Quit")
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	trayStays(t, 2*time.Second, func() bool {
		select {
		case <-proc.Done():
			return false
		default:
			return true
		}
	}, "SIGHUP ended a Keytray started with SIGHUP ignored")
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	trayEndedCleanly(t, proc, "SIGTERM")
}

// trayEndedCleanly waits for the app to end after how (Quit, a signal): exit
// status 0 (a signal's default action would give -1), no panic, and no
// complaint from Fyne about the locale (testenv.sh runs the app under
// en_US.UTF-8 or C.UTF-8; see internal/clocale).
func trayEndedCleanly(t *testing.T, proc *itest.Proc, how string) {
	t.Helper()
	if code := proc.Wait(t); code != 0 {
		t.Errorf("exit status %d after %s (-1: killed by the signal, not quit); stderr:\n%s", code, how, proc.Stderr())
	}
	if strings.Contains(proc.Stderr(), "panic") {
		t.Errorf("panic after %s:\n%s", how, proc.Stderr())
	}
	if strings.Contains(proc.Stderr(), "Error parsing user locale") {
		t.Errorf("Fyne could not read the locale (LANG=%s):\n%s", os.Getenv("LANG"), proc.Stderr())
	}
	if strings.Contains(proc.Stderr(), "XGB:") {
		t.Errorf("the X11 library's own log reached stderr:\n%s", proc.Stderr())
	}
}

// trayMustRun runs the binary and fails the test on a non-zero exit.
func trayMustRun(t *testing.T, p *itest.Profile, stdin string, args ...string) {
	t.Helper()
	if _, stderr, code := p.Run(t, stdin, args...); code != 0 {
		t.Fatalf("keytray %s: exit %d\n%s", args[0], code, stderr)
	}
}

// trayRandomKey is an Open WebUI-shaped key no server knows.
func trayRandomKey(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "sk-" + hex.EncodeToString(b[:])
}

// trayStays checks that cond holds for the whole of d (a check that something
// does NOT happen: there is no event to wait for), looking every 100 ms.
func trayStays(t *testing.T, d time.Duration, cond func() bool, msg string) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if !cond() {
			t.Fatal(msg)
		}
	}
}
