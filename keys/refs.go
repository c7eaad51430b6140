package keys

import (
	"fmt"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/ref"
	"github.com/keytray/keytray/keys/vault"
)

// Reference is the keytray:// reference of a stored entry.
func Reference(e vault.Entry) string { return ref.For(e.Name).String() }

// Resolve gives the value of each reference: the stored key, or its base URL.
// It reads the index once and each key at most once. The first reference
// that cannot be resolved fails the whole call with a *ref.Error naming it
// (wrapping vault.ErrNotFound, a keyring error…), so that nothing runs with
// half its secrets.
func (s *Service) Resolve(refs []ref.Ref) (map[ref.Ref]string, error) {
	out := make(map[ref.Ref]string, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	idx, _, err := s.Vault.Load()
	if err != nil {
		return nil, err
	}
	keys := map[string]string{} // by entry name, read once
	for _, r := range refs {
		if _, done := out[r]; done {
			continue
		}
		e, err := idx.Entry(r.Name)
		if err != nil {
			return nil, &ref.Error{Ref: r.String(), Err: fmt.Errorf("looking up %q: %w", r.Name, err)}
		}
		if r.Part == ref.URL {
			out[r] = BaseURL(e)
			continue
		}
		key, ok := keys[e.Name]
		if !ok {
			if key, err = s.Vault.KeyOf(e); err != nil {
				return nil, &ref.Error{Ref: r.String(), Err: fmt.Errorf("reading the key of %q: %w", e.Name, err)}
			}
			keys[e.Name] = key
		}
		out[r] = key
	}
	return out, nil
}

// StoredKeyEntry is the stored entry whose key has the fingerprint of key,
// from an index already read (nil when none).
func StoredKeyEntry(idx *vault.Index, key string) *vault.Entry {
	fp := credential.Fingerprint(key)
	for i := range idx.Entries {
		if idx.Entries[i].Fingerprint == fp {
			return &idx.Entries[i]
		}
	}
	return nil
}
