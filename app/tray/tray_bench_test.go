package tray

import (
	"fmt"
	"testing"

	"github.com/keytray/keytray/keys/vault"
)

// BenchmarkTrayRebuild is what a change to the index costs the tray: the
// grouped model, the comparison with the menu on display, and the Fyne menu
// handed to the desktop. Two listings alternate (one key renamed) so that
// every iteration really rebuilds.
func BenchmarkTrayRebuild(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			var listings [2][]vault.Entry
			var insts []vault.Instance
			for i, name := range randomNames(n) {
				u := fmt.Sprintf("https://server%02d.example.com", i%50)
				listings[0] = append(listings[0], vault.Entry{Name: name, Instance: u})
				if i < 50 {
					insts = append(insts, vault.Instance{URL: u, Name: fmt.Sprintf("Server %02d", i)})
				}
			}
			listings[1] = append([]vault.Entry(nil), listings[0]...)
			listings[1][0].Name += "-renamed"
			desk := &fakeDesktop{}
			tr := newTray(desk, Config{}, func(f func()) { f() })
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tr.apply(tr.model(listings[i%2], insts, nil))
				i++
			}
			if len(desk.menus) != i {
				b.Fatalf("%d menus set for %d rebuilds", len(desk.menus), i)
			}
		})
	}
}
