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
	unread  map[string]bool // found by the search but not read (locked on their own)
	bulkErr error
	manys   int
	gets    int
}

func (s *bulkStore) getMany(accounts []string) (bulkRead, error) {
	s.manys++
	if s.bulkErr != nil {
		return bulkRead{}, s.bulkErr
	}
	out := bulkRead{secrets: map[string]string{}, found: map[string]bool{}}
	for _, a := range accounts {
		if k, ok := s.bulk[a]; ok {
			out.secrets[a] = k
			out.found[a] = true
		}
		if s.unread[a] {
			out.found[a] = true
		}
	}
	return out, nil
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
	// k2 is found but left unread (locked on its own); k3 is not found.
	store := &bulkStore{MemoryStore: mem, bulk: map[string]string{"k0": testKey(0), "k1": testKey(1)}, unread: map[string]bool{"k2": true}}
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
	if store.manys != 1 || store.gets != 1 {
		t.Errorf("%d bulk reads and %d single reads, want 1 and 1 (k2; the search proved k3 gone)", store.manys, store.gets)
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

// PutAll reads the items it replaces in bulk, looks up one by one only what
// the bulk answer left out, and still puts every earlier item back when a
// write fails.
func TestPutAllReadsAheadAndRollsBackFromIt(t *testing.T) {
	v, mem := newTestVault(t)
	// Items left by another profile (same keyring service), not in this index.
	for i := range 4 {
		if err := mem.Set(fmt.Sprintf("k%d", i), testKey(i)); err != nil {
			t.Fatal(err)
		}
	}
	// k2 exists but the bulk answer leaves it unread (locked on its own);
	// k4 has no item.
	store := &bulkStore{MemoryStore: mem, bulk: map[string]string{"k0": testKey(0), "k1": testKey(1), "k3": testKey(3)},
		unread: map[string]bool{"k2": true}}
	v.store = store
	items := make([]Item, 5)
	for i := range items {
		items[i] = Item{Instance: Instance{URL: "https://chat.example.com"}, Entry: Entry{Name: fmt.Sprintf("k%d", i)}, Key: testKey(100 + i)}
	}

	mem.FailSetAfter(4, errors.New("disk full")) // the fifth write (k4) fails
	if _, err := v.PutAll(items, true); err == nil {
		t.Fatal("PutAll succeeded although the keyring failed")
	}
	if store.manys != 1 || store.gets != 1 {
		t.Errorf("%d bulk reads and %d single reads, want 1 and 1 (k2)", store.manys, store.gets)
	}
	for i := range 4 {
		if got, err := mem.Get(fmt.Sprintf("k%d", i)); err != nil || got != testKey(i) {
			t.Errorf("k%d after the rollback: %v, want its earlier key back", i, err)
		}
	}
	if _, err := mem.Get("k4"); !errors.Is(err, ErrNotFound) {
		t.Errorf("k4 after the rollback: %v, want it gone", err)
	}

	mem.FailSetAfter(-1, nil)
	store.manys, store.gets = 0, 0
	res, err := v.PutAll(items, true)
	if err != nil || len(res.Restored) != 5 {
		t.Fatalf("PutAll: %+v, %v", res, err)
	}
	for i := range 5 {
		if got, _ := mem.Get(fmt.Sprintf("k%d", i)); got != testKey(100+i) {
			t.Errorf("k%d: not the imported key", i)
		}
	}
	// Stored now: a second import compares each with what the bulk read found.
	store.bulk = map[string]string{}
	for i := range 5 {
		store.bulk[fmt.Sprintf("k%d", i)] = testKey(100 + i)
	}
	store.manys, store.gets = 0, 0
	res, err = v.PutAll(items, false)
	if err != nil || len(res.Skipped) != 5 || store.gets != 0 {
		t.Errorf("re-import: %+v, %v, %d single reads (want all skipped, none)", res, err, store.gets)
	}
}
