package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
)

// A status cut short in the row shows whole on hover; a tap on it, or
// "Details…", opens the key's details with the full reason and what to do.
func TestStatusShowsItsWholeReasonAndDetails(t *testing.T) {
	core := newFakeCore()
	bob := &core.entries[1]
	bob.LastStatus, bob.LastChecked = keys.StatusUnknown, time.Now().Add(-time.Hour)
	bob.LastDetail = "verifying https://lab.example.org: server unreachable (dial tcp: connection refused)"
	bob.Created, bob.Source = time.Now().Add(-48*time.Hour), "rotate"
	h := newHarness(t, core)
	h.mw.win.Resize(minWindowSize)
	h.wait()

	r := h.row("bob@lab.example.org")
	want := "Could not be checked: " + bob.LastDetail + " · checked 1 hour ago"
	if r.statusLine.full != want {
		t.Errorf("the row's status is %q, want %q", r.statusLine.full, want)
	}
	r.statusLine.MouseIn(&desktop.MouseEvent{})
	if r.statusLine.tipText() != want {
		t.Errorf("hovering shows %q", r.statusLine.tipText())
	}
	r.statusLine.MouseOut()
	if r.statusLine.tipText() != "" {
		t.Error("the whole text stays after the pointer left")
	}

	test.Tap(r.statusLine)
	h.wait()
	m := h.top()
	if m != h.mw.detailsDlg {
		t.Fatalf("tapping the status opened %q", m.title)
	}
	for _, w := range []string{
		"Server: Lab · https://lab.example.org (version 0.11.0)",
		"Account: bob@example.org (user)",
		", when it was rotated",
		"Status: Could not be checked",
		"Reason: " + bob.LastDetail,
		"What to do: Make sure the server is reachable",
	} {
		if !strings.Contains(m.message, w) {
			t.Errorf("details lack %q:\n%s", w, m.message)
		}
	}
	checkDialogFits(t, h)
	h.press("Check now")
	if len(core.checks) != 1 || core.checks[0][0] != "bob@lab.example.org" {
		t.Errorf("Check now checked %v", core.checks)
	}
}

// An admin whose server has API keys off reads that they can turn them on,
// not that "an admin can".
func TestDetailsTellAnAdminWhatTheyCanDo(t *testing.T) {
	core := newFakeCore()
	alice := &core.entries[0]
	alice.LastStatus = string(openwebui.StatusDisabled)
	h := newHarness(t, core)
	h.mw.showDetails(alice.Name)
	if m := h.top().message; !strings.Contains(m, "you can turn API keys on in Admin Settings › General") {
		t.Errorf("an admin reads:\n%s", m)
	}
	h.top().hide()
	core.entries[1].LastStatus = string(openwebui.StatusDisabled)
	h.mw.refresh()
	h.wait()
	h.mw.showDetails(core.entries[1].Name)
	if m := h.top().message; !strings.Contains(m, "Ask the server's admin") {
		t.Errorf("a user reads:\n%s", m)
	}
}

// "Check all keys" ends with a summary: how many work, which failed and why.
func TestCheckAllEndsWithASummary(t *testing.T) {
	core := newFakeCore()
	alice, bob := core.entries[0], core.entries[1]
	bob.LastStatus = string(openwebui.StatusRejected)
	core.checkRes = []keys.CheckResult{{Entry: alice, Status: openwebui.StatusValid}, {Entry: bob, Status: openwebui.StatusRejected}}
	h := newHarness(t, core)
	h.mw.checkAll()
	h.wait()
	if got, want := h.mw.notice.Text, "2 keys checked: 1 works, 1 failed."; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	m := h.top()
	if m != h.mw.checkDlg || !strings.Contains(m.message, "bob@lab.example.org: Rejected: revoked or replaced on the server") {
		t.Errorf("summary dialog %q:\n%s", m.title, m.message)
	}
	h.key(fyne.KeyReturn)
	h.expectNoDialog()

	// All good: the summary alone, no dialog.
	core.checkRes = []keys.CheckResult{{Entry: alice, Status: openwebui.StatusValid}}
	h.mw.checkAll()
	h.wait()
	if got := h.mw.notice.Text; got != "1 key checked: 1 works, 0 failed." {
		t.Errorf("notice %q", got)
	}
	h.expectNoDialog()
}
