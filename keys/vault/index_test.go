package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadMissingIsEmpty(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	idx, rec, err := v.Load()
	if err != nil || rec != nil {
		t.Fatalf("Load: %v, %v", rec, err)
	}
	if idx.Format != indexFormat || idx.Version != 1 || len(idx.Entries) != 0 || idx.Settings != DefaultSettings() {
		t.Errorf("empty index = %+v", idx)
	}
	if files, _ := os.ReadDir(v.Dir()); len(files) != 0 {
		t.Errorf("Load of a new profile wrote files: %v", files)
	}
}

func TestIndexFileFormat(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	var raw map[string]any
	if err := json.Unmarshal(readBytes(t, v.IndexPath()), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["format"] != "keytray-index" || raw["version"] != float64(1) {
		t.Errorf("header = %v %v", raw["format"], raw["version"])
	}
	if s := raw["settings"].(map[string]any); s["clipboard_clear"] != "30s" || s["theme"] != "system" || s["clipboard_watch"] != true {
		t.Errorf("settings = %v", s)
	}
	if !bytes.Equal(readBytes(t, v.IndexPath()), readBytes(t, v.LastGoodPath())) {
		t.Error("last-good copy differs from the index after a write")
	}
}

func TestModes(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has ACLs, not modes")
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "keytray")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	v, err := Open(dir, NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, v, "https://a", "alice", testKey(1))
	for path, want := range map[string]os.FileMode{dir: 0o700, v.IndexPath(): 0o600, v.LastGoodPath(): 0o600, filepath.Join(dir, lockFileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
		}
	}
	// A fresh folder is created 0700 too.
	v2, err := Open(filepath.Join(parent, "new", "keytray"), NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(v2.Dir()); fi.Mode().Perm() != 0o700 {
		t.Errorf("new folder mode %o", fi.Mode().Perm())
	}
}

func TestAtomicWriteLeavesNoTempFiles(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	for i := range 5 {
		mustPut(t, v, "https://a", string(rune('a'+i)), testKey(i))
	}
	assertOnly(t, v.Dir(), indexFile, lastGoodFile, lockFileName)

	// A write that fails at the rename (the target is a folder) cleans up too.
	target := filepath.Join(v.Dir(), "sub")
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(target, []byte("x")); err == nil {
		t.Fatal("rename over a folder succeeded")
	}
	assertOnly(t, v.Dir(), indexFile, lastGoodFile, lockFileName, "sub")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name())
	}
	if strings.Join(got, " ") != strings.Join(slices.Sorted(slices.Values(names)), " ") {
		t.Errorf("folder holds %q, want %q", got, names)
	}
}

func TestCorruptIndexRecoversFromLastGood(t *testing.T) {
	t.Parallel()
	for name, garbage := range map[string][]byte{
		"truncated":    []byte(`{"format":"keytray-index","version":1,"entries":[{"na`),
		"empty":        {},
		"wrong format": []byte(`{"format":"something-else","version":1}`),
		"no version":   []byte(`{"format":"keytray-index"}`),
		"binary":       {0, 1, 2, 0xff},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v, store := newTestVault(t)
			fixedNow(v, time.Date(2026, 5, 20, 12, 30, 0, 0, time.UTC))
			mustPut(t, v, "https://a", "alice", testKey(1))
			mustPut(t, v, "https://a", "bob", testKey(2))
			good := readBytes(t, v.IndexPath())
			if err := os.WriteFile(v.IndexPath(), garbage, 0o600); err != nil {
				t.Fatal(err)
			}

			// Any reader triggers the recovery; Load reports it afterwards.
			es, err := v.Entries()
			if err != nil || len(es) != 2 {
				t.Fatalf("Entries after corruption: %d, %v", len(es), err)
			}
			idx, rec, err := v.Load()
			if err != nil || rec == nil {
				t.Fatalf("Load: %v, %v", rec, err)
			}
			if len(idx.Entries) != 2 {
				t.Errorf("recovered %d entries", len(idx.Entries))
			}
			wantCopy := v.IndexPath() + ".corrupt-20260520T123000Z"
			if rec.CorruptCopy != wantCopy || rec.Cause == nil {
				t.Errorf("recovery = %+v, want copy %s", rec, wantCopy)
			}
			if !bytes.Equal(readBytes(t, rec.CorruptCopy), garbage) {
				t.Error("the corrupt copy does not hold the corrupt bytes")
			}
			if !bytes.Equal(readBytes(t, v.IndexPath()), good) {
				t.Error("the index was not restored from the last-good copy")
			}
			if _, rec2, _ := v.Load(); rec2 != nil {
				t.Errorf("recovery reported twice: %+v", rec2)
			}
			if k, err := v.Key("bob"); err != nil || k != testKey(2) {
				t.Errorf("key not reachable after recovery: %v", err)
			}
			_ = store
		})
	}
}

func TestCorruptIndexRecoveredByWriter(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	if err := os.WriteFile(v.IndexPath(), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A write re-reads under the lock, recovers, and keeps alice.
	mustPut(t, v, "https://a", "bob", testKey(2))
	idx, rec, err := v.Load()
	if err != nil || rec == nil || rec.CorruptCopy == "" {
		t.Fatalf("Load: %+v, %v", rec, err)
	}
	if len(idx.Entries) != 2 {
		t.Errorf("entries = %+v", idx.Entries)
	}
}

func TestBothCorruptIsAnErrorAndTouchesNothing(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	for _, f := range []string{v.IndexPath(), v.LastGoodPath()} {
		if err := os.WriteFile(f, []byte(`{"format":`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	before := takeSnapshot(t, v, store)
	_, _, err := v.Load()
	if !errors.Is(err, ErrIndexCorrupt) {
		t.Fatalf("Load: %v, want ErrIndexCorrupt", err)
	}
	if !strings.Contains(err.Error(), v.IndexPath()) {
		t.Errorf("error does not say where the file is: %v", err)
	}
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, testKey(2)); !errors.Is(err, ErrIndexCorrupt) {
		t.Errorf("Put over a corrupt index: %v", err)
	}
	if err := v.SaveSettings(DefaultSettings()); !errors.Is(err, ErrIndexCorrupt) {
		t.Errorf("SaveSettings over a corrupt index: %v", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
	assertOnly(t, v.Dir(), indexFile, lastGoodFile, lockFileName)
}

func TestCorruptWithoutLastGood(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	if err := os.WriteFile(v.IndexPath(), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := v.Load(); !errors.Is(err, ErrIndexCorrupt) {
		t.Fatalf("Load: %v", err)
	}
	if got := readBytes(t, v.IndexPath()); string(got) != "not json" {
		t.Error("corrupt index overwritten")
	}
}

func TestMissingIndexRestoredFromLastGood(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	if err := os.Remove(v.IndexPath()); err != nil {
		t.Fatal(err)
	}
	idx, rec, err := v.Load()
	if err != nil || rec == nil || rec.Cause == nil || rec.CorruptCopy != "" {
		t.Fatalf("Load: %+v, %v", rec, err)
	}
	if len(idx.Entries) != 1 {
		t.Errorf("entries = %+v", idx.Entries)
	}
	if _, err := os.Stat(v.IndexPath()); err != nil {
		t.Errorf("index not written back: %v", err)
	}
}

func TestNewerIndexRefusedAndUntouched(t *testing.T) {
	t.Parallel()
	v, store := newTestVault(t)
	mustPut(t, v, "https://a", "alice", testKey(1))
	future := []byte(`{"format":"keytray-index","version":2,"entries":[],"vaults":{}}`)
	if err := os.WriteFile(v.IndexPath(), future, 0o600); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, v, store)
	if _, _, err := v.Load(); !errors.Is(err, ErrIndexTooNew) {
		t.Errorf("Load: %v", err)
	}
	if err := v.Put(Instance{URL: "https://a"}, Entry{Name: "bob"}, testKey(2)); !errors.Is(err, ErrIndexTooNew) {
		t.Errorf("Put: %v", err)
	}
	before.assertSame(t, takeSnapshot(t, v, store))
}

func TestLoadRepairs(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	doc := `{"format":"keytray-index","version":1,
	"instances":[{"url":"https://a"},{"url":"https://a","name":"dup"}],
	"entries":[
		{"name":"alice","instance":"https://a","fingerprint":"sha256:111111111111"},
		{"name":"ALICE","instance":"https://a","fingerprint":"sha256:222222222222"},
		{"name":"bob","instance":"https://gone","fingerprint":"sha256:333333333333"}],
	"settings":{"theme":"neon","clipboard_clear":-5}}`
	if err := os.WriteFile(v.IndexPath(), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	idx, rec, err := v.Load()
	if err != nil || rec == nil {
		t.Fatalf("Load: %+v, %v", rec, err)
	}
	if rec.Cause != nil || rec.CorruptCopy != "" || len(rec.Repairs) != 5 {
		t.Errorf("recovery = %+v", rec)
	}
	if len(idx.Entries) != 2 || idx.Entries[0].Fingerprint != "sha256:111111111111" {
		t.Errorf("entries = %+v", idx.Entries)
	}
	if len(idx.Instances) != 2 || idx.Instances[1].URL != "https://gone" {
		t.Errorf("instances = %+v", idx.Instances)
	}
	if idx.Settings.Theme != "system" || idx.Settings.ClipboardClear != DefaultSettings().ClipboardClear {
		t.Errorf("settings = %+v", idx.Settings)
	}
	// Written back: the next Load has nothing to say.
	if _, rec, err := v.Load(); rec != nil || err != nil {
		t.Errorf("second Load: %+v, %v", rec, err)
	}
}

func TestSettingsDefaultsForMissingFields(t *testing.T) {
	t.Parallel()
	v, _ := newTestVault(t)
	doc := `{"format":"keytray-index","version":1,"settings":{"start_hidden":true,"clipboard_clear":45}}`
	if err := os.WriteFile(v.IndexPath(), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := v.Settings()
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{ClipboardClear: Duration(45 * time.Second), ClipboardWatch: true, StartHidden: true, Theme: "system", CheckInterval: Duration(6 * time.Hour)}
	if s != want {
		t.Errorf("settings = %+v, want %+v", s, want)
	}
}

func TestDurationJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{`"30s"`, 30 * time.Second}, {`"0s"`, 0}, {`" 1m30s "`, 90 * time.Second},
		{`45`, 45 * time.Second}, {`0`, 0}, {`1.5`, 1500 * time.Millisecond},
	} {
		var d Duration
		if err := json.Unmarshal([]byte(tc.in), &d); err != nil || time.Duration(d) != tc.want {
			t.Errorf("unmarshal %s = %v, %v; want %v", tc.in, time.Duration(d), err, tc.want)
		}
	}
	for _, in := range []string{`"thirty"`, `true`, `"30"`, `1e300`, `{}`} {
		var d Duration
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("unmarshal %s accepted: %v", in, time.Duration(d))
		}
	}
	for d, want := range map[Duration]string{Duration(30 * time.Second): `"30s"`, 0: `"0s"`, Duration(90 * time.Second): `"1m30s"`} {
		if b, err := json.Marshal(d); err != nil || string(b) != want {
			t.Errorf("marshal %v = %s, %v", time.Duration(d), b, err)
		}
	}
}

func TestRecoveryString(t *testing.T) {
	t.Parallel()
	var nilRec *Recovery
	if nilRec.String() != "" {
		t.Error("nil recovery has text")
	}
	r := &Recovery{CorruptCopy: "/x/index.json.corrupt-1", Cause: errors.New("bad json")}
	if s := r.String(); !strings.Contains(s, "/x/index.json.corrupt-1") || !strings.Contains(s, "bad json") {
		t.Errorf("String = %q", s)
	}
}

func TestLockExcludesOtherHandles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, lockFileName)
	a, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if ok, err := tryLock(a); !ok || err != nil {
		t.Fatalf("first lock: %v %v", ok, err)
	}
	if ok, err := tryLock(b); ok || err != nil {
		t.Fatalf("second handle got the lock: %v %v", ok, err)
	}
	unlock(a)
	if ok, err := tryLock(b); !ok || err != nil {
		t.Fatalf("lock after release: %v %v", ok, err)
	}
	unlock(b)
}
