package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"github.com/keytray/keytray/keys/credential"
)

// txn records keyring changes so that they can be undone when a later step
// (another keyring call, the index write) fails.
type txn struct {
	store SecretStore
	undo  []func() error
	after []func() error // steps run once the index is written
	read  bulkRead       // what readAhead found, kept current by set and del
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

// get reads account's secret, from what readAhead found if it knows.
func (t *txn) get(account string) (string, error) { return t.read.get(t.store, account) }

// set writes secret under account, remembering what was there (an item left
// behind by something else is put back too, not just deleted).
func (t *txn) set(account, secret string) error {
	prior, err := t.get(account)
	had := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := t.store.Set(account, secret); err != nil {
		return err
	}
	if t.read.secrets != nil {
		t.read.secrets[account] = secret
	}
	t.undo = append(t.undo, func() error {
		if had {
			return t.store.Set(account, prior)
		}
		return ignoreNotFound(t.store.Delete(account))
	})
	return nil
}

// del deletes account's item, keeping its secret in memory to restore it.
// An item that is already gone is not an error.
func (t *txn) del(account string) error {
	prior, err := t.get(account)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := ignoreNotFound(t.store.Delete(account)); err != nil {
		return err
	}
	delete(t.read.secrets, account)
	if t.read.found != nil {
		t.read.found[account] = false
	}
	t.undo = append(t.undo, func() error { return t.store.Set(account, prior) })
	return nil
}

func (t *txn) rollback() error {
	var errs []error
	for i := len(t.undo) - 1; i >= 0; i-- {
		if err := t.undo[i](); err != nil {
			errs = append(errs, err)
		}
	}
	t.undo = nil
	return errors.Join(errs...)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// change is the one read-modify-write path: under the lock it re-reads the
// index, lets fn change it (and the keyring through t), writes it, then runs
// the after steps. Any failure undoes the keyring changes and, if the index
// was already written, writes the previous index back.
func (v *Vault) change(fn func(idx *Index, t *txn) error) error {
	return v.withLock(func() error {
		idx, err := v.loadLocked()
		if err != nil {
			return err
		}
		before, err := marshalIndex(idx)
		if err != nil {
			return err
		}
		t := &txn{store: v.store}
		fail := func(err error, restoreIndex bool) error {
			if restoreIndex {
				if _, rerr := v.saveBytes(before); rerr != nil {
					err = errors.Join(err, fmt.Errorf("putting the index back: %w", rerr))
				}
			}
			if rerr := t.rollback(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("undoing keyring changes: %w", rerr))
			}
			return err
		}
		if err := fn(idx, t); err != nil {
			return fail(err, false)
		}
		after, err := marshalIndex(idx)
		if err != nil {
			return fail(err, false)
		}
		if bytes.Equal(after, before) && len(t.after) == 0 {
			return nil // nothing changed: no write, no new modification time
		}
		if written, err := v.saveBytes(after); err != nil {
			return fail(err, written)
		}
		for _, step := range t.after {
			if err := step(); err != nil {
				return fail(err, true)
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
// index write fails the keyring item is removed again. ErrExists when the name is taken.
// inst is created or updated (by URL, see UpsertInstance); e.Instance is set
// to inst.URL, e.Fingerprint to the key's, e.Created to now when zero.
func (v *Vault) Put(inst Instance, e Entry, key string) error {
	if err := checkPut(inst, &e, key); err != nil {
		return fmt.Errorf("storing %q: %w", e.Name, err)
	}
	err := v.change(func(idx *Index, t *txn) error {
		if findEntry(idx, e.Name) >= 0 {
			return ErrExists
		}
		if e.Created.IsZero() {
			e.Created = v.now().UTC()
		}
		if err := t.set(e.Name, key); err != nil {
			return err
		}
		upsertInstance(idx, inst)
		idx.Entries = append(idx.Entries, e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("storing %q: %w", e.Name, err)
	}
	return nil
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
	err := v.change(func(idx *Index, t *txn) error {
		i := findEntry(idx, name)
		if i < 0 {
			return ErrNotFound
		}
		e := idx.Entries[i]
		if err := applyUpdate(&e, update); err != nil {
			return err
		}
		e.Fingerprint, e.Hint = credential.Fingerprint(key), credential.Hint(key)
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
	err := v.change(func(idx *Index, _ *txn) error {
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
	err := v.change(func(idx *Index, _ *txn) error {
		upsertInstance(idx, inst)
		return nil
	})
	if err != nil {
		return fmt.Errorf("saving server %q: %w", inst.URL, err)
	}
	return nil
}

func upsertInstance(idx *Index, inst Instance) {
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
// would otherwise overwrite and then delete the one item.
func (v *Vault) Rename(oldName, newName string) error {
	if err := ValidName(newName); err != nil {
		return fmt.Errorf("renaming %q: %w", oldName, err)
	}
	err := v.change(func(idx *Index, t *txn) error {
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
		secret, err := v.store.Get(e.Name)
		if errors.Is(err, ErrNotFound) {
			return ErrKeyMissing
		}
		if err != nil {
			return err
		}
		if caseOnly {
			if err := t.del(e.Name); err != nil {
				return err
			}
		}
		if err := t.set(newName, secret); err != nil {
			return err
		}
		if !caseOnly {
			old := e.Name
			t.after = append(t.after, func() error { return t.del(old) })
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
	err := v.change(func(idx *Index, t *txn) error {
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
	err := v.change(func(idx *Index, _ *txn) error {
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
	err := v.change(func(idx *Index, t *txn) error {
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
				cur, err := t.get(e.Name)
				switch {
				case err == nil && cur == it.Key:
					res.Skipped = append(res.Skipped, e.Name)
					continue
				case err == nil && !replace:
					res.Refused = append(res.Refused, e.Name)
					continue
				case err != nil && !errors.Is(err, ErrNotFound):
					return fmt.Errorf("reading %q: %w", e.Name, err)
				}
			}
			if err := t.set(e.Name, it.Key); err != nil {
				return fmt.Errorf("storing %q: %w", e.Name, err)
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

// CheckKeyring writes, reads back and deletes a throwaway item (account
// ProbeAccount) to tell whether the keyring works, for `keytray doctor`.
func (v *Vault) CheckKeyring() error {
	probe := "probe-" + rand.Text()
	if err := v.store.Set(ProbeAccount, probe); err != nil {
		return fmt.Errorf("keyring check: writing: %w", err)
	}
	got, err := v.store.Get(ProbeAccount)
	if err != nil {
		_ = v.store.Delete(ProbeAccount)
		return fmt.Errorf("keyring check: reading back: %w", err)
	}
	if err := v.store.Delete(ProbeAccount); err != nil {
		return fmt.Errorf("keyring check: deleting: %w", err)
	}
	if got != probe {
		return fmt.Errorf("keyring check: %w: read back a different value than written", ErrUnavailable)
	}
	return nil
}
