package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// keyDetails is everything the window knows about one key, in words: where
// it lives, whose it is, when it was stored and checked, and the last check's
// result with its whole reason and what to do about it.
type keyDetails struct {
	Server, Account, Stored, Checked, Status, Reason, Advice string
}

// detailsOf describes e; failed is a fresh check failure the window holds
// for it ("" when none).
func (mw *mainWindow) detailsOf(e vault.Entry, failed string) keyDetails {
	inst := mw.instance(e.Instance)
	d := keyDetails{Server: e.Instance, Account: accountText(e)}
	if inst.Name != "" {
		d.Server = inst.Name + " · " + e.Instance
	}
	if inst.Version != "" {
		d.Server = lang.L("{{.Server}} (version {{.Version}})", map[string]any{"Server": d.Server, "Version": inst.Version})
	}
	now := mw.now()
	if !e.Created.IsZero() {
		d.Stored = e.Created.Local().Format("2006-01-02 15:04") + " (" + ago(now, e.Created) + ")"
		switch e.Source {
		case "rotate":
			d.Stored = lang.L("{{.When}}, when it was rotated", map[string]any{"When": d.Stored})
		case "import":
			d.Stored = lang.L("{{.When}}, from a backup", map[string]any{"When": d.Stored})
		}
	}
	d.Checked = lang.L("never")
	if !e.LastChecked.IsZero() {
		d.Checked = e.LastChecked.Local().Format("2006-01-02 15:04") + " (" + ago(now, e.LastChecked) + ")"
	}
	d.Status, _, _ = statusWords(e.LastStatus)
	d.Reason = failed
	if d.Reason == "" && e.LastDetail != "" {
		d.Reason = e.LastDetail
	}
	d.Advice = statusAdvice(e)
	return d
}

// statusAdvice says what to do about a key's last check result.
func statusAdvice(e vault.Entry) string {
	switch openwebui.Status(e.LastStatus) {
	case openwebui.StatusValid:
		return ""
	case openwebui.StatusRestricted:
		return lang.L("Nothing, probably: the server lets API keys reach only some endpoints, and Keytray's check is not one of them. Your own requests may still be allowed.")
	case openwebui.StatusRejected:
		return lang.L("Rotate the key to get a new one (you sign in once), or remove it from Keytray if you no longer use it.")
	case openwebui.StatusDisabled:
		if e.Role == "admin" {
			return lang.L("You are an admin of this server: you can turn API keys on in Admin Settings › General (Enable API Keys), and allow them for your users' groups in Admin Settings › Users › Groups.")
		}
		return lang.L("Ask the server's admin to turn API keys on (Admin Settings › General) and to allow them for your group.")
	case "":
		return lang.L("Check it to find out whether it works.")
	}
	return lang.L("Make sure the server is reachable from this computer (open it in your browser), then check again.")
}

// text is the details as lines, as the view shows them (tests read it).
func (d keyDetails) text() string {
	var b strings.Builder
	for _, l := range [][2]string{{"Server", d.Server}, {"Account", d.Account}, {"Stored", d.Stored}, {"Checked", d.Checked},
		{"Status", d.Status}, {"Reason", d.Reason}, {"What to do", d.Advice}} {
		if l[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", l[0], l[1])
		}
	}
	return b.String()
}

// showDetails opens the details view of the key named name.
func (mw *mainWindow) showDetails(name string) {
	i := mw.entryIndex(name)
	if i < 0 {
		return
	}
	e := mw.entries[i]
	d := mw.detailsOf(e, mw.failed[name])
	_, imp, icon := statusWords(e.LastStatus)
	if mw.failed[name] != "" {
		imp, icon = widget.WarningImportance, theme.WarningIcon()
	}
	status := wrapped(d.Status)
	status.Importance = imp
	status.TextStyle.Bold = true
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Server"), wrapped(d.Server)),
		widget.NewFormItem(lang.L("Account"), wrapped(d.Account)),
	)
	if d.Stored != "" {
		form.Append(lang.L("Stored"), wrapped(d.Stored))
	}
	form.Append(lang.L("Last checked"), wrapped(d.Checked))
	form.Append(lang.L("Status"), container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, status))
	if d.Reason != "" {
		form.Append(lang.L("Reason"), wrapped(d.Reason))
	}
	if d.Advice != "" {
		form.Append(lang.L("What to do"), wrapped(d.Advice))
	}
	m := mw.newModal(lang.L("Details of “{{.Name}}”", map[string]any{"Name": name}), form)
	m.message = d.text()
	check := button(lang.L("Check now"), theme.ViewRefreshIcon(), widget.MediumImportance, func() {
		m.hide()
		mw.checkNames(name)
	})
	m.submit = m.hide
	m.setButtons(check, button(lang.L("Close"), nil, widget.HighImportance, m.hide))
	m.show(nil)
	m.resize(560)
	mw.detailsDlg = m
}

// statusLabel is a row's status line: cut short to fit the row, it shows its
// whole text in a pop-up while the pointer rests on it, and a tap opens the
// key's details.
type statusLabel struct {
	widget.BaseWidget
	label *widget.Label
	full  string
	tip   *widget.PopUp
	onTap func()
}

func newStatusLabel(onTap func()) *statusLabel {
	s := &statusLabel{label: widget.NewLabel(""), onTap: onTap}
	s.label.Truncation = fyne.TextTruncateEllipsis
	s.ExtendBaseWidget(s)
	return s
}

func (s *statusLabel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.label)
}

// set shows text in the colour imp gives it.
func (s *statusLabel) set(text string, imp widget.Importance) {
	s.full = text
	s.label.Importance = imp
	s.label.SetText(text)
	s.hideTip()
}

func (s *statusLabel) Tapped(*fyne.PointEvent) {
	s.hideTip()
	if s.onTap != nil {
		s.onTap()
	}
}

// MouseIn shows the whole text under the line.
func (s *statusLabel) MouseIn(*desktop.MouseEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(s)
	if c == nil || s.full == "" {
		return
	}
	tip := wrapped(s.full)
	tip.Importance = s.label.Importance
	width := min(max(s.Size().Width, 320), c.Size().Width-2*theme.Padding())
	s.tip = widget.NewPopUp(tip, c)
	s.tip.Resize(fyne.NewSize(width, tip.MinSize().Height))
	tip.Resize(fyne.NewSize(width, 0))
	s.tip.Resize(fyne.NewSize(width, tip.MinSize().Height))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s).Add(fyne.NewPos(0, s.Size().Height))
	s.tip.ShowAtPosition(pos)
}

func (s *statusLabel) MouseMoved(*desktop.MouseEvent) {}

func (s *statusLabel) MouseOut() { s.hideTip() }

func (s *statusLabel) hideTip() {
	if s.tip != nil {
		s.tip.Hide()
		s.tip = nil
	}
}

// tipText is the text of the pop-up showing now, "" when none (tests).
func (s *statusLabel) tipText() string {
	if s.tip == nil {
		return ""
	}
	return s.full
}
