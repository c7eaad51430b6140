package vault

// The journal makes a change that touches the keyring all-or-nothing even
// when the keyring or the process dies half-way. Before the first keyring
// write, change writes journal.json beside the index: the accounts it is
// about to write or delete, and their entries before and after. The journal
// holds no secret (fingerprints only). It is removed once the index is
// written and the keyring changes are made, or once they have been undone.
//
// A journal found by the next writer or reader (under the index lock) means
// that the change was interrupted: each account's keyring item is read, and
// the entry whose fingerprint it matches is kept: the "after" one (that key
// was written: the change is finished for it) or the "before" one (it was
// not, or was put back: the change is undone for it). An account with no
// item has no entry. The index then agrees with the keyring again, whatever
// happened, and the Recovery says which keys were finished and which undone.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/keytray/keytray/keys/credential"
)

const (
	journalFile   = "journal.json"
	journalFormat = "keytray-journal"
)

// journal is the file's content.
type journal struct {
	Format    string     `json:"format"`
	Op        string     `json:"op"` // import, replace, rename, remove, add
	Started   time.Time  `json:"started"`
	Accounts  []string   `json:"accounts"`
	Before    []Entry    `json:"before"`    // entries of Accounts before the change
	After     []Entry    `json:"after"`     // … and after it
	Instances []Instance `json:"instances"` // the servers of After
	Stashes   []stash    `json:"stashes,omitempty"`
}

// JournalPath is where an interrupted change leaves its journal.
func (v *Vault) JournalPath() string { return filepath.Join(v.dir, journalFile) }

// JournalRecovery says how an interrupted change was resolved.
type JournalRecovery struct {
	Op       string    // what was interrupted: import, replace, rename, remove, add
	Started  time.Time // when it started
	Finished []string  // names whose keyring item holds the change's key: kept
	Undone   []string  // names whose item holds the previous key (or none): the change was dropped
}

func (v *Vault) writeJournal(op string, before, after *Index, accounts []string, stashes []stash) error {
	j := journal{Format: journalFormat, Op: op, Started: v.now().UTC(), Accounts: accounts, Stashes: stashes}
	insts := map[string]bool{}
	for _, a := range accounts {
		if i := exactEntry(before, a); i >= 0 {
			j.Before = append(j.Before, before.Entries[i])
		}
		if i := exactEntry(after, a); i >= 0 {
			e := after.Entries[i]
			j.After = append(j.After, e)
			if !insts[e.Instance] {
				insts[e.Instance] = true
				if k := findInstance(after, e.Instance); k >= 0 {
					j.Instances = append(j.Instances, after.Instances[k])
				}
			}
		}
	}
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("encoding the journal: %w", err)
	}
	if err := v.writeFile(v.JournalPath(), data); err != nil {
		return fmt.Errorf("writing the journal (before changing the keyring): %w", err)
	}
	return nil
}

func (v *Vault) removeJournal() error {
	err := os.Remove(v.JournalPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the journal: %w", err)
	}
	return syncDir(v.dir)
}

// exactEntry finds the entry whose name is account exactly (a keyring item
// belongs to the entry with its spelling).
func exactEntry(idx *Index, account string) int {
	for i, e := range idx.Entries {
		if e.Name == account {
			return i
		}
	}
	return -1
}

// finishJournal resolves an interrupted change, if any, in idx (under the
// lock; idx as read from disk). It reports whether idx changed. A keyring
// that cannot be read leaves the journal and idx alone and is an error:
// nothing may be decided without knowing what the keyring holds.
func (v *Vault) finishJournal(idx *Index) (*JournalRecovery, error) {
	data, err := os.ReadFile(v.JournalPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the journal: %w", err)
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil || j.Format != journalFormat {
		// A journal is written atomically, so this is not one of ours, or
		// a disk fault: put it aside rather than act on it.
		aside := v.JournalPath() + corruptInfix + v.now().UTC().Format("20060102T150405Z")
		if rerr := os.Rename(v.JournalPath(), aside); rerr != nil {
			return nil, fmt.Errorf("the journal %s is unreadable and could not be moved aside: %w", v.JournalPath(), rerr)
		}
		return &JournalRecovery{Op: "unknown"}, nil
	}
	t := &txn{store: v.store}
	t.readAhead(j.Accounts)
	held := make(map[string]string, len(j.Accounts))
	for _, a := range j.Accounts {
		s, err := t.get(a)
		switch {
		case err == nil:
			held[a] = s
		case !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("%w: finishing the interrupted %s: %w", ErrInterrupted, j.Op, err)
		}
	}
	// A key a rename kept aside goes back under the entry's new name when no
	// item under either name holds it (the process died between deleting
	// the item and writing it again); then the stash item goes.
	for _, s := range j.Stashes {
		secret, ok := held[s.Account]
		if !ok {
			continue
		}
		_, from := held[s.From]
		if _, to := held[s.For]; !from && !to {
			if err := v.store.Set(s.For, secret); err != nil {
				return nil, fmt.Errorf("%w: finishing the interrupted %s: putting the key of %q back: %w", ErrInterrupted, j.Op, s.For, err)
			}
			held[s.For] = secret
		}
		if err := ignoreNotFound(v.store.Delete(s.Account)); err != nil {
			return nil, fmt.Errorf("%w: finishing the interrupted %s: %w", ErrInterrupted, j.Op, err)
		}
		delete(held, s.Account)
	}
	rec := &JournalRecovery{Op: j.Op, Started: j.Started}
	find := func(list []Entry, a string) *Entry {
		for i := range list {
			if list[i].Name == a {
				return &list[i]
			}
		}
		return nil
	}
	for _, a := range j.Accounts {
		before, after := find(j.Before, a), find(j.After, a)
		secret, ok := held[a]
		i := exactEntry(idx, a)
		if !ok {
			if i >= 0 {
				idx.Entries = slices.Delete(idx.Entries, i, i+1)
			}
			if after == nil {
				rec.Finished = append(rec.Finished, a) // a delete that happened
			} else {
				rec.Undone = append(rec.Undone, a)
			}
			continue
		}
		fp := credential.Fingerprint(secret)
		var keep *Entry
		switch {
		case after != nil && after.Fingerprint == fp:
			keep = after
			rec.Finished = append(rec.Finished, a)
		case before != nil && before.Fingerprint == fp:
			keep = before // not written, or put back; a delete that did not happen
			rec.Undone = append(rec.Undone, a)
		case after != nil || before != nil:
			// Neither: the item holds a key nobody planned (changed by
			// something else meanwhile). The keyring is the truth.
			e := after
			if e == nil {
				e = before
			}
			c := *e
			c.Fingerprint, c.Hint = fp, credential.Hint(secret)
			keep = &c
			rec.Finished = append(rec.Finished, a)
		default:
			continue
		}
		if i >= 0 {
			idx.Entries[i] = *keep
		} else {
			if k := findEntry(idx, a); k >= 0 {
				idx.Entries = slices.Delete(idx.Entries, k, k+1) // another spelling of the name
			}
			idx.Entries = append(idx.Entries, *keep)
		}
		if findInstance(idx, keep.Instance) < 0 {
			inst := Instance{URL: keep.Instance}
			for _, in := range j.Instances {
				if in.URL == keep.Instance {
					inst = in
				}
			}
			idx.Instances = append(idx.Instances, inst)
		}
	}
	// A server left without entries by an undone import is dropped, as Remove does.
	idx.Instances = slices.DeleteFunc(idx.Instances, func(in Instance) bool {
		if !slices.ContainsFunc(j.Instances, func(o Instance) bool { return o.URL == in.URL }) {
			return false
		}
		return !slices.ContainsFunc(idx.Entries, func(e Entry) bool { return e.Instance == in.URL })
	})
	return rec, nil
}
