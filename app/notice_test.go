package app

import (
	"strings"
	"testing"
	"time"
)

func TestCopiedNoticeGoesWhenTheClipboardChanges(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.tap(h.row("alice@chat.example.com").copyBtn)
	if got := h.mw.notice.Text; got != "Copied “alice@chat.example.com” to the clipboard." {
		t.Fatalf("notice %q", got)
	}
	// While the clipboard still holds the key, the notice stays.
	if h.clock.fire(noticePoll) != 1 || h.mw.notice.Text == "" {
		t.Fatalf("the notice went while the key was still on the clipboard (%q)", h.mw.notice.Text)
	}
	// Keytray (or anyone) clears the clipboard: the notice goes.
	h.app.Clipboard().SetContent("")
	h.clock.fire(noticePoll)
	if got := h.mw.notice.Text; got != "" {
		t.Errorf("after the clipboard was cleared the notice says %q", got)
	}
	if n := h.clock.fire(noticePoll); n != 0 {
		t.Errorf("the clipboard is still polled (%d timers) after the notice went", n)
	}

	// Something else copied over the key: the notice goes too.
	h.tap(h.row("bob@lab.example.org").copyBtn)
	h.app.Clipboard().SetContent("some other text")
	h.clock.fire(noticePoll)
	if got := h.mw.notice.Text; got != "" {
		t.Errorf("after another copy the notice says %q", got)
	}
}

func TestRevokedNoticeGoesWhenTheKeyIsBack(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	bob := core.entries[1]
	h.mw.revoke(bob)
	h.press("Revoke")
	if !strings.HasPrefix(h.mw.notice.Text, "Revoked “bob@lab.example.org”") {
		t.Fatalf("notice %q", h.mw.notice.Text)
	}
	h.mw.refresh()
	h.wait()
	if h.mw.notice.Text == "" {
		t.Fatal("the notice went while the key is still gone")
	}
	// The key comes back (imported, added again from the command line).
	core.mu.Lock()
	core.entries = append(core.entries, bob)
	core.secrets[bob.Name] = keyBob
	core.mu.Unlock()
	h.mw.refresh()
	h.wait()
	if got := h.mw.notice.Text; got != "" {
		t.Errorf("the key is back, the notice says %q", got)
	}
}

func TestCheckedAgoFollowsTheClock(t *testing.T) {
	core := newFakeCore()
	core.entries[0].LastChecked = time.Now()
	h := newHarness(t, core)
	h.clock.now = core.entries[0].LastChecked
	h.mw.list.Refresh()
	if got := h.row("alice@chat.example.com").status.Text; !strings.HasSuffix(got, "checked just now") {
		t.Fatalf("status %q", got)
	}
	h.clock.now = h.clock.now.Add(4*time.Minute + 10*time.Second)
	if h.clock.fire(tickEvery) != 1 {
		t.Fatal("no clock tick is scheduled")
	}
	if got := h.row("alice@chat.example.com").status.Text; !strings.HasSuffix(got, "checked 4 minutes ago") {
		t.Errorf("4 minutes later the status says %q", got)
	}
	if h.clock.fire(tickEvery) != 1 {
		t.Error("the tick is not scheduled again")
	}
}
