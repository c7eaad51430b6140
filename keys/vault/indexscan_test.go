package vault

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// slowParse is what parseIndex does without the fast path.
func slowParse(data []byte) (*Index, error) {
	idx := &Index{Settings: DefaultSettings()}
	return idx, json.Unmarshal(data, idx)
}

// fastParse runs the fast path alone.
func fastParse(data []byte) (*Index, error) {
	idx := &Index{Settings: DefaultSettings()}
	return idx, scanIndex(data, idx)
}

// sameIndex reports how a and b differ, ignoring slice capacity.
func sameIndex(t *testing.T, fast, slow *Index) {
	t.Helper()
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("fast path and encoding/json disagree:\nfast %+v\nslow %+v", fast, slow)
	}
}

// scanSample is an index with every field set, as Keytray writes it.
func scanSample(t testing.TB) []byte {
	t.Helper()
	at := time.Date(2026, 11, 27, 14, 0, 38, 668248573, time.UTC)
	zone := time.FixedZone("", 3600)
	idx := &Index{
		Settings: Settings{ClipboardClear: Duration(45 * time.Second), ClipboardWatch: false, StartAtLogin: true, StartHidden: true, Theme: "dark"},
		Instances: []Instance{
			{URL: "https://a.example.com", Name: "Team Ω", Version: "0.6.41", CAFile: "/etc/ca.pem", AllowHTTP: true, LastSeen: at},
			{URL: "http://127.0.0.1:8080"},
		},
		Entries: []Entry{
			{Name: "work", Instance: "https://a.example.com", Email: "ada@example.com", UserID: "u-1", Role: "admin",
				Created: at, LastChecked: at.In(zone), LastStatus: "valid", LastDetail: "the key works", Fingerprint: "sha256:680f1ee49bec", Hint: "e8fe", Source: "login"},
			{Name: "ключ 2", Instance: "http://127.0.0.1:8080", Created: at, Fingerprint: "sha256:000000000000"},
		},
	}
	data, err := marshalIndex(idx)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestScanIndexTakesWhatKeytrayWrites(t *testing.T) {
	t.Parallel()
	data := scanSample(t)
	fast, err := fastParse(data)
	if err != nil {
		t.Fatalf("the fast path refused an index Keytray wrote (%v):\n%s", err, data)
	}
	slow, err := slowParse(data)
	if err != nil {
		t.Fatal(err)
	}
	sameIndex(t, fast, slow)
	// Written sorted: the loopback server and the Cyrillic name come first.
	if fast.Entries[1].LastChecked.IsZero() || !fast.Instances[1].AllowHTTP || fast.Settings.Theme != "dark" {
		t.Errorf("fields lost: %+v", fast)
	}

	empty, err := marshalIndex(emptyIndex())
	if err != nil {
		t.Fatal(err)
	}
	fast, err = fastParse(empty)
	if err != nil {
		t.Fatalf("the fast path refused an empty index: %v\n%s", err, empty)
	}
	slow, _ = slowParse(empty)
	sameIndex(t, fast, slow)
}

// Hand-edited files read as encoding/json reads them, through parseIndex,
// whether the fast path takes them (fast) or leaves them to encoding/json.
func TestScanIndexLeavesTheRestToEncodingJSON(t *testing.T) {
	t.Parallel()
	base := string(scanSample(t))
	edits := []struct {
		name, old, new string
		fast           bool
	}{
		{"pretty printed", `{"name":"work",`, "{\n    \"name\" : \"work\" ,\n", true},
		{"duration as number", `"clipboard_clear":"45s"`, `"clipboard_clear":90`, true},
		{"settings with unknown key", `"theme":"dark"`, `"theme":"dark","extra":1`, true},
		{"escaped string", `"name":"work"`, `"name":"w\u006frk"`, false},
		{"escaped html", `"name":"work"`, `"name":"a\u003cb"`, false},
		{"key in other case", `"name":"work"`, `"Name":"work"`, false},
		{"unknown key", `"role":"admin"`, `"role":"admin","colour":{"a":[1,2]}`, false},
		{"null string", `"role":"admin"`, `"role":null`, false},
		{"null time", `"created":"2026-11-27T14:00:38.668248573Z","last_checked"`, `"created":null,"last_checked"`, false},
		{"version as float", `"version":1`, `"version":1.0`, false},
		{"duplicate list", `"entries": [`, `"entries": [], "entries": [`, false},
		{"settings with unknown nested value", `"theme":"dark"`, `"theme":"dark","extra":{"x":1}`, false},
	}
	for _, c := range edits {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(base, c.old) {
				t.Fatalf("sample lacks %q", c.old)
			}
			data := []byte(strings.Replace(base, c.old, c.new, 1))
			if _, err := fastParse(data); (err == nil) != c.fast || (err != nil && !errors.Is(err, errSlowPath)) {
				t.Errorf("fast path answered %v, want fast=%v, for %s", err, c.fast, data)
			}
			got, gerr := parseIndex(data)
			want, werr := slowParse(data)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("parseIndex: %v; encoding/json: %v", gerr, werr)
			}
			if gerr == nil {
				sameIndex(t, got, want)
			}
		})
	}
}

// Broken files fail the fast path and keep encoding/json's wording.
func TestScanIndexBrokenFiles(t *testing.T) {
	t.Parallel()
	base := string(scanSample(t))
	for name, data := range map[string]string{
		"truncated":      base[:len(base)/2],
		"trailing":       base + "x",
		"invalid utf-8":  strings.Replace(base, "Ω", "\xff", 1),
		"control char":   strings.Replace(base, "Team", "Te\x01am", 1),
		"bad time":       strings.Replace(base, "2026-11-27T14", "2026-13-27T14", 1),
		"true misspelt":  strings.Replace(base, "true", "truex", 1),
		"missing comma":  strings.Replace(base, `"role":"admin",`, `"role":"admin"`, 1),
		"settings array": strings.Replace(base, `"settings":{`, `"settings":[{`, 1),
	} {
		if _, err := fastParse([]byte(data)); !errors.Is(err, errSlowPath) {
			t.Errorf("%s: fast path answered %v", name, err)
		}
		_, gerr := parseIndex([]byte(data))
		_, werr := slowParse([]byte(data))
		if (gerr == nil) != (werr == nil) || (werr != nil && !strings.Contains(gerr.Error(), werr.Error())) {
			t.Errorf("%s: parseIndex %v; encoding/json %v", name, gerr, werr)
		}
	}
}

// FuzzScanIndex: whenever the fast path answers, encoding/json reads the
// same bytes without error and to the same index.
func FuzzScanIndex(f *testing.F) {
	f.Add(scanSample(f))
	empty, _ := marshalIndex(emptyIndex())
	f.Add(empty)
	f.Add([]byte(`{"format":"keytray-index","version":1,"entries":[{"name":"a","instance":"b","last_checked":"2026-01-02T03:04:05+01:00"}]}`))
	f.Add([]byte(`{"version":007}`))
	f.Add([]byte(`{"settings":{"theme":"x","clipboard_clear":-1}} `))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := fastParse(data)
		if err != nil {
			if !errors.Is(err, errSlowPath) {
				t.Fatalf("fast path error other than errSlowPath: %v", err)
			}
			return
		}
		slow, err := slowParse(data)
		if err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, data)
		}
		sameIndex(t, fast, slow)
	})
}
