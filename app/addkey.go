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
	"github.com/keytray/keytray/keys/vault"
)

// keyAdder stores a key the user already has.
type keyAdder interface {
	Add(ctx context.Context, req keys.AddRequest) (vault.Entry, error)
}

// addKeyDialog stores an existing sk- key. A session JWT pasted here is
// refused with the reason, and the offer to use it to get a real key.
type addKeyDialog struct {
	mw       *mainWindow
	modal    *modal
	url      *formEntry
	known    *widget.Select
	key      *formEntry
	name     *formEntry
	noVerify *widget.Check
	jwtNote  *widget.Label
	useJWT   *pushButton
	save     *pushButton
	busy     *busy
	errs     *errorLine
	// allowHTTP: the user agreed to send the key to a plain-http server.
	allowHTTP bool
}

func (mw *mainWindow) showAddKey(url, key string) {
	mw.addKeyDlg = newAddKeyDialog(mw, url, key)
}

// offerSaveKey opens the add-key dialog with a key the clipboard guard saw.
func (mw *mainWindow) offerSaveKey(key string) {
	mw.show()
	mw.showAddKey("", key)
}

func newAddKeyDialog(mw *mainWindow, url, key string) *addKeyDialog {
	d := &addKeyDialog{mw: mw, errs: newErrorLine()}
	d.url = newFormEntry(lang.L("https://chat.example.com"))
	if url == "" && len(mw.instances) == 1 {
		url = mw.instances[0].URL
	}
	d.url.SetText(url)
	var urls []string
	for _, i := range mw.instances {
		urls = append(urls, i.URL)
	}
	d.known = widget.NewSelect(urls, func(u string) { d.url.SetText(u) })
	d.known.PlaceHolder = lang.L("Known servers")
	d.key = newSecretEntry(lang.L("sk-…"))
	d.key.SetText(key)
	d.key.OnChanged = func(string) { d.classify() }
	d.name = newFormEntry(lang.L("optional — default: from the key's owner"))
	d.noVerify = widget.NewCheck(lang.L("Store without asking the server (for a server that is offline now)"), nil)
	d.jwtNote = wrapped("")
	d.jwtNote.Importance = widget.WarningImportance
	d.jwtNote.Hide()
	d.useJWT = button(lang.L("Use it to get an API key"), theme.LoginIcon(), widget.HighImportance, d.exchange)
	d.save = button(lang.L("Store key"), theme.DocumentSaveIcon(), widget.HighImportance, d.submit)
	d.busy = newBusy(d.save, d.useJWT)

	urlRow := fyne.CanvasObject(d.url)
	if len(urls) > 1 {
		urlRow = container.NewBorder(nil, nil, nil, d.known, d.url)
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Server address"), urlRow),
		widget.NewFormItem(lang.L("API key"), d.key),
		widget.NewFormItem(lang.L("Name in Keytray"), d.name),
	)
	d.modal = mw.newModal(lang.L("Add a key you already have"), container.NewVBox(
		wrapped(lang.L("Paste an API key from Open WebUI (Settings › Account › API keys). Keytray checks it with the server, then keeps it in your keyring.")),
		form, d.noVerify, d.jwtNote), d.busy, d.errs)
	d.modal.submit = d.submit
	d.modal.bind(d.url, d.key, d.name)
	d.modal.d.SetOnClosed(func() { d.key.SetText("") })
	d.modal.setButtons(cancelButton(d.modal), d.save)
	var focus fyne.Focusable = d.key
	if d.url.Text == "" {
		focus = d.url
	}
	d.modal.show(focus)
	d.modal.resize(580)
	d.classify()
	return d
}

// classify warns as soon as the pasted text is a session token.
func (d *addKeyDialog) classify() {
	r := credential.Classify(d.key.Text)
	if r.Kind == credential.SessionJWT {
		d.showJWT()
		return
	}
	if d.jwtNote.Visible() {
		d.jwtNote.Hide()
		d.modal.submit = d.submit
		d.modal.setButtons(cancelButton(d.modal), d.save)
		d.modal.resize(580)
	}
}

func (d *addKeyDialog) showJWT() {
	d.jwtNote.SetText(describeError(keys.ErrJWTNotKey))
	d.jwtNote.Show()
	// The offer replaces "Store key": a JWT is never stored as a key.
	d.modal.submit = d.exchange
	d.modal.setButtons(cancelButton(d.modal), d.useJWT)
	d.modal.resize(580)
}

func (d *addKeyDialog) submit() {
	if d.busy.running() || d.jwtNote.Visible() {
		return
	}
	url, key := strings.TrimSpace(d.url.Text), strings.TrimSpace(d.key.Text)
	switch {
	case url == "":
		d.errs.set(lang.L("Type the server's address first."))
		return
	case key == "":
		d.errs.set(lang.L("Paste the API key."))
		return
	}
	mw, ctx := d.mw, d.modal.ctx
	req := keys.AddRequest{
		Server:   mw.serverFor(url),
		Key:      key,
		Name:     strings.TrimSpace(d.name.Text),
		NoVerify: d.noVerify.Checked,
	}
	req.Server.AllowHTTP = req.Server.AllowHTTP || d.allowHTTP
	what := lang.L("Checking the key with the server…")
	if req.NoVerify {
		what = lang.L("Storing the key…")
	}
	dialogWork(d.modal, d.busy, d.errs, what, func() (vault.Entry, error) {
		return mw.svc.Add(ctx, req)
	}, func(e vault.Entry, err error) {
		switch {
		case err == nil:
			d.modal.hide()
			mw.say(lang.L("Stored “{{.Name}}”.", map[string]any{"Name": e.Name}), nil)
			mw.refresh()
		case errors.Is(err, keys.ErrJWTNotKey):
			d.showJWT()
		case errors.Is(err, openwebui.ErrInsecureHTTP) && !req.Server.AllowHTTP:
			mw.confirmHTTP(url, func() {
				d.allowHTTP = true
				d.submit()
			})
		default:
			d.errs.set(describeError(err))
		}
	})
}

// exchange hands the pasted JWT to the token flow, which gets the real key.
func (d *addKeyDialog) exchange() {
	jwt, url := strings.TrimSpace(d.key.Text), strings.TrimSpace(d.url.Text)
	d.modal.hide()
	d.mw.useSessionTokenAt(jwt, url)
}

// serverFor is the Server for an address, with the options stored for it
// (plain http allowed, CA file) when Keytray knows the server.
func (mw *mainWindow) serverFor(url string) keys.Server {
	for _, i := range mw.instances {
		if i.URL == url {
			return keys.Server{URL: i.URL, AllowHTTP: i.AllowHTTP, CAFile: i.CAFile}
		}
	}
	return keys.Server{URL: url}
}
