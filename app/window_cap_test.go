package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A long list builds listCap rows and says so; search reaches every key,
// and "Show all" builds the rest.
func TestLongListIsCutAndSearchFindsTheRest(t *testing.T) {
	n := listCap + 10
	h := newHarness(t, benchCore(n))
	if len(h.mw.rows) != listCap {
		t.Fatalf("%d rows built, want %d", len(h.mw.rows), listCap)
	}
	last := ""
	for _, e := range h.mw.entries {
		if h.mw.rows[e.Name] == nil {
			last = e.Name
		}
	}
	if last == "" {
		t.Fatal("every entry has a row before Show all")
	}
	more := findButton(h, "Show all")
	if more == nil {
		t.Fatal("no Show all button under a cut list")
	}

	h.typeInto(h.mw.search, last)
	if len(h.mw.rows) != 1 || h.mw.rows[last] == nil {
		t.Fatalf("searching %q: rows %v", last, h.mw.visibleNames())
	}
	h.mw.search.SetText("")
	h.wait()

	h.tap(findButton(h, "Show all"))
	if len(h.mw.rows) != n || findButton(h, "Show all") != nil {
		t.Fatalf("after Show all: %d rows, want %d, and no Show all button", len(h.mw.rows), n)
	}
}

// findButton is the list's button labelled text, or nil.
func findButton(h *harness, text string) *widget.Button {
	var found *widget.Button
	for _, o := range test.LaidOutObjects(h.mw.listBox) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	}
	return found
}
