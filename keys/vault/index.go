package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	indexFormat  = "keytray-index"
	indexVersion = 1

	indexFile    = "index.json"
	lastGoodFile = "index.json.last-good"
	lockFileName = "index.lock"
	corruptInfix = ".corrupt-"
	tempPattern  = "index.json.tmp-*"
)

// Duration is a time.Duration that reads and writes as "30s" in JSON.
// It also reads a plain number as seconds (what a person editing the file
// by hand is likely to write).
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a Go duration string ("30s", "0s", "1m30s").
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = Duration(p)
		return nil
	}
	secs, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("duration %s: not a string or a number of seconds", b)
	}
	const maxSecs = float64(1<<63-1) / float64(time.Second)
	if secs > maxSecs || secs < -maxSecs {
		return fmt.Errorf("duration %s: out of range", b)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}

func emptyIndex() *Index {
	return &Index{Format: indexFormat, Version: indexVersion, Instances: []Instance{}, Entries: []Entry{}, Settings: DefaultSettings()}
}

// parseIndex decodes and checks an index file. Settings missing from the file
// keep their defaults. It returns ErrIndexTooNew for a newer version and a
// plain error for anything else that makes the file unusable.
func parseIndex(data []byte) (*Index, error) {
	// Capacity hints (encoding/json appends into the slices it finds): the
	// index is written one entry a line, so counting the lines that open an
	// entry or a server spares the decoder growing two slices of 1,000
	// structs by doubling. A wrong count costs only capacity.
	idx := &Index{
		Settings:  DefaultSettings(),
		Instances: make([]Instance, 0, bytes.Count(data, []byte(`{"url":`))),
		Entries:   make([]Entry, 0, bytes.Count(data, []byte(`{"name":`))),
	}
	if scanIndex(data, idx) != nil {
		// Not in the shape Keytray writes (edited by hand, say): the
		// complete decoder, from scratch, decides and words the error.
		idx = &Index{Settings: DefaultSettings()}
		if err := json.Unmarshal(data, idx); err != nil {
			return nil, fmt.Errorf("not a readable index: %w", err)
		}
	}
	if idx.Format != indexFormat {
		return nil, fmt.Errorf("format is %q, not %q", idx.Format, indexFormat)
	}
	if idx.Version > indexVersion {
		return nil, fmt.Errorf("%w (version %d; this one reads version %d)", ErrIndexTooNew, idx.Version, indexVersion)
	}
	if idx.Version < 1 {
		return nil, fmt.Errorf("version %d is not valid", idx.Version)
	}
	if idx.Instances == nil {
		idx.Instances = []Instance{}
	}
	if idx.Entries == nil {
		idx.Entries = []Entry{}
	}
	return idx, nil
}

// repair fixes inconsistencies conservatively (never dropping a key that the
// index is the only way to find) and says what it did. Decisions:
//   - Two entries with the same name (case-insensitively): they point at the
//     same keyring item, so the first is kept and the others dropped.
//   - Two instances with the same URL: the first is kept.
//   - An entry whose server is not listed: a bare instance with that URL is
//     added, so the entry stays visible and usable.
//   - A setting out of range: reset to its default.
func repair(idx *Index) []string {
	var notes []string
	// Filtered in place and with sized maps: the index is read at every
	// command, and copying 1,000 entries each time showed in profiles.
	seenInst := make(map[string]bool, len(idx.Instances))
	insts := idx.Instances[:0]
	for _, in := range idx.Instances {
		if seenInst[in.URL] {
			notes = append(notes, fmt.Sprintf("server %q was listed twice; the first was kept", in.URL))
			continue
		}
		seenInst[in.URL] = true
		c := in
		if cleanInstance(&c); c != in {
			in = c
			notes = append(notes, fmt.Sprintf("server %q had control characters in its name or version; they were escaped", in.URL))
		}
		insts = append(insts, in)
	}
	seenName := make(map[string]bool, len(idx.Entries))
	entries := idx.Entries[:0]
	for _, e := range idx.Entries {
		k := nameKey(e.Name)
		if seenName[k] {
			notes = append(notes, fmt.Sprintf("entry %q was listed twice; the first was kept", e.Name))
			continue
		}
		seenName[k] = true
		c := e
		if cleanEntry(&c); c != e {
			e = c
			notes = append(notes, fmt.Sprintf("entry %q had control characters in what its server said; they were escaped", e.Name))
		}
		if !seenInst[e.Instance] {
			seenInst[e.Instance] = true
			insts = append(insts, Instance{URL: e.Instance})
			notes = append(notes, fmt.Sprintf("entry %q refers to unknown server %q; server added", e.Name, e.Instance))
		}
		entries = append(entries, e)
	}
	idx.Instances, idx.Entries = insts, entries
	def := DefaultSettings()
	if idx.Settings.ClipboardClear < 0 {
		idx.Settings.ClipboardClear = def.ClipboardClear
		notes = append(notes, "clipboard_clear was negative; reset to "+def.ClipboardClear.String())
	}
	if !slices.Contains(Themes, idx.Settings.Theme) {
		notes = append(notes, fmt.Sprintf("theme %q is unknown; reset to %q", idx.Settings.Theme, def.Theme))
		idx.Settings.Theme = def.Theme
	}
	sortIndex(idx)
	return notes
}

func sortIndex(idx *Index) {
	byURL := func(a, b Instance) int { return strings.Compare(a.URL, b.URL) }
	// The index is written sorted, so reading it normally finds nothing to do.
	if !slices.IsSortedFunc(idx.Instances, byURL) {
		slices.SortStableFunc(idx.Instances, byURL)
	}
	if !slices.IsSortedFunc(idx.Entries, compareEntries) {
		slices.SortStableFunc(idx.Entries, compareEntries)
	}
}

func compareEntries(a, b Entry) int {
	if c := strings.Compare(a.Instance, b.Instance); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

func marshalIndex(idx *Index) ([]byte, error) {
	idx.Format, idx.Version = indexFormat, indexVersion
	sortIndex(idx)
	// One instance or entry a line: a third smaller than indented JSON, so
	// quicker to parse at every `keytray get` (1,000 entries: 1.7 ms
	// indented), and still readable and diffable.
	head, err := json.Marshal(struct {
		Format   string   `json:"format"`
		Version  int      `json:"version"`
		Settings Settings `json:"settings"`
	}{idx.Format, idx.Version, idx.Settings})
	if err != nil {
		return nil, fmt.Errorf("encoding index: %w", err)
	}
	var b bytes.Buffer
	b.Write(head[:len(head)-1]) // reopen the object for the two lists
	if err := writeList(&b, "instances", idx.Instances); err != nil {
		return nil, err
	}
	if err := writeList(&b, "entries", idx.Entries); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// writeList appends `,\n"name": [` and one JSON value a line, then `]`.
func writeList[T any](b *bytes.Buffer, name string, items []T) error {
	fmt.Fprintf(b, ",\n%q: [", name)
	for i, it := range items {
		line, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encoding index %s: %w", name, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n  ")
		b.Write(line)
	}
	b.WriteString("\n]")
	return nil
}

// readFile reads one index file. exists=false when it is absent.
func readFile(path string) (idx *Index, exists bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("reading %s: %w", path, err)
	}
	idx, err = parseIndex(data)
	return idx, true, err
}

// isReadError tells an I/O failure (permission denied, disk error) from a
// file whose content is unusable: only the latter may be moved aside.
func isReadError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe)
}

// Load reads the index. If it is corrupt, the last-good copy is used and
// the Recovery says what happened (the corrupt file is kept aside as index.json.corrupt-<time>).
// A missing index is an empty one.
//
// A recovery done by an earlier call of any method (Entries, Put…) is reported
// by the next Load. An index written by a newer Keytray gives ErrIndexTooNew
// and is not touched; an index whose last-good copy is unusable too gives
// ErrIndexCorrupt and nothing is moved or overwritten.
func (v *Vault) Load() (*Index, *Recovery, error) {
	idx, err := v.load()
	rec := v.takeRecovery()
	if err != nil {
		return nil, rec, err
	}
	return idx, rec, nil
}

// load returns the index without taking the lock when the file is fine (the
// common case); anything else is sorted out under the lock.
func (v *Vault) load() (*Index, error) {
	idx, exists, err := readFile(v.IndexPath())
	if err == nil && exists && len(repair(idx)) == 0 && !journalExists(v) {
		return idx, nil
	}
	if err != nil && (errors.Is(err, ErrIndexTooNew) || isReadError(err)) {
		return nil, err
	}
	if !exists && !journalExists(v) {
		if _, statErr := os.Lstat(v.LastGoodPath()); errors.Is(statErr, fs.ErrNotExist) {
			return emptyIndex(), nil // a new profile
		}
	}
	var out *Index
	err = v.withLock(func() error {
		var lerr error
		out, lerr = v.loadLocked()
		return lerr
	})
	return out, err
}

func journalExists(v *Vault) bool {
	_, err := os.Lstat(v.JournalPath())
	return err == nil
}

// loadLocked reads the index from disk under the lock (see loadIndexLocked)
// and finishes a change that was interrupted (see journal.go).
func (v *Vault) loadLocked() (*Index, error) {
	idx, err := v.loadIndexLocked()
	if err != nil || !journalExists(v) {
		return idx, err
	}
	rec, err := v.finishJournal(idx)
	if err != nil || rec == nil {
		return idx, err
	}
	repair(idx)
	if err := v.save(idx); err != nil {
		return nil, fmt.Errorf("%w: saving the index after finishing the interrupted %s: %w", ErrInterrupted, rec.Op, err)
	}
	if err := v.removeJournal(); err != nil {
		return nil, err
	}
	v.noteRecovery(&Recovery{Journal: rec})
	return idx, nil
}

// loadIndexLocked reads the index from disk under the lock, recovering it from the
// last-good copy when it is corrupt or has vanished.
func (v *Vault) loadIndexLocked() (*Index, error) {
	idx, exists, err := readFile(v.IndexPath())
	switch {
	case err == nil && exists:
		if notes := repair(idx); len(notes) > 0 {
			// Written back at once so that the notes are reported once.
			if err := v.save(idx); err != nil {
				return nil, fmt.Errorf("saving the repaired index: %w", err)
			}
			v.noteRecovery(&Recovery{Repairs: notes})
		}
		return idx, nil
	case err != nil && (errors.Is(err, ErrIndexTooNew) || isReadError(err)):
		return nil, err
	}

	lg, lgExists, lgErr := readFile(v.LastGoodPath())
	if !exists {
		switch {
		case !lgExists:
			return emptyIndex(), nil
		case lgErr != nil:
			return nil, fmt.Errorf("%w: %s is missing and the last-good copy %s is unusable: %w",
				ErrIndexCorrupt, v.IndexPath(), v.LastGoodPath(), lgErr)
		}
		// The index vanished but a last-good copy exists: an index is never
		// deleted by Keytray, so restoring is right and saying so is a must.
		notes := repair(lg)
		if err := v.save(lg); err != nil {
			return nil, fmt.Errorf("restoring index from the last-good copy: %w", err)
		}
		v.noteRecovery(&Recovery{Cause: errors.New("the index file was missing"), Repairs: notes})
		return lg, nil
	}

	// The index exists but its content is unusable.
	if !lgExists || lgErr != nil {
		why := "there is no last-good copy"
		if lgErr != nil {
			why = fmt.Sprintf("the last-good copy %s is unusable too (%v)", v.LastGoodPath(), lgErr)
		}
		return nil, fmt.Errorf("%w: %s: %w; %s; the file was left as it is",
			ErrIndexCorrupt, v.IndexPath(), err, why)
	}
	aside, mvErr := v.moveAside()
	if mvErr != nil {
		return nil, fmt.Errorf("%w: %s: %w; moving it aside failed: %w", ErrIndexCorrupt, v.IndexPath(), err, mvErr)
	}
	notes := repair(lg)
	if wErr := v.save(lg); wErr != nil {
		return nil, fmt.Errorf("restoring index from the last-good copy (the corrupt file is at %s): %w", aside, wErr)
	}
	v.noteRecovery(&Recovery{CorruptCopy: aside, Cause: err, Repairs: notes})
	return lg, nil
}

// moveAside renames the corrupt index to index.json.corrupt-<UTC time>.
func (v *Vault) moveAside() (string, error) {
	base := v.IndexPath() + corruptInfix + v.now().UTC().Format("20060102T150405Z")
	dst := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(v.IndexPath(), dst); err != nil {
		return "", err
	}
	return dst, syncDir(v.dir)
}

// save writes the index, then the same bytes as the last-good copy. Keeping
// last-good equal to the newest good index (rather than one version behind)
// means a recovery loses no change, so no keyring item loses its entry.
func (v *Vault) save(idx *Index) error {
	data, err := marshalIndex(idx)
	if err != nil {
		return err
	}
	_, err = v.saveBytes(data)
	return err
}

// saveBytes writes the index and its last-good copy; written says whether
// the index itself was replaced (so that a caller undoing a change knows
// whether there is anything to put back).
func (v *Vault) saveBytes(data []byte) (written bool, err error) {
	if err := v.writeFile(v.IndexPath(), data); err != nil {
		return false, fmt.Errorf("writing index: %w", err)
	}
	if err := v.writeFile(v.LastGoodPath(), data); err != nil {
		return true, fmt.Errorf("writing last-good copy of the index: %w", err)
	}
	return true, nil
}

func (v *Vault) writeFile(path string, data []byte) error {
	if v.testWriteFile != nil {
		return v.testWriteFile(path, data)
	}
	return writeAtomic(path, data)
}

// writeAtomic replaces path with data: a 0600 temp file in the same folder,
// written, fsynced, closed, renamed over path, and the folder fsynced, so a
// reader sees the old file or the new one and a crash leaves one of them.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil && !chmodUnsupported {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// ensureDir creates dir 0700, and takes group and other access away from an
// existing one: the index is not secret, but which servers and accounts a
// person uses is nobody else's business.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 && !chmodUnsupported {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

func (v *Vault) noteRecovery(r *Recovery) {
	v.recMu.Lock()
	defer v.recMu.Unlock()
	if v.pending == nil {
		v.pending = r
		return
	}
	// Keep the first cause and copy (the one that moved a file) and add notes.
	if v.pending.Cause == nil {
		v.pending.Cause, v.pending.CorruptCopy = r.Cause, r.CorruptCopy
	}
	v.pending.Repairs = appendNew(v.pending.Repairs, r.Repairs...)
	if r.Journal != nil {
		v.pending.Journal = r.Journal
	}
}

func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

func (v *Vault) takeRecovery() *Recovery {
	v.recMu.Lock()
	defer v.recMu.Unlock()
	r := v.pending
	v.pending = nil
	return r
}
