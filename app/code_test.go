package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

const (
	goodCode     = "246810"
	recoveryCode = "0123456789abcdef0123456789abcdef"
)

// mfaCore is a fake core whose sign-ins ask for a code: goodCode and
// recoveryCode pass, anything else is a wrong code.
func mfaCore() *fakeCore {
	core := newFakeCore()
	core.probeInfo = probeOf(urlChat)
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "carol@chat.example.com"}, Key: keyNew, Outcome: keys.KeptExisting}
	core.codeCheck = func(f keys.SecondFactor) error {
		if (f.Code == goodCode && !f.Recovery) || (f.Code == recoveryCode && f.Recovery) {
			return nil
		}
		return &openwebui.Error{Kind: openwebui.ErrCodeInvalid, Op: "checking the authenticator code", URL: urlChat, Status: 401}
	}
	return core
}

// toCodeStep opens add-server, signs in with a password and stops at the code step.
func toCodeStep(t *testing.T, h *harness) *addServerDialog {
	t.Helper()
	h.tap(h.mw.addBtn)
	d := h.mw.addServerDlg
	h.typeInto(d.url, "chat.example.com")
	h.key(fyne.KeyReturn)
	h.typeInto(d.creds.email, "carol@example.com")
	h.typeInto(d.creds.password, "correct horse")
	h.key(fyne.KeyReturn)
	if d.step != stepCode || !d.code.waiting() {
		t.Fatalf("step %d after the password; waiting %v", d.step, d.code.waiting())
	}
	if h.mw.win.Canvas().Focused() != d.code.code {
		t.Error("the code field is not focused")
	}
	return d
}

func TestAddServerAsksForTheCodeAndRetriesAWrongOne(t *testing.T) {
	core := mfaCore()
	h := newHarness(t, core)
	d := toCodeStep(t, h)

	h.typeInto(d.code.code, "12")
	h.key(fyne.KeyReturn)
	if !strings.Contains(d.errs.text(), "6 digits") || len(core.codes) != 0 {
		t.Fatalf("a short code: %q, %d codes sent", d.errs.text(), len(core.codes))
	}
	h.mw.win.Canvas().Focus(d.code.code)
	d.code.code.SetText("")
	h.typeInto(d.code.code, "111 111")
	h.key(fyne.KeyReturn)
	if d.step != stepCode || !strings.Contains(d.errs.text(), "wrong or was already used") {
		t.Fatalf("a wrong code: step %d, error %q", d.step, d.errs.text())
	}
	if d.code.code.Text != "" {
		t.Error("the wrong code stays in the field")
	}
	h.typeInto(d.code.code, goodCode)
	h.press("Verify")
	if d.step != stepDone || len(core.codes) != 2 || core.codes[1] != (keys.SecondFactor{Code: goodCode}) {
		t.Fatalf("step %d, codes %v", d.step, core.codes)
	}
	if d.creds.password.Text != "" || d.code.code.Text != "" {
		t.Error("a secret stays in the form")
	}
}

func TestCodeStepTakesARecoveryCode(t *testing.T) {
	core := mfaCore()
	h := newHarness(t, core)
	d := toCodeStep(t, h)
	h.tap(d.code.toggle)
	if !strings.Contains(d.code.intro.Text, "recovery codes") || d.code.toggle.Text != "Use the authenticator code instead" {
		t.Errorf("recovery mode: %q / %q", d.code.intro.Text, d.code.toggle.Text)
	}
	h.typeInto(d.code.code, "01234567 89ABCDEF 01234567 89abcdef")
	h.key(fyne.KeyReturn)
	if d.step != stepDone || core.codes[0] != (keys.SecondFactor{Code: recoveryCode, Recovery: true}) {
		t.Fatalf("step %d, codes %v", d.step, core.codes)
	}
}

func TestCodeStepBackAndEscapeReturnToThePassword(t *testing.T) {
	core := mfaCore()
	h := newHarness(t, core)
	d := toCodeStep(t, h)
	h.press("Back")
	if d.step != stepSignIn || d.errs.text() != "" || d.code.waiting() {
		t.Fatalf("after Back: step %d, error %q", d.step, d.errs.text())
	}
	if d.creds.email.Text != "carol@example.com" {
		t.Errorf("the email was lost: %q", d.creds.email.Text)
	}
	h.key(fyne.KeyReturn) // the password is still there: sign in again
	if d.step != stepCode {
		t.Fatalf("step %d", d.step)
	}
	h.mw.win.Canvas().Focus(d.code.code)
	h.key(fyne.KeyEscape)
	if d.step != stepSignIn || h.mw.topModal() != d.modal {
		t.Fatalf("after Escape: step %d", d.step)
	}
	// Closing the dialog at the code step ends the waiting sign-in.
	h.key(fyne.KeyReturn)
	d.modal.hide()
	h.wait()
	if d.code.waiting() {
		t.Error("the sign-in still waits after the dialog closed")
	}
}

func TestCodeStepErrorsThatEndTheSignIn(t *testing.T) {
	core := mfaCore()
	core.codeCheck = func(keys.SecondFactor) error {
		return &openwebui.Error{Kind: openwebui.ErrChallengeExpired, URL: urlChat, Status: 401}
	}
	h := newHarness(t, core)
	d := toCodeStep(t, h)
	h.typeInto(d.code.code, goodCode)
	h.key(fyne.KeyReturn)
	if d.step != stepSignIn || !strings.Contains(d.errs.text(), "expired") {
		t.Fatalf("expired: step %d, error %q", d.step, d.errs.text())
	}
}

func TestRotateSignInAsksForTheCode(t *testing.T) {
	core := mfaCore()
	core.rotateErrs = []error{keys.ErrNeedsSignIn}
	h := newHarness(t, core)
	h.mw.rotate(core.entries[0])
	h.press("Rotate")
	d := h.mw.keyOpDlg
	h.typeInto(d.creds.password, "good")
	h.key(fyne.KeyReturn)
	if !d.inCode || !d.code.box.Visible() || d.creds.box.Visible() {
		t.Fatalf("no code step: inCode %v", d.inCode)
	}
	h.typeInto(d.code.code, "000000")
	h.key(fyne.KeyReturn)
	if !strings.Contains(d.errs.text(), "wrong or was already used") {
		t.Errorf("wrong code: %q", d.errs.text())
	}
	h.press("Back")
	if d.inCode || !d.creds.box.Visible() {
		t.Fatal("Back did not return to the password")
	}
	h.key(fyne.KeyReturn)
	h.typeInto(d.code.code, goodCode)
	h.press("Verify")
	if h.top().title != "Key rotated" {
		t.Fatalf("top dialog %q", h.top().title)
	}
	_ = test.Tap
}
