package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var errInjected = errors.New("injected failure")

// testKey is a key in Open WebUI's form ("sk-" + 32 hex) that differs per i.
func testKey(i int) string { return fmt.Sprintf("sk-%032x", 0xabc000+i) }

func newTestVault(t testing.TB) (*Vault, *MemoryStore) {
	t.Helper()
	store := NewMemoryStore()
	v, err := Open(filepath.Join(t.TempDir(), "keytray"), store)
	if err != nil {
		t.Fatal(err)
	}
	return v, store
}

func mustPut(t testing.TB, v *Vault, url, name, key string) {
	t.Helper()
	if err := v.Put(Instance{URL: url}, Entry{Name: name}, key); err != nil {
		t.Fatalf("Put(%q): %v", name, err)
	}
}

// failIndexWrites makes writes of the named file (indexFile or lastGoodFile)
// fail while *on is true; other files are written for real.
func failIndexWrites(v *Vault, file string, on *bool) {
	v.testWriteFile = func(path string, data []byte) error {
		if *on && filepath.Base(path) == file {
			return errInjected
		}
		return writeAtomic(path, data)
	}
}

func readBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// snapshot is the state a failed operation must leave unchanged.
type snapshot struct {
	index, lastGood []byte
	secrets         map[string]string
}

func takeSnapshot(t testing.TB, v *Vault, s *MemoryStore) snapshot {
	t.Helper()
	snap := snapshot{secrets: map[string]string{}}
	snap.index, _ = os.ReadFile(v.IndexPath())
	snap.lastGood, _ = os.ReadFile(v.LastGoodPath())
	for _, a := range s.Accounts() {
		snap.secrets[a], _ = s.Get(a)
	}
	return snap
}

func (a snapshot) assertSame(t testing.TB, b snapshot) {
	t.Helper()
	if !bytes.Equal(a.index, b.index) {
		t.Errorf("index changed:\nbefore: %s\nafter:  %s", a.index, b.index)
	}
	if !bytes.Equal(a.lastGood, b.lastGood) {
		t.Errorf("last-good copy changed")
	}
	if len(a.secrets) != len(b.secrets) {
		t.Errorf("keyring accounts changed: %d before, %d after", len(a.secrets), len(b.secrets))
	}
	for k, va := range a.secrets {
		if vb, ok := b.secrets[k]; !ok || va != vb {
			// Values are test keys; name the account only.
			t.Errorf("keyring item %q changed or vanished", k)
		}
	}
}

// scriptedStore fails chosen calls once, for rollback paths that the
// MemoryStore's persistent hooks cannot reach (a delete that fails the first
// time and works during the undo).
type scriptedStore struct {
	*MemoryStore
	mu         sync.Mutex
	deleteOnce map[string]error
}

func (s *scriptedStore) Delete(account string) error {
	s.mu.Lock()
	err, ok := s.deleteOnce[account]
	delete(s.deleteOnce, account)
	s.mu.Unlock()
	if ok {
		return err
	}
	return s.MemoryStore.Delete(account)
}

// foldStore behaves like the Windows Credential Manager: account strings
// compare without case.
type foldStore struct{ *MemoryStore }

func (s foldStore) Get(a string) (string, error) { return s.MemoryStore.Get(strings.ToLower(a)) }
func (s foldStore) Set(a, v string) error        { return s.MemoryStore.Set(strings.ToLower(a), v) }
func (s foldStore) Delete(a string) error        { return s.MemoryStore.Delete(strings.ToLower(a)) }

func fixedNow(v *Vault, t time.Time) { v.now = func() time.Time { return t } }
