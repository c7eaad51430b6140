package vault

import (
	"fmt"
	"testing"
	"time"
)

// benchVault has 1,000 entries across 50 servers.
func benchVault(b *testing.B) *Vault {
	b.Helper()
	v, _ := newTestVault(b)
	items := make([]Item, 1000)
	for i := range items {
		items[i] = Item{
			Instance: Instance{URL: fmt.Sprintf("https://server%02d.example.com", i%50), Name: "Open WebUI", Version: "0.6.41", LastSeen: time.Now()},
			Entry:    Entry{Name: fmt.Sprintf("user%04d@server%02d.example.com", i, i%50), Email: fmt.Sprintf("user%04d@example.com", i), Role: "user", Source: "login"},
			Key:      testKey(i),
		}
	}
	if _, err := v.PutAll(items, false); err != nil {
		b.Fatal(err)
	}
	return v
}

func BenchmarkLoad1000(b *testing.B) {
	v := benchVault(b)
	for b.Loop() {
		idx, _, err := v.Load()
		if err != nil || len(idx.Entries) != 1000 {
			b.Fatal(len(idx.Entries), err)
		}
	}
}

func BenchmarkPut(b *testing.B) {
	v := benchVault(b)
	i := 0
	for b.Loop() {
		i++
		if err := v.Put(Instance{URL: "https://server07.example.com"}, Entry{Name: fmt.Sprintf("bench%d", i)}, testKey(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSave1000: encoding 1,000 entries and writing the index and its
// last-good copy atomically (temp file, fsync, rename, folder fsync).
func BenchmarkSave1000(b *testing.B) {
	v := benchVault(b)
	idx, _, err := v.Load()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := v.save(idx); err != nil {
			b.Fatal(err)
		}
	}
}
