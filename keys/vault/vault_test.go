package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/credential"
)

func TestPutStoresKeyAndEntry(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	now := time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC)
	fixedNow(v, now)
	inst := Instance{URL: "https://chat.example.com", Name: "Chat", Version: "0.6.41"}
	if err := v.Put(inst, Entry{Name: "alice@chat.example.com", Email: "alice@example.com", Instance: "ignored"}, testKey(1)); err != nil {
		t.Fatal(err)
	}
	e, err := v.Entry("alice@chat.example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := Entry{Name: "alice@chat.example.com", Instance: inst.URL, Email: "alice@example.com",
		Created: now, Fingerprint: credential.Fingerprint(testKey(1)), Hint: credential.Hint(testKey(1))}
	if e != want {
		t.Errorf("entry = %+v, want %+v", e, want)
	}
	if got, err := v.Key("alice@chat.example.com"); err != nil || got != testKey(1) {
		t.Errorf("Key: err %v, right key %v", err, got == testKey(1))
	}
	// Lookups ignore case, as keyrings do; the stored spelling is used.
	if got, err := v.Key("ALICE@chat.example.com"); err != nil || got != testKey(1) {
		t.Errorf("Key (other case): err %v", err)
	}
	if in, err := v.Instance(inst.URL); err != nil || in != inst {
		t.Errorf("Instance = %+v, %v", in, err)
	}
	if got := store.Accounts(); !slices.Equal(got, []string{"alice@chat.example.com"}) {
		t.Errorf("keyring accounts = %q", got)
	}
}

func TestPutRefusesTakenAndBadInput(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	before := takeSnapshot(t, v, store)

	for _, name := range []string{"alice", "ALICE"} {
		if err := v.Put(Instance{URL: "https://b"}, Entry{Name: name}, testKey(2)); !errors.Is(err, ErrExists) {
			t.Errorf("Put(%q) over existing: %v, want ErrExists", name, err)
		}
	}
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: " bad"}, testKey(2)); !errors.Is(err, ErrBadName) {
		t.Errorf("bad name: %v", err)
	}
	if err := v.Put(Instance{}, Entry{Name: "bob"}, testKey(2)); err == nil {
		t.Error("Put without server URL succeeded")
	}
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, ""); err == nil {
		t.Error("Put of an empty key succeeded")
	}
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, strings.Repeat("k", MaxSecretLen+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge key: %v, want ErrTooLarge", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
	// The original is untouched.
	if k, err := v.Key("alice"); err != nil || k != testKey(1) {
		t.Errorf("alice's key changed (err %v)", err)
	}
}

func TestPutRollsBackWhenIndexWriteFails(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	// An item left in the keyring by something else under the new name must
	// come back as it was, not merely be deleted.
	if err := store.Set("orphan", "previous value"); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, v, store)
	fail := true
	failIndexWrites(v, indexFile, &fail)

	err := v.Put(Instance{URL: "https://b"}, Entry{Name: "bob"}, testKey(2))
	if !errors.Is(err, errInjected) {
		t.Fatalf("Put(bob): %v, want the injected error", err)
	}
	// The orphaned item is never overwritten by Put.
	if err := v.Put(Instance{URL: "https://b"}, Entry{Name: "orphan"}, testKey(2)); !errors.Is(err, ErrOrphan) {
		t.Fatalf("Put(orphan): %v, want ErrOrphan", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
	if _, err := v.Entry("bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob in index after failed Put: %v", err)
	}
}

func TestPutKeyringFailureLeavesIndexAlone(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	before := takeSnapshot(t, v, store)
	store.Lock(true)
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, testKey(2)); !errors.Is(err, ErrLocked) {
		t.Fatalf("Put on locked keyring: %v", err)
	}
	store.Lock(false)
	store.FailSetAfter(0, ErrTimeout)
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, testKey(2)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Put with failing Set: %v", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
}

func TestKeyMissingIsNotNotFound(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	if err := store.Delete("alice"); err != nil {
		t.Fatal(err)
	}
	_, err := v.Key("alice")
	if !errors.Is(err, ErrKeyMissing) || errors.Is(err, ErrNotFound) {
		t.Errorf("Key with item gone: %v, want ErrKeyMissing only", err)
	}
	if _, err := v.Key("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Key of unknown name: %v", err)
	}
	store.Lock(true)
	if _, err := v.Key("alice"); !errors.Is(err, ErrLocked) {
		t.Errorf("Key on locked keyring: %v", err)
	}
}

func TestEntriesSortedByInstanceThenName(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	mustPut(t, v, "https://b", "zed", testKey(1))
	mustPut(t, v, "https://a", "yan", testKey(2))
	mustPut(t, v, "https://b", "amy", testKey(3))
	mustPut(t, v, "https://a", "bob", testKey(4))
	es, err := v.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Instance+" "+e.Name)
	}
	want := []string{"https://a bob", "https://a yan", "https://b amy", "https://b zed"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
	insts, err := v.Instances()
	if err != nil || len(insts) != 2 || insts[0].URL != "https://a" {
		t.Errorf("Instances = %+v, %v", insts, err)
	}
}

func TestReplaceKey(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))

	err := v.ReplaceKey("Alice", testKey(2), func(e *Entry) { e.Source = "rotate"; e.LastStatus = "valid" })
	if err != nil {
		t.Fatal(err)
	}
	e, _ := v.Entry("alice")
	if e.Fingerprint != credential.Fingerprint(testKey(2)) || e.Source != "rotate" || e.LastStatus != "valid" {
		t.Errorf("entry after ReplaceKey = %+v", e)
	}
	if k, _ := store.Get("alice"); k != testKey(2) {
		t.Error("keyring still holds the old key")
	}

	// Index write fails: the previous key comes back.
	before := takeSnapshot(t, v, store)
	fail := true
	failIndexWrites(v, indexFile, &fail)
	if err := v.ReplaceKey("alice", testKey(3), nil); !errors.Is(err, errInjected) {
		t.Fatalf("ReplaceKey with failing index: %v", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
	fail = false

	// An update that would desynchronise the keyring is refused before the keyring is touched.
	for _, bad := range []func(*Entry){
		func(e *Entry) { e.Name = "mallory" },
		func(e *Entry) { e.Fingerprint = "sha256:000000000000" },
		func(e *Entry) { e.Instance = "https://elsewhere" },
	} {
		if err := v.ReplaceKey("alice", testKey(4), bad); err == nil {
			t.Error("ReplaceKey accepted an update of name, fingerprint or server")
		}
	}
	before.assertSame(t, takeSnapshot(t, v, store))
	if err := v.ReplaceKey("nobody", testKey(4), nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReplaceKey of unknown name: %v", err)
	}
}

func TestReplaceKeyRestoresMissingItem(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	_ = store.Delete("alice")
	fail := true
	failIndexWrites(v, indexFile, &fail)
	if err := v.ReplaceKey("alice", testKey(2), nil); !errors.Is(err, errInjected) {
		t.Fatalf("ReplaceKey: %v", err)
	}
	// There was no item before; the rollback must not leave one behind.
	if store.Len() != 0 {
		t.Errorf("keyring holds %q after rollback", store.Accounts())
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	checked := time.Date(2026, 5, 21, 8, 0, 0, 0, time.UTC)
	if err := v.Update("alice", func(e *Entry) {
		e.LastChecked, e.LastStatus, e.LastDetail = checked, "rejected", "revoked on the server"
	}); err != nil {
		t.Fatal(err)
	}
	e, _ := v.Entry("alice")
	if !e.LastChecked.Equal(checked) || e.LastStatus != "rejected" || e.LastDetail != "revoked on the server" {
		t.Errorf("entry = %+v", e)
	}
	before := takeSnapshot(t, v, store)
	if err := v.Update("alice", func(e *Entry) { e.Name = "bob" }); err == nil {
		t.Error("Update changed the name")
	}
	if err := v.Update("nobody", func(*Entry) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update of unknown: %v", err)
	}
	// A no-op update writes nothing.
	if err := v.Update("alice", func(*Entry) {}); err != nil {
		t.Fatal(err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
}

func TestUpsertInstanceKeepsServerFacts(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	seen := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := v.UpsertInstance(Instance{URL: "https://a", Name: "Team", Version: "0.6.5", CAFile: "/ca.pem", LastSeen: seen}); err != nil {
		t.Fatal(err)
	}
	if err := v.UpsertInstance(Instance{URL: "https://a", AllowHTTP: true}); err != nil {
		t.Fatal(err)
	}
	in, err := v.Instance("https://a")
	want := Instance{URL: "https://a", Name: "Team", Version: "0.6.5", AllowHTTP: true, LastSeen: seen}
	if err != nil || in != want {
		t.Errorf("instance = %+v (%v), want %+v", in, err, want)
	}
	if err := v.UpsertInstance(Instance{}); err == nil {
		t.Error("instance without URL accepted")
	}
	if _, err := v.Instance("https://nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown instance: %v", err)
	}
}

func TestRename(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	mustPut(t, v, "https://a", "bob", testKey(2))

	if err := v.Rename("alice", "work"); err != nil {
		t.Fatal(err)
	}
	if got := store.Accounts(); !slices.Equal(got, []string{"bob", "work"}) {
		t.Errorf("keyring accounts = %q", got)
	}
	if k, err := v.Key("work"); err != nil || k != testKey(1) {
		t.Errorf("Key(work): %v", err)
	}
	if _, err := v.Entry("alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old name still there: %v", err)
	}

	before := takeSnapshot(t, v, store)
	if err := v.Rename("work", "BOB"); !errors.Is(err, ErrExists) {
		t.Errorf("rename onto taken name: %v", err)
	}
	if err := v.Rename("work", "-x"); !errors.Is(err, ErrBadName) {
		t.Errorf("rename to bad name: %v", err)
	}
	if err := v.Rename("nobody", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("rename unknown: %v", err)
	}
	if err := v.Rename("work", "work"); err != nil {
		t.Errorf("rename to itself: %v", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
}

func TestRenameRollback(t *testing.T) {
	t.Parallel()
	t.Run("index write fails", func(t *testing.T) {
		t.Parallel()
		v, store := newTestVault(t)
		mustPut(t, v, "https://a", "alice", testKey(1))
		before := takeSnapshot(t, v, store)
		fail := true
		failIndexWrites(v, indexFile, &fail)
		if err := v.Rename("alice", "work"); !errors.Is(err, errInjected) {
			t.Fatalf("Rename: %v", err)
		}
		before.assertSame(t, takeSnapshot(t, v, store))
	})
	t.Run("deleting the old item fails", func(t *testing.T) {
		t.Parallel()
		mem := NewMemoryStore()
		store := &scriptedStore{MemoryStore: mem, deleteOnce: map[string]error{"alice": ErrTimeout}}
		v, err := Open(t.TempDir(), store)
		if err != nil {
			t.Fatal(err)
		}
		mustPut(t, v, "https://a", "alice", testKey(1))
		before := takeSnapshot(t, v, mem)
		if err := v.Rename("alice", "work"); !errors.Is(err, ErrTimeout) {
			t.Fatalf("Rename: %v", err)
		}
		// The index went back to the old name and the new item is gone.
		before.assertSame(t, takeSnapshot(t, v, mem))
	})
	t.Run("old item missing", func(t *testing.T) {
		t.Parallel()
		v, store := newTestVault(t)
		mustPut(t, v, "https://a", "alice", testKey(1))
		_ = store.Delete("alice")
		if err := v.Rename("alice", "work"); !errors.Is(err, ErrKeyMissing) {
			t.Errorf("Rename without item: %v", err)
		}
	})
}

func TestRenameCaseOnlyOnCaseInsensitiveKeyring(t *testing.T) {
	t.Parallel()
	mem := NewMemoryStore()
	v, err := Open(t.TempDir(), foldStore{mem})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, v, "https://a", "alice", testKey(1))
	if err := v.Rename("alice", "Alice"); err != nil {
		t.Fatal(err)
	}
	if k, err := v.Key("Alice"); err != nil || k != testKey(1) {
		t.Fatalf("key lost by a case-only rename: %v", err)
	}
	e, _ := v.Entry("alice")
	if e.Name != "Alice" {
		t.Errorf("entry name = %q", e.Name)
	}
	// The same rename on a case-sensitive keyring leaves no orphan either.
	v2, store2 := newTestVault(t)
	mustPut(t, v2, "https://a", "alice", testKey(1))
	if err := v2.Rename("alice", "Alice"); err != nil {
		t.Fatal(err)
	}
	if got := store2.Accounts(); !slices.Equal(got, []string{"Alice"}) {
		t.Errorf("accounts = %q", got)
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	mustPut(t, v, "https://a", "bob", testKey(2))
	mustPut(t, v, "https://b", "carol", testKey(3))

	if err := v.Remove("ALICE"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Instance("https://a"); err != nil {
		t.Errorf("server with an entry left was dropped: %v", err)
	}
	if err := v.Remove("bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Instance("https://a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("server without entries kept: %v", err)
	}
	if got := store.Accounts(); !slices.Equal(got, []string{"carol"}) {
		t.Errorf("accounts = %q", got)
	}
	if err := v.Remove("alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v", err)
	}
	// An item already gone from the keyring does not block forgetting the entry.
	_ = store.Delete("carol")
	if err := v.Remove("carol"); err != nil {
		t.Errorf("Remove with item gone: %v", err)
	}
	if es, _ := v.Entries(); len(es) != 0 {
		t.Errorf("entries left: %+v", es)
	}
}

func TestRemoveFailuresKeepBoth(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	before := takeSnapshot(t, v, store)

	store.Lock(true)
	if err := v.Remove("alice"); !errors.Is(err, ErrLocked) {
		t.Errorf("Remove on locked keyring: %v", err)
	}
	store.Lock(false)
	before.assertSame(t, takeSnapshot(t, v, store))

	store.FailDelete(ErrTimeout)
	if err := v.Remove("alice"); !errors.Is(err, ErrTimeout) {
		t.Errorf("Remove with failing delete: %v", err)
	}
	store.FailDelete(nil)
	before.assertSame(t, takeSnapshot(t, v, store))

	fail := true
	failIndexWrites(v, indexFile, &fail)
	if err := v.Remove("alice"); !errors.Is(err, errInjected) {
		t.Errorf("Remove with failing index: %v", err)
	}
	// The keyring item was deleted, then put back with its value.
	before.assertSame(t, takeSnapshot(t, v, store))
}

func TestUniqueName(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	if n, err := v.UniqueName("alice@a"); err != nil || n != "alice@a" {
		t.Errorf("free name: %q %v", n, err)
	}
	mustPut(t, v, "https://a", "alice@a", testKey(1))
	mustPut(t, v, "https://a", "Alice@a-2", testKey(2))
	if n, _ := v.UniqueName("alice@a"); n != "alice@a-3" {
		t.Errorf("UniqueName = %q, want alice@a-3", n)
	}
	long := strings.Repeat("é", MaxNameLen)
	mustPut(t, v, "https://a", long, testKey(3))
	n, err := v.UniqueName(long)
	if err != nil || ValidName(n) != nil || !strings.HasSuffix(n, "-2") {
		t.Errorf("UniqueName(long) = %q, %v", n, err)
	}
	if _, err := v.UniqueName(""); !errors.Is(err, ErrBadName) {
		t.Errorf("UniqueName(\"\"): %v", err)
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	good := []string{"alice@chat.example.com", "a", "work key", "張三@伺服器", "x/y", strings.Repeat("a", MaxNameLen)}
	bad := []string{"", " a", "a ", "-a", "a\nb", "a\tb", "a\x00", "a\u202eb", "a\u200bb", "\xff",
		strings.Repeat("a", MaxNameLen+1), ProbeAccount, "Keytray-Doctor-Probe"}
	for _, n := range good {
		if err := ValidName(n); err != nil {
			t.Errorf("ValidName(%q) = %v", n, err)
		}
	}
	for _, n := range bad {
		if err := ValidName(n); !errors.Is(err, ErrBadName) {
			t.Errorf("ValidName(%q) = %v, want ErrBadName", n, err)
		}
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	s, err := v.Settings()
	if err != nil || s != DefaultSettings() {
		t.Fatalf("settings of a new profile = %+v, %v", s, err)
	}
	if _, err := os.Stat(v.IndexPath()); !os.IsNotExist(err) {
		t.Errorf("reading settings created the index: %v", err)
	}
	want := Settings{ClipboardClear: Duration(0), ClipboardWatch: false, StartAtLogin: true, Theme: "dark"}
	if err := v.SaveSettings(want); err != nil {
		t.Fatal(err)
	}
	if s, _ := v.Settings(); s != want {
		t.Errorf("settings = %+v, want %+v", s, want)
	}
	if !bytes.Contains(readBytes(t, v.IndexPath()), []byte(`"clipboard_clear":"0s"`)) {
		t.Errorf("clipboard_clear not written as \"0s\":\n%s", readBytes(t, v.IndexPath()))
	}
	for _, bad := range []Settings{
		{ClipboardClear: Duration(-time.Second), Theme: "system"},
		{Theme: "neon"},
	} {
		if err := v.SaveSettings(bad); !errors.Is(err, ErrBadSetting) {
			t.Errorf("SaveSettings(%+v) = %v", bad, err)
		}
	}
}

func TestPutAll(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "same", testKey(1))
	mustPut(t, v, "https://a", "differs", testKey(2))
	mustPut(t, v, "https://a", "lost", testKey(3))
	_ = store.Delete("lost") // entry without its item: an import brings it back
	inst := Instance{URL: "https://a"}
	items := []Item{
		{Instance: inst, Entry: Entry{Name: "same"}, Key: testKey(1)},
		{Instance: inst, Entry: Entry{Name: "DIFFERS"}, Key: testKey(20)},
		{Instance: inst, Entry: Entry{Name: "lost"}, Key: testKey(3)},
		{Instance: Instance{URL: "https://new", Name: "New"}, Entry: Entry{Name: "fresh", Source: "import"}, Key: testKey(4)},
	}
	res, err := v.PutAll(items, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Skipped, []string{"same"}) || !slices.Equal(res.Refused, []string{"differs"}) ||
		!slices.Equal(res.Restored, []string{"lost", "fresh"}) {
		t.Errorf("result = %+v", res)
	}
	if k, _ := store.Get("differs"); k != testKey(2) {
		t.Error("refused item was overwritten")
	}
	if k, _ := v.Key("lost"); k != testKey(3) {
		t.Error("lost item not restored")
	}
	if in, _ := v.Instance("https://new"); in.Name != "New" {
		t.Errorf("new server not stored: %+v", in)
	}
	e, _ := v.Entry("fresh")
	if e.Source != "import" || e.Fingerprint != credential.Fingerprint(testKey(4)) || e.Created.IsZero() {
		t.Errorf("fresh entry = %+v", e)
	}

	res, err = v.PutAll(items[1:2], true)
	if err != nil || !slices.Equal(res.Restored, []string{"differs"}) {
		t.Fatalf("replace: %+v %v", res, err)
	}
	if k, _ := store.Get("differs"); k != testKey(20) {
		t.Error("replace=true did not replace the key")
	}
	if e, _ := v.Entry("differs"); e.Fingerprint != credential.Fingerprint(testKey(20)) || e.Name != "differs" {
		t.Errorf("replaced entry = %+v", e)
	}

	dup := []Item{{Instance: inst, Entry: Entry{Name: "x"}, Key: testKey(5)}, {Instance: inst, Entry: Entry{Name: "X"}, Key: testKey(6)}}
	if _, err := v.PutAll(dup, false); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate names in one PutAll: %v", err)
	}
	if _, err := v.PutAll([]Item{{Instance: inst, Entry: Entry{Name: "\x01"}, Key: testKey(5)}}, false); !errors.Is(err, ErrBadName) {
		t.Errorf("bad name in PutAll: %v", err)
	}
}

func TestPutAllIsAllOrNothing(t *testing.T) {
	t.Parallel()
	items := func() []Item {
		inst := Instance{URL: "https://b"}
		return []Item{
			{Instance: inst, Entry: Entry{Name: "overwritten"}, Key: testKey(10)},
			{Instance: inst, Entry: Entry{Name: "new1"}, Key: testKey(11)},
			{Instance: inst, Entry: Entry{Name: "new2"}, Key: testKey(12)},
			{Instance: inst, Entry: Entry{Name: "new3"}, Key: testKey(13)},
		}
	}
	setup := func(t *testing.T) (*Vault, *MemoryStore, snapshot) {
		v, store := newTestVault(t)
		mustPut(t, v, "https://a", "overwritten", testKey(1))
		mustPut(t, v, "https://a", "keep", testKey(2))
		return v, store, takeSnapshot(t, v, store)
	}
	for _, tc := range []struct {
		name string
		arm  func(*Vault, *MemoryStore)
		want error
	}{
		// overwritten and new1 are written, new2 fails.
		{"keyring fails midway", func(_ *Vault, s *MemoryStore) { s.FailSetAfter(2, ErrLocked) }, ErrLocked},
		{"index write fails", func(v *Vault, _ *MemoryStore) { on := true; failIndexWrites(v, indexFile, &on) }, errInjected},
		// The index had been written and must be put back.
		{"last-good write fails", func(v *Vault, _ *MemoryStore) { on := true; failIndexWrites(v, lastGoodFile, &on) }, errInjected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, store, before := setup(t)
			tc.arm(v, store)
			if _, err := v.PutAll(items(), true); !errors.Is(err, tc.want) {
				t.Fatalf("PutAll: %v, want %v", err, tc.want)
			}
			before.assertSame(t, takeSnapshot(t, v, store))
		})
	}
}

func TestCheckKeyring(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	if err := v.CheckKeyring(); err != nil {
		t.Fatal(err)
	}
	if store.Len() != 0 {
		t.Errorf("probe left behind: %q", store.Accounts())
	}
	store.Lock(true)
	if err := v.CheckKeyring(); !errors.Is(err, ErrLocked) {
		t.Errorf("locked: %v", err)
	}
	store.Lock(false)
	store.FailGet(ErrTimeout)
	if err := v.CheckKeyring(); !errors.Is(err, ErrTimeout) {
		t.Errorf("failing read: %v", err)
	}
	store.FailGet(nil)
	if store.Len() != 0 {
		t.Errorf("probe left behind after a failed read: %q", store.Accounts())
	}
}

func TestIndexNeverHoldsTheKey(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	if err := v.ReplaceKey("alice", testKey(2), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := v.PutAll([]Item{{Instance: Instance{URL: "https://a"}, Entry: Entry{Name: "bob"}, Key: testKey(3)}}, false); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(v.Dir(), "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for i := 1; i <= 3; i++ {
			// The key body too: a fingerprint must not be a prefix of it.
			if bytes.Contains(data, []byte(testKey(i))) || bytes.Contains(data, []byte(testKey(i)[3:15])) {
				t.Errorf("%s holds key %d", filepath.Base(f), i)
			}
		}
	}
}

func TestConcurrentWritersLoseNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	store := NewMemoryStore() // one keyring, as on a real desktop
	const writers, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		// Each goroutine has its own Vault, like the CLI and the app.
		v, err := Open(dir, store)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				name := fmt.Sprintf("w%d-%d", w, i)
				if err := v.Put(Instance{URL: fmt.Sprintf("https://s%d", i%3)}, Entry{Name: name}, testKey(w*100+i)); err != nil {
					errs <- err
				}
				if err := v.Update(name, func(e *Entry) { e.LastStatus = "valid" }); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	v, _ := Open(dir, store)
	es, err := v.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != writers*each || store.Len() != writers*each {
		t.Fatalf("%d entries and %d keyring items, want %d", len(es), store.Len(), writers*each)
	}
	for _, e := range es {
		if e.LastStatus != "valid" {
			t.Errorf("update of %q lost", e.Name)
		}
	}
}

func TestReplaceKeyUpdatesFingerprintAndHint(t *testing.T) {
	v, _ := newTestVault(t)
	inst := Instance{URL: "https://chat.example.com"}
	if err := v.Put(inst, Entry{Name: "k"}, testKey(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.ReplaceKey("k", testKey(2), nil); err != nil {
		t.Fatal(err)
	}
	e, err := v.Entry("k")
	if err != nil {
		t.Fatal(err)
	}
	if e.Fingerprint != credential.Fingerprint(testKey(2)) || e.Hint != credential.Hint(testKey(2)) {
		t.Errorf("after rotation: fingerprint %s hint %q describe the old key", e.Fingerprint, e.Hint)
	}
	raw, err := os.ReadFile(v.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), testKey(2)) || strings.Contains(string(raw), testKey(2)[:12]) {
		t.Error("the index holds more of the key than its last four characters")
	}
}

func TestKeyOfReadsTheEntrysItem(t *testing.T) {
	v, store := newTestVault(t)
	if err := v.Put(Instance{URL: "https://chat.example.com"}, Entry{Name: "Work"}, testKey(3)); err != nil {
		t.Fatal(err)
	}
	e, err := v.Entry("work") // names compare regardless of case
	if err != nil {
		t.Fatal(err)
	}
	if k, err := v.KeyOf(e); err != nil || k != testKey(3) {
		t.Fatalf("KeyOf: %v", err)
	}
	if err := store.Delete("Work"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.KeyOf(e); !errors.Is(err, ErrKeyMissing) {
		t.Fatalf("lost item: err = %v, want ErrKeyMissing", err)
	}
}

func TestUpdateEachIsOneWriteAllOrNothing(t *testing.T) {
	v, _ := newTestVault(t)
	inst := Instance{URL: "https://chat.example.com"}
	for i, n := range []string{"a", "b"} {
		if err := v.Put(inst, Entry{Name: n}, testKey(10+i)); err != nil {
			t.Fatal(err)
		}
	}
	mark := func(e *Entry) { e.LastStatus = "valid" }
	err := v.UpdateEach(map[string]func(*Entry){"a": mark, "missing": mark})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if e, _ := v.Entry("a"); e.LastStatus != "" {
		t.Fatal("a failed UpdateEach changed an entry")
	}
	if err := v.UpdateEach(map[string]func(*Entry){"a": mark, "b": mark}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b"} {
		if e, _ := v.Entry(n); e.LastStatus != "valid" {
			t.Errorf("%s not updated", n)
		}
	}
}

// PutUnique never makes a second entry for an account it already lists;
// another account on the same server, or the same user id on another
// server, is a new entry.
func TestPutUniqueRefusesASecondEntryForAnAccount(t *testing.T) {
	v, store := newTestVault(t)
	a := Instance{URL: "https://a.example.com"}
	first, err := v.PutUnique(a, Entry{Name: "gil", UserID: "u1"}, testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.PutUnique(a, Entry{Name: "gil", UserID: "u1"}, testKey(2)); !errors.Is(err, ErrAccountStored) {
		t.Fatalf("second entry for the account: %v, want ErrAccountStored", err)
	}
	if k, _ := store.Get(first.Name); k != testKey(1) {
		t.Error("the refused put changed the stored key")
	}
	if e, err := v.PutUnique(a, Entry{Name: "gil", UserID: "u2"}, testKey(3)); err != nil || e.Name != "gil-2" {
		t.Errorf("another account: %q, %v", e.Name, err)
	}
	if _, err := v.PutUnique(Instance{URL: "https://b.example.com"}, Entry{Name: "gil", UserID: "u1"}, testKey(4)); err != nil {
		t.Errorf("the same user id on another server: %v", err)
	}
	if entries, _ := v.Entries(); len(entries) != 3 {
		t.Errorf("%d entries, want 3", len(entries))
	}
}
