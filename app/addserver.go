package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
)

// serverLogin is what adding a server needs: probe it, then sign in and
// fetch or create the account's key.
type serverLogin interface {
	Probe(ctx context.Context, srv keys.Server) (openwebui.ServerInfo, error)
	Login(ctx context.Context, req keys.LoginRequest) (keys.LoginResult, error)
}

// insecure reports a plain-http server that is not on this machine: a
// password or token sent there travels unencrypted.
func insecure(url string) bool {
	return strings.HasPrefix(strings.ToLower(url), "http://") && !openwebui.IsLoopback(url)
}

// Steps of the add-server dialog.
const (
	stepAddress = iota
	stepSignIn
	stepCode
	stepRotateOffer
	stepDone
)

// addServerDialog: type an address → Keytray probes it and shows what the
// server is and how one signs in → sign in → the key is fetched (or created
// when the account has none) and stored. It never rotates unless the user
// accepts the offer made when the server will not show an existing key.
type addServerDialog struct {
	mw    *mainWindow
	modal *modal
	step  int
	body  *fyne.Container

	url      *formEntry
	probeBtn *pushButton

	info      openwebui.ServerInfo
	server    *widget.Label
	methods   *widget.Label
	httpWarn  *widget.Label
	creds     *credsForm
	name      *formEntry
	signInBtn *pushButton
	allowHTTP bool

	code      *codeStep
	verifyBtn *pushButton

	rotateText *widget.Label
	rotateBtn  *pushButton

	result     keys.LoginResult
	resultText *widget.Label
	copyBtn    *pushButton

	busy *busy
	errs *errorLine
}

func (mw *mainWindow) showAddServer(url string) {
	mw.addServerDlg = newAddServerDialog(mw, url)
}

func newAddServerDialog(mw *mainWindow, url string) *addServerDialog {
	d := &addServerDialog{mw: mw, errs: newErrorLine(), body: container.NewVBox()}
	d.url = newFormEntry(lang.L("https://chat.example.com"))
	d.url.SetText(url)
	d.probeBtn = button(lang.L("Continue"), theme.NavigateNextIcon(), widget.HighImportance, d.probe)
	d.signInBtn = button(lang.L("Sign in"), theme.LoginIcon(), widget.HighImportance, d.signIn)
	d.rotateBtn = button(lang.L("Replace the key"), theme.WarningIcon(), widget.DangerImportance, func() { d.login(true) })
	d.copyBtn = button(lang.L("Copy key"), theme.ContentCopyIcon(), widget.HighImportance, d.copyKey)
	d.code = newCodeStep()
	d.code.onChange = func() { d.modal.resize(560) }
	d.verifyBtn = button(lang.L("Verify"), theme.ConfirmIcon(), widget.HighImportance, d.submitCode)
	d.busy = newBusy(d.probeBtn, d.signInBtn, d.rotateBtn, d.verifyBtn, d.url)
	d.server = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.methods = wrapped("")
	d.httpWarn = wrapped(lang.L("This server uses plain http:// and is not on this computer: your password or token would travel unencrypted over the network. Keytray asks you to confirm before sending it."))
	d.httpWarn.Importance = widget.WarningImportance
	d.name = newFormEntry("")
	d.rotateText = wrapped("")
	d.resultText = wrapped("")

	d.modal = mw.newModal(lang.L("Add an Open WebUI server"), d.body, d.busy, d.errs)
	d.modal.d.SetOnClosed(d.forgetSecrets)
	d.modal.bind(d.url, d.name, d.code.code)
	d.code.code.onEscape = d.leaveCode
	d.showAddress()
	d.modal.show(d.url)
	return d
}

// forgetSecrets drops the typed password or token and the fetched key
// when the dialog closes.
func (d *addServerDialog) forgetSecrets() {
	d.code.leave(context.Canceled)
	if d.creds != nil {
		d.creds.clear()
	}
	d.result.Key = ""
}

func (d *addServerDialog) setBody(objs ...fyne.CanvasObject) {
	d.body.Objects = objs
	d.body.Refresh()
	d.errs.set("")
	d.modal.resize(560)
}

func (d *addServerDialog) showAddress() {
	d.step = stepAddress
	d.setBody(
		wrapped(lang.L("Type the address you open Open WebUI at in your browser. Keytray first checks what the server is; nothing is sent but the address.")),
		widget.NewForm(widget.NewFormItem(lang.L("Server address"), d.url)),
	)
	d.modal.submit = d.probe
	d.modal.setButtons(cancelButton(d.modal), d.probeBtn)
}

func (d *addServerDialog) probe() {
	raw := strings.TrimSpace(d.url.Text)
	if raw == "" {
		d.errs.set(lang.L("Type the server's address first."))
		return
	}
	if d.busy.running() {
		return
	}
	mw, ctx := d.mw, d.modal.ctx
	dialogWork(d.modal, d.busy, d.errs, lang.L("Contacting the server…"), func() (openwebui.ServerInfo, error) {
		return mw.svc.Probe(ctx, keys.Server{URL: raw})
	}, func(info openwebui.ServerInfo, err error) {
		if err != nil {
			d.errs.set(describeError(err))
			return
		}
		d.info = info
		d.showSignIn()
	})
}

func (d *addServerDialog) showSignIn() {
	d.step = stepSignIn
	info := d.info
	name := info.Name
	if name == "" {
		name = lang.L("Open WebUI")
	}
	d.server.SetText(lang.L("{{.Name}} {{.Version}}", map[string]any{"Name": name, "Version": info.Version}))
	d.methods.SetText(d.methodsText())
	d.creds = newCredsForm(methodsOf(info), "")
	d.creds.onChange = func() { d.modal.resize(560) }
	d.modal.bind(d.creds.entries()...)
	d.name.SetPlaceHolder(lang.L("optional — default: your email name @ server"))
	d.layoutSignIn()
}

// layoutSignIn shows the sign-in step with what was typed so far (also
// when coming back from the code step).
func (d *addServerDialog) layoutSignIn() {
	d.step = stepSignIn
	info := d.info
	head := container.NewVBox(container.NewHBox(widget.NewIcon(theme.ComputerIcon()), d.server), widget.NewLabel(info.URL), d.methods)
	objs := []fyne.CanvasObject{head, widget.NewSeparator()}
	if insecure(info.URL) {
		objs = append(objs, d.httpWarn)
	}
	objs = append(objs, d.creds.box, widget.NewForm(widget.NewFormItem(lang.L("Name in Keytray"), d.name)))
	d.setBody(objs...)
	d.modal.submit = d.signIn
	back := button(lang.L("Back"), theme.NavigateBackIcon(), widget.MediumImportance, d.showAddress)
	d.modal.setButtons(cancelButton(d.modal), back, d.signInBtn)
	if f := d.creds.first(); f != nil {
		d.mw.win.Canvas().Focus(f)
	}
}

// methodsText says how this server lets people sign in.
func (d *addServerDialog) methodsText() string {
	if !d.info.Auth {
		return lang.L("This server has sign-in turned off: anyone who can reach it uses the same account. Keytray stores that account's key.")
	}
	var ways []string
	if d.info.PasswordAuth {
		ways = append(ways, lang.L("email and password"))
	}
	if d.info.LDAP {
		ways = append(ways, lang.L("LDAP"))
	}
	if len(d.info.OAuthProviders) > 0 {
		ways = append(ways, lang.L("single sign-on ({{.Providers}})", map[string]any{"Providers": strings.Join(d.info.OAuthProviders, ", ")}))
	}
	if d.info.SSOOnly() {
		return lang.L("Sign-in: {{.Ways}}. Keytray cannot open a single sign-on page, so paste a session token instead (see below).", map[string]any{"Ways": strings.Join(ways, lang.L(", "))})
	}
	if len(ways) == 0 {
		return lang.L("The server does not say how to sign in; a session token works on every server.")
	}
	return lang.L("Sign-in: {{.Ways}}.", map[string]any{"Ways": strings.Join(ways, lang.L(", "))})
}

func (d *addServerDialog) signIn() {
	if d.busy.running() {
		return
	}
	if _, ok := d.creds.credentials(); !ok {
		d.errs.set(d.creds.missing())
		return
	}
	if insecure(d.info.URL) && !d.allowHTTP {
		d.mw.confirmHTTP(d.info.URL, func() {
			d.allowHTTP = true
			d.login(false)
		})
		return
	}
	d.login(false)
}

func (d *addServerDialog) login(rotate bool) {
	creds, ok := d.creds.credentials()
	if !ok || d.busy.running() {
		return
	}
	mw, ctx := d.mw, d.modal.ctx
	req := keys.LoginRequest{
		Server: keys.Server{URL: d.info.URL, AllowHTTP: d.allowHTTP},
		Creds:  creds,
		Name:   strings.TrimSpace(d.name.Text),
		Rotate: rotate,
	}
	what := lang.L("Signing in and fetching your key…")
	if rotate {
		what = lang.L("Signing in and making a new key…")
	}
	req.Creds.Code = d.code.source(d.showCode)
	d.creds.setEnabled(false)
	dialogWork(d.modal, d.busy, d.errs, what, func() (keys.LoginResult, error) {
		return mw.svc.Login(ctx, req)
	}, func(res keys.LoginResult, err error) {
		d.creds.setEnabled(true)
		if d.step == stepCode {
			// The sign-in ended at its code step: whatever comes next
			// (the result, or the password step again) replaces it.
			d.layoutSignIn()
		}
		switch {
		case errors.Is(err, errLeftCodeStep):
			// Back to the password step, as the person asked.
		case err == nil:
			d.creds.clear()
			d.result = res
			d.showDone()
			mw.refresh()
		case errors.Is(err, keys.ErrKeyExistsUnreadable):
			d.showRotateOffer()
		case mw.rescueUnsaved(err):
			d.creds.clear()
			d.modal.hide()
			mw.refresh()
		default:
			d.errs.set(describeError(err))
		}
	})
}

// showCode shows the code step of a sign-in that waits for it; prev is the
// previous code's error (nil at first).
func (d *addServerDialog) showCode(prev error) {
	if d.modal.closed {
		d.code.leave(context.Canceled)
		return
	}
	d.step = stepCode
	d.busy.done()
	d.setBody(container.NewHBox(widget.NewIcon(theme.AccountIcon()),
		widget.NewLabelWithStyle(lang.L("Two-step sign-in"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})), d.code.box)
	d.errs.set(describeError(prev))
	d.modal.resize(560)
	d.modal.submit = d.submitCode
	back := button(lang.L("Back"), theme.NavigateBackIcon(), widget.MediumImportance, d.leaveCode)
	d.modal.setButtons(cancelButton(d.modal), back, d.verifyBtn)
	d.mw.win.Canvas().Focus(d.code.code)
}

func (d *addServerDialog) submitCode() {
	if d.busy.running() || !d.code.waiting() {
		return
	}
	if d.code.submit(d.errs) {
		d.errs.set("")
		d.busy.start(lang.L("Checking the code…"))
	} else {
		d.modal.resize(560)
	}
}

// leaveCode goes back from the code step to the password step.
func (d *addServerDialog) leaveCode() {
	if d.code.waiting() {
		d.busy.start(lang.L("Going back…"))
		d.code.leave(errLeftCodeStep)
	}
}

func (d *addServerDialog) showRotateOffer() {
	d.step = stepRotateOffer
	d.rotateText.SetText(rotateOfferText())
	d.setBody(widget.NewIcon(theme.WarningIcon()), d.rotateText)
	d.modal.submit = nil // replacing a key is never the Enter default
	d.modal.setButtons(cancelButton(d.modal), d.rotateBtn)
}

func (d *addServerDialog) showDone() {
	d.step = stepDone
	r := d.result
	var what string
	switch r.Outcome {
	case keys.CreatedNew:
		what = lang.L("Your account had no API key, so Keytray created one and stored it as “{{.Name}}”.", map[string]any{"Name": r.Entry.Name})
	case keys.Rotated:
		what = lang.L("Keytray made a new key and stored it as “{{.Name}}”. The old key no longer works.", map[string]any{"Name": r.Entry.Name})
	case keys.AlreadyStored:
		what = lang.L("This key was already stored as “{{.Name}}”. Nothing changed.", map[string]any{"Name": r.Entry.Name})
	default:
		what = lang.L("Keytray fetched your existing API key and stored it as “{{.Name}}”. Nothing changed on the server.", map[string]any{"Name": r.Entry.Name})
	}
	d.resultText.SetText(what)
	key := widget.NewLabelWithStyle(credential.Mask(r.Key), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	d.setBody(container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), widget.NewLabelWithStyle(lang.L("Done"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		d.resultText, key)
	done := button(lang.L("Close"), nil, widget.MediumImportance, d.modal.hide)
	d.modal.submit = d.modal.hide
	d.modal.setButtons(done, d.copyBtn)
}

func (d *addServerDialog) copyKey() {
	if d.result.Key == "" {
		return
	}
	d.mw.copier.Copy(d.result.Entry.Name, d.result.Key)
	d.modal.hide()
}

// confirmHTTP asks before a secret goes to a plain-http server that is not
// on this computer.
func (mw *mainWindow) confirmHTTP(url string, onYes func()) {
	mw.confirm(lang.L("Send it unencrypted?"),
		lang.L("{{.URL}} uses plain http://. Your password or token, and then your API key, would cross the network unencrypted, where others on the network could read them. Continue only on a network you trust.", map[string]any{"URL": url}),
		lang.L("Send unencrypted"), onYes)
}

// rotateOfferText explains the only way to a usable key when the server will
// not show the existing one, and what it costs.
func rotateOfferText() string {
	return lang.L("Your account already has an API key, but this server does not show existing keys again, so Keytray cannot store it. Keytray can replace it with a new key that it stores right away. The current key then stops working at once: every script and integration that uses it breaks until you give it the new key.")
}
