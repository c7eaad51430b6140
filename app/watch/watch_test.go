package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

const testInterval = 5 * time.Millisecond

func watchFile(t *testing.T, path string) <-chan struct{} {
	t.Helper()
	changed := make(chan struct{}, 100)
	stop := Index(path, testInterval, func() { changed <- struct{}{} })
	t.Cleanup(stop)
	return changed
}

func waitChange(t *testing.T, changed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatalf("no change reported after %s", what)
	}
}

// settled waits for several poll intervals and reports whether a change was
// reported meanwhile. Used only to check that nothing happens.
func settled(changed <-chan struct{}) bool {
	select {
	case <-changed:
		return false
	case <-time.After(20 * testInterval):
		return true
	}
}

func TestReportsWriteRenameAndRemove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.json")
	changed := watchFile(t, path)

	if err := os.WriteFile(path, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the file appeared")

	// Atomic replace with the same size and the same modification time: only
	// the identity (inode) differs.
	info, _ := os.Stat(path)
	tmp := filepath.Join(dir, "index.json.tmp")
	if err := os.WriteFile(tmp, []byte(`{"b":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "an atomic replace")

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the file was removed")
}

func TestQuietWhenUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.json")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	changed := watchFile(t, path)
	if !settled(changed) {
		t.Fatal("a change was reported for an untouched file")
	}
}

func TestStopEndsTheWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.json")
	changed := make(chan struct{}, 10)
	stop := Index(path, testInterval, func() { changed <- struct{}{} })
	stop()
	stop() // twice is fine
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !settled(changed) {
		t.Fatal("a change was reported after stop")
	}
}
