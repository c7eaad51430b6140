package tray

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/keytray/keytray/keys/vault"
)

func entries(instance string, names ...string) []vault.Entry {
	out := make([]vault.Entry, len(names))
	for i, n := range names {
		out[i] = vault.Entry{Name: n, Instance: instance}
	}
	return out
}

func labels(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Label
	}
	return out
}

// keysIn lists every key in the model, depth first.
func keysIn(items []Item) []string {
	var out []string
	for _, it := range items {
		if it.Key != "" {
			out = append(out, it.Key)
		}
		out = append(out, keysIn(it.Children)...)
	}
	return out
}

func TestOneServerListsKeysSorted(t *testing.T) {
	m := BuildMenu(entries("https://chat.example.com", "zed", "Alice", "bob"), nil)
	if got := strings.Join(labels(m), ","); got != "Alice,bob,zed" {
		t.Fatalf("labels %s", got)
	}
	for _, it := range m {
		if it.Key != it.Label || it.Children != nil {
			t.Errorf("%+v is not a key item", it)
		}
	}
	if BuildMenu(nil, nil) != nil {
		t.Error("no entries should give no items")
	}
}

func TestSeveralServersGetSubmenus(t *testing.T) {
	es := append(entries("https://b.example.com", "bob"), entries("https://a.example.com:8443", "alice", "al")...)
	es = append(es, entries("https://c.example.com", "carol")...)
	insts := []vault.Instance{{URL: "https://b.example.com", Name: "Team Chat"}, {URL: "https://c.example.com", Name: " "}}
	m := BuildMenu(es, insts)
	if got := strings.Join(labels(m), ","); got != "a.example.com:8443,c.example.com,Team Chat" {
		t.Fatalf("server labels %s", got)
	}
	if got := strings.Join(labels(m[0].Children), ","); got != "al,alice" {
		t.Errorf("keys of the first server: %s", got)
	}
	for _, it := range m {
		if it.Key != "" || len(it.Children) == 0 {
			t.Errorf("%q is not a server submenu", it.Label)
		}
	}
}

func TestServersWithTheSameNameAreToldApart(t *testing.T) {
	es := append(entries("https://one.example.com", "a"), entries("https://two.example.com/owui", "b")...)
	insts := []vault.Instance{{URL: "https://one.example.com", Name: "Open WebUI"}, {URL: "https://two.example.com/owui", Name: "Open WebUI"}}
	if got := strings.Join(labels(BuildMenu(es, insts)), ","); got != "one.example.com,two.example.com/owui" {
		t.Fatalf("labels %s", got)
	}
}

func TestManyKeysAreGroupedAlphabetically(t *testing.T) {
	var names []string
	for _, first := range "abcdefghijklmnopqrstuvwxyz" {
		names = append(names, fmt.Sprintf("%c-key", first), fmt.Sprintf("%c-other", first))
	}
	m := BuildMenu(entries("https://x.example.com", names...), nil)
	if got := strings.Join(labels(m), ","); got != "A–I,J–R,S–Z" {
		t.Fatalf("group labels %s", got)
	}
	checkAllOnce(t, m, names, maxFlat)
}

func TestBigLetterIsCutWithLongerPrefixes(t *testing.T) {
	var names []string
	for i := 0; i < 60; i++ {
		names = append(names, fmt.Sprintf("svc%02d", i))
	}
	names = append(names, "zeta")
	m := BuildMenu(entries("https://x.example.com", names...), nil)
	if got := strings.Join(labels(m), ","); got != "S–SVC20,SVC21–SVC41,SVC42–Z" {
		t.Fatalf("group labels %s", got)
	}
	checkAllOnce(t, m, names, maxFlat)
}

func TestThousandKeysStayShort(t *testing.T) {
	names := randomNames(1000)
	m := BuildMenu(entries("https://x.example.com", names...), nil)
	if len(m) > 45 {
		t.Errorf("%d groups for 1000 keys", len(m))
	}
	checkAllOnce(t, m, names, 32)
}

// checkAllOnce: every key appears exactly once, no level is longer than limit.
func checkAllOnce(t *testing.T, m []Item, names []string, limit int) {
	t.Helper()
	got := map[string]int{}
	for _, k := range keysIn(m) {
		got[k]++
	}
	for _, n := range names {
		if got[n] != 1 {
			t.Errorf("key %q appears %d times", n, got[n])
		}
	}
	if len(got) != len(names) {
		t.Errorf("%d distinct keys in the menu, want %d", len(got), len(names))
	}
	var walk func([]Item)
	walk = func(items []Item) {
		if len(items) > limit {
			t.Errorf("a menu level has %d items", len(items))
		}
		for _, it := range items {
			walk(it.Children)
		}
	}
	walk(m)
}

func TestRangeLabel(t *testing.T) {
	for _, c := range []struct{ first, last, prev, next, want string }{
		{"alice", "frank", "", "george", "A–F"},
		{"alice", "anna", "", "bob", "A"},
		{"svc25", "svc49", "svc24", "svc50", "SVC25–SVC4"},
		{"élise", "zoë", "dan", "", "É–Z"},
	} {
		if got := rangeLabel(c.first, c.last, c.prev, c.next); got != c.want {
			t.Errorf("rangeLabel(%q…%q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}

func randomNames(n int) []string {
	r := rand.New(rand.NewSource(1))
	seen := map[string]bool{}
	var names []string
	for len(names) < n {
		b := make([]byte, 4+r.Intn(8))
		for i := range b {
			b[i] = byte('a' + r.Intn(26))
		}
		if s := string(b); !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	return names
}

// BenchmarkBuildMenu1000: 1,000 keys in 50 servers.
func BenchmarkBuildMenu1000(b *testing.B) {
	names := randomNames(1000)
	var es []vault.Entry
	var insts []vault.Instance
	for i, n := range names {
		u := fmt.Sprintf("https://server%02d.example.com", i%50)
		es = append(es, vault.Entry{Name: n, Instance: u})
		if i < 50 {
			insts = append(insts, vault.Instance{URL: u, Name: fmt.Sprintf("Server %02d", i)})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if m := BuildMenu(es, insts); len(m) != 50 {
			b.Fatalf("%d servers", len(m))
		}
	}
}
