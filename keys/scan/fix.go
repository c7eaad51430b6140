package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Edit replaces the secret Old at Offset with New. Shown is what a diff shows
// in Old's place (a mask): the secret itself is never part of a diff.
type Edit struct {
	Offset   int
	Old, New string
	Shown    string
}

// ErrChanged: the file no longer holds the secret where the scan found it.
var ErrChanged = errors.New("the file changed since it was scanned")

// Apply returns data with the edits made (to a copy); each edit's Old must be
// at its Offset, and edits must not overlap.
func Apply(data []byte, edits []Edit) ([]byte, error) {
	return apply(data, edits, func(e Edit) string { return e.New })
}

func apply(data []byte, edits []Edit, with func(Edit) string) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b Edit) int { return a.Offset - b.Offset })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		end := e.Offset + len(e.Old)
		if e.Offset < last || end > len(data) || string(data[e.Offset:end]) != e.Old {
			return nil, ErrChanged
		}
		out.Write(data[last:e.Offset])
		out.WriteString(with(e))
		last = end
	}
	out.Write(data[last:])
	return out.Bytes(), nil
}

// Rewrite makes the edits in the file at path: only the secrets' bytes
// change. The new content is written to a temporary file in the same folder
// with the file's mode (and, where permitted, owner and group), synced and
// renamed over the file, so that a reader sees the old or the new file, never
// half of one. A file changed since the scan is left alone (ErrChanged).
func Rewrite(path string, edits []Edit) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("rewriting %s: not a regular file", path)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	data, err := Apply(old, edits)
	if err != nil {
		return fmt.Errorf("rewriting %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".keytray-*")
	if err != nil {
		return fmt.Errorf("rewriting %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename it is gone already
	// CreateTemp made it 0600: nobody else reads it before it has the file's mode.
	keepOwner(f, info)
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, info.Mode().Perm()|info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("rewriting %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Diff is the unified diff (3 lines of context) the edits make to data, with
// each secret shown as its Edit.Shown.
func Diff(path string, data []byte, edits []Edit) (string, error) {
	before, err := apply(data, edits, func(e Edit) string { return e.Shown })
	if err != nil {
		return "", err
	}
	after, err := Apply(data, edits)
	if err != nil {
		return "", err
	}
	a, b := splitLines(before), splitLines(after)
	if len(a) != len(b) {
		return "", fmt.Errorf("diffing %s: a replacement spans lines", path) // secrets and references never do
	}
	const context = 3
	var changed []int
	for i := range a {
		if a[i] != b[i] {
			changed = append(changed, i)
		}
	}
	if len(changed) == 0 {
		return "", nil
	}
	var out strings.Builder
	p := filepath.ToSlash(path)
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", p, p)
	for i := 0; i < len(changed); {
		start := max(0, changed[i]-context)
		j := i
		for j+1 < len(changed) && changed[j+1]-changed[j] <= 2*context {
			j++
		}
		end := min(len(a), changed[j]+context+1)
		n := end - start
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(start, n), hunkRange(start, n))
		for k := start; k < end; k++ {
			if a[k] == b[k] {
				writeDiffLine(&out, ' ', a[k])
				continue
			}
			writeDiffLine(&out, '-', a[k])
			writeDiffLine(&out, '+', b[k])
		}
		i = j + 1
	}
	return out.String(), nil
}

func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeDiffLine(b *strings.Builder, mark byte, line string) {
	b.WriteByte(mark)
	b.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
}

// splitLines splits after each "\n", keeping it.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, string(b))
			break
		}
		lines = append(lines, string(b[:i+1]))
		b = b[i+1:]
	}
	return lines
}
