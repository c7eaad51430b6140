//go:build integration

package itest

import (
	"bufio"
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

//go:embed clipmanager.py
var clipManagerScript []byte

// ClipManager is a clipboard manager in the session (clipmanager.py): when
// an application that owns the clipboard exits, it takes the clipboard's
// text over and serves it, as desktop clipboard managers do.
type ClipManager struct {
	mu    sync.Mutex
	saved []string // "saved N" lines, in order
}

// StartClipboardManager starts one for the rest of the test. It needs
// python3-xlib (scripts/deps.sh test installs it).
func StartClipboardManager(t testing.TB) *ClipManager {
	t.Helper()
	RequireSession(t)
	const python = "/usr/bin/python3" // Debian's, which sees python3-xlib
	if _, err := os.Stat("/usr/lib/python3/dist-packages/Xlib"); err != nil {
		t.Fatalf("python3-xlib is not installed: run scripts/deps.sh test (make test does)")
	}
	script := filepath.Join(t.TempDir(), "clipmanager.py")
	if err := os.WriteFile(script, clipManagerScript, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := newSyncBuffer()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the clipboard manager: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	m := &ClipManager{}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		first := true
		for sc.Scan() {
			line := sc.Text()
			if first {
				ready <- line == "ready"
				first = false
				continue
			}
			m.mu.Lock()
			m.saved = append(m.saved, line)
			m.mu.Unlock()
		}
		if first {
			ready <- false
		}
	}()
	if !<-ready {
		t.Fatalf("the clipboard manager did not start:\n%s", stderr.String())
	}
	return m
}

// Saves is how many clipboards the manager has taken over so far.
func (m *ClipManager) Saves() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.saved)
}

// WaitSave waits until the manager has taken over n clipboards in all and
// returns the size in bytes of the nth.
func (m *ClipManager) WaitSave(t testing.TB, n int) string {
	t.Helper()
	if !poll(func() bool { return m.Saves() >= n }) {
		t.Fatalf("the clipboard manager took no clipboard over within %v", WaitTimeout)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.TrimPrefix(m.saved[n-1], "saved ")
}
