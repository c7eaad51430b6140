//go:build integration

package itest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"
)

// These tests check the helpers against the real session that
// scripts/testenv.sh provides; their names start with Itest so that
// `go test -run Itest` selects them.

var systrayUsed bool

// TestItestTray drives fyne.io/systray (the library Fyne's tray uses) in this
// process: it must register with our watcher, export its menu, take clicks
// through ClickTray, and leave the watcher when it ends.
func TestItestTray(t *testing.T) {
	RequireSession(t)
	if systrayUsed {
		t.Skip("fyne.io/systray can run only once per process; with -count > 1 only the first run checks the tray")
	}
	systrayUsed = true
	w := StartSNIWatcher(t)

	ready := make(chan struct{})
	var copyItem, quitItem *systray.MenuItem
	start, end := systray.RunWithExternalLoop(func() {
		systray.SetIcon(testPNG(t))
		systray.SetTitle("itest")
		copyItem = systray.AddMenuItem("Copy alice", "")
		srv := systray.AddMenuItem("Servers", "")
		srv.AddSubMenuItem("chat.example.com", "")
		systray.AddSeparator()
		quitItem = systray.AddMenuItem("Quit", "")
		close(ready)
	}, nil)
	start()
	<-ready
	// systray drops a click when no one is receiving, so listen from now on.
	clicked := make(chan string, 2)
	go func() {
		for {
			select {
			case <-copyItem.ClickedCh:
				clicked <- "Copy alice"
			case <-quitItem.ClickedCh:
				clicked <- "Quit"
				return
			}
		}
	}()
	ended := false
	t.Cleanup(func() {
		if !ended {
			end()
		}
	})

	pid := os.Getpid()
	item := w.WaitItem(t, pid)
	if !strings.HasSuffix(item.ID, "/StatusNotifierItem") {
		t.Errorf("registered item id %q, want <bus name>/StatusNotifierItem", item.ID)
	}
	var registered []string
	v, err := sessionBus(t).Object(sniWatcherName, sniWatcherPath).GetProperty(sniWatcherIface + ".RegisteredStatusNotifierItems")
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Store(&registered); err != nil || !slices.Contains(registered, item.ID) {
		t.Errorf("RegisteredStatusNotifierItems = %v (%v), want it to hold %q", registered, err, item.ID)
	}

	WaitTrayItem(t, pid, "Quit")
	got := VisibleLabels(TrayLayout(t, pid))
	want := []string{"Copy alice", "Servers", "chat.example.com", "Quit"}
	if !slices.Equal(got, want) {
		t.Errorf("tray labels = %q, want %q", got, want)
	}

	ClickTray(t, pid, "Copy alice")
	if got := <-clicked; got != "Copy alice" {
		t.Fatalf("clicking \"Copy alice\" reached %q", got)
	}
	ClickTray(t, pid, "Quit")
	if got := <-clicked; got != "Quit" {
		t.Fatalf("clicking \"Quit\" reached %q", got)
	}

	copyItem.Hide()
	if !poll(func() bool { return len(findVisible(TrayLayout(t, pid), "Copy alice")) == 0 }) {
		t.Error("a hidden item is still listed as visible")
	}

	pix := TrayProperty(t, pid, "IconPixmap")
	if !strings.HasPrefix(pix.Signature().String(), "a(iiay)") {
		t.Errorf("IconPixmap has signature %s, want a(iiay)", pix.Signature())
	}

	end()
	ended = true
	w.WaitItemGone(t, pid)
	if n := len(w.Registrations()); n != 1 {
		t.Errorf("watcher saw %d registrations, want 1", n)
	}
}

func testPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.NRGBA{R: 0x20, G: 0x60, B: 0xc0, A: 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestItestNotifications calls the server from another process (gdbus), as
// the app would, and checks what it records and the signals it sends back.
func TestItestNotifications(t *testing.T) {
	RequireSession(t)
	s := StartNotificationServer(t)

	notify := func(summary string, actions string) string {
		t.Helper()
		out, err := exec.Command("gdbus", "call", "--session", "--dest", notifyName,
			"--object-path", string(notifyPath), "--method", notifyIface+".Notify",
			"io.github.keytray", "0", "", summary, "body of "+summary, actions, "{}", "0").CombinedOutput()
		if err != nil {
			t.Fatalf("gdbus Notify: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := notify("first", "[]"); got != "(uint32 1,)" {
		t.Errorf("first Notify returned %s, want (uint32 1,)", got)
	}
	if got := notify("second", "['use', 'Use it to get an API key']"); got != "(uint32 2,)" {
		t.Errorf("second Notify returned %s, want (uint32 2,)", got)
	}
	ns := s.WaitCount(t, 2)
	if ns[0].AppName != "io.github.keytray" || ns[0].Summary != "first" || ns[0].Body != "body of first" {
		t.Errorf("first notification recorded as %+v", ns[0])
	}
	if !slices.Equal(ns[1].Actions, []string{"use", "Use it to get an API key"}) {
		t.Errorf("second notification's actions = %q", ns[1].Actions)
	}

	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var caps []string
	if err := conn.Object(notifyName, notifyPath).Call(notifyIface+".GetCapabilities", 0).Store(&caps); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(caps, "actions") {
		t.Errorf("capabilities %q lack actions", caps)
	}
	var name, vendor, version, spec string
	if err := conn.Object(notifyName, notifyPath).Call(notifyIface+".GetServerInformation", 0).Store(&name, &vendor, &version, &spec); err != nil {
		t.Fatal(err)
	}
	if spec != "1.2" {
		t.Errorf("spec version %q, want 1.2", spec)
	}

	if err := conn.AddMatchSignal(dbus.WithMatchInterface(notifyIface)); err != nil {
		t.Fatal(err)
	}
	sigs := make(chan *dbus.Signal, 4)
	conn.Signal(sigs)
	s.InvokeAction(t, 2, "use")
	sig := <-sigs
	if sig.Name != notifyIface+".ActionInvoked" || sig.Body[0] != uint32(2) || sig.Body[1] != "use" {
		t.Errorf("got signal %s %v, want ActionInvoked [2 use]", sig.Name, sig.Body)
	}
	if err := conn.Object(notifyName, notifyPath).Call(notifyIface+".CloseNotification", 0, uint32(1)).Err; err != nil {
		t.Fatal(err)
	}
	sig = <-sigs
	if sig.Name != notifyIface+".NotificationClosed" || sig.Body[0] != uint32(1) {
		t.Errorf("got signal %s %v, want NotificationClosed [1 3]", sig.Name, sig.Body)
	}
}

// TestItestClipboard sets and reads the X clipboard, Unicode included.
func TestItestClipboard(t *testing.T) {
	RequireSession(t)
	const text = "héllo ✓ 鍵"
	stop := SetClipboard(t, text)
	if got := Clipboard(t); got != text {
		t.Errorf("Clipboard() = %q, want %q", got, text)
	}
	stop()
	if got := Clipboard(t); got != "" {
		t.Errorf("after stop, Clipboard() = %q, want empty", got)
	}
	SetClipboard(t, "second")
	WaitClipboard(t, "second")
}

// TestItestKeyring stores an item the way go-keyring does (service and
// username attributes), reads it back, and locks and unlocks the keyring.
func TestItestKeyring(t *testing.T) {
	RequireSession(t)
	p := NewProfile(t)
	name := p.Name("itest")
	store := exec.Command("secret-tool", "store", "--label=itest", "service", KeyringService, "username", name)
	store.Stdin = strings.NewReader("s3cret")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v\n%s", err, out)
	}
	if got, ok := KeyringSecret(t, name); !ok || got != "s3cret" {
		t.Fatalf("KeyringSecret = ok %v, matches %v", ok, got == "s3cret")
	}
	if names := KeyringNames(t); !slices.Contains(names, name) {
		t.Errorf("KeyringNames() = %q, want it to hold %q", names, name)
	}

	LockKeyring(t)
	if _, ok := KeyringSecret(t, name); ok {
		t.Error("the secret was readable while the keyring was locked")
	}
	UnlockKeyring(t)
	if got, ok := KeyringSecret(t, name); !ok || got != "s3cret" {
		t.Errorf("after UnlockKeyring: ok %v, matches %v", ok, got == "s3cret")
	}

	p.Cleanup()
	if _, ok := KeyringSecret(t, name); ok {
		t.Error("Cleanup left the tracked item in the keyring")
	}
}

// TestItestProfile runs a shell as the "binary" to check the environment a
// profile gives child processes, Run's results, and Start/WaitStderr/Stop.
func TestItestProfile(t *testing.T) {
	RequireSession(t)
	t.Setenv("OPENAI_API_KEY", "must-not-leak")
	p := NewProfile(t)
	p.Bin = "/bin/sh"
	out, errOut, code := p.Run(t, "from stdin", "-c", `cat; echo; echo "$XDG_CONFIG_HOME|$HOME|${OPENAI_API_KEY-unset}"; echo oops >&2; exit 3`)
	want := "from stdin\n" + p.ConfigDir + "|" + p.Home + "|unset\n"
	if out != want || errOut != "oops\n" || code != 3 {
		t.Errorf("Run = %q, %q, %d; want %q, %q, 3", out, errOut, code, want, "oops\n")
	}

	pr := p.Start(t, "-c", `echo started >&2; exec sleep 60`)
	pr.WaitStderr(t, "started")
	if pr.PID() <= 0 {
		t.Errorf("PID() = %d", pr.PID())
	}
	if status := pr.Stop(t); status != -1 {
		t.Errorf("Stop() = %d, want -1 (ended by SIGTERM)", status)
	}
	select {
	case <-pr.Done():
	default:
		t.Error("Done() not closed after Stop")
	}
}

// TestItestWindow finds an X window by title, screenshots it, and sees it go.
func TestItestWindow(t *testing.T) {
	RequireSession(t)
	requireTool(t, "xmessage")
	cmd := exec.Command("xmessage", "-title", "itest window", "hello")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("xmessage stderr: %q", stderr.String())
		}
	}()
	id := WaitWindow(t, "itest window", 0)

	shot := filepath.Join(t.TempDir(), "window.png")
	ScreenshotWindow(t, id, shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width < 10 || cfg.Height < 10 {
		t.Errorf("screenshot: %v, %dx%d", err, cfg.Width, cfg.Height)
	}
	full := filepath.Join(t.TempDir(), "screen.png")
	Screenshot(t, full)
	if st, err := os.Stat(full); err != nil || st.Size() == 0 {
		t.Errorf("full screenshot: %v", err)
	}

	_ = cmd.Process.Kill()
	WaitWindowGone(t, "itest window", 0)
}
