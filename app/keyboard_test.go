package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestEnterPressesTheFocusedButton(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.mw.win.Canvas().Focus(h.mw.addBtn)
	h.key(fyne.KeyReturn)
	if h.mw.addServerDlg == nil || h.mw.topModal() == nil {
		t.Fatal("Enter on the focused “Add server” opened nothing")
	}
	// In a dialog, Enter on the focused Cancel cancels (it does not submit).
	cancel := h.top().buttons[0]
	h.mw.win.Canvas().Focus(cancel)
	h.key(fyne.KeyEnter)
	h.expectNoDialog()
}

func TestFocusShowsOnEveryButton(t *testing.T) {
	h := newHarness(t, newFakeCore())
	for _, b := range []*pushButton{h.mw.addBtn, h.mw.addKey} { // blue, grey
		r := test.WidgetRenderer(b).(*pushButtonRenderer)
		if _, _, _, a := r.ring.StrokeColor.RGBA(); a != 0 {
			t.Fatalf("%q shows a focus ring without the focus", b.Text)
		}
		h.mw.win.Canvas().Focus(b)
		if _, _, _, a := r.ring.StrokeColor.RGBA(); a == 0 || r.ring.StrokeWidth < 1 {
			t.Errorf("%q shows no focus ring when focused", b.Text)
		}
		h.mw.win.Canvas().Unfocus()
		if _, _, _, a := r.ring.StrokeColor.RGBA(); a != 0 {
			t.Errorf("%q keeps its focus ring after losing the focus", b.Text)
		}
	}
}

func TestEscapeInTheSearchFieldClearsIt(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.typeInto(h.mw.search, "lab")
	if len(h.mw.visibleNames()) != 1 {
		t.Fatalf("search shows %v", h.mw.visibleNames())
	}
	h.key(fyne.KeyEscape) // the field has the focus
	if h.mw.search.Text != "" || len(h.mw.visibleNames()) != 2 {
		t.Errorf("Escape left the search %q", h.mw.search.Text)
	}
	if h.mw.win.Canvas().Focused() != nil {
		t.Error("the search field kept the focus")
	}
}

func TestArrowKeysMoveThroughTheListAndEnterCopies(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.mw.win.Canvas().Unfocus()
	h.key(fyne.KeyDown)
	if h.mw.selected != "alice@chat.example.com" {
		t.Fatalf("Down selected %q", h.mw.selected)
	}
	if !h.row("alice@chat.example.com").frame.selected {
		t.Error("the selected row is not tinted")
	}
	h.key(fyne.KeyDown)
	h.key(fyne.KeyDown) // stays on the last key
	if h.mw.selected != "bob@lab.example.org" {
		t.Fatalf("Down, Down selected %q", h.mw.selected)
	}
	h.key(fyne.KeyUp)
	if h.mw.selected != "alice@chat.example.com" {
		t.Fatalf("Up selected %q", h.mw.selected)
	}
	h.key(fyne.KeyReturn)
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"alice@chat.example.com", keyAlice}) {
		t.Errorf("Enter copied %v", h.copier.got)
	}

	// From the search field, Down goes into the (filtered) list.
	h.typeInto(h.mw.search, "lab")
	h.key(fyne.KeyDown)
	if h.mw.selected != "bob@lab.example.org" || h.mw.win.Canvas().Focused() != nil {
		t.Errorf("Down in the search selected %q, focus on %v", h.mw.selected, h.mw.win.Canvas().Focused())
	}
	h.key(fyne.KeyEnter)
	if len(h.copier.got) != 2 || h.copier.got[1].label != "bob@lab.example.org" {
		t.Errorf("Enter copied %v", h.copier.got)
	}
}

func TestClickingARowTakesTheFocusFromTheSearch(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.typeInto(h.mw.search, "example")
	h.tap(h.row("bob@lab.example.org").frame)
	if f := h.mw.win.Canvas().Focused(); f != nil {
		t.Errorf("after a click on a row the focus is on %T", f)
	}
	if h.mw.selected != "bob@lab.example.org" {
		t.Errorf("selected %q", h.mw.selected)
	}
}
