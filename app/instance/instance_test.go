package instance

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// shortDir: socket paths are limited to about 100 bytes, and t.TempDir()
// paths can be longer than that.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kti")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestSecondClaimActivatesFirst(t *testing.T) {
	path := filepath.Join(shortDir(t), "k.sock")
	first, err := Claim(path)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	defer first.Close()
	activated := make(chan struct{}, 2)
	first.OnActivate(func() { activated <- struct{}{} })

	second, err := Claim(path)
	if !errors.Is(err, ErrRunning) {
		t.Fatalf("second claim: got (%v, %v), want ErrRunning", second, err)
	}
	select {
	case <-activated:
	case <-time.After(5 * time.Second):
		t.Fatal("first instance was not activated")
	}
}

func TestActivationBeforeOnActivateIsKept(t *testing.T) {
	path := filepath.Join(shortDir(t), "k.sock")
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := Claim(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second claim: %v, want ErrRunning", err)
	}
	// The second Claim returned after the first answered "ok", so the
	// activation is recorded by now.
	got := false
	first.OnActivate(func() { got = true })
	if !got {
		t.Fatal("an activation that came before OnActivate was lost")
	}
}

func TestCloseReleasesTheSocket(t *testing.T) {
	path := filepath.Join(shortDir(t), "k.sock")
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	first.Close() // twice is fine
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket still there after Close: %v", err)
	}
	again, err := Claim(path)
	if err != nil {
		t.Fatalf("claim after close: %v", err)
	}
	again.Close()
}

func TestStaleSocketIsReclaimed(t *testing.T) {
	path := filepath.Join(shortDir(t), "k.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	// A crashed instance leaves its socket file behind.
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}
	in, err := Claim(path)
	if err != nil {
		t.Fatalf("claim over stale socket: %v", err)
	}
	in.Close()
}

func TestRefusesToRemoveARegularFile(t *testing.T) {
	path := filepath.Join(shortDir(t), "k.sock")
	if err := os.WriteFile(path, []byte("not a socket"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Claim(path); err == nil || errors.Is(err, ErrRunning) {
		t.Fatalf("claim over a regular file: %v, want an error", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "not a socket" {
		t.Fatalf("regular file was touched: %q, %v", b, err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	if got := DefaultPath(); got != "/run/user/1000/keytray.sock" {
		t.Errorf("with XDG_RUNTIME_DIR: %q", got)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if got := DefaultPath(); filepath.Base(got) != "instance.sock" || filepath.Base(filepath.Dir(got)) != "keytray" {
		t.Errorf("without XDG_RUNTIME_DIR: %q", got)
	}
}
