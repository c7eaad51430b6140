package backup

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// dirNames lists a folder, to prove no temporary file was left behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func checkFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s holds %q; want %q", filepath.Base(path), got, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Fatalf("%s has mode %o; want 600", filepath.Base(path), perm)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.age")

	if err := WriteFileAtomic(path, []byte("first"), false); err != nil {
		t.Fatalf("new file: %v", err)
	}
	checkFile(t, path, []byte("first"))

	err := WriteFileAtomic(path, []byte("second"), false)
	if !errors.Is(err, ErrExists) || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("existing file without force: error = %v; want ErrExists and fs.ErrExist", err)
	}
	checkFile(t, path, []byte("first"))

	// A world-readable file being replaced does not pass its mode on.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("third"), true); err != nil {
		t.Fatalf("force: %v", err)
	}
	checkFile(t, path, []byte("third"))

	empty := filepath.Join(dir, "empty")
	if err := WriteFileAtomic(empty, nil, false); err != nil {
		t.Fatal(err)
	}
	checkFile(t, empty, nil)

	if names := dirNames(t, dir); !slices.Equal(names, []string{"empty", "keys.age"}) {
		t.Fatalf("folder holds %q; want only the two files", names)
	}
}

func TestWriteFileAtomicRefusesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	link := filepath.Join(dir, "keys.age")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	// Even a dangling link is something the user has put there.
	if err := WriteFileAtomic(link, []byte("x"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("error = %v; want ErrExists", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("the link's target was written")
	}
	// With force the link itself is replaced, never the file it points to.
	if err := WriteFileAtomic(link, []byte("x"), true); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink != 0 {
		t.Fatalf("link not replaced by a file: %v", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("the link's target was written")
	}
}

func TestWriteFileAtomicFailures(t *testing.T) {
	dir := t.TempDir()

	// A folder that does not exist: nothing is created anywhere.
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "keys.age"), []byte("x"), false); err == nil {
		t.Fatal("write into a missing folder succeeded")
	}

	// The target is a folder: refused without force, fails with it, and the
	// temporary file is cleaned up either way.
	sub := filepath.Join(dir, "keys.age")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "inside"), []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(sub, []byte("x"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("folder as target without force: error = %v; want ErrExists", err)
	}
	if err := WriteFileAtomic(sub, []byte("x"), true); err == nil {
		t.Fatal("replacing a non-empty folder succeeded")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"keys.age"}) {
		t.Fatalf("folder holds %q after failures; want no temporary files", names)
	}
	checkFile(t, filepath.Join(sub, "inside"), []byte("keep"))
}

func TestWriteFileAtomicRace(t *testing.T) {
	// Two writers without force: exactly one wins, the other is told the file
	// exists, and the winner's content is whole.
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.age")
	a, b := bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 1<<20)
	errs := make(chan error, 2)
	for _, data := range [][]byte{a, b} {
		go func() { errs <- WriteFileAtomic(path, data, false) }()
	}
	e1, e2 := <-errs, <-errs
	if (e1 == nil) == (e2 == nil) {
		t.Fatalf("errors %v and %v; want exactly one writer to win", e1, e2)
	}
	if lost := errors.Join(e1, e2); !errors.Is(lost, ErrExists) {
		t.Fatalf("loser's error = %v; want ErrExists", lost)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
		t.Fatal("file holds a mix of both writes")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"keys.age"}) {
		t.Fatalf("folder holds %q; want no temporary files", names)
	}
}
