//go:build integration

package itest

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FindWindows returns the X window ids whose title is exactly title, owned by
// pid (any process when pid is 0), mapped ones only when visibleOnly. It does
// not wait.
func FindWindows(t testing.TB, title string, pid int, visibleOnly bool) []string {
	t.Helper()
	RequireSession(t)
	requireTool(t, "xdotool")
	args := []string{"search", "--all"}
	if visibleOnly {
		args = append(args, "--onlyvisible")
	}
	if pid != 0 {
		args = append(args, "--pid", strconv.Itoa(pid))
	}
	args = append(args, "--name", "^"+regexp.QuoteMeta(title)+"$")
	out, err := exec.Command("xdotool", args...).Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 1 {
		return nil // xdotool search: nothing matched
	}
	if err != nil {
		t.Fatalf("xdotool search: %v", err)
	}
	return strings.Fields(string(out))
}

// WaitWindow waits for a visible window titled title owned by pid (any
// process when pid is 0) and returns its id. It polls every 50 ms rather than
// using xdotool's --sync, which looks only every 0.5 s.
func WaitWindow(t testing.TB, title string, pid int) string {
	t.Helper()
	var ids []string
	if !poll(func() bool {
		ids = FindWindows(t, title, pid, true)
		return len(ids) > 0
	}) {
		// Say what there is instead, to tell "never mapped" from "other owner".
		t.Fatalf("no visible window %q of pid %d within %v (titled so, any state or owner: %d; of pid, any state: %d)",
			title, pid, WaitTimeout, len(FindWindows(t, title, 0, false)), len(FindWindows(t, title, pid, false)))
	}
	return ids[0]
}

// WaitWindowGone waits until no visible window titled title belongs to pid
// (closed, or hidden to the tray).
func WaitWindowGone(t testing.TB, title string, pid int) {
	t.Helper()
	if !poll(func() bool { return len(FindWindows(t, title, pid, true)) == 0 }) {
		t.Fatalf("window %q of pid %d still visible after %v (ids %v)", title, pid, WaitTimeout, FindWindows(t, title, pid, true))
	}
}

// Screenshot saves the whole screen as an image (the format follows path's
// extension, e.g. .png).
func Screenshot(t testing.TB, path string) {
	t.Helper()
	ScreenshotWindow(t, "root", path)
}

// ScreenshotWindow saves one window (an id from WaitWindow, or "root").
func ScreenshotWindow(t testing.TB, windowID, path string) {
	t.Helper()
	RequireSession(t)
	requireTool(t, "import")
	if out, err := exec.Command("import", "-window", windowID, path).CombinedOutput(); err != nil {
		t.Fatalf("import -window %s %s: %v\n%s", windowID, path, err, out)
	}
}

// Clipboard returns the text on the CLIPBOARD selection, "" when it is empty.
// The text is returned, never logged.
func Clipboard(t testing.TB) string {
	t.Helper()
	RequireSession(t)
	requireTool(t, "xclip")
	text, ok := readClipboard(t)
	if !ok {
		return ""
	}
	return text
}

// readClipboard reads the clipboard; ok is false when no one owns it or the
// owner offers no text.
func readClipboard(t testing.TB) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("xclip -o: the clipboard owner did not answer within 5 s")
	}
	if err != nil {
		// "Error: target STRING not available" and the like: nothing to read.
		if strings.Contains(errb.String(), "not available") {
			return "", false
		}
		t.Fatalf("xclip -o: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return out.String(), true
}

// WaitClipboard waits until the clipboard holds exactly want (compared, not
// logged) and fails the test otherwise.
func WaitClipboard(t testing.TB, want string) {
	t.Helper()
	if !poll(func() bool { return Clipboard(t) == want }) {
		t.Fatalf("the clipboard did not come to hold the expected text (%d bytes) within %v", len(want), WaitTimeout)
	}
}

// SetClipboard makes a helper xclip process own the CLIPBOARD selection with
// text (given on stdin, never in argv) and returns once the selection can be
// read back. The xclip process ends by itself when another client (the app)
// takes the selection, and is stopped at the end of the test otherwise. The
// returned function stops it earlier, leaving the clipboard without owner.
func SetClipboard(t testing.TB, text string) (stop func()) {
	t.Helper()
	RequireSession(t)
	requireTool(t, "xclip")
	// -quiet keeps xclip in the foreground, so we hold the process that owns
	// the selection instead of a daemon it forks.
	cmd := exec.Command("xclip", "-i", "-selection", "clipboard", "-quiet")
	cmd.Stdin = strings.NewReader(text)
	xclipErr := newSyncBuffer() // -quiet still reports errors on stderr
	cmd.Stderr = xclipErr
	if err := cmd.Start(); err != nil {
		t.Fatalf("xclip -i: %v", err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			select {
			case <-done:
			default:
				_ = cmd.Process.Kill()
				<-done
			}
		})
	}
	t.Cleanup(stop)
	var got string
	var ok, exited bool
	if !poll(func() bool {
		select {
		case <-done:
			exited = true
			return true // it can no longer take the clipboard
		default:
		}
		got, ok = readClipboard(t)
		return ok && got == text
	}) || exited {
		stop()
		t.Fatalf("xclip did not take the clipboard within %v (xclip exited: %v, stderr %q; last read: ok %v, %d bytes)",
			WaitTimeout, exited, xclipErr.String(), ok, len(got))
	}
	return stop
}
