package app

import "testing"

// A long list holds rows only for the lines in view, reuses them as it
// scrolls, and every key can be reached by scrolling or by search.
func TestLongListBindsOnlyTheLinesInView(t *testing.T) {
	n := 1000
	h := newHarness(t, benchCore(n))
	if got, want := len(h.mw.lines), n+50; got != want {
		t.Fatalf("%d lines, want %d (1,000 keys and 50 server headers)", got, want)
	}
	inView := len(h.rows())
	if inView == 0 || inView > 40 {
		t.Fatalf("%d rows bound for 1,000 keys: want a screenful", inView)
	}

	// Scrolling to the last line binds its key; the first key is out of view.
	last := h.mw.entries[h.mw.lines[len(h.mw.lines)-1].entry].Name
	first := h.mw.entries[h.mw.lines[1].entry].Name
	h.mw.list.ScrollToBottom()
	h.wait()
	if h.rows()[last] == nil {
		t.Fatalf("scrolled to the bottom, %q has no row", last)
	}
	if h.rows()[first] != nil {
		t.Error("the first key still has a row at the bottom of the list")
	}
	if n := len(h.rows()); n == 0 || n > 40 {
		t.Errorf("%d rows in view after scrolling, want a screenful", n)
	}

	// A row shows what the window holds for its key wherever it is bound:
	// a check running on a key out of view shows when it comes into view.
	h.mw.setBusy("Checking…", first)
	h.mw.list.ScrollToTop()
	h.wait()
	if r := h.row(first); r.status.Text != "Checking…" || !r.copyBtn.Disabled() {
		t.Errorf("first key in view again: status %q, copy disabled %v", r.status.Text, r.copyBtn.Disabled())
	}
	h.mw.setBusy("", first)
	if r := h.row(first); r.copyBtn.Disabled() {
		t.Error("the row stays busy after the check")
	}

	h.typeInto(h.mw.search, last)
	if len(h.mw.lines) != 2 || h.rows()[last] == nil {
		t.Fatalf("searching %q: %d lines, rows %v", last, len(h.mw.lines), h.mw.visibleNames())
	}
	for name := range h.rows() {
		if name != last {
			t.Errorf("%q keeps a row while the search shows only %q", name, last)
		}
	}
}

// The selection and a revealed key belong to the key, not to the row that
// happens to show it.
func TestRowStateFollowsTheKey(t *testing.T) {
	h := newHarness(t, benchCore(200))
	first := h.mw.entries[h.mw.lines[1].entry].Name
	h.tap(h.row(first).frame)
	if h.mw.selected != first || !h.row(first).frame.selected {
		t.Fatal("tapping the row did not select it")
	}
	h.mw.list.ScrollToBottom()
	h.wait()
	for name, r := range h.rows() {
		if r.frame.selected {
			t.Errorf("%q shows as selected after scrolling; %q is", name, first)
		}
	}
	h.mw.list.ScrollToTop()
	h.wait()
	if !h.row(first).frame.selected {
		t.Error("the selected key lost its tint after scrolling back")
	}
}
