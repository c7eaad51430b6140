//go:build integration

package integration

// Keytray's own X11 clipboard owner (internal/clipboard/xsel): a key copied from the
// tray is offered with x-kde-passwordManagerHint = secret beside the text,
// so that clipboard managers honouring the hint (Klipper, CopyQ) keep it out
// of their history; once cleared, the hint is gone too.

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
)

// xclipTarget reads the clipboard converted to target (never logged).
func xclipTarget(t *testing.T, target string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard", "-t", target)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", err
	}
	return out.String(), nil
}

func TestTrayCopyMarksTheKeyForClipboardManagers(t *testing.T) {
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	itest.StartNotificationServer(t)
	srv, _ := cliFake(t, "0.6.41", "fay@example.com")
	fay := p.Name("fay")
	key := trayRandomKey(t)
	trayMustRun(t, p, key, "add", srv.URL(), "--key-stdin", "--no-verify", "--name", fay)
	trayMustRun(t, p, "", "config", "clipboard-clear", "3s")

	proc := p.Start(t, "--hidden")
	pid := proc.PID()
	sni.WaitItem(t, pid)
	itest.WaitTrayItem(t, pid, fay)
	itest.ClickTray(t, pid, fay)
	itest.WaitClipboard(t, key)

	targets, err := xclipTarget(t, "TARGETS")
	if err != nil {
		t.Fatalf("reading TARGETS: %v", err)
	}
	for _, want := range []string{"TARGETS", "UTF8_STRING", "STRING", "text/plain;charset=utf-8", "x-kde-passwordManagerHint"} {
		if !strings.Contains("\n"+targets, "\n"+want+"\n") {
			t.Errorf("TARGETS of the copied key lack %s: %q", want, targets)
		}
	}
	if hint, err := xclipTarget(t, "x-kde-passwordManagerHint"); err != nil || hint != "secret" {
		t.Errorf("x-kde-passwordManagerHint = %q (%v), want \"secret\"", hint, err)
	}
	for _, target := range []string{"UTF8_STRING", "STRING", "text/plain;charset=utf-8"} {
		if got, err := xclipTarget(t, target); err != nil || got != key {
			t.Errorf("the key as %s: %d bytes (%v), want the key", target, len(got), err)
		}
	}

	// Cleared after clipboard-clear: the text and the hint are gone.
	itest.WaitClipboard(t, "")
	if targets, _ := xclipTarget(t, "TARGETS"); strings.Contains(targets, "x-kde-passwordManagerHint") {
		t.Error("the emptied clipboard still carries the password-manager hint")
	}

	// Copied again, then changed by the user: the clear leaves it alone.
	itest.ClickTray(t, pid, fay)
	itest.WaitClipboard(t, key)
	itest.SetClipboard(t, "the user's own text")
	trayStays(t, 5*time.Second, func() bool { return itest.Clipboard(t) == "the user's own text" },
		"Keytray cleared a clipboard the user had changed")

	itest.ClickTray(t, pid, "Quit")
	trayEndedCleanly(t, proc, "Quit")
}
