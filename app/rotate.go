package app

import (
	"context"
	"errors"
	"slices"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// keyOp is a server-side change to one key: rotate or revoke.
type keyOp int

const (
	opRotate keyOp = iota
	opRevoke
)

// rotate asks, naming what breaks, then replaces the key on the server.
func (mw *mainWindow) rotate(e vault.Entry) {
	mw.confirm(lang.L("Rotate “{{.Name}}”?", map[string]any{"Name": e.Name}),
		lang.L("The server makes a new key for {{.Account}} and the current key stops working at once: every script, .env file and integration that uses it breaks until you give it the new key. Keytray stores the new key in place of the old one.", map[string]any{"Account": accountOrName(e)}),
		lang.L("Rotate"), func() { mw.keyOpDlg = newKeyOpDialog(mw, opRotate, e) })
}

// revoke asks, then deletes the key on the server and forgets it here.
func (mw *mainWindow) revoke(e vault.Entry) {
	mw.confirm(lang.L("Revoke “{{.Name}}”?", map[string]any{"Name": e.Name}),
		lang.L("The key is deleted on the server, so everything that uses it stops working at once, and Keytray forgets it. Your account keeps working; you can make a new key later by adding the server again."),
		lang.L("Revoke"), func() { mw.keyOpDlg = newKeyOpDialog(mw, opRevoke, e) })
}

func accountOrName(e vault.Entry) string {
	if e.Email != "" {
		return e.Email
	}
	return e.Name
}

// keyOpDialog runs a rotation or revocation. It first tries with the key
// itself; when the server wants a sign-in (keys.ErrNeedsSignIn) it asks for
// one and tries again with it.
type keyOpDialog struct {
	mw     *mainWindow
	op     keyOp
	entry  vault.Entry
	modal  *modal
	intro  *widget.Label
	creds  *credsForm
	action *pushButton
	busy   *busy
	errs   *errorLine
	signIn bool // the credentials form is showing
	code   *codeStep
	inCode bool // the code step is showing
}

func newKeyOpDialog(mw *mainWindow, op keyOp, e vault.Entry) *keyOpDialog {
	d := &keyOpDialog{mw: mw, op: op, entry: e, errs: newErrorLine()}
	title := lang.L("Rotating “{{.Name}}”", map[string]any{"Name": e.Name})
	if op == opRevoke {
		title = lang.L("Revoking “{{.Name}}”", map[string]any{"Name": e.Name})
	}
	d.intro = wrapped("")
	d.intro.Hide()
	d.creds = newCredsForm([]keys.Method{keys.Password, keys.LDAP, keys.Token}, e.Email)
	d.creds.box.Hide()
	d.code = newCodeStep()
	d.code.box.Hide()
	d.code.onChange = func() { d.modal.resize(520) }
	d.action = button(lang.L("Sign in and continue"), theme.LoginIcon(), widget.DangerImportance, d.submit)
	d.action.Disable()
	d.busy = newBusy(d.action)
	d.modal = mw.newModal(title, container.NewVBox(d.intro, d.creds.box, d.code.box), d.busy, d.errs)
	d.modal.submit = d.submit
	d.modal.bind(append(d.creds.entries(), d.code.code)...)
	d.code.code.onEscape = d.leaveCode
	d.modal.d.SetOnClosed(func() { d.code.leave(context.Canceled) })
	d.modal.setButtons(cancelButton(d.modal), d.action)
	d.creds.onChange = func() { d.modal.resize(520) }
	d.modal.show(nil)
	d.modal.resize(520)
	d.run(nil)
	return d
}

func (d *keyOpDialog) submit() {
	if d.busy.running() || !d.signIn {
		return
	}
	if d.inCode {
		if d.code.waiting() && d.code.submit(d.errs) {
			d.errs.set("")
			d.busy.start(lang.L("Checking the code…"))
		}
		d.modal.resize(520)
		return
	}
	c, ok := d.creds.credentials()
	if !ok {
		d.errs.set(d.creds.missing())
		return
	}
	d.run(&c)
}

func (d *keyOpDialog) run(creds *keys.Credentials) {
	mw, name, ctx := d.mw, d.entry.Name, d.modal.ctx
	what := lang.L("Rotating the key on the server…")
	if d.op == opRevoke {
		what = lang.L("Revoking the key on the server…")
	}
	if creds != nil {
		creds.Code = d.code.source(d.showCode)
	}
	d.creds.setEnabled(false)
	dialogWork(d.modal, d.busy, d.errs, what, func() (vault.Entry, error) {
		if d.op == opRevoke {
			return vault.Entry{}, mw.svc.Revoke(ctx, name, creds)
		}
		return mw.svc.Rotate(ctx, name, creds)
	}, func(_ vault.Entry, err error) {
		d.creds.setEnabled(true)
		if d.inCode {
			d.showCredentials()
		}
		switch {
		case errors.Is(err, errLeftCodeStep):
		case err == nil:
			d.creds.clear()
			d.modal.hide()
			mw.finishKeyOp(d.op, name)
		case errors.Is(err, keys.ErrNeedsSignIn) && !d.signIn:
			d.askSignIn()
		case mw.rescueUnsaved(err):
			d.creds.clear()
			d.modal.hide()
			mw.refresh()
		default:
			d.errs.set(describeError(err))
			if !d.signIn {
				// Nothing to correct in the dialog: offer the same again.
				d.action.SetText(lang.L("Try again"))
				d.action.OnTapped = func() { d.run(nil) }
			}
		}
	})
}

// askSignIn asks the server which sign-in methods it has (no LDAP choice
// where there is no LDAP), then asks for a sign-in with one of them. If the
// server cannot say, every method is offered.
func (d *keyOpDialog) askSignIn() {
	d.signIn = true
	inst := d.mw.instance(d.entry.Instance)
	ctx := d.modal.ctx
	srv := keys.Server{URL: d.entry.Instance, AllowHTTP: inst.AllowHTTP, CAFile: inst.CAFile}
	dialogWork(d.modal, d.busy, d.errs, lang.L("Asking the server how to sign in…"), func() (openwebui.ServerInfo, error) {
		return d.mw.svc.Probe(ctx, srv)
	}, func(info openwebui.ServerInfo, err error) {
		if m := methodsOf(info); err == nil && !slices.Contains(m, keys.NoSignIn) {
			d.creds.setMethods(m)
		}
		d.showSignIn()
	})
}

// showSignIn shows the credentials form.
func (d *keyOpDialog) showSignIn() {
	text := lang.L("The server does not let the key rotate itself. Sign in as {{.Account}} to continue; the password or token is used for this only and is not kept.", map[string]any{"Account": accountOrName(d.entry)})
	if d.op == opRevoke {
		text = lang.L("The server does not let the key revoke itself. Sign in as {{.Account}} to continue; the password or token is used for this only and is not kept.", map[string]any{"Account": accountOrName(d.entry)})
	}
	d.intro.SetText(text)
	d.intro.Show()
	d.creds.box.Show()
	d.action.Enable()
	d.modal.resize(520)
	d.mw.win.Canvas().Focus(d.creds.first())
}

// showCode shows the sign-in's code step in place of the credentials.
func (d *keyOpDialog) showCode(prev error) {
	if d.modal.closed {
		d.code.leave(context.Canceled)
		return
	}
	d.inCode = true
	d.busy.done()
	d.intro.Hide()
	d.creds.box.Hide()
	d.code.box.Show()
	d.errs.set(describeError(prev))
	d.action.SetText(lang.L("Verify"))
	d.modal.setButtons(cancelButton(d.modal), button(lang.L("Back"), theme.NavigateBackIcon(), widget.MediumImportance, d.leaveCode), d.action)
	d.modal.resize(520)
	d.mw.win.Canvas().Focus(d.code.code)
}

// showCredentials brings the credentials back after the code step.
func (d *keyOpDialog) showCredentials() {
	d.inCode = false
	d.code.box.Hide()
	d.intro.Show()
	d.creds.box.Show()
	d.action.SetText(lang.L("Sign in and continue"))
	d.modal.setButtons(cancelButton(d.modal), d.action)
	d.modal.resize(520)
}

func (d *keyOpDialog) leaveCode() {
	if d.code.waiting() {
		d.busy.start(lang.L("Going back…"))
		d.code.leave(errLeftCodeStep)
	}
}

func (mw *mainWindow) finishKeyOp(op keyOp, name string) {
	mw.refresh()
	if op == opRevoke {
		mw.sayGone(lang.L("Revoked “{{.Name}}” on the server and removed it from Keytray.", map[string]any{"Name": name}), name)
		return
	}
	m := mw.newModal(lang.L("Key rotated"), wrapped(lang.L("“{{.Name}}” now holds a new key; the old one no longer works. Give the new key to everything that used the old one.", map[string]any{"Name": name})))
	copyNew := button(lang.L("Copy new key"), theme.ContentCopyIcon(), widget.HighImportance, func() {
		m.hide()
		mw.copyByName(name)
	})
	m.submit = copyNew.OnTapped
	m.setButtons(button(lang.L("Close"), nil, widget.MediumImportance, m.hide), copyNew)
	m.show(nil)
	m.resize(460)
}

// copyByName reads a key off the UI goroutine and hands it to the copier.
func (mw *mainWindow) copyByName(name string) {
	background(func() (string, error) {
		return mw.svc.Key(name)
	}, func(key string, err error) {
		if err != nil {
			mw.inform(lang.L("Could not copy the key"), describeError(err))
			return
		}
		mw.copier.Copy(name, key)
		mw.sayCopied(lang.L("Copied “{{.Name}}” to the clipboard.", map[string]any{"Name": name}), key)
	})
}

// rescueUnsaved handles keys.UnsavedKeyError: the server made a key that
// could not be stored, and it exists nowhere else. The key is shown so the
// user can copy it; it is never put anywhere else.
func (mw *mainWindow) rescueUnsaved(err error) bool {
	var u *keys.UnsavedKeyError
	if !errors.As(err, &u) {
		return false
	}
	key := widget.NewEntry()
	key.SetText(u.Key)
	key.TextStyle.Monospace = true
	m := mw.newModal(lang.L("Save this key now"), container.NewVBox(
		wrapped(lang.L("The server made a new key for “{{.Name}}”, but Keytray could not store it:", map[string]any{"Name": u.Name})),
		wrapped(describeError(u.Err)),
		wrapped(lang.L("The server will not show this key again. Copy it and keep it somewhere safe, or fix the problem and add it with “Add key”.")),
		key))
	copyIt := button(lang.L("Copy"), theme.ContentCopyIcon(), widget.HighImportance, func() { mw.copier.Copy(u.Name, u.Key) })
	m.setButtons(button(lang.L("Close"), nil, widget.MediumImportance, m.hide), copyIt)
	m.message = describeError(u.Err)
	m.d.SetOnClosed(func() { key.SetText("") })
	m.show(nil)
	m.resize(560)
	mw.unsavedDlg = m
	return true
}
