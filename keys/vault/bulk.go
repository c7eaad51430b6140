package vault

import (
	"errors"
	"fmt"
)

// manyGetter is a SecretStore that reads many secrets in one go (the Secret
// Service on Linux: a handful of D-Bus calls instead of six per item).
type manyGetter interface {
	getMany(accounts []string) (bulkRead, error)
}

// bulkRead is a manyGetter's answer.
type bulkRead struct {
	secrets map[string]string // account → secret, for the items it could read
	// found holds every account it found an item for, read or not (an item
	// locked on its own is found but not read). An account it was asked
	// about and did not find has no item: Get would say ErrNotFound.
	found map[string]bool
}

// get reads account's secret from the answer where it knows (the secret, or
// ErrNotFound for an account it found no item for), else from store alone.
func (r bulkRead) get(store SecretStore, account string) (string, error) {
	if s, ok := r.secrets[account]; ok {
		return s, nil
	}
	if r.found != nil && !r.found[account] {
		return "", ErrNotFound
	}
	return store.Get(account)
}

// Keys reads the secrets of many entries at once, for listings that show
// every key (masked). keys holds what was read; missing says, per name, why
// not (ErrNotFound: no such entry; ErrKeyMissing: the keyring lost the
// item). err is a keyring-wide failure (locked, no Secret Service, timeout):
// reading stops there, since every other item would fail the same way or
// prompt once each.
func (v *Vault) Keys(names []string) (keys map[string]string, missing map[string]error, err error) {
	entries, err := v.Entries()
	if err != nil {
		return nil, nil, err
	}
	known := make(map[string]bool, len(entries))
	for _, e := range entries {
		known[e.Name] = true
	}
	keys, missing = map[string]string{}, map[string]error{}
	var accounts []string
	for _, n := range names {
		if known[n] {
			accounts = append(accounts, n)
		} else {
			missing[n] = fmt.Errorf("reading key %q: %w", n, ErrNotFound)
		}
	}
	var got bulkRead
	if mg, ok := v.store.(manyGetter); ok && len(accounts) > 1 {
		var err error
		got, err = mg.getMany(accounts)
		// A Secret Service that cannot answer in bulk (an odd
		// implementation) still answers one by one; a keyring that is
		// locked, absent or silent does not.
		if err != nil && !errors.Is(err, ErrUnavailable) {
			return keys, missing, fmt.Errorf("reading keys: %w", err)
		}
	}
	for _, a := range accounts {
		s, err := got.get(v.store, a)
		switch {
		case err == nil:
			keys[a] = s
		case errors.Is(err, ErrNotFound):
			missing[a] = fmt.Errorf("reading key %q: %w", a, ErrKeyMissing)
		default:
			return keys, missing, fmt.Errorf("reading key %q: %w", a, err)
		}
	}
	return keys, missing, nil
}
