package vault

import (
	"errors"
	"fmt"
	"slices"
)

// accountLister is a SecretStore that can list the accounts of its items
// (the Secret Service; the memory store). Others cannot find orphans.
type accountLister interface {
	accounts() ([]string, error)
}

// ErrCannotList: this platform's keyring cannot list its items, so orphans
// cannot be looked for.
var ErrCannotList = errors.New("this keyring cannot list its items")

// Orphans lists keyring items of service "keytray" that the index does not
// list (left by an index moved aside, a crash of an older Keytray, or
// another program), sorted. The keyring check's own items are left out.
func (v *Vault) Orphans() ([]string, error) {
	lister, ok := v.store.(accountLister)
	if !ok {
		return nil, ErrCannotList
	}
	idx, err := v.load()
	if err != nil {
		return nil, err
	}
	accounts, err := lister.accounts()
	if err != nil {
		return nil, fmt.Errorf("listing keyring items: %w", err)
	}
	var out []string
	for _, a := range accounts {
		if isProbe(a) || exactEntry(idx, a) >= 0 || slices.Contains(out, a) {
			continue
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return out, nil
}

// OrphanKey reads the secret of an orphaned item (ErrExists when the index
// lists the name after all: it is no orphan).
func (v *Vault) OrphanKey(account string) (string, error) {
	idx, err := v.load()
	if err != nil {
		return "", err
	}
	if exactEntry(idx, account) >= 0 {
		return "", fmt.Errorf("%q: %w", account, ErrExists)
	}
	s, err := v.store.Get(account)
	if err != nil {
		return "", fmt.Errorf("reading %q: %w", account, err)
	}
	return s, nil
}

// accounts lists the stored accounts (accountLister).
func (m *MemoryStore) accounts() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failure(m.getErr); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(m.items))
	for a := range m.items {
		out = append(out, a)
	}
	return out, nil
}
