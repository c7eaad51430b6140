package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/keytray/keytray/keys/credential"
)

// txn plans keyring changes while fn decides what the index becomes; change
// carries them out once fn has finished, after writing a journal, and undoes
// them when a later step (another keyring call, the index write) fails.
type txn struct {
	store SecretStore
	read  bulkRead // what readAhead found

	// planned is what the keyring will hold once ops have run, per account
	// (nil: no item), so that get sees the plan.
	planned map[string]*string
	seen    map[string]*string // what get read, same convention
	ops     []keyOp            // before the index is written
	afterOp []keyOp            // once the index is written (an old name's item after a rename)
	done    []keyOp            // carried out, most recent last, for undo
	stashes []stash            // items that hold a key while its own item is rewritten
}

// stash is an item that holds the key of an entry being renamed (From to
// For) while no item under either name does; the journal names it, so that
// the next process puts the key back if this one dies in between.
type stash struct {
	Account string `json:"account"`
	From    string `json:"from"`
	For     string `json:"for"`
}

// keyOp is one planned keyring change and what was there before it.
type keyOp struct {
	account string
	secret  string // the new secret; "" with del
	del     bool
	had     bool   // an item was there before
	prior   string // its secret
}

// readAhead reads the items of accounts in bulk where the keyring can (the
// Secret Service), so that set, del and get need no lookup of their own for
// an item it read or an account it found no item for; an item it found but
// could not read is looked up alone. Restoring 1,000 keys spent 2.4 s (new
// items) to 2.6 s (replaced ones) in those lookups, a tenth of the time.
func (t *txn) readAhead(accounts []string) {
	mg, ok := t.store.(manyGetter)
	if !ok || len(accounts) < 2 {
		return
	}
	// A failure here is not the caller's: the lookups one by one report
	// whatever is wrong with the keyring, in context.
	if got, err := mg.getMany(accounts); err == nil {
		t.read = got
	}
}

// get reads account's secret as it will be once the planned changes are
// made (ErrNotFound: no item).
func (t *txn) get(account string) (string, error) {
	for _, m := range []map[string]*string{t.planned, t.seen} {
		if p, ok := m[account]; ok {
			if p == nil {
				return "", ErrNotFound
			}
			return *p, nil
		}
	}
	s, err := t.read.get(t.store, account)
	switch {
	case err == nil:
		t.remember(account, &s)
	case errors.Is(err, ErrNotFound):
		t.remember(account, nil)
	}
	return s, err
}

// remember keeps what a lookup found, so that one plan reads an item once.
func (t *txn) remember(account string, secret *string) {
	if t.seen == nil {
		t.seen = map[string]*string{}
	}
	t.seen[account] = secret
}

func (t *txn) plan(account string, del bool, secret string, later bool) error {
	prior, err := t.get(account)
	had := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if del && !had {
		return nil // already gone: nothing to do
	}
	op := keyOp{account: account, secret: secret, del: del, had: had, prior: prior}
	if later {
		t.afterOp = append(t.afterOp, op)
	} else {
		t.ops = append(t.ops, op)
	}
	if t.planned == nil {
		t.planned = map[string]*string{}
	}
	if del {
		t.planned[account] = nil
	} else {
		t.planned[account] = &secret
	}
	return nil
}

// set plans writing secret under account (an item left behind by something
// else is put back on undo too, not just deleted).
func (t *txn) set(account, secret string) error { return t.plan(account, false, secret, false) }

// del plans deleting account's item. An item that is already gone is not an error.
func (t *txn) del(account string) error { return t.plan(account, true, "", false) }

// delAfter plans deleting account's item once the index is written.
func (t *txn) delAfter(account string) error { return t.plan(account, true, "", true) }

// accounts lists every account the plan touches, once each.
func (t *txn) accounts() []string {
	var out []string
	seen := map[string]bool{}
	for _, op := range append(slices.Clip(t.ops), t.afterOp...) {
		if !seen[op.account] {
			seen[op.account] = true
			out = append(out, op.account)
		}
	}
	return out
}

// run carries out ops, remembering each for undo.
func (t *txn) run(ops []keyOp, hook func(int)) error {
	for i, op := range ops {
		if hook != nil {
			hook(i)
		}
		var err error
		if op.del {
			err = ignoreNotFound(t.store.Delete(op.account))
		} else {
			err = t.store.Set(op.account, op.secret)
		}
		if err != nil {
			return err
		}
		t.done = append(t.done, op)
	}
	return nil
}

func (t *txn) rollback() error {
	var errs []error
	for i := len(t.done) - 1; i >= 0; i-- {
		op := t.done[i]
		var err error
		if op.had {
			err = t.store.Set(op.account, op.prior)
		} else {
			err = ignoreNotFound(t.store.Delete(op.account))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	t.done = nil
	return errors.Join(errs...)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// change is the one read-modify-write path: under the lock it re-reads the
// index (finishing an interrupted change first, see journal.go), lets fn
// change it and plan keyring changes through t, then writes a journal,
// makes the keyring changes, writes the index, makes the changes planned
// for after it and removes the journal. Any failure undoes the keyring
// changes and, if the index was already written, writes the previous index
// back; if the undo fails too (the keyring died, say), the journal stays and
// the next command brings the index in line with the keyring.
func (v *Vault) change(op string, fn func(idx *Index, t *txn) error) error {
	return v.withLock(func() error {
		idx, err := v.loadLocked()
		if err != nil {
			return err
		}
		before, err := marshalIndex(idx)
		if err != nil {
			return err
		}
		prev, err := parseIndex(before) // fn changes idx in place
		if err != nil {
			return err
		}
		t := &txn{store: v.store}
		if err := fn(idx, t); err != nil {
			return err // nothing was written yet
		}
		after, err := marshalIndex(idx)
		if err != nil {
			return err
		}
		keyring := len(t.ops)+len(t.afterOp) > 0
		if bytes.Equal(after, before) && !keyring {
			return nil // nothing changed: no write, no new modification time
		}
		if keyring {
			if err := v.writeJournal(op, prev, idx, t.accounts(), t.stashes); err != nil {
				return err
			}
		}
		fail := func(err error, restoreIndex bool) error {
			var undo []error
			if restoreIndex {
				if _, rerr := v.saveBytes(before); rerr != nil {
					undo = append(undo, fmt.Errorf("putting the index back: %w", rerr))
				}
			}
			if rerr := t.rollback(); rerr != nil {
				undo = append(undo, fmt.Errorf("undoing keyring changes: %w", rerr))
			}
			if len(undo) > 0 {
				return &InterruptedError{Op: op, Err: err, Undo: errors.Join(undo...)}
			}
			if keyring {
				if rerr := v.removeJournal(); rerr != nil {
					return &InterruptedError{Op: op, Err: err, Undo: rerr}
				}
			}
			return err
		}
		if err := t.run(t.ops, v.testBeforeKeyOp); err != nil {
			return fail(err, false)
		}
		if written, err := v.saveBytes(after); err != nil {
			return fail(err, written)
		}
		if err := t.run(t.afterOp, nil); err != nil {
			return fail(err, true)
		}
		if keyring {
			if err := v.removeJournal(); err != nil {
				// Everything is done; the next command finds the keyring
				// as the journal's "after" says and only removes it.
				return nil
			}
		}
		return nil
	})
}

// Entries lists entries sorted by instance, then name.
func (v *Vault) Entries() ([]Entry, error) {
	idx, err := v.load()
	if err != nil {
		return nil, err
	}
	return idx.Entries, nil
}

// Instances lists instances sorted by URL.
func (v *Vault) Instances() ([]Instance, error) {
	idx, err := v.load()
	if err != nil {
		return nil, err
	}
	return idx.Instances, nil
}

// Entry finds one entry by name (case-insensitively, as keyrings compare
// account strings). ErrNotFound.
func (v *Vault) Entry(name string) (Entry, error) {
	idx, err := v.load()
	if err != nil {
		return Entry{}, err
	}
	return idx.Entry(name)
}

// Entry finds one entry of an index already read, by name compared as
// Vault.Entry compares it (regardless of case). ErrNotFound.
func (idx *Index) Entry(name string) (Entry, error) {
	i := findEntry(idx, name)
	if i < 0 {
		return Entry{}, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	return idx.Entries[i], nil
}

// Instance finds an instance by URL. ErrNotFound.
func (v *Vault) Instance(url string) (Instance, error) {
	idx, err := v.load()
	if err != nil {
		return Instance{}, err
	}
	i := findInstance(idx, url)
	if i < 0 {
		return Instance{}, fmt.Errorf("%w: server %q", ErrNotFound, url)
	}
	return idx.Instances[i], nil
}

// Key reads the secret for name from the keyring (ErrNotFound when the index
// has no such entry; ErrKeyMissing when the keyring lost the item; a keyring
// error otherwise).
func (v *Vault) Key(name string) (string, error) {
	e, err := v.Entry(name)
	if err != nil {
		return "", err
	}
	return v.KeyOf(e)
}

// KeyOf reads the secret of an entry the caller already has from the index
// (Load, Entries), sparing a second parse of it: `keytray get` is one index
// read and one keyring read. ErrKeyMissing when the keyring lost the item.
func (v *Vault) KeyOf(e Entry) (string, error) {
	key, err := v.store.Get(e.Name)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("reading key %q: %w", e.Name, ErrKeyMissing)
	}
	if err != nil {
		return "", fmt.Errorf("reading key %q: %w", e.Name, err)
	}
	return key, nil
}

// Put stores a new entry and its key: keyring first, then the index; if the
// index write fails the keyring item is removed again. ErrExists when the
// name is taken; ErrOrphan when the keyring already holds an item under the
// name that the index does not list and whose key is a different one (the
// same key is simply taken into the index). inst is created or updated (by
// URL, see UpsertInstance); e.Instance is set to inst.URL, e.Fingerprint to
// the key's, e.Created to now when zero.
func (v *Vault) Put(inst Instance, e Entry, key string) error {
	_, err := v.put(inst, e, key, false)
	return err
}

// PutUnique is Put with e.Name as a base: when it is taken (in the index, or
// by an orphaned keyring item) the first free base-2, base-3… is used,
// chosen under the index lock so that parallel processes never pick the
// same one. It returns the entry as stored. ErrAccountStored when the index
// already has an entry for e's account (same server, same non-empty user id):
// parallel first logins of one account then make one entry, not several.
func (v *Vault) PutUnique(inst Instance, e Entry, key string) (Entry, error) {
	return v.put(inst, e, key, true)
}

func (v *Vault) put(inst Instance, e Entry, key string, unique bool) (Entry, error) {
	if err := checkPut(inst, &e, key); err != nil {
		return Entry{}, fmt.Errorf("storing %q: %w", e.Name, err)
	}
	base := e.Name
	err := v.change("add", func(idx *Index, t *txn) error {
		if unique && e.UserID != "" && slices.ContainsFunc(idx.Entries, func(o Entry) bool {
			return o.Instance == e.Instance && o.UserID == e.UserID
		}) {
			return ErrAccountStored
		}
		e.Name = base
		for n := 2; ; n++ {
			taken := findEntry(idx, e.Name) >= 0
			if !taken {
				cur, err := t.get(e.Name)
				switch {
				case err == nil && cur == key:
					// An orphaned item holding this very key: adopt it.
				case err == nil:
					if !unique {
						return ErrOrphan
					}
					taken = true
				case !errors.Is(err, ErrNotFound):
					return err
				}
			}
			if !taken {
				break
			}
			if !unique {
				return ErrExists
			}
			e.Name = suffixed(base, n)
		}
		if e.Created.IsZero() {
			e.Created = v.now().UTC()
		}
		if cur, err := t.get(e.Name); err != nil || cur != key {
			if err := t.set(e.Name, key); err != nil {
				return err
			}
		}
		upsertInstance(idx, inst)
		idx.Entries = append(idx.Entries, e)
		return nil
	})
	if err != nil {
		return Entry{}, fmt.Errorf("storing %q: %w", e.Name, err)
	}
	return e, nil
}

// checkPut validates what Put and PutAll store and fills the derived fields.
func checkPut(inst Instance, e *Entry, key string) error {
	if err := ValidName(e.Name); err != nil {
		return err
	}
	if inst.URL == "" {
		return errors.New("the server has no URL")
	}
	if key == "" {
		return errors.New("the key is empty")
	}
	if err := checkSecretLen(key); err != nil {
		return err
	}
	e.Instance = inst.URL
	e.Fingerprint, e.Hint = credential.Fingerprint(key), credential.Hint(key)
	e.RotatingSince = time.Time{}
	cleanEntry(e)
	return nil
}

// ReplaceKey swaps the key of an existing entry (rotation), updating the fingerprint;
// the old key is put back if the index cannot be written. update (may be nil)
// changes other fields in the same write; it may not change Name, Instance or
// Fingerprint.
func (v *Vault) ReplaceKey(name, key string, update func(*Entry)) error {
	if key == "" {
		return fmt.Errorf("replacing key of %q: the key is empty", name)
	}
	if err := checkSecretLen(key); err != nil {
		return fmt.Errorf("replacing key of %q: %w", name, err)
	}
	err := v.change("replace", func(idx *Index, t *txn) error {
		i := findEntry(idx, name)
		if i < 0 {
			return ErrNotFound
		}
		e := idx.Entries[i]
		if err := applyUpdate(&e, update); err != nil {
			return err
		}
		e.Fingerprint, e.Hint = credential.Fingerprint(key), credential.Hint(key)
		e.RotatingSince = time.Time{} // the key stored is the one the server holds now
		if err := t.set(e.Name, key); err != nil {
			return err
		}
		idx.Entries[i] = e
		return nil
	})
	if err != nil {
		return fmt.Errorf("replacing key of %q: %w", name, err)
	}
	return nil
}

// Update changes non-secret fields of an entry (status, last checked…). It may
// not change Name, Instance or Fingerprint (Rename and ReplaceKey do that,
// keeping the keyring in step).
func (v *Vault) Update(name string, update func(*Entry)) error {
	return v.UpdateEach(map[string]func(*Entry){name: update})
}

// UpdateEach applies Update to several entries in one write of the index
// (checking 1,000 keys would otherwise write it 1,000 times): all of them,
// or none when a name is missing or an update is refused.
func (v *Vault) UpdateEach(updates map[string]func(*Entry)) error {
	failed := ""
	err := v.change("update", func(idx *Index, _ *txn) error {
		for name, update := range updates {
			failed = name
			i := findEntry(idx, name)
			if i < 0 {
				return ErrNotFound
			}
			if err := applyUpdate(&idx.Entries[i], update); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("updating %q: %w", failed, err)
	}
	return nil
}

func applyUpdate(e *Entry, update func(*Entry)) error {
	if update == nil {
		return nil
	}
	c := *e
	update(&c)
	if c.Name != e.Name || c.Instance != e.Instance || c.Fingerprint != e.Fingerprint || c.Hint != e.Hint {
		return errors.New("an update may not change the name, server or fingerprint")
	}
	cleanEntry(&c)
	*e = c
	return nil
}

// UpsertInstance creates or updates an instance by URL. What only the server
// tells (Name, Version, LastSeen) is kept when inst leaves it empty; how to
// connect (CAFile, AllowHTTP) is taken as given.
func (v *Vault) UpsertInstance(inst Instance) error {
	if inst.URL == "" {
		return errors.New("saving server: no URL")
	}
	err := v.change("update", func(idx *Index, _ *txn) error {
		upsertInstance(idx, inst)
		return nil
	})
	if err != nil {
		return fmt.Errorf("saving server %q: %w", inst.URL, err)
	}
	return nil
}

func upsertInstance(idx *Index, inst Instance) {
	cleanInstance(&inst)
	i := findInstance(idx, inst.URL)
	if i < 0 {
		idx.Instances = append(idx.Instances, inst)
		return
	}
	old := idx.Instances[i]
	if inst.Name == "" {
		inst.Name = old.Name
	}
	if inst.Version == "" {
		inst.Version = old.Version
	}
	if inst.LastSeen.IsZero() {
		inst.LastSeen = old.LastSeen
	}
	idx.Instances[i] = inst
}

// Rename moves the keyring item to the new account string and renames the entry:
// the new item is written, then the index, then the old item deleted; a
// failure at any step puts everything back. A rename that changes only
// letter case deletes the old item first, since case-insensitive keyrings
// would otherwise overwrite and then delete the one item; meanwhile a stash
// item holds the key, so that a process killed in between loses nothing.
func (v *Vault) Rename(oldName, newName string) error {
	if err := ValidName(newName); err != nil {
		return fmt.Errorf("renaming %q: %w", oldName, err)
	}
	err := v.change("rename", func(idx *Index, t *txn) error {
		i := findEntry(idx, oldName)
		if i < 0 {
			return ErrNotFound
		}
		e := idx.Entries[i]
		if e.Name == newName {
			return nil
		}
		caseOnly := nameKey(e.Name) == nameKey(newName)
		if !caseOnly && findEntry(idx, newName) >= 0 {
			return ErrExists
		}
		if !caseOnly {
			if _, err := t.get(newName); err == nil {
				return ErrOrphan // an item the index does not list: never overwritten
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		secret, err := t.get(e.Name)
		if errors.Is(err, ErrNotFound) {
			return ErrKeyMissing
		}
		if err != nil {
			return err
		}
		var kept string
		if caseOnly {
			// Between deleting the item and writing it again no item holds
			// the key: a stash item does, until the new one is written.
			kept = stashPrefix + rand.Text()[:8]
			if err := t.set(kept, secret); err != nil {
				return err
			}
			t.stashes = append(t.stashes, stash{Account: kept, From: e.Name, For: newName})
			if err := t.del(e.Name); err != nil {
				return err
			}
		}
		if err := t.set(newName, secret); err != nil {
			return err
		}
		if caseOnly {
			if err := t.del(kept); err != nil {
				return err
			}
		} else if err := t.delAfter(e.Name); err != nil {
			return err
		}
		idx.Entries[i].Name = newName
		return nil
	})
	if err != nil {
		return fmt.Errorf("renaming %q to %q: %w", oldName, newName, err)
	}
	return nil
}

// Remove forgets an entry locally: keyring item and index entry. An instance
// with no entries left is dropped too. The keyring item is deleted first (its
// secret kept in memory) and put back if the index cannot be written, so the
// entry never outlives its key nor the key its entry. An item already gone
// from the keyring is not an error.
func (v *Vault) Remove(name string) error {
	err := v.change("remove", func(idx *Index, t *txn) error {
		i := findEntry(idx, name)
		if i < 0 {
			return ErrNotFound
		}
		e := idx.Entries[i]
		if err := t.del(e.Name); err != nil {
			return err
		}
		idx.Entries = slices.Delete(idx.Entries, i, i+1)
		if !slices.ContainsFunc(idx.Entries, func(o Entry) bool { return o.Instance == e.Instance }) {
			if j := findInstance(idx, e.Instance); j >= 0 {
				idx.Instances = slices.Delete(idx.Instances, j, j+1)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("removing %q: %w", name, err)
	}
	return nil
}

// UniqueName returns base, or base-2, base-3… whichever is free.
func (v *Vault) UniqueName(base string) (string, error) {
	if err := ValidName(base); err != nil {
		return "", err
	}
	idx, err := v.load()
	if err != nil {
		return "", err
	}
	return uniqueName(idx, base), nil
}

// Settings reads the settings; SaveSettings writes them.
func (v *Vault) Settings() (Settings, error) {
	idx, err := v.load()
	if err != nil {
		return Settings{}, err
	}
	return idx.Settings, nil
}

// SaveSettings writes s. ErrBadSetting for a negative clipboard delay or an
// unknown theme.
func (v *Vault) SaveSettings(s Settings) error {
	if s.ClipboardClear < 0 {
		return fmt.Errorf("%w: clipboard_clear %s is negative", ErrBadSetting, s.ClipboardClear)
	}
	if !slices.Contains(Themes, s.Theme) {
		return fmt.Errorf("%w: theme %q is not one of %v", ErrBadSetting, s.Theme, Themes)
	}
	err := v.change("settings", func(idx *Index, _ *txn) error {
		idx.Settings = s
		return nil
	})
	if err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	return nil
}

// PutAll stores many items all-or-nothing: on any failure every keyring item
// it wrote or overwrote is put back as it was and the index is unchanged.
//
// Per item: a new name is stored; an existing name (compared as keyrings
// compare account strings, ignoring case) whose keyring item holds the same
// key is skipped; a different key is refused unless replace is set, then
// the entry and key are replaced. An entry whose keyring item is missing is
// restored from the item, since nothing is overwritten. Two items with the
// same name are an error.
func (v *Vault) PutAll(items []Item, replace bool) (PutAllResult, error) {
	var res PutAllResult
	items = slices.Clone(items) // checkPut fills fields; the caller's slice stays as it was
	seen := map[string]bool{}
	for i := range items {
		it := &items[i]
		if err := checkPut(it.Instance, &it.Entry, it.Key); err != nil {
			return PutAllResult{}, fmt.Errorf("storing %q: %w", it.Entry.Name, err)
		}
		k := nameKey(it.Entry.Name)
		if seen[k] {
			return PutAllResult{}, fmt.Errorf("storing %q: %w: given twice", it.Entry.Name, ErrExists)
		}
		seen[k] = true
	}
	err := v.change("import", func(idx *Index, t *txn) error {
		res = PutAllResult{}
		// Where each item goes, found once (names in items are distinct,
		// so appending new entries moves none of these).
		stored := make(map[string]int, len(idx.Entries))
		for i, e := range idx.Entries {
			stored[nameKey(e.Name)] = i
		}
		at := make([]int, len(items))
		accounts := make([]string, len(items))
		for k, it := range items {
			at[k] = -1
			if i, ok := stored[nameKey(it.Entry.Name)]; ok {
				at[k] = i
			}
			accounts[k] = it.Entry.Name
			if at[k] >= 0 {
				accounts[k] = idx.Entries[at[k]].Name // the keyring item is under the stored spelling
			}
		}
		t.readAhead(accounts)
		for k, it := range items {
			e := it.Entry
			if e.Created.IsZero() {
				e.Created = v.now().UTC()
			}
			i := at[k]
			if i >= 0 {
				e.Name = idx.Entries[i].Name // the keyring item is under the stored spelling
			}
			// An item the index does not list (an orphan: left by an
			// index moved aside, or a crash) counts as stored: it is
			// never overwritten unless replace says so.
			cur, err := t.get(e.Name)
			switch {
			case err == nil && cur == it.Key && i >= 0:
				res.Skipped = append(res.Skipped, e.Name)
				continue
			case err == nil && cur == it.Key:
				// An orphan holding this very key: only the entry is missing.
			case err == nil && !replace:
				res.Refused = append(res.Refused, e.Name)
				if i < 0 {
					res.Orphans = append(res.Orphans, e.Name)
				}
				continue
			case err != nil && !errors.Is(err, ErrNotFound):
				return fmt.Errorf("reading %q: %w", e.Name, err)
			}
			if err != nil || cur != it.Key {
				if err := t.set(e.Name, it.Key); err != nil {
					return fmt.Errorf("storing %q: %w", e.Name, err)
				}
			}
			upsertInstance(idx, it.Instance)
			if i >= 0 {
				idx.Entries[i] = e
			} else {
				idx.Entries = append(idx.Entries, e)
			}
			res.Restored = append(res.Restored, e.Name)
		}
		return nil
	})
	if err != nil {
		return PutAllResult{}, err
	}
	return res, nil
}

// CheckKeyring writes, reads back and deletes a throwaway item to tell
// whether the keyring works. The item's account is this process's own
// (ProbeAccount-<pid>-<random>), so that checks of parallel processes never
// meet.
func (v *Vault) CheckKeyring() error {
	account := probeAccount()
	probe := "probe-" + rand.Text()
	if err := v.store.Set(account, probe); err != nil {
		return fmt.Errorf("keyring check: writing: %w", err)
	}
	got, err := v.store.Get(account)
	if err != nil {
		_ = v.store.Delete(account)
		return fmt.Errorf("keyring check: reading back: %w", err)
	}
	if err := v.store.Delete(account); err != nil {
		return fmt.Errorf("keyring check: deleting: %w", err)
	}
	if got != probe {
		return fmt.Errorf("keyring check: %w: read back a different value than written", ErrUnavailable)
	}
	return nil
}

func probeAccount() string {
	return ProbeAccount + "-" + strconv.Itoa(os.Getpid()) + "-" + rand.Text()[:8]
}

// Ready tells whether a key the server is about to make can be stored: the
// keyring takes an item (CheckKeyring) and the index folder takes a file as
// large as the index (a read-only or full folder fails here, before the
// server replaces anything).
func (v *Vault) Ready() error {
	if err := v.checkWritable(); err != nil {
		return err
	}
	if err := v.CheckKeyring(); err != nil {
		return err
	}
	return nil
}

func (v *Vault) checkWritable() error {
	size := int64(4096)
	if fi, err := os.Stat(v.IndexPath()); err == nil {
		size += 2 * fi.Size() // the index and its last-good copy
	}
	err := func() error {
		if v.testWriteFile != nil {
			return v.testWriteFile(filepath.Join(v.dir, "write-check"), nil)
		}
		f, err := os.CreateTemp(v.dir, "write-check-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		if _, err := f.Write(make([]byte, size)); err != nil {
			return err
		}
		return f.Sync()
	}()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrIndexUnwritable, err)
	}
	return nil
}
