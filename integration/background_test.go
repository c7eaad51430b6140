//go:build integration

package integration

// What the running desktop app does by itself: it follows settings changed
// on the command line, and checks every stored key in the background
// (check-interval), saying once when a key stops working and once when it
// works again.

import (
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
)

// windowBrightness is the mean brightness (0–1) of the window's pixels.
func windowBrightness(t *testing.T, win string) float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "window.png")
	itest.ScreenshotWindow(t, win, path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("reading the screenshot: %v", err)
	}
	b := img.Bounds()
	var sum float64
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			sum += (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(bl)) / 0xffff
			n++
		}
	}
	return sum / float64(n)
}

func TestThemeFromTheCommandLineReachesTheWindow(t *testing.T) {
	p := itest.NewProfile(t)
	srv, _ := cliFake(t, "0.6.41", "alice@example.com")
	trayMustRun(t, p, trayRandomKey(t), "add", srv.URL(), "--key-stdin", "--no-verify", "--name", p.Name("alice"))
	trayMustRun(t, p, "", "config", "theme", "light")

	proc := p.Start(t)
	win := itest.WaitWindow(t, "Keytray", proc.PID())
	var light float64
	deadline := time.Now().Add(itest.WaitTimeout)
	for light = windowBrightness(t, win); light < 0.6 && time.Now().Before(deadline); light = windowBrightness(t, win) {
		time.Sleep(200 * time.Millisecond) // the first frame may not be drawn yet
	}
	if light < 0.6 {
		t.Fatalf("with theme light the window's brightness is %.2f", light)
	}

	trayMustRun(t, p, "", "config", "theme", "dark")
	dark := light
	for deadline = time.Now().Add(itest.WaitTimeout); dark > 0.4 && time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		dark = windowBrightness(t, win)
	}
	if dark > 0.4 {
		t.Errorf("after `keytray config theme dark` the window's brightness is %.2f (was %.2f)", dark, light)
	}
	if code := proc.Stop(t); code != 0 && code != -1 {
		t.Errorf("the app exited with %d\n%s", code, proc.Stderr())
	}
}

func TestBackgroundCheckNotifiesOncePerChange(t *testing.T) {
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	notes := itest.StartNotificationServer(t)
	srv, password := cliFake(t, "0.6.41", "alice@example.com")
	alice := p.Name("alice")
	trayMustRun(t, p, password, "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", alice)
	trayMustRun(t, p, "", "config", "check-interval", "1m") // the shortest; the first round runs ~5 s after start
	key := srv.KeyOf("alice@example.com")

	// The key is deleted on the server before the first round.
	srv.DropKey("alice@example.com")
	proc := p.Start(t, "--hidden")
	pid := proc.PID()
	sni.WaitItem(t, pid)

	about := func() []itest.Notification {
		var out []itest.Notification
		for _, n := range notes.Notifications() {
			if strings.Contains(n.Summary, alice) {
				out = append(out, n)
			}
		}
		return out
	}
	waitAbout := func(n int, within time.Duration) []itest.Notification {
		t.Helper()
		deadline := time.Now().Add(within)
		for len(about()) < n && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		got := about()
		if len(got) < n {
			t.Fatalf("%d notifications about %s within %v, want %d", len(got), alice, within, n)
		}
		return got
	}

	n := waitAbout(1, itest.WaitTimeout)[0]
	if !strings.Contains(n.Summary, "needs attention") || !strings.Contains(n.Body, "Rejected") {
		t.Errorf("the revoked key's notification: %q / %q", n.Summary, n.Body)
	}
	// The notification server offers actions: "Open Keytray" opens the window.
	open := actionKey(n, "Open Keytray")
	if open == "" {
		t.Errorf("the revoked key's notification has no “Open Keytray” action: %q", n.Actions)
	} else {
		notes.InvokeAction(t, n.ID, open)
		itest.WaitWindow(t, "Keytray", pid)
	}
	itest.WaitTrayItem(t, pid, "⚠ "+alice)
	if tip := trayTooltip(t, pid); !strings.Contains(tip, "1 needs attention") {
		t.Errorf("tray tooltip %q", tip)
	}

	// Back on the server: the next round (1 min ± 10 %) says so, once.
	srv.SetKey("alice@example.com", key)
	got := waitAbout(2, 90*time.Second)
	if len(got) != 2 || !strings.Contains(got[1].Summary, "works again") {
		var s []string
		for _, n := range got {
			s = append(s, n.Summary)
		}
		t.Errorf("notifications about %s: %q, want one “needs attention” and one “works again”", alice, s)
	}
	itest.WaitTrayItem(t, pid, alice)
	if code := proc.Stop(t); code != 0 && code != -1 {
		t.Errorf("the app exited with %d\n%s", code, proc.Stderr())
	}
}

// actionKey is the key of n's action labelled label, "" when it has none.
func actionKey(n itest.Notification, label string) string {
	for i := 0; i+1 < len(n.Actions); i += 2 {
		if n.Actions[i+1] == label {
			return n.Actions[i]
		}
	}
	return ""
}

// trayTooltip is the tray icon's ToolTip property, its texts run together.
func trayTooltip(t *testing.T, pid int) string {
	t.Helper()
	return fmt.Sprint(itest.TrayProperty(t, pid, "ToolTip").Value())
}
