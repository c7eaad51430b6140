package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/vault"
)

// benchSizes are the key counts the window benchmarks compare.
var benchSizes = []int{1, 1000}

// benchCore is a fake with n keys across up to 50 servers.
func benchCore(n int) *fakeCore {
	f := newFakeCore()
	f.entries, f.instances, f.secrets = nil, nil, map[string]string{}
	for i := range n {
		url := fmt.Sprintf("https://server%02d.example.com", i%50)
		if i < 50 {
			f.instances = append(f.instances, vault.Instance{URL: url, Name: fmt.Sprintf("Open WebUI %02d", i), Version: "0.6.41"})
		}
		name := fmt.Sprintf("user%04d@server%02d.example.com", i, i%50)
		key := fmt.Sprintf("sk-%032x", i)
		f.entries = append(f.entries, vault.Entry{Name: name, Instance: url, Email: fmt.Sprintf("user%04d@example.com", i),
			Role: "user", Fingerprint: credential.Fingerprint(key)})
		f.secrets[name] = key
	}
	return f
}

// openBenchWindow shows a main window over core and waits until the list and
// its masks are loaded.
func openBenchWindow(a fyne.App, core *fakeCore) *harness {
	h := &harness{app: a, core: core}
	h.mw = newMainWindow(windowDeps{app: a, svc: core, copier: &fakeCopier{}, applySettings: func(vault.Settings) {}})
	h.mw.win.Resize(fyne.NewSize(900, 640))
	h.mw.show()
	h.mw.refresh()
	h.wait()
	return h
}

// BenchmarkWindowFirstPaint: from creating the window to the first painted
// frame of the list (index listed, masks read, rows built, canvas rendered).
func BenchmarkWindowFirstPaint(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			a := test.NewTempApp(b)
			core := benchCore(n)
			b.ReportAllocs()
			for b.Loop() {
				h := openBenchWindow(a, core)
				if len(h.rows()) == 0 || len(h.mw.lines) < n {
					b.Fatalf("%d rows in view, %d lines for %d keys", len(h.rows()), len(h.mw.lines), n)
				}
				h.mw.win.Canvas().Capture()
				h.mw.win.Close()
			}
		})
	}
}

// BenchmarkWindowSearch: typing changes the filter; the list is rebuilt and
// painted. Two queries alternate so that every iteration changes the list.
func BenchmarkWindowSearch(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			a := test.NewTempApp(b)
			h := openBenchWindow(a, benchCore(n))
			defer h.mw.win.Close()
			queries := []string{"server00", "user0000"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				h.mw.search.SetText(queries[i%2])
				h.wait()
				if len(h.rows()) == 0 {
					b.Fatalf("no rows match %q", queries[i%2])
				}
				h.mw.win.Canvas().Capture()
				i++
			}
		})
	}
}
