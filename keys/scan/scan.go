// Package scan finds Open WebUI secrets already sitting in files — session
// tokens (JWTs) and sk- API keys pasted into scripts, .env and compose files
// — and rewrites them in place.
//
// The walk respects .gitignore files (the common subset: patterns, "!"
// negation, trailing "/" for folders, anchoring "/", "**"), skips VCS folders,
// binary files (a NUL byte in the first 8000 bytes, git's test) and files over
// MaxFileSize, and never follows a symbolic link. Files are read by as many
// goroutines as there are CPUs. A Finding holds the secret for the fixer; it
// must never be printed.
package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/keytray/keytray/keys/credential"
)

// MaxFileSize is the largest file scanned: secrets live in config files and
// scripts, not in data dumps.
const MaxFileSize = 8 << 20

// binarySniff is how much of a file is looked at for a NUL byte.
const binarySniff = 8000

// vcsDirs are never walked into.
var vcsDirs = []string{".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".pijul"}

// Finding is one secret in one file.
type Finding struct {
	Path         string // as reached from the root given (filepath form)
	Line, Column int    // 1-based; Column counts bytes
	Offset, Len  int    // where the secret's bytes are in the file
	Kind         credential.Kind
	JWT          *credential.JWTInfo // a session token's claims (unverified)
	secret       string
}

// Secret is the secret found. Never print it, log it or put it in an error.
func (f Finding) Secret() string { return f.secret }

// Result is one walk's outcome.
type Result struct {
	Findings []Finding // sorted by path, then offset
	Files    int       // files read
	Skipped  int       // binary or too large
	// Problems are paths that could not be read (permission denied…); the
	// walk goes on without them.
	Problems []error
}

// Walk scans every root (a folder or a file).
func Walk(roots []string) (*Result, error) {
	w := &walker{paths: make(chan string, 256), res: &Result{}}
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	var err error
	for _, root := range roots {
		info, lerr := os.Lstat(root)
		if lerr != nil {
			err = lerr
			break
		}
		switch {
		case info.IsDir():
			w.dir(root, "", nil)
		case info.Mode().IsRegular():
			w.paths <- root
		}
	}
	close(w.paths)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	slices.SortFunc(w.res.Findings, func(a, b Finding) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Offset - b.Offset
	})
	return w.res, nil
}

type walker struct {
	paths chan string
	mu    sync.Mutex
	res   *Result
}

func (w *walker) problem(err error) {
	w.mu.Lock()
	w.res.Problems = append(w.res.Problems, err)
	w.mu.Unlock()
}

// dir walks the folder at p (rel relative to the root, slash-separated)
// with the .gitignore files of its parents.
func (w *walker) dir(p, rel string, ignores []*ignoreFile) {
	entries, err := os.ReadDir(p)
	if err != nil {
		w.problem(err)
		return
	}
	for _, e := range entries {
		if e.Name() == ".gitignore" && e.Type().IsRegular() {
			if b, err := os.ReadFile(filepath.Join(p, e.Name())); err == nil {
				ignores = append(slices.Clip(ignores), parseIgnore(rel, string(b)))
			}
			break
		}
	}
	for _, e := range entries {
		name := e.Name()
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		t := e.Type()
		switch {
		case t&fs.ModeSymlink != 0:
			// never followed
		case t.IsDir():
			if slices.Contains(vcsDirs, name) || ignored(ignores, childRel, true) {
				continue
			}
			w.dir(filepath.Join(p, name), childRel, ignores)
		case t.IsRegular():
			if !ignored(ignores, childRel, false) {
				w.paths <- filepath.Join(p, name)
			}
		}
	}
}

func (w *walker) work() {
	var buf []byte
	var found []Finding
	files, skipped := 0, 0
	for p := range w.paths {
		var err error
		var ok bool
		buf, ok, err = readSmall(p, buf)
		switch {
		case err != nil:
			w.problem(err)
			continue
		case !ok:
			skipped++
			continue
		}
		files++
		for _, m := range Find(buf) {
			line := 1 + bytes.Count(buf[:m.Offset], []byte{'\n'})
			col := m.Offset - (bytes.LastIndexByte(buf[:m.Offset], '\n') + 1) + 1
			found = append(found, Finding{
				Path: p, Line: line, Column: col, Offset: m.Offset, Len: m.Len,
				Kind: m.Kind, JWT: m.JWT, secret: string(buf[m.Offset : m.Offset+m.Len]),
			})
		}
	}
	w.mu.Lock()
	w.res.Findings = append(w.res.Findings, found...)
	w.res.Files += files
	w.res.Skipped += skipped
	w.mu.Unlock()
}

// readSmall reads the file at p into buf; ok is false for a file too large
// or binary.
func readSmall(p string, buf []byte) ([]byte, bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return buf, false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return buf, false, err
	}
	if info.Size() > MaxFileSize || !info.Mode().IsRegular() {
		return buf, false, nil
	}
	n := int(info.Size())
	if cap(buf) < n {
		buf = make([]byte, n, n+4096)
	}
	buf = buf[:n]
	// A file that shrank meanwhile is read as it is now; one that grew, as
	// it was when looked at.
	k, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return buf[:0], false, fmt.Errorf("reading %s: %w", p, err)
	}
	buf = buf[:k]
	if bytes.IndexByte(buf[:min(len(buf), binarySniff)], 0) >= 0 {
		return buf, false, nil
	}
	return buf, true, nil
}
