//go:build !windows

package instance

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
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

func testEndpoint(t *testing.T) string { return filepath.Join(shortDir(t), "k.sock") }

func TestCloseRemovesTheSocket(t *testing.T) {
	path := testEndpoint(t)
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket still there after Close: %v", err)
	}
}

func TestStaleSocketIsReclaimed(t *testing.T) {
	path := testEndpoint(t)
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
	path := testEndpoint(t)
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
