package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
)

// credsForm asks for a sign-in: email and password, LDAP user and password,
// or a pasted session token. It shows only the methods the server offers.
// The secrets live in its entries only until clear is called.
type credsForm struct {
	methods  []keys.Method
	choice   *widget.RadioGroup
	email    *formEntry
	user     *formEntry
	password *formEntry
	token    *formEntry
	help     *widget.Label
	fields   *widget.Form
	box      *fyne.Container
	onChange func() // a method was picked (dialogs re-size)
}

// methodsOf lists the sign-in methods a probed server offers, password first.
// A server that only offers SSO (or hides every form) gets the token path; one
// with sign-in turned off needs none.
func methodsOf(info openwebui.ServerInfo) []keys.Method {
	if !info.Auth {
		return []keys.Method{keys.NoSignIn}
	}
	var m []keys.Method
	if info.PasswordAuth {
		m = append(m, keys.Password)
	}
	if info.LDAP {
		m = append(m, keys.LDAP)
	}
	return append(m, keys.Token)
}

func methodName(m keys.Method) string {
	switch m {
	case keys.LDAP:
		return lang.L("LDAP")
	case keys.Token:
		return lang.L("Session token (SSO)")
	case keys.NoSignIn:
		return lang.L("No sign-in")
	}
	return lang.L("Email and password")
}

// tokenHelp explains where an SSO user finds the session token.
func tokenHelp() string {
	return lang.L("Sign in to Open WebUI in your browser, open Settings › Account and copy the “JWT token”. If it is not shown, open the browser's developer tools and copy the value of “token” under Local Storage. Keytray uses it once to get your API key and does not keep it.")
}

func newCredsForm(methods []keys.Method, email string) *credsForm {
	f := &credsForm{
		methods:  methods,
		email:    newFormEntry(lang.L("you@example.com")),
		user:     newFormEntry(lang.L("user name")),
		password: newSecretEntry(""),
		token:    newSecretEntry(lang.L("eyJ…")),
		help:     wrapped(tokenHelp()),
	}
	f.email.SetText(email)
	f.choice = widget.NewRadioGroup(nil, func(string) { f.layout() })
	f.choice.Required = true
	f.fields = widget.NewForm()
	f.box = container.NewVBox(f.choice, f.fields, f.help)
	f.setMethods(methods)
	return f
}

// setMethods offers methods (the first one picked), e.g. once a probe said
// which the server has.
func (f *credsForm) setMethods(methods []keys.Method) {
	f.methods = methods
	var names []string
	for _, m := range methods {
		names = append(names, methodName(m))
	}
	f.choice.Options = names
	// Three methods side by side are wider than a dialog in the smallest
	// window (500 px): one a line then.
	f.choice.Horizontal = len(methods) <= 2
	f.choice.Selected = ""
	f.choice.SetSelected(names[0])
	show(f.choice, len(methods) > 1)
	f.choice.Refresh()
	f.layout()
}

// method is the selected sign-in method.
func (f *credsForm) method() keys.Method {
	for _, m := range f.methods {
		if methodName(m) == f.choice.Selected {
			return m
		}
	}
	return f.methods[0]
}

func (f *credsForm) layout() {
	if f.fields == nil {
		return
	}
	f.fields.Items = nil
	f.help.Hide()
	switch f.method() {
	case keys.Password:
		f.fields.Append(lang.L("Email"), f.email)
		f.fields.Append(lang.L("Password"), f.password)
	case keys.LDAP:
		f.fields.Append(lang.L("User name"), f.user)
		f.fields.Append(lang.L("Password"), f.password)
	case keys.Token:
		f.fields.Append(lang.L("Session token"), f.token)
		f.help.Show()
	case keys.NoSignIn:
		// Nothing to fill in; the dialog says why.
	}
	f.fields.Refresh()
	if f.onChange != nil {
		f.onChange()
	}
}

// entries are the fields, for Enter/Escape binding.
func (f *credsForm) entries() []*formEntry {
	return []*formEntry{f.email, f.user, f.password, f.token}
}

// first is the field to focus; nil when there is none to fill in.
func (f *credsForm) first() fyne.Focusable {
	switch f.method() {
	case keys.NoSignIn:
		return nil
	case keys.LDAP:
		if f.user.Text != "" {
			return f.password
		}
		return f.user
	case keys.Token:
		return f.token
	}
	if f.email.Text != "" {
		return f.password
	}
	return f.email
}

// credentials returns what was typed; ok is false while a field is empty.
func (f *credsForm) credentials() (keys.Credentials, bool) {
	c := keys.Credentials{Method: f.method()}
	switch c.Method {
	case keys.Password:
		c.Email, c.Secret = strings.TrimSpace(f.email.Text), f.password.Text
		return c, c.Email != "" && c.Secret != ""
	case keys.LDAP:
		c.User, c.Secret = strings.TrimSpace(f.user.Text), f.password.Text
		return c, c.User != "" && c.Secret != ""
	case keys.NoSignIn:
		return c, true
	}
	c.Secret = strings.TrimSpace(f.token.Text)
	return c, c.Secret != ""
}

// missing names what is still to be filled in.
func (f *credsForm) missing() string {
	switch f.method() {
	case keys.Password:
		return lang.L("Type your email and password.")
	case keys.LDAP:
		return lang.L("Type your LDAP user name and password.")
	}
	return lang.L("Paste your session token.")
}

// clear drops the typed secrets.
func (f *credsForm) clear() {
	f.password.SetText("")
	f.token.SetText("")
}

func (f *credsForm) setEnabled(on bool) {
	for _, e := range f.entries() {
		enable(on, e)
	}
	enable(on, f.choice)
}
