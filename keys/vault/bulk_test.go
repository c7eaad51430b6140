package vault

import (
	"errors"
	"fmt"
	"testing"
)

// bulkStore answers getMany from a map that may be out of step with the
// store (as a bulk answer that leaves items out), and counts the calls.
type bulkStore struct {
	*MemoryStore
	bulk    map[string]string
	bulkErr error
	manys   int
	gets    int
}

func (s *bulkStore) getMany(accounts []string) (map[string]string, error) {
	s.manys++
	out := map[string]string{}
	for _, a := range accounts {
		if k, ok := s.bulk[a]; ok {
			out[a] = k
		}
	}
	return out, s.bulkErr
}

func (s *bulkStore) Get(a string) (string, error) { s.gets++; return s.MemoryStore.Get(a) }

func TestKeysReadsInBulkAndFallsBackPerItem(t *testing.T) {
	v, mem := newTestVault(t)
	for i := range 4 {
		mustPut(t, v, "https://chat.example.com", fmt.Sprintf("k%d", i), testKey(i))
	}
	if err := mem.Delete("k3"); err != nil { // lost outside Keytray
		t.Fatal(err)
	}
	store := &bulkStore{MemoryStore: mem, bulk: map[string]string{"k0": testKey(0), "k1": testKey(1)}}
	v.store = store

	keys, missing, err := v.Keys([]string{"k0", "k1", "k2", "k3", "nope"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 { // k2 came from the one-by-one fallback
		if keys[fmt.Sprintf("k%d", i)] != testKey(i) {
			t.Errorf("k%d: wrong or no key", i)
		}
	}
	if len(keys) != 3 {
		t.Errorf("%d keys read, want 3", len(keys))
	}
	if !errors.Is(missing["k3"], ErrKeyMissing) {
		t.Errorf("k3: %v, want ErrKeyMissing", missing["k3"])
	}
	if !errors.Is(missing["nope"], ErrNotFound) {
		t.Errorf("nope: %v, want ErrNotFound", missing["nope"])
	}
	if store.manys != 1 || store.gets != 2 {
		t.Errorf("%d bulk reads and %d single reads, want 1 and 2 (k2, k3)", store.manys, store.gets)
	}
}

func TestKeysStopsAtAKeyringWideFailure(t *testing.T) {
	v, mem := newTestVault(t)
	mustPut(t, v, "https://chat.example.com", "k0", testKey(0))
	mustPut(t, v, "https://chat.example.com", "k1", testKey(1))
	store := &bulkStore{MemoryStore: mem, bulkErr: fmt.Errorf("%w: prompt dismissed", ErrLocked)}
	v.store = store
	_, _, err := v.Keys([]string{"k0", "k1"})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if store.gets != 0 {
		t.Errorf("%d single reads after the keyring said it is locked, want 0", store.gets)
	}

	// A bulk read the keyring cannot do is not the end: one by one works.
	store.bulkErr = fmt.Errorf("%w: no GetSecrets", ErrUnavailable)
	keys, _, err := v.Keys([]string{"k0", "k1"})
	if err != nil || keys["k0"] != testKey(0) || keys["k1"] != testKey(1) {
		t.Fatalf("after an unavailable bulk read: %d keys, %v", len(keys), err)
	}
}

func TestKeysWithoutBulkReadsOneByOne(t *testing.T) {
	v, _ := newTestVault(t)
	mustPut(t, v, "https://chat.example.com", "k0", testKey(0))
	mustPut(t, v, "https://chat.example.com", "k1", testKey(1))
	keys, missing, err := v.Keys([]string{"k1", "k0"})
	if err != nil || len(missing) != 0 || keys["k0"] != testKey(0) || keys["k1"] != testKey(1) {
		t.Fatalf("keys %d, missing %v, err %v", len(keys), missing, err)
	}
}
