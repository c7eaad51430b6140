package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/app/clip"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
)

// Window sizes every screen must fit: the smallest the window allows, and
// the default.
var layoutSizes = []fyne.Size{minWindowSize, fyne.NewSize(760, 560)}

// dialogOpeners open each of the window's dialogs in a state that is
// hard to fit: many keys, long errors, every sign-in method.
var dialogOpeners = []struct {
	name string
	open func(h *harness)
}{
	{"add server", func(h *harness) { h.mw.showAddServer("chat.example.com") }},
	{"add server: sign in, wrong password", func(h *harness) {
		h.core.probeInfo = probeOf(urlChat)
		h.core.loginErrs = []error{&openwebui.Error{Kind: openwebui.ErrWrongCredentials}}
		h.mw.showAddServer("chat.example.com")
		h.key(fyne.KeyReturn)
		d := h.mw.addServerDlg
		d.creds.email.SetText("carol@example.com")
		d.creds.password.SetText("wrong")
		h.key(fyne.KeyReturn)
		if d.errs.text() == "" {
			h.t.Fatal("no error shown for a wrong password")
		}
	}},
	{"add server: two-step", func(h *harness) {
		h.core.codeCheck = func(keys.SecondFactor) error {
			return &openwebui.Error{Kind: openwebui.ErrCodeInvalid, URL: urlChat, Status: 401}
		}
		h.core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Example Chat", Version: "0.12.4", Auth: true, PasswordAuth: true}
		h.mw.showAddServer("chat.example.com")
		h.key(fyne.KeyReturn)
		h.mw.addServerDlg.creds.email.SetText("carol@example.com")
		h.mw.addServerDlg.creds.password.SetText("not-a-real-password")
		h.key(fyne.KeyReturn)
	}},
	{"add key", func(h *harness) { h.mw.showAddKey(urlLab, fakeJWT("u-bob", time.Now().Add(time.Hour))) }},
	{"session token", func(h *harness) { h.mw.useSessionToken(fakeJWT("u-new", time.Now().Add(20*24*time.Hour))) }},
	{"rotate", func(h *harness) { h.mw.rotate(h.core.entries[0]) }},
	{"rotate: sign in", func(h *harness) {
		h.core.rotateErrs = []error{keys.ErrNeedsSignIn, &openwebui.Error{Kind: openwebui.ErrWrongCredentials}}
		h.mw.rotate(h.core.entries[0])
		h.press("Rotate")
		h.mw.keyOpDlg.creds.password.SetText("bad")
		h.key(fyne.KeyReturn)
	}},
	{"rename", func(h *harness) { h.mw.renameDlg = newRenameDialog(h.mw, h.core.entries[0].Name) }},
	{"export", func(h *harness) {
		h.mw.showExport()
		h.mw.exportDlg.pass.SetText("short")
		h.key(fyne.KeyReturn)
	}},
	{"import", func(h *harness) { h.mw.showImport() }},
	{"settings", func(h *harness) { h.mw.showSettings() }},
	{"about", func(h *harness) { h.mw.showAbout() }},
	{"remove", func(h *harness) {
		h.tap(h.mw.confirm("Remove?", strings.Repeat("A long sentence that wraps. ", 30), "Remove", func() {}).buttons[0])
	}},
}

// TestDialogsFitTheWindow opens every dialog at the smallest and the default
// window size, with 30 keys stored: no part of a dialog lies outside it or
// outside the window, its buttons cover nothing, and its content has room.
func TestDialogsFitTheWindow(t *testing.T) {
	for _, size := range layoutSizes {
		for _, dlg := range dialogOpeners {
			t.Run(fmt.Sprintf("%s at %vx%v", dlg.name, size.Width, size.Height), func(t *testing.T) {
				core := benchCore(30)
				core.entries = append(newFakeCore().entries, core.entries...)
				for k, v := range newFakeCore().secrets {
					core.secrets[k] = v
				}
				core.instances = append(newFakeCore().instances, core.instances...)
				h := newHarness(t, core)
				h.mw.win.Resize(size)
				h.wait()
				if dlg.name == "remove" {
					// The message of a confirmation is long here; its own
					// opener closed it with Cancel: open one to measure.
					h.mw.confirm("Remove?", strings.Repeat("A long sentence that wraps. ", 30), "Remove", func() {})
				} else {
					dlg.open(h)
				}
				h.wait()
				checkDialogFits(t, h)

				// And after the window changes size with the dialog open.
				other := layoutSizes[0]
				if size == other {
					other = layoutSizes[1]
				}
				h.mw.win.Resize(other)
				h.wait()
				checkDialogFits(t, h)
			})
		}
	}
}

// checkDialogFits checks the open dialog at the window's current size.
func checkDialogFits(t *testing.T, h *harness) {
	t.Helper()
	m := h.top()
	c := h.mw.win.Canvas()
	win := c.Size()
	pop, ok := c.Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("the top overlay is %T, not the dialog", c.Overlays().Top())
	}
	box := pop.Content
	dPos, dSize := fyne.CurrentApp().Driver().AbsolutePositionForObject(box), box.Size()
	if dPos.X < 0 || dPos.Y < 0 || dPos.X+dSize.Width > win.Width+0.5 || dPos.Y+dSize.Height > win.Height+0.5 {
		t.Fatalf("%q is %v at %v, outside the %v window", m.title, dSize, dPos, win)
	}
	abs := func(o fyne.CanvasObject) (fyne.Position, fyne.Size) {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o), o.Size()
	}
	inside := func(o fyne.CanvasObject) bool {
		p, s := abs(o)
		return p.X >= dPos.X-0.5 && p.Y >= dPos.Y-0.5 && p.X+s.Width <= dPos.X+dSize.Width+0.5 && p.Y+s.Height <= dPos.Y+dSize.Height+0.5
	}
	// Objects inside a scroller may lie outside it: they are clipped and
	// reached by scrolling. The scrollers themselves must fit.
	var walk func(o fyne.CanvasObject, path string)
	walk = func(o fyne.CanvasObject, path string) {
		if o == nil || !o.Visible() || o.Size().Width == 0 || o.Size().Height == 0 {
			return
		}
		if _, ok := o.(*layout.Spacer); ok {
			return // the icon's place, empty
		}
		if !inside(o) {
			p, s := abs(o)
			t.Errorf("%q: %s (%T, %v at %v) lies outside the dialog (%v at %v)", m.title, path, o, s, p, dSize, dPos)
			return
		}
		if _, ok := o.(*container.Scroll); ok {
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for i, child := range v.Objects {
				walk(child, fmt.Sprintf("%s/%d", path, i))
			}
		case fyne.Widget:
			if _, ok := v.(*widget.Entry); ok {
				return // an entry's inner scroller is its own business
			}
			for i, child := range test.WidgetRenderer(v).Objects() {
				walk(child, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	walk(box, "dialog")

	// Nothing in the content is wider than the dialog (it scrolls only up
	// and down).
	if cw, sw := m.scroll.Content.MinSize().Width, m.scroll.Size().Width; cw > sw+0.5 {
		t.Errorf("%q: its content needs %v px, the dialog gives it %v", m.title, cw, sw)
	}

	// The buttons overlap neither the content nor the footer, which has
	// room enough to be read.
	sp, ss := abs(m.scroll)
	if ss.Height < 40 {
		t.Errorf("%q: its content has %v px of height to scroll in", m.title, ss.Height)
	}
	fp, fs := abs(m.footer)
	for _, b := range m.buttons {
		if !b.Visible() {
			continue
		}
		bp, bs := abs(b)
		if !inside(b) {
			t.Errorf("%q: button %q lies outside the dialog", m.title, b.Text)
		}
		for _, r := range []struct {
			name string
			p    fyne.Position
			s    fyne.Size
		}{{"content", sp, ss}, {"progress and error lines", fp, fs}} {
			if r.s.Height > 0 && bp.Y < r.p.Y+r.s.Height-0.5 && r.p.Y < bp.Y+bs.Height-0.5 {
				t.Errorf("%q: button %q (y %v–%v) overlaps the %s (y %v–%v)", m.title, b.Text, bp.Y, bp.Y+bs.Height, r.name, r.p.Y, r.p.Y+r.s.Height)
			}
		}
	}
}

// The window does not shrink below the smallest size its screens fit in; the
// toolbar and a row fit there, long names cut short before the buttons.
func TestMainWindowFitsTheSmallestSize(t *testing.T) {
	core := newFakeCore()
	core.entries[0].Name = strings.Repeat("a-very-long-key-name-", 6) + "@chat.example.com"
	core.secrets[core.entries[0].Name] = keyAlice
	h := newHarness(t, core)
	if got := h.mw.win.Content().MinSize(); got.Width < minWindowSize.Width || got.Height < minWindowSize.Height {
		t.Errorf("window minimum %v, want at least %v", got, minWindowSize)
	}
	h.mw.win.Resize(minWindowSize)
	h.wait()
	if got := h.mw.win.Canvas().Size(); got.Width > minWindowSize.Width+1 {
		t.Fatalf("at the smallest size the window is %v wide: something in it needs more", got.Width)
	}
	h.typeInto(h.mw.search, strings.Repeat("a long search query ", 8))
	h.mw.search.SetText("")
	if w := h.mw.search.MinSize().Width; w > 200 {
		t.Errorf("the search field asks for %v px", w)
	}
	// Rows are laid out within the list (not reachable by absolute position
	// in the test driver): check them in their own coordinates.
	r := h.row(core.entries[0].Name)
	if w, lw := r.frame.Size().Width, h.mw.list.Size().Width; w > lw+0.5 {
		t.Errorf("the row is %v wide in a %v list", w, lw)
	}
	if end, lines := r.name.Position().X+r.name.Size().Width, r.keyLine.Size().Width; end > lines+0.5 {
		t.Errorf("the long name ends at %v, beyond its column (%v wide, then the buttons)", end, lines)
	}
	if r.name.Size().Width < 100 {
		t.Errorf("the name has only %v px", r.name.Size().Width)
	}
	if r.copyBtn.Text != "" {
		t.Errorf("in the narrow window the row's buttons keep their words (%q)", r.copyBtn.Text)
	}
	h.mw.win.Resize(fyne.NewSize(900, 640))
	h.wait()
	if r := h.row(core.entries[0].Name); r.copyBtn.Text != "Copy" || r.revealBtn.Text != "Reveal" {
		t.Errorf("in a wide window the buttons read %q, %q", r.copyBtn.Text, r.revealBtn.Text)
	}
}

// A banner's wrapped text takes the height it needs at the window's width:
// after the window narrows (or widens), the text ends above the banner's
// buttons and the banner above the toolbar.
func TestBannerFitsItsTextAfterTheWindowChangesWidth(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.mw.win.Resize(fyne.NewSize(860, 600))
	h.wait()
	banner := clip.HiddenBanner()
	h.mw.setBanner(banner)
	h.wait()
	abs := func(o fyne.CanvasObject) (top, bottom float32) {
		p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		return p.Y, p.Y + o.Size().Height
	}
	var body *widget.Label
	var dismiss *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Label:
			if v.Wrapping == fyne.TextWrapWord {
				body = v
			}
		case *widget.Button:
			if v.Text == "Dismiss" {
				dismiss = v
			}
		}
	}
	walk(banner)
	if body == nil || dismiss == nil {
		t.Fatal("the banner has no wrapped text or no Dismiss button")
	}
	for _, size := range []fyne.Size{minWindowSize, fyne.NewSize(700, 500), fyne.NewSize(1100, 700), minWindowSize} {
		h.mw.win.Resize(size)
		h.wait()
		_, textEnd := abs(body)
		buttonTop, _ := abs(dismiss)
		_, bannerEnd := abs(banner)
		searchTop, _ := abs(h.mw.search)
		if need, got := body.MinSize().Height, body.Size().Height; need > got+0.5 {
			t.Errorf("at %v the banner's text needs %v px of height and has %v: it runs over what follows", size, need, got)
		}
		if textEnd > buttonTop+0.5 {
			t.Errorf("at %v the banner's text ends at y %v, below the top of its button (%v)", size, textEnd, buttonTop)
		}
		if bannerEnd > searchTop+0.5 {
			t.Errorf("at %v the banner ends at y %v, below the top of the search field (%v)", size, bannerEnd, searchTop)
		}
	}
}
