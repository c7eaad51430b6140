package app

import (
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/internal/version"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

func probeOf(url string) openwebui.ServerInfo {
	return openwebui.ServerInfo{URL: url, Name: "Example Chat", Version: "0.6.36", Auth: true, PasswordAuth: true, LDAP: true}
}

func TestAddServerProbesThenSignsIn(t *testing.T) {
	core := newFakeCore()
	core.probeInfo = probeOf(urlChat)
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "carol@chat.example.com"}, Key: keyNew, Outcome: keys.KeptExisting}
	h := newHarness(t, core)
	h.tap(h.mw.addBtn)
	d := h.mw.addServerDlg

	h.key(fyne.KeyReturn) // nothing typed yet
	if d.errs.text() != "Type the server's address first." || len(core.probes) != 0 {
		t.Fatalf("empty address: error %q, probes %d", d.errs.text(), len(core.probes))
	}
	h.typeInto(d.url, "chat.example.com")
	h.key(fyne.KeyReturn)
	if len(core.probes) != 1 || core.probes[0].URL != "chat.example.com" || core.probes[0].AllowHTTP {
		t.Fatalf("probed %v", core.probes)
	}
	if d.step != stepSignIn || d.server.Text != "Example Chat 0.6.36" {
		t.Fatalf("step %d, server %q", d.step, d.server.Text)
	}
	if d.methods.Text != "Sign-in: email and password, LDAP." {
		t.Errorf("methods %q", d.methods.Text)
	}
	if got := d.creds.choice.Options; len(got) != 3 {
		t.Errorf("sign-in choices %v", got)
	}

	h.typeInto(d.creds.email, "carol@example.com")
	h.key(fyne.KeyReturn)
	if d.errs.text() != "Type your email and password." || len(core.logins) != 0 {
		t.Fatalf("missing password: %q, logins %d", d.errs.text(), len(core.logins))
	}
	h.typeInto(d.creds.password, "correct horse")
	h.key(fyne.KeyReturn)
	if len(core.logins) != 1 {
		t.Fatalf("%d logins", len(core.logins))
	}
	req := core.logins[0]
	if !sameCreds(req.Creds, keys.Credentials{Method: keys.Password, Email: "carol@example.com", Secret: "correct horse"}) || req.Rotate || req.Server.URL != urlChat {
		t.Errorf("login request %+v", req)
	}
	if d.step != stepDone || !strings.Contains(d.resultText.Text, "fetched your existing API key and stored it as “carol@chat.example.com”. Nothing changed on the server.") {
		t.Errorf("result %q", d.resultText.Text)
	}
	if d.creds.password.Text != "" {
		t.Error("the password stays in the form after signing in")
	}
	h.press("Copy key")
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"carol@chat.example.com", keyNew}) {
		t.Errorf("copied %v", h.copier.got)
	}
	h.expectNoDialog()
}

func TestAddServerShowsProbeAndSignInErrors(t *testing.T) {
	core := newFakeCore()
	core.probeErr = &openwebui.Error{Kind: openwebui.ErrNotOpenWebUI}
	h := newHarness(t, core)
	h.mw.showAddServer("https://www.example.com")
	d := h.mw.addServerDlg
	h.key(fyne.KeyReturn)
	if !strings.Contains(d.errs.text(), "not as Open WebUI") || d.step != stepAddress {
		t.Fatalf("probe error %q at step %d", d.errs.text(), d.step)
	}
	if d.probeBtn.Disabled() {
		t.Error("Continue stays disabled after the failure")
	}

	core.probeErr, core.probeInfo = nil, probeOf(urlChat)
	core.loginErrs = []error{&openwebui.Error{Kind: openwebui.ErrWrongCredentials, Status: 400}}
	h.press("Continue")
	h.typeInto(d.creds.email, "carol@example.com")
	h.typeInto(d.creds.password, "wrong")
	h.press("Sign in")
	if d.errs.text() != "Wrong email or password. Check them and try again." || d.step != stepSignIn {
		t.Errorf("sign-in error %q at step %d", d.errs.text(), d.step)
	}
}

func TestAddServerSSOOnlyOffersTheTokenPath(t *testing.T) {
	core := newFakeCore()
	core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Corp AI", Version: "0.9.6", Auth: true, OAuthProviders: []string{"Microsoft"}}
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "dave@chat.example.com"}, Key: keyNew, Outcome: keys.CreatedNew}
	h := newHarness(t, core)
	h.mw.showAddServer(urlChat)
	d := h.mw.addServerDlg
	h.key(fyne.KeyReturn)
	if d.creds.choice.Visible() || d.creds.method() != keys.Token {
		t.Fatal("an SSO-only server offers other sign-in methods")
	}
	if !strings.Contains(d.methods.Text, "single sign-on (Microsoft)") || !strings.Contains(d.methods.Text, "paste a session token") {
		t.Errorf("methods %q", d.methods.Text)
	}
	if !d.creds.help.Visible() || !strings.Contains(d.creds.help.Text, "Settings › Account") {
		t.Error("no explanation of where to find the token")
	}
	jwt := fakeJWT("u-dave", time.Now().Add(time.Hour))
	h.typeInto(d.creds.token, jwt)
	h.key(fyne.KeyReturn)
	if len(core.logins) != 1 || !sameCreds(core.logins[0].Creds, keys.Credentials{Method: keys.Token, Secret: jwt}) {
		t.Fatalf("logins %+v", core.logins)
	}
	if !strings.Contains(d.resultText.Text, "had no API key, so Keytray created one") {
		t.Errorf("result %q", d.resultText.Text)
	}
}

// A server with sign-in turned off: nothing to fill in, the dialog says
// why, and Sign in stores the key of its one account.
func TestAddServerWithSignInTurnedOff(t *testing.T) {
	core := newFakeCore()
	core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Home AI", Version: "0.6.41", Auth: false, PasswordAuth: true}
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "admin@chat.example.com", Email: "admin@localhost"}, Key: keyNew, Outcome: keys.KeptExisting}
	h := newHarness(t, core)
	h.mw.showAddServer(urlChat)
	d := h.mw.addServerDlg
	h.key(fyne.KeyReturn)
	if d.step != stepSignIn || d.creds.choice.Visible() || d.creds.method() != keys.NoSignIn || len(d.creds.fields.Items) != 0 {
		t.Fatalf("step %d, method %v, %d fields: a server with sign-in off asks for something", d.step, d.creds.method(), len(d.creds.fields.Items))
	}
	if !strings.Contains(d.methods.Text, "sign-in turned off") || strings.Contains(d.methods.Text, "email and password") {
		t.Errorf("methods %q", d.methods.Text)
	}
	h.press("Sign in")
	if len(core.logins) != 1 || !sameCreds(core.logins[0].Creds, keys.Credentials{Method: keys.NoSignIn}) {
		t.Fatalf("logins %+v", core.logins)
	}
	if d.step != stepDone || !strings.Contains(d.resultText.Text, "admin@chat.example.com") {
		t.Errorf("step %d, result %q", d.step, d.resultText.Text)
	}
}

func TestAddServerOffersRotationWhenTheKeyCannotBeRead(t *testing.T) {
	core := newFakeCore()
	core.probeInfo = probeOf(urlChat)
	core.loginErrs = []error{keys.ErrKeyExistsUnreadable}
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "erin@chat.example.com"}, Key: keyNew, Outcome: keys.Rotated}
	h := newHarness(t, core)
	h.mw.showAddServer(urlChat)
	d := h.mw.addServerDlg
	h.key(fyne.KeyReturn)
	h.typeInto(d.creds.email, "erin@example.com")
	h.typeInto(d.creds.password, "pw")
	h.key(fyne.KeyReturn)
	if d.step != stepRotateOffer || !strings.Contains(d.rotateText.Text, "stops working at once") {
		t.Fatalf("step %d, text %q", d.step, d.rotateText.Text)
	}
	h.key(fyne.KeyReturn) // Enter must not rotate
	if len(core.logins) != 1 {
		t.Fatal("Enter rotated the key")
	}
	h.press("Replace the key")
	if len(core.logins) != 2 || !core.logins[1].Rotate || core.logins[1].Creds.Secret != "pw" {
		t.Fatalf("rotation request %+v", core.logins)
	}
	if !strings.Contains(d.resultText.Text, "The old key no longer works.") {
		t.Errorf("result %q", d.resultText.Text)
	}
}

func TestAddServerOverPlainHTTPNeedsConfirmation(t *testing.T) {
	core := newFakeCore()
	core.probeInfo = probeOf("http://10.1.2.3:8080")
	core.loginRes = keys.LoginResult{Entry: vault.Entry{Name: "f@10.1.2.3"}, Key: keyNew, Outcome: keys.KeptExisting}
	h := newHarness(t, core)
	h.mw.showAddServer("http://10.1.2.3:8080")
	d := h.mw.addServerDlg
	h.key(fyne.KeyReturn)
	if !d.httpWarn.Visible() || d.body.Objects[2] != d.httpWarn {
		t.Fatal("no warning about plain http")
	}
	h.typeInto(d.creds.email, "f@example.com")
	h.typeInto(d.creds.password, "pw")
	h.press("Sign in")
	if h.top().title != "Send it unencrypted?" || len(core.logins) != 0 {
		t.Fatalf("no confirmation (%q), logins %d", h.top().title, len(core.logins))
	}
	h.press("Cancel")
	if len(core.logins) != 0 {
		t.Fatal("signed in although the user cancelled")
	}
	h.press("Sign in")
	h.press("Send unencrypted")
	if len(core.logins) != 1 || !core.logins[0].Server.AllowHTTP {
		t.Fatalf("login %+v", core.logins)
	}

	// A loopback server is not warned about.
	core.probeInfo = probeOf("http://localhost:3000")
	h.mw.showAddServer("localhost:3000")
	h.key(fyne.KeyReturn)
	if h.mw.addServerDlg.httpWarn.Visible() && slices.Contains(h.mw.addServerDlg.body.Objects, fyne.CanvasObject(h.mw.addServerDlg.httpWarn)) {
		t.Error("a loopback server got the plain-http warning")
	}
}

func TestAddKeyStoresAndRefusesJWT(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	h.tap(h.mw.addKey)
	d := h.mw.addKeyDlg
	h.typeInto(d.url, urlLab)
	jwt := fakeJWT("u-bob", time.Now().Add(24*time.Hour))
	h.typeInto(d.key, jwt)
	if !d.jwtNote.Visible() || !strings.HasPrefix(d.jwtNote.Text, "This is a session token (JWT), not an API key.") || d.modal.buttons[1] != d.useJWT {
		t.Fatalf("JWT not refused: note %q", d.jwtNote.Text)
	}
	d.submit()
	if len(core.adds) != 0 {
		t.Fatal("a JWT was stored as a key")
	}
	// The offer: use it to get a proper key.
	core.inspect = keys.Inspection{}
	core.tokenRes = keys.LoginResult{Entry: vault.Entry{Name: "bob@lab.example.org"}, Key: keyNew, Outcome: keys.KeptExisting}
	h.key(fyne.KeyReturn) // Enter takes the offer
	td := h.mw.tokenDlg
	if td == nil || td.server() != urlLab {
		t.Fatalf("token dialog server %q", td.server())
	}
	h.press("Get API key")
	if len(core.tokens) != 1 || core.tokens[0].jwt != jwt || core.tokens[0].srv.URL != urlLab || core.tokens[0].rotate {
		t.Fatalf("FromToken calls %+v", core.tokens)
	}
	if len(h.copier.got) != 1 || h.copier.got[0].secret != keyNew {
		t.Errorf("the key did not replace the token on the clipboard: %v", h.copier.got)
	}
	h.press("OK")

	// A proper key is stored, verified.
	h.mw.showAddKey(urlLab, "")
	d = h.mw.addKeyDlg
	core.addErr = &openwebui.Error{Kind: openwebui.ErrKeyRejected, Status: 401}
	h.typeInto(d.key, keyNew)
	h.key(fyne.KeyReturn)
	if !strings.HasPrefix(d.errs.text(), "The server rejected this key") {
		t.Errorf("error %q", d.errs.text())
	}
	core.addErr = nil
	h.typeInto(d.name, "bob-2")
	h.press("Store key")
	h.expectNoDialog()
	last := core.adds[len(core.adds)-1]
	if last.Key != keyNew || last.Name != "bob-2" || last.Server.URL != urlLab || last.NoVerify {
		t.Errorf("add request %+v", last)
	}
	h.row("bob-2")
}

func TestOfferSaveKeyPrefillsTheKey(t *testing.T) {
	h := newHarness(t, newFakeCore())
	h.mw.offerSaveKey(keyNew)
	if d := h.mw.addKeyDlg; d.key.Text != keyNew || d.jwtNote.Visible() {
		t.Errorf("add-key dialog holds %d characters, JWT note %v", len(d.key.Text), d.jwtNote.Visible())
	}
	h.key(fyne.KeyEscape)
	if h.mw.addKeyDlg.key.Text != "" {
		t.Error("the key stays in the closed dialog")
	}
}

func TestUseSessionTokenPicksTheServerAndOffersRotation(t *testing.T) {
	core := newFakeCore()
	core.tokenErrs = []error{keys.ErrKeyExistsUnreadable}
	core.tokenRes = keys.LoginResult{Entry: vault.Entry{Name: "gina@chat.example.com"}, Key: keyNew, Outcome: keys.Rotated}
	h := newHarness(t, core)
	jwt := fakeJWT("u-gina", time.Now().Add(72*time.Hour))
	h.mw.useSessionToken(jwt)
	h.wait()
	d := h.mw.tokenDlg
	if !strings.Contains(d.intro.Text, "an Open WebUI account Keytray does not know yet") || !strings.Contains(d.intro.Text, "It expires on") {
		t.Errorf("intro %q", d.intro.Text)
	}
	h.press("Get API key")
	if d.errs.text() != "Choose the server this token is from." || len(core.tokens) != 0 {
		t.Fatalf("no server chosen: %q, calls %d", d.errs.text(), len(core.tokens))
	}
	if got := d.servers.Options; len(got) != 3 || got[2] != "Another server…" {
		t.Errorf("server choices %v", got)
	}
	d.servers.SetSelected("Another server…")
	if !d.url.Visible() {
		t.Fatal("the address field is hidden")
	}
	h.typeInto(d.url, "https://new.example.net")
	h.key(fyne.KeyReturn)
	if len(core.tokens) != 1 || core.tokens[0].srv.URL != "https://new.example.net" {
		t.Fatalf("calls %+v", core.tokens)
	}
	if d.modal.buttons[1] != d.rotateBtn {
		t.Fatal("no rotation offered")
	}
	h.press("Replace the key")
	if len(core.tokens) != 2 || !core.tokens[1].rotate {
		t.Fatalf("calls %+v", core.tokens)
	}
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"gina@chat.example.com", keyNew}) {
		t.Errorf("copied %v", h.copier.got)
	}
	if !strings.Contains(h.top().title, "API key stored") {
		t.Errorf("final dialog %q", h.top().title)
	}
}

func TestUseSessionTokenForAKnownOwner(t *testing.T) {
	core := newFakeCore()
	owner := core.entries[0]
	core.inspect = keys.Inspection{Owner: &owner}
	core.tokenErrs = []error{&openwebui.Error{Kind: openwebui.ErrSessionInvalid, Status: 401}}
	h := newHarness(t, core)
	h.mw.useSessionToken(fakeJWT("u-alice", time.Now().Add(-time.Hour)))
	h.wait()
	d := h.mw.tokenDlg
	if d.server() != urlChat || !strings.Contains(d.intro.Text, "alice@example.com") || !strings.Contains(d.intro.Text, "already expired") {
		t.Errorf("server %q, intro %q", d.server(), d.intro.Text)
	}
	h.press("Get API key")
	if !strings.HasPrefix(d.errs.text(), "The session token is not valid any more") {
		t.Errorf("error %q", d.errs.text())
	}
	if len(h.copier.got) != 0 {
		t.Error("something was copied after a failure")
	}
}

func TestRotateConfirmsThenSignsInWhenNeeded(t *testing.T) {
	core := newFakeCore()
	core.rotateErrs = []error{keys.ErrNeedsSignIn, &openwebui.Error{Kind: openwebui.ErrWrongCredentials}}
	h := newHarness(t, core)
	alice := core.entries[0]
	h.mw.rotate(alice)
	if !strings.Contains(wrappedText(h.top()), "the current key stops working at once") {
		t.Errorf("confirmation does not name what breaks: %q", wrappedText(h.top()))
	}
	h.press("Cancel")
	if len(core.rotates) != 0 {
		t.Fatal("rotated without confirmation")
	}
	h.mw.rotate(alice)
	h.press("Rotate")
	if len(core.rotates) != 1 || core.rotates[0] != nil {
		t.Fatalf("first rotation %v", core.rotates)
	}
	d := h.mw.keyOpDlg
	if !d.creds.box.Visible() || !strings.Contains(d.intro.Text, "Sign in as alice@example.com") {
		t.Fatalf("no sign-in asked: %q", d.intro.Text)
	}
	if d.creds.email.Text != "alice@example.com" || h.mw.win.Canvas().Focused() != d.creds.password {
		t.Error("the email is not filled in, or the password not focused")
	}
	h.typeInto(d.creds.password, "bad")
	h.key(fyne.KeyReturn)
	if d.errs.text() != "Wrong email or password. Check them and try again." {
		t.Errorf("error %q", d.errs.text())
	}
	d.creds.password.SetText("")
	h.typeInto(d.creds.password, "good")
	h.key(fyne.KeyReturn)
	if len(core.rotates) != 3 || !sameCreds(*core.rotates[2], keys.Credentials{Method: keys.Password, Email: "alice@example.com", Secret: "good"}) {
		t.Fatalf("rotations %v", core.rotates)
	}
	if h.top().title != "Key rotated" {
		t.Fatalf("dialog %q", h.top().title)
	}
	h.press("Copy new key")
	if len(h.copier.got) != 1 || h.copier.got[0] != (copied{"alice@chat.example.com", keyNew}) {
		t.Errorf("copied %v", h.copier.got)
	}
}

func wrappedText(m *modal) string { return m.message }

func TestRevokeConfirmsAndRemovesTheRow(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	bob := core.entries[1]
	h.mw.revoke(bob)
	h.key(fyne.KeyEscape)
	if len(core.revokes) != 0 {
		t.Fatal("Escape revoked")
	}
	h.mw.revoke(bob)
	h.press("Revoke")
	if len(core.revokes) != 1 {
		t.Fatalf("revokes %d", len(core.revokes))
	}
	if _, ok := h.rows()["bob@lab.example.org"]; ok {
		t.Error("the revoked key is still listed")
	}
	if !strings.HasPrefix(h.mw.notice.Text, "Revoked “bob@lab.example.org”") {
		t.Errorf("notice %q", h.mw.notice.Text)
	}
}

func TestUnsavedKeyIsShownNotLost(t *testing.T) {
	core := newFakeCore()
	core.rotateErrs = []error{&keys.UnsavedKeyError{Name: "alice@chat.example.com", Key: keyNew, Err: vault.ErrLocked}}
	h := newHarness(t, core)
	h.mw.rotate(core.entries[0])
	h.press("Rotate")
	if h.top() != h.mw.unsavedDlg || !strings.Contains(wrappedText(h.top()), "Your keyring is locked") {
		t.Fatalf("dialog %q", h.top().title)
	}
	h.press("Copy")
	if len(h.copier.got) != 1 || h.copier.got[0].secret != keyNew {
		t.Errorf("copied %v", h.copier.got)
	}
}

func TestExportChecksPassphraseAndAsksBeforeReplacing(t *testing.T) {
	core := newFakeCore()
	core.exportErrs = []error{fs.ErrExist}
	h := newHarness(t, core)
	h.mw.showExport()
	d := h.mw.exportDlg
	if len(d.names.Selected) != 2 {
		t.Errorf("preselected %v", d.names.Selected)
	}
	d.file.entry.SetText("/tmp/keytray-test-backup.age")
	h.typeInto(d.pass, "short")
	h.key(fyne.KeyReturn)
	if d.errs.text() != "Choose a passphrase of at least 12 characters." {
		t.Errorf("error %q", d.errs.text())
	}
	d.pass.SetText("")
	h.typeInto(d.pass, "a long passphrase")
	h.typeInto(d.pass2, "a long passphrasE")
	h.key(fyne.KeyReturn)
	if d.errs.text() != "The two passphrases differ. Type the same passphrase twice." || len(core.exports) != 0 {
		t.Fatalf("mismatch: %q, exports %d", d.errs.text(), len(core.exports))
	}
	d.pass2.SetText("a long passphrase")
	d.names.SetSelected([]string{"bob@lab.example.org"})
	h.press("Export")
	if len(core.exports) != 1 || core.exports[0].force || core.exports[0].req.Encryption.Passphrase != "a long passphrase" {
		t.Fatalf("exports %+v", len(core.exports))
	}
	if h.top().title != "Replace the existing file?" {
		t.Fatalf("dialog %q", h.top().title)
	}
	h.press("Replace")
	got := core.exports[1]
	if !got.force || got.path != "/tmp/keytray-test-backup.age" || len(got.req.Names) != 1 || got.req.Names[0] != "bob@lab.example.org" {
		t.Errorf("second export %+v", got)
	}
	if h.top().title != "Backup written" {
		t.Errorf("dialog %q", h.top().title)
	}
}

func TestExportToRecipients(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	h.mw.showExport()
	d := h.mw.exportDlg
	d.file.entry.SetText("/tmp/x.age")
	d.how.SetSelected(withRecipients())
	h.press("Export")
	if d.errs.text() != "Add at least one recipient." {
		t.Errorf("error %q", d.errs.text())
	}
	d.recipients.SetText("# work laptop\nage1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq\n\n")
	h.press("Export")
	if len(core.exports) != 1 || len(core.exports[0].req.Encryption.Recipients) != 1 || core.exports[0].req.Encryption.Passphrase != "" {
		t.Fatalf("exports %+v", core.exports)
	}
}

func TestImportSaysWhatItDid(t *testing.T) {
	core := newFakeCore()
	core.importErr = backup.ErrWrongPassphrase
	h := newHarness(t, core)
	h.mw.showImport()
	d := h.mw.importDlg
	h.press("Import")
	if d.errs.text() != "Choose the backup file." {
		t.Errorf("error %q", d.errs.text())
	}
	d.file.entry.SetText("/tmp/backup.age")
	h.typeInto(d.pass, "the passphrase!")
	h.key(fyne.KeyReturn)
	if d.errs.text() != "Wrong passphrase for this backup." {
		t.Errorf("error %q", d.errs.text())
	}
	core.importErr = nil
	core.importRes = vault.PutAllResult{Restored: []string{"a", "b"}, Skipped: []string{"c"}, Refused: []string{"d"}}
	d.replace.SetChecked(true)
	h.press("Import")
	imp := core.imports[len(core.imports)-1]
	if imp.path != "/tmp/backup.age" || imp.dec.Passphrase != "the passphrase!" || !imp.replace {
		t.Errorf("import %+v", imp.path)
	}
	for _, want := range []string{"Restored: a, b.", "Already stored, unchanged: c.", "same name: d."} {
		if !strings.Contains(h.mw.importSummary, want) {
			t.Errorf("summary %q lacks %q", h.mw.importSummary, want)
		}
	}
}

func TestSettingsAreSavedAndApplied(t *testing.T) {
	core := newFakeCore()
	h := newHarness(t, core)
	h.mw.showSettings()
	h.wait()
	d := h.mw.settingsDlg
	if d.clear.Selected != "After 30 seconds" || !d.guard.Checked || d.theme.Selected != "Follow the system" {
		t.Fatalf("shown: %q %v %q", d.clear.Selected, d.guard.Checked, d.theme.Selected)
	}
	d.clear.SetSelected("After 1 minute")
	d.guard.SetChecked(false)
	d.login.SetChecked(true)
	d.hidden.SetChecked(true)
	d.quits.SetChecked(true)
	d.theme.SetSelected("Dark")
	h.press("Save")
	want := vault.Settings{ClipboardClear: vault.Duration(time.Minute), ClipboardWatch: false, StartAtLogin: true, StartHidden: true, CloseQuits: true, Theme: "dark"}
	if len(core.saved) != 1 || core.saved[0] != want {
		t.Fatalf("saved %+v", core.saved)
	}
	if len(h.applied) != 1 || h.applied[0] != want {
		t.Errorf("applied %+v", h.applied)
	}
	h.expectNoDialog()

	core.saveErr = vault.ErrBadSetting
	h.mw.showSettings()
	h.wait()
	h.press("Save")
	if h.mw.settingsDlg.errs.text() != "That setting value is not allowed." {
		t.Errorf("error %q", h.mw.settingsDlg.errs.text())
	}
}

func TestAboutNamesTheBuild(t *testing.T) {
	defer func(v, b, c string) { version.Version, version.Build, version.Commit = v, b, c }(
		version.Version, version.Build, version.Commit)
	version.Version, version.Build, version.Commit = "1.2.3", "42", "0123456789ab"
	h := newHarness(t, newFakeCore())
	h.mw.showAbout()
	if h.top().title != "About Keytray" {
		t.Fatalf("dialog %q", h.top().title)
	}
	var shown []string
	for _, o := range test.LaidOutObjects(h.mw.win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Label:
			shown = append(shown, w.Text)
		case *widget.Hyperlink:
			shown = append(shown, w.URL.String())
		}
	}
	for _, want := range []string{"1.2.3", "42", "0123456789ab", runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
		version.ReadmeURL, version.APIKeysURL} {
		if !slices.Contains(shown, want) {
			t.Errorf("About does not show %q; it shows %q", want, shown)
		}
	}
	h.key(fyne.KeyEscape)
	h.expectNoDialog()
}
