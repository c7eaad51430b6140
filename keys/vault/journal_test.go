package vault

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keytray/keytray/keys/credential"
)

// assertAgree fails unless every entry's fingerprint is its keyring item's
// and every item of the store has an entry.
func assertAgree(t *testing.T, v *Vault, store *MemoryStore) {
	t.Helper()
	idx, _, err := v.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range idx.Entries {
		s, err := store.Get(e.Name)
		if err != nil {
			t.Errorf("%s: in the index, not in the keyring: %v", e.Name, err)
			continue
		}
		if credential.Fingerprint(s) != e.Fingerprint || credential.Hint(s) != e.Hint {
			t.Errorf("%s: the index's fingerprint is not the keyring item's", e.Name)
		}
	}
	if got, want := store.Len(), len(idx.Entries); got != want {
		t.Errorf("%d keyring items, %d entries", got, want)
	}
}

// The keyring dies part-way through an import with replace: the undo fails
// too, the journal stays, and the next read (keyring back) brings the index
// in line with what the keyring holds and says which keys were finished.
func TestJournalFinishesImportAfterKeyringDeath(t *testing.T) {
	for _, stopAt := range []int{0, 1, 3, 5} {
		t.Run(fmt.Sprint(stopAt), func(t *testing.T) {
			v, store := newTestVault(t)
			var items []Item
			for i := range 6 {
				mustPut(t, v, "https://a", fmt.Sprintf("k%d", i), testKey(i))
				items = append(items, Item{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: fmt.Sprintf("k%d", i)}, Key: testKey(100 + i)})
			}
			items = append(items, Item{Instance: Instance{URL: "https://b"}, Entry: Entry{Name: "new"}, Key: testKey(200)})
			v.testBeforeKeyOp = func(i int) {
				if i == stopAt {
					store.Lock(true)
				}
			}
			_, err := v.PutAll(items, true)
			if stopAt == 0 {
				// Nothing was written, so there is nothing to undo.
				if errors.Is(err, ErrInterrupted) || !errors.Is(err, ErrLocked) || journalExists(v) {
					t.Fatalf("PutAll: %v, want ErrLocked alone and no journal", err)
				}
				store.Lock(false)
				assertAgree(t, v, store)
				return
			}
			if !errors.Is(err, ErrInterrupted) || !errors.Is(err, ErrLocked) {
				t.Fatalf("PutAll: %v, want ErrInterrupted and ErrLocked", err)
			}
			v.testBeforeKeyOp = nil
			if _, err := v.Entries(); !errors.Is(err, ErrInterrupted) {
				t.Fatalf("reading with the keyring still locked: %v, want ErrInterrupted", err)
			}
			store.Lock(false)
			_, rec, err := v.Load()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil || rec.Journal == nil || rec.Journal.Op != "import" {
				t.Fatalf("recovery %+v, want the journal's", rec)
			}
			if len(rec.Journal.Finished) != stopAt || len(rec.Journal.Undone) != 7-stopAt {
				t.Errorf("finished %v, undone %v; want %d finished", rec.Journal.Finished, rec.Journal.Undone, stopAt)
			}
			assertAgree(t, v, store)
			if journalExists(v) {
				t.Error("journal left behind")
			}
		})
	}
}

// A process killed between keyring writes (simulated: the journal and the
// keyring as it left them, the index as before) is finished by the next one.
func TestJournalFinishesAfterCrash(t *testing.T) {
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "a", testKey(1))
	mustPut(t, v, "https://a", "b", testKey(2))
	items := []Item{
		{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "a"}, Key: testKey(11)},
		{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "b"}, Key: testKey(12)},
		{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "c"}, Key: testKey(13)},
	}
	crash := errors.New("killed")
	v.testBeforeKeyOp = func(i int) {
		if i == 2 {
			panic(crash)
		}
	}
	func() {
		defer func() {
			if r := recover(); r != crash {
				t.Fatalf("recovered %v", r)
			}
		}()
		_, _ = v.PutAll(items, true)
	}()
	v.testBeforeKeyOp = nil
	fresh, err := Open(v.Dir(), store) // the next process
	if err != nil {
		t.Fatal(err)
	}
	fresh.now = v.now
	_, rec, err := fresh.Load()
	if err != nil || rec == nil || rec.Journal == nil {
		t.Fatalf("Load: rec %+v, err %v", rec, err)
	}
	if fmt.Sprint(rec.Journal.Finished) != "[a b]" || fmt.Sprint(rec.Journal.Undone) != "[c]" {
		t.Errorf("finished %v undone %v", rec.Journal.Finished, rec.Journal.Undone)
	}
	assertAgree(t, fresh, store)
	// Running the import again finishes it.
	res, err := fresh.PutAll(items, true)
	if err != nil || fmt.Sprint(res.Skipped) != "[a b]" || fmt.Sprint(res.Restored) != "[c]" {
		t.Fatalf("second import: %+v, %v", res, err)
	}
	assertAgree(t, fresh, store)
}

// An orphaned item (in the keyring, not in the index) is never overwritten
// by an import without replace; the same key is adopted.
func TestPutAllTreatsOrphansAsStored(t *testing.T) {
	v, store := newTestVault(t)
	if err := store.Set("working", testKey(1)); err != nil {
		t.Fatal(err)
	}
	if err := store.Set("same", testKey(2)); err != nil {
		t.Fatal(err)
	}
	items := []Item{
		{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "working"}, Key: testKey(9)},
		{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "same"}, Key: testKey(2)},
	}
	res, err := v.PutAll(items, false)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Refused) != "[working]" || fmt.Sprint(res.Orphans) != "[working]" || fmt.Sprint(res.Restored) != "[same]" {
		t.Errorf("result %+v", res)
	}
	if s, _ := store.Get("working"); s != testKey(1) {
		t.Error("the orphaned working key was overwritten")
	}
	orphans, err := v.Orphans()
	if err != nil || fmt.Sprint(orphans) != "[working]" {
		t.Errorf("Orphans: %v, %v", orphans, err)
	}
	if _, err := v.PutAll(items, true); err != nil {
		t.Fatal(err)
	}
	if s, _ := store.Get("working"); s != testKey(9) {
		t.Error("replace did not replace the orphan")
	}
	assertAgree(t, v, store)
}

// Parallel checks each use their own probe item.
func TestCheckKeyringProbeIsPerCall(t *testing.T) {
	v, store := newTestVault(t)
	errs := make(chan error, 16)
	for range 16 {
		go func() { errs <- v.CheckKeyring() }()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if store.Len() != 0 {
		t.Errorf("%d probe items left", store.Len())
	}
	for _, n := range []string{"keytray-doctor-probe", "keytray-doctor-probe-1-x", "KEYTRAY-DOCTOR-PROBE-2", "keytray-rename-stash-ab12cd34"} {
		if ValidName(n) == nil {
			t.Errorf("%q is accepted as a name", n)
		}
	}
}

// A case-only rename killed at any point loses nothing, on a keyring that
// folds case (Windows' Credential Manager: one item for both spellings) and
// on one that does not: the next process finds the key under one entry,
// and no helper item is left in the keyring.
func TestRenameCaseOnlyKilledLosesNothing(t *testing.T) {
	for _, fold := range []bool{true, false} {
		for crashAt := 0; crashAt < 6; crashAt++ {
			t.Run(fmt.Sprintf("fold=%v/op%d", fold, crashAt), func(t *testing.T) {
				mem := NewMemoryStore()
				var store SecretStore = mem
				if fold {
					store = foldStore{mem}
				}
				v, err := Open(t.TempDir(), store)
				if err != nil {
					t.Fatal(err)
				}
				mustPut(t, v, "https://a", "alice", testKey(1))
				crash := errors.New("killed")
				v.testBeforeKeyOp = func(i int) {
					if i == crashAt {
						panic(crash)
					}
				}
				finished := func() (done bool) {
					defer func() {
						if r := recover(); r != nil && r != crash {
							t.Fatalf("recovered %v", r)
						}
					}()
					if err := v.Rename("alice", "Alice"); err != nil {
						t.Fatal(err)
					}
					return true
				}()
				if finished {
					return // fewer key operations than crashAt
				}
				fresh, err := Open(v.Dir(), store) // the next process
				if err != nil {
					t.Fatal(err)
				}
				idx, _, err := fresh.Load()
				if err != nil {
					t.Fatalf("Load after the crash: %v", err)
				}
				if len(idx.Entries) != 1 {
					t.Fatalf("%d entries after the crash, want 1", len(idx.Entries))
				}
				name := idx.Entries[0].Name
				if k, err := fresh.Key(name); err != nil || k != testKey(1) {
					t.Fatalf("the key of %q is lost after a crash before key operation %d: %v", name, crashAt, err)
				}
				for _, a := range mem.Accounts() {
					if !strings.EqualFold(a, "alice") {
						t.Errorf("item %q left in the keyring", a)
					}
				}
			})
		}
	}
}
