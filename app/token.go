package app

import (
	"context"
	"errors"
	"slices"
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

// tokenExchanger turns a session JWT into the account's API key.
type tokenExchanger interface {
	Inspect(secret string) (keys.Inspection, error)
	FromToken(ctx context.Context, srv keys.Server, jwt string, name string, rotate bool) (keys.LoginResult, error)
}

// useSessionToken is the clipboard guard's "Use it to get an API key": with
// the user's consent, the JWT is used once to fetch (or create) the account's
// key, which is stored and replaces the token on the clipboard.
func (mw *mainWindow) useSessionToken(jwt string) { mw.useSessionTokenAt(jwt, "") }

// useSessionTokenAt is useSessionToken with a server address to suggest when
// the token's owner is not a stored account.
func (mw *mainWindow) useSessionTokenAt(jwt, url string) {
	mw.show()
	background(func() (keys.Inspection, error) {
		return mw.svc.Inspect(jwt)
	}, func(in keys.Inspection, err error) {
		if err != nil {
			mw.inform(lang.L("Could not read the token"), describeError(err))
			return
		}
		if in.Kind != credential.SessionJWT {
			mw.inform(lang.L("Not a session token"), lang.L("This text is not an Open WebUI session token, so it cannot be used to get an API key."))
			return
		}
		mw.tokenDlg = newTokenDialog(mw, jwt, in, url)
	})
}

// anotherServer is the server choice that reveals the address field.
func anotherServer() string { return lang.L("Another server…") }

// tokenDialog asks for consent (and, when the token's owner is unknown, the
// server), then exchanges the token for the account's key.
type tokenDialog struct {
	mw        *mainWindow
	modal     *modal
	jwt       string
	owner     string // the stored account's server, when the token's owner is known
	servers   *widget.Select
	url       *formEntry
	intro     *widget.Label
	getBtn    *pushButton
	rotateBtn *pushButton
	busy      *busy
	errs      *errorLine
	allowHTTP bool
	body      *fyne.Container
}

func newTokenDialog(mw *mainWindow, jwt string, in keys.Inspection, url string) *tokenDialog {
	d := &tokenDialog{mw: mw, jwt: jwt, errs: newErrorLine()}
	d.intro = wrapped(tokenIntro(mw, in))
	d.url = newFormEntry(lang.L("https://chat.example.com"))
	d.getBtn = button(lang.L("Get API key"), theme.LoginIcon(), widget.HighImportance, func() { d.exchange(false) })
	d.rotateBtn = button(lang.L("Replace the key"), theme.WarningIcon(), widget.DangerImportance, func() { d.exchange(true) })
	d.busy = newBusy(d.getBtn, d.rotateBtn, d.url)

	choice := []fyne.CanvasObject{d.intro}
	if in.Owner != nil {
		d.owner = in.Owner.Instance
		choice = append(choice, widget.NewForm(widget.NewFormItem(lang.L("Server"), widget.NewLabel(d.owner))))
	} else {
		var opts []string
		for _, i := range mw.instances {
			opts = append(opts, i.URL)
		}
		opts = append(opts, anotherServer())
		d.servers = widget.NewSelect(opts, func(s string) {
			if s == anotherServer() {
				d.url.Show()
				mw.win.Canvas().Focus(d.url)
			} else {
				d.url.Hide()
			}
		})
		d.servers.PlaceHolder = lang.L("Choose a server")
		d.url.Hide()
		switch {
		case url != "" && slices.Contains(opts, url):
			d.servers.SetSelected(url)
		case url != "":
			d.url.SetText(url)
			d.servers.SetSelected(anotherServer())
		case len(opts) == 2:
			d.servers.SetSelected(opts[0])
		}
		choice = append(choice, widget.NewForm(widget.NewFormItem(lang.L("Server"), container.NewVBox(d.servers, d.url))))
	}
	d.body = container.NewVBox(choice...)
	d.modal = mw.newModal(lang.L("Get an API key from this session token"), d.body, d.busy, d.errs)
	d.modal.submit = func() { d.exchange(false) }
	d.modal.bind(d.url)
	d.modal.d.SetOnClosed(func() { d.jwt = "" })
	d.modal.setButtons(cancelButton(d.modal), d.getBtn)
	d.modal.show(nil)
	d.modal.resize(560)
	return d
}

// tokenIntro explains whose token this is, why it will break and what
// Keytray will do with it.
func tokenIntro(mw *mainWindow, in keys.Inspection) string {
	who := lang.L("an Open WebUI account Keytray does not know yet")
	if in.Owner != nil {
		who = accountOrName(*in.Owner)
	}
	life := lang.L("It does not expire, but it stops working when the server's secret changes or the account is signed out (on newer servers also after a password change).")
	if j := in.JWT; j != nil && !j.ExpiresAt.IsZero() {
		if j.Expired(mw.now()) {
			life = lang.L("It has already expired, so the server will probably refuse it; copy a fresh one after signing in again.")
		} else {
			life = lang.L("It expires on {{.When}}, and stops working earlier if the server's secret changes or the account is signed out (on newer servers also after a password change).", map[string]any{"When": j.ExpiresAt.Local().Format("2006-01-02 15:04")})
		}
	}
	if j := in.JWT; j.Internal() {
		life += " " + lang.L("It is Open WebUI's internal “{{.Type}}” token: short-lived, and not a sign-in session.", map[string]any{"Type": j.Type})
	}
	return lang.L("This is a session token for {{.Who}}, not an API key. {{.Life}} Keytray can use it once to fetch your account's API key (creating one only if there is none), keep the key in your keyring and put it on the clipboard in place of the token. The token itself is not kept.",
		map[string]any{"Who": who, "Life": life})
}

// server is the chosen server, or "" while none is chosen.
func (d *tokenDialog) server() string {
	if d.owner != "" {
		return d.owner
	}
	if d.servers.Selected == anotherServer() {
		return strings.TrimSpace(d.url.Text)
	}
	return d.servers.Selected
}

func (d *tokenDialog) exchange(rotate bool) {
	url := d.server()
	if url == "" {
		d.errs.set(lang.L("Choose the server this token is from."))
		return
	}
	if d.busy.running() || d.jwt == "" {
		return
	}
	mw, ctx, jwt := d.mw, d.modal.ctx, d.jwt
	srv := mw.serverFor(url)
	srv.AllowHTTP = srv.AllowHTTP || d.allowHTTP
	dialogWork(d.modal, d.busy, d.errs, lang.L("Fetching your API key…"), func() (keys.LoginResult, error) {
		return mw.svc.FromToken(ctx, srv, jwt, "", rotate)
	}, func(res keys.LoginResult, err error) {
		switch {
		case err == nil:
			d.modal.hide()
			mw.copier.Copy(res.Entry.Name, res.Key)
			mw.refresh()
			mw.inform(lang.L("API key stored"), lang.L("The key is stored as “{{.Name}}” and is now on the clipboard in place of the session token. Use it wherever you pasted the token.", map[string]any{"Name": res.Entry.Name}))
		case errors.Is(err, keys.ErrKeyExistsUnreadable):
			d.offerRotation()
		case errors.Is(err, openwebui.ErrInsecureHTTP) && !srv.AllowHTTP:
			mw.confirmHTTP(url, func() {
				d.allowHTTP = true
				d.exchange(rotate)
			})
		case mw.rescueUnsaved(err):
			d.modal.hide()
			mw.refresh()
		default:
			d.errs.set(describeError(err))
		}
	})
}

func (d *tokenDialog) offerRotation() {
	d.body.Objects = []fyne.CanvasObject{wrapped(rotateOfferText())}
	d.body.Refresh()
	d.modal.submit = nil
	d.modal.setButtons(cancelButton(d.modal), d.rotateBtn)
	d.modal.resize(560)
}
