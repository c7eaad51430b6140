package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/app/internal/langtest"
	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

func TestWindowListsServersAndKeys(t *testing.T) {
	h := newHarness(t, newFakeCore())
	if got := h.mw.win.Title(); got != "Keytray" {
		t.Errorf("title %q, want Keytray", got)
	}
	alice := h.row("alice@chat.example.com")
	if alice.account.String() != "alice@example.com (admin)" {
		t.Errorf("account %q", alice.account.String())
	}
	if alice.key.Text != "sk-…cdef" {
		t.Errorf("masked key %q, want the first characters and last four", alice.key.Text)
	}
	if strings.Contains(alice.key.Text, keyAlice[6:20]) {
		t.Error("the row shows the middle of the key")
	}
	if alice.status.Text != "Works · checked 5 minutes ago" {
		t.Errorf("status %q", alice.status.Text)
	}
	if bob := h.row("bob@lab.example.org"); bob.status.Text != "Not checked yet" {
		t.Errorf("bob's status %q", bob.status.Text)
	}
	markup := test.RenderObjectToMarkup(h.mw.list)
	for _, want := range []string{"Example Chat", "version 0.6.36 · https://chat.example.com", "Lab", "version 0.11.0 · https://lab.example.org"} {
		if !strings.Contains(markup, want) {
			t.Errorf("server header %q not shown", want)
		}
	}
	if h.mw.summary.String() != "2 keys on 2 servers" {
		t.Errorf("summary %q", h.mw.summary.String())
	}
	if h.mw.empty.Visible() {
		t.Error("the empty state shows while there are keys")
	}
}

func TestEmptyStateOffersToAddAServer(t *testing.T) {
	core := newFakeCore()
	core.entries, core.instances = nil, nil
	h := newHarness(t, core)
	if !h.mw.empty.Visible() || h.mw.list.Visible() {
		t.Fatal("the empty state is not shown")
	}
	if h.mw.emptyAdd.Text != "Add an Open WebUI server" {
		t.Errorf("call to action %q", h.mw.emptyAdd.Text)
	}
	h.tap(h.mw.emptyAdd)
	if h.top().title != "Add an Open WebUI server" {
		t.Errorf("dialog %q opened", h.top().title)
	}
	h.key(fyne.KeyEscape)
	// Moving to a new computer: the backup is the way in.
	if !h.mw.emptyRestore.Visible() || h.mw.emptyRestore.Text != "Restore from a backup" {
		t.Fatalf("no “Restore from a backup” (%q)", h.mw.emptyRestore.Text)
	}
	h.tap(h.mw.emptyRestore)
	if h.mw.importDlg == nil || h.top() != h.mw.importDlg.modal {
		t.Errorf("“Restore from a backup” opened %q", h.top().title)
	}
}

func TestSearchFiltersAndCtrlFFocuses(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if h.mw.win.Canvas().Focused() != h.mw.search {
		t.Fatal("Ctrl+F did not focus the search field")
	}
	test.Type(h.mw.search, "lab")
	if got := h.mw.visibleNames(); len(got) != 1 || got[0] != "bob@lab.example.org" {
		t.Fatalf("search 'lab' shows %v", got)
	}
	if _, ok := h.rows()["alice@chat.example.com"]; ok {
		t.Error("a filtered-out row is still in the list")
	}
	// Enter in the search copies the only match.
	h.key(fyne.KeyReturn)
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"bob@lab.example.org", keyBob}) {
		t.Errorf("Enter on a single match copied %v", h.copier.got)
	}
	h.mw.search.SetText("nothing-like-this")
	if !h.mw.noMatch.Visible() || h.mw.noMatch.Text != "No keys match “nothing-like-this”." {
		t.Errorf("no-match text %q (visible %v)", h.mw.noMatch.Text, h.mw.noMatch.Visible())
	}
	h.mw.win.Canvas().Unfocus()
	h.key(fyne.KeyEscape)
	if h.mw.search.Text != "" || len(h.mw.visibleNames()) != 2 {
		t.Error("Escape did not clear the search")
	}
}

func TestCopyAndCtrlCCopyTheSelectedKey(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.tap(h.row("alice@chat.example.com").copyBtn)
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"alice@chat.example.com", keyAlice}) {
		t.Fatalf("Copy gave the copier %v", h.copier.got)
	}
	// Ctrl+C with nothing selected copies nothing.
	h.shortcut(&fyne.ShortcutCopy{})
	if len(h.copier.got) != 1 {
		t.Fatal("Ctrl+C copied without a selection")
	}
	h.tap(h.row("bob@lab.example.org").frame)
	h.shortcut(&fyne.ShortcutCopy{})
	if len(h.copier.got) != 2 || h.copier.got[1] != (copied{"bob@lab.example.org", keyBob}) {
		t.Errorf("Ctrl+C on the selected row copied %v", h.copier.got)
	}
}

func TestCopyWithLockedKeyringExplains(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	core.keyErr = vault.ErrLocked
	h.tap(h.row("alice@chat.example.com").copyBtn)
	if len(h.copier.got) != 0 {
		t.Fatal("something was copied")
	}
	if m := h.top(); m.title != "Could not copy the key" {
		t.Errorf("dialog %q", m.title)
	}
	h.press("OK")
	h.expectNoDialog()
}

func TestListNeedsNoKeyring(t *testing.T) {
	core := newFakeCore()
	core.keyErr = vault.ErrLocked
	h := newHarness(t, core)
	// Masks come from the index: a locked keyring neither hides the list nor
	// prompts; it is met (and explained) only when a key is used.
	if got := h.mw.problem.text(); got != "" {
		t.Errorf("problem line %q on a locked keyring before any key was used", got)
	}
	if r := h.row("alice@chat.example.com"); r.key.Text != "sk-…cdef" {
		t.Errorf("mask %q, want sk-…cdef from the index", r.key.Text)
	}
	if n := core.keyReads(); n != 0 {
		t.Errorf("listing read %d keys from the keyring", n)
	}
}

func TestRevealHidesItselfAfterTimeAndOnFocusLoss(t *testing.T) {
	h := newHarness(t, newFakeCore())
	r := h.row("alice@chat.example.com")
	h.tap(r.revealBtn)
	if r.key.Text != keyAlice || r.revealBtn.Text != "Hide" {
		t.Fatalf("reveal shows %q, button %q", r.key.Text, r.revealBtn.Text)
	}
	if n := h.clock.fire(revealFor); n != 1 {
		t.Fatalf("%d reveal timers fired, want 1", n)
	}
	if r.key.Text != "sk-…cdef" || r.revealBtn.Text != "Reveal" {
		t.Fatalf("after 20 s the row shows %q", r.key.Text)
	}

	h.tap(r.revealBtn)
	if r.key.Text != keyAlice {
		t.Fatal("second reveal failed")
	}
	lc, ok := h.app.Lifecycle().(interface{ OnExitedForeground() func() })
	if !ok || lc.OnExitedForeground() == nil {
		t.Fatal("the window does not listen for focus loss")
	}
	lc.OnExitedForeground()()
	if r.key.Text != "sk-…cdef" {
		t.Errorf("after focus loss the row shows %q", r.key.Text)
	}
	if n := h.clock.fire(revealFor); n != 0 {
		t.Error("the reveal timer was not stopped when the key was hidden")
	}
}

func TestCheckShowsTheResultInWords(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	bob := core.entries[1]
	bob.LastStatus, bob.LastChecked = string(openwebui.StatusRejected), h.clock.now
	core.checkRes = []keys.CheckResult{{Entry: bob, Status: openwebui.StatusRejected}}
	h.tap(h.row("bob@lab.example.org").checkBtn)
	if len(core.checks) != 1 || len(core.checks[0]) != 1 || core.checks[0][0] != "bob@lab.example.org" {
		t.Fatalf("Check was asked for %v", core.checks)
	}
	if got := h.row("bob@lab.example.org").status.Text; got != "Rejected: revoked or replaced on the server · checked just now" {
		t.Errorf("status %q", got)
	}

	// A network failure: the status is unknown and the reason is shown.
	bob.LastStatus = keys.StatusUnknown
	core.checkRes = []keys.CheckResult{{Entry: bob, Err: &openwebui.Error{Kind: openwebui.ErrUnreachable, Op: "verifying"}}}
	h.tap(h.row("bob@lab.example.org").checkBtn)
	got := h.row("bob@lab.example.org").status.Text
	if !strings.HasPrefix(got, "The server cannot be reached.") {
		t.Errorf("status after a network failure %q", got)
	}
	if h.row("bob@lab.example.org").checkBtn.Disabled() {
		t.Error("the Check button stays disabled after the check")
	}
}

func TestCopyAsEnv(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.row("alice@chat.example.com").copyEnv()
	h.wait()
	if len(h.copier.got) != 1 || !strings.HasPrefix(h.copier.got[0].secret, "OPENAI_API_KEY="+keyAlice+"\n") {
		t.Fatalf("copy as .env gave %d copies", len(h.copier.got))
	}
	if h.copier.got[0].label != "alice@chat.example.com as .env" {
		t.Errorf("label %q", h.copier.got[0].label)
	}
}

func TestRemoveAsksFirst(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	h.row("bob@lab.example.org").remove()
	if !strings.Contains(h.top().title, "Remove “bob@lab.example.org”") {
		t.Fatalf("confirmation %q", h.top().title)
	}
	h.key(fyne.KeyReturn) // Enter must not confirm a removal
	h.press("Cancel")
	if len(core.removed) != 0 {
		t.Fatal("Remove ran without confirmation")
	}
	h.row("bob@lab.example.org").remove()
	h.press("Remove")
	if len(core.removed) != 1 || core.removed[0] != "bob@lab.example.org" {
		t.Fatalf("removed %v", core.removed)
	}
	if _, ok := h.rows()["bob@lab.example.org"]; ok {
		t.Error("the removed key is still listed")
	}
}

func TestRenameAndItsErrors(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	h.row("bob@lab.example.org").rename()
	d := h.mw.renameDlg
	d.entry.SetText("")
	core.renameErr = vault.ErrExists
	h.typeInto(d.entry, "alice@chat.example.com")
	h.key(fyne.KeyReturn)
	if got := d.errs.text(); got != "That name is already used by another key. Choose a different name." {
		t.Errorf("error %q", got)
	}
	core.renameErr = nil
	d.entry.SetText("")
	h.typeInto(d.entry, "bob-lab")
	h.key(fyne.KeyReturn)
	h.expectNoDialog()
	if last := core.renames[len(core.renames)-1]; last != [2]string{"bob@lab.example.org", "bob-lab"} {
		t.Errorf("renamed %v", last)
	}
	h.row("bob-lab")
}

func TestEscapeClosesDialogsEvenFromAField(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.tap(h.mw.addBtn)
	d := h.mw.addServerDlg
	if h.mw.win.Canvas().Focused() != d.url {
		t.Fatal("the address field is not focused")
	}
	h.key(fyne.KeyEscape)
	h.expectNoDialog()
	if !d.modal.closed {
		t.Error("the dialog's context was not cancelled")
	}
	if d.modal.ctx.Err() != context.Canceled {
		t.Error("closing did not cancel the dialog's operations")
	}
}

func TestClosingHidesWithATrayAndQuitsWithout(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.mw.win.Resize(fyne.NewSize(812, 603))
	h.mw.setTray(true)
	h.mw.closeWindow()
	p := h.app.Preferences()
	if w, hh := p.Float(prefWidth), p.Float(prefHeight); w != 812 || hh != 603 {
		t.Errorf("remembered size %vx%v", w, hh)
	}
	// A new window restores the remembered size.
	mw2 := newMainWindow(windowDeps{app: h.app, svc: h.core, copier: h.copier})
	if s := mw2.win.Canvas().Size(); s.Width != 812 || s.Height != 603 {
		t.Errorf("restored size %v", s)
	}
	mw2.win.Close()
}

func TestDescribeErrorGivesSentences(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{vault.ErrLocked, "Your keyring is locked. Unlock it"},
		{&openwebui.Error{Kind: openwebui.ErrWrongCredentials, Status: 400}, "Wrong email or password."},
		{&openwebui.Error{Kind: openwebui.ErrKeysDisabled, Status: 403}, "API keys are turned off on this server. An admin can enable them in Admin Settings › General."},
		{&openwebui.Error{Kind: openwebui.ErrNoKeyPermission}, "Ask an admin of the server to give you the API-keys permission."},
		{&openwebui.Error{Kind: openwebui.ErrUnreachable}, "The server cannot be reached."},
		{&openwebui.Error{Kind: openwebui.ErrRateLimited, RetryAfter: 150 * time.Second}, "Wait 3 minutes, then try again."},
		{&openwebui.Error{Kind: openwebui.ErrRateLimited, RetryAfter: 40 * time.Second}, "Wait a minute, then try again."},
		{&openwebui.Error{Kind: openwebui.ErrNotOpenWebUI}, "but not as Open WebUI"},
		{&openwebui.Error{Kind: openwebui.ErrTLS}, "CA file"},
		{&openwebui.Error{Kind: openwebui.ErrProxy, Status: 502}, "The proxy in front of the server"},
		{keys.ErrJWTNotKey, "This is a session token (JWT), not an API key."},
		{errors.Join(errors.New("wrapped"), vault.ErrTimeout), "did not answer in time"},
		{errors.New("something new"), "Something went wrong that Keytray does not recognise."},
	}
	for _, c := range cases {
		if got := describeError(c.err); !strings.Contains(got, c.want) {
			t.Errorf("describeError(%v) = %q, want it to contain %q", c.err, got, c.want)
		}
	}
	if describeError(nil) != "" {
		t.Error("nil error has a sentence")
	}
}

func TestAgoSaysWhenInWords(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		10 * time.Second:   "just now",
		time.Minute:        "1 minute ago",
		5 * time.Minute:    "5 minutes ago",
		3 * time.Hour:      "3 hours ago",
		26 * time.Hour:     "yesterday",
		3 * 24 * time.Hour: "3 days ago",
	} {
		if got := ago(now, now.Add(-d)); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
	if got := ago(now, now.Add(-30*24*time.Hour)); !strings.HasPrefix(got, "on 2026-02-") {
		t.Errorf("a month ago is %q", got)
	}
}

func TestTranslationsCoverEveryMessage(t *testing.T) {
	langtest.CheckWithKeys(t, ".", translations, "translations/window", errtext.Keys(), "en.json", "zh_Hans.json")
}

// A key that cannot be read is explained, and its Reveal button works again.
func TestRevealWithLockedKeyringExplains(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	core.keyErr = vault.ErrLocked
	h.tap(h.row("alice@chat.example.com").revealBtn)
	if m := h.top(); m.title != "Could not show the key" {
		t.Fatalf("dialog %q", m.title)
	}
	h.press("OK")
	r := h.row("alice@chat.example.com")
	if r.revealBtn.Disabled() || r.key.Text != "sk-…cdef" {
		t.Errorf("after the failure: Reveal disabled %v, key %q", r.revealBtn.Disabled(), r.key.Text)
	}
}
