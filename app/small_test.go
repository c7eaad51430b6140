package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

func TestRotateSignInOffersOnlyTheServersMethods(t *testing.T) {
	core := newFakeCore()
	core.rotateErrs = []error{keys.ErrNeedsSignIn}
	core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Example Chat", Version: "0.6.36", Auth: true, PasswordAuth: true}
	h := newHarness(t, core)
	h.mw.rotate(core.entries[0])
	h.press("Rotate")
	d := h.mw.keyOpDlg
	if !d.creds.box.Visible() {
		t.Fatal("no sign-in asked")
	}
	if len(core.probes) != 1 || core.probes[0].URL != urlChat {
		t.Errorf("probes %v", core.probes)
	}
	want := []string{"Email and password", "Session token (SSO)"}
	if !slices.Equal(d.creds.choice.Options, want) || d.creds.choice.Selected != want[0] {
		t.Errorf("offered %q (picked %q), want %q", d.creds.choice.Options, d.creds.choice.Selected, want)
	}
	if h.mw.win.Canvas().Focused() != d.creds.password {
		t.Error("the password is not focused")
	}
}

func TestRotateSignInOffersEveryMethodWhenTheServerCannotSay(t *testing.T) {
	core := newFakeCore()
	core.rotateErrs = []error{keys.ErrNeedsSignIn}
	core.probeErr = openwebui.ErrUnreachable
	h := newHarness(t, core)
	h.mw.rotate(core.entries[0])
	h.press("Rotate")
	d := h.mw.keyOpDlg
	if len(d.creds.choice.Options) != 3 || !d.creds.box.Visible() {
		t.Errorf("offered %q", d.creds.choice.Options)
	}
}

func TestKeysDisabledTellsAnAdminWhatTheyCanDo(t *testing.T) {
	err := &openwebui.Error{Kind: openwebui.ErrKeysDisabled, Status: 403}
	admin := vault.Entry{Name: "alice@chat.example.com", Role: "admin"}
	if got := describeErrorOf(admin, err); !strings.Contains(got, "you can turn them on in Admin Settings › General") || strings.Contains(got, "An admin can") {
		t.Errorf("to an admin: %q", got)
	}
	user := vault.Entry{Name: "bob@lab.example.org", Role: "user"}
	if got := describeErrorOf(user, err); !strings.Contains(got, "An admin can") {
		t.Errorf("to a user: %q", got)
	}
}

func TestClosingToTheTraySaysSoOnceAndCloseQuitsQuits(t *testing.T) {
	h := newHarness(t, newFakeCore())
	var told []string
	quits, quit := false, 0
	h.mw.notify = func(title, _ string) { told = append(told, title) }
	h.mw.closeQuits = func() bool { return quits }
	h.mw.quit = func() { quit++ }
	h.mw.setTray(true)
	h.mw.closeWindow()
	h.mw.show()
	h.mw.closeWindow()
	if len(told) != 1 || told[0] != "Keytray is still running" {
		t.Errorf("closing twice told %q", told)
	}
	if quit != 0 {
		t.Fatal("closing quit with close-quits off")
	}
	quits = true
	h.mw.show()
	h.mw.closeWindow()
	if quit != 1 {
		t.Error("closing did not quit with close-quits on")
	}
}
