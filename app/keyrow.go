package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// keyActor is what a key's row does to it.
type keyActor interface {
	Check(ctx context.Context, names ...string) ([]keys.CheckResult, error)
	Rotate(ctx context.Context, name string, creds *keys.Credentials) (vault.Entry, error)
	Revoke(ctx context.Context, name string, creds *keys.Credentials) error
	Remove(name string) error
	Rename(oldName, newName string) error
	ExportPlain(names []string, format string) ([]byte, error)
}

// keyRow is one stored key in the list: its name, account, masked key, last
// check, and the buttons acting on it.
type keyRow struct {
	mw    *mainWindow
	entry vault.Entry
	frame *selectable

	name       *widget.Label
	account    *widget.RichText
	key        *widget.Label
	status     *widget.Label
	statusIcon *widget.Icon
	activity   *widget.Activity
	keyLine    *fyne.Container // re-laid out when the key text changes width

	copyBtn, revealBtn, checkBtn, moreBtn *widget.Button

	mask       string
	revealed   bool
	stopReveal func()
}

func newKeyRow(mw *mainWindow, e vault.Entry) *keyRow {
	r := &keyRow{mw: mw, entry: e}
	r.name = widget.NewLabelWithStyle(e.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.account = secondary(accountText(e))
	r.account.Truncation = fyne.TextTruncateEllipsis
	r.key = widget.NewLabelWithStyle(shortFingerprint(e.Fingerprint), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	r.status = widget.NewLabel("")
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.statusIcon = widget.NewIcon(nil)
	r.activity = widget.NewActivity()
	r.activity.Hide()

	r.copyBtn = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), r.copyKey)
	r.revealBtn = widget.NewButtonWithIcon(lang.L("Reveal"), theme.VisibilityIcon(), r.toggleReveal)
	r.checkBtn = widget.NewButtonWithIcon(lang.L("Check"), theme.ViewRefreshIcon(), r.check)
	r.moreBtn = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), r.showMenu)
	for _, b := range []*widget.Button{r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn} {
		b.Importance = widget.LowImportance
	}
	r.showStatus("")

	buttons := container.NewHBox(r.activity, r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn)
	r.keyLine = container.NewBorder(nil, nil, r.key, nil, container.NewBorder(nil, nil, r.statusIcon, nil, r.status))
	lines := container.NewVBox(container.NewBorder(nil, nil, r.name, nil, r.account), r.keyLine)
	r.frame = newSelectable(container.NewBorder(nil, nil, nil, container.NewCenter(buttons), lines),
		func() { mw.selectRow(e.Name) })
	return r
}

func accountText(e vault.Entry) string {
	switch {
	case e.Email != "" && e.Role != "":
		return lang.L("{{.Email}} ({{.Role}})", map[string]any{"Email": e.Email, "Role": roleText(e.Role)})
	case e.Email != "":
		return e.Email
	}
	return lang.L("account not known yet")
}

func roleText(role string) string {
	switch role {
	case "admin":
		return lang.L("admin")
	case "user":
		return lang.L("user")
	case "pending":
		return lang.L("pending approval")
	}
	return role
}

// shortFingerprint is shown while the mask loads: it tells keys apart
// without the keyring.
func shortFingerprint(fp string) string {
	if fp == "" {
		return "sk-…"
	}
	return strings.TrimPrefix(fp, "sha256:") + "…"
}

// showKey shows the key's mask (unless the key is revealed).
func (r *keyRow) showKey(mask string) {
	if r.revealed {
		return
	}
	r.mask = mask
	r.key.SetText(mask)
	r.keyLine.Refresh()
}

// showStatus shows the last check in words; override replaces the words
// (a fresh failure that the index only records as "unknown").
func (r *keyRow) showStatus(override string) {
	text, imp, icon := statusWords(r.entry.LastStatus)
	if override != "" {
		text, imp, icon = override, widget.WarningImportance, theme.WarningIcon()
	}
	if !r.entry.LastChecked.IsZero() {
		text = lang.L("{{.Status}} · checked {{.When}}", map[string]any{"Status": text, "When": ago(r.mw.now(), r.entry.LastChecked)})
	}
	r.status.Importance = imp
	r.status.SetText(text)
	r.statusIcon.SetResource(icon)
}

// statusWords says what a recorded check result means.
func statusWords(status string) (string, widget.Importance, fyne.Resource) {
	switch openwebui.Status(status) {
	case openwebui.StatusValid:
		return lang.L("Works"), widget.SuccessImportance, theme.ConfirmIcon()
	case openwebui.StatusRestricted:
		return lang.L("Probably works: the server's endpoint allow-list blocks the check"), widget.WarningImportance, theme.WarningIcon()
	case openwebui.StatusRejected:
		return lang.L("Rejected: revoked or replaced on the server"), widget.DangerImportance, theme.ErrorIcon()
	case openwebui.StatusDisabled:
		return lang.L("Refused: API keys are off, or this account may not use them"), widget.DangerImportance, theme.ErrorIcon()
	case "":
		return lang.L("Not checked yet"), widget.MediumImportance, theme.QuestionIcon()
	}
	return lang.L("Could not be checked"), widget.WarningImportance, theme.WarningIcon()
}

// setBusy shows the spinner and disables the buttons while an operation runs.
func (r *keyRow) setBusy(on bool, what string) {
	for _, b := range []*widget.Button{r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		r.activity.Show()
		r.activity.Start()
		r.status.SetText(what)
		r.status.Importance = widget.MediumImportance
		r.status.Refresh()
		return
	}
	r.activity.Stop()
	r.activity.Hide()
	r.showStatus("")
}

// stop ends what the row runs on its own (the reveal timer) when it is discarded.
func (r *keyRow) stop() {
	r.conceal()
	r.activity.Stop()
}

func (r *keyRow) copyKey() { r.mw.copyByName(r.entry.Name) }

func (r *keyRow) copyEnv() {
	name := r.entry.Name
	background(func() ([]byte, error) {
		return r.mw.svc.ExportPlain([]string{name}, "env")
	}, func(env []byte, err error) {
		if err != nil {
			r.mw.inform(lang.L("Could not copy the key"), describeError(err))
			return
		}
		r.mw.copier.Copy(lang.L("{{.Name}} as .env", map[string]any{"Name": name}), string(env))
		r.mw.notice.SetText(lang.L("Copied “{{.Name}}” as .env lines (OPENAI_API_KEY and OPENAI_BASE_URL).", map[string]any{"Name": name}))
	})
}

func (r *keyRow) toggleReveal() {
	if r.revealed {
		r.conceal()
		return
	}
	name := r.entry.Name
	r.revealBtn.Disable()
	background(func() (string, error) {
		return r.mw.svc.Key(name)
	}, func(key string, err error) {
		r.revealBtn.Enable()
		if err != nil {
			r.mw.inform(lang.L("Could not show the key"), describeError(err))
			return
		}
		if r.mw.rows[name] != r { // the list was rebuilt meanwhile
			return
		}
		r.mw.hideRevealed()
		r.revealed = true
		r.mw.revealing = r
		r.key.SetText(key)
		r.keyLine.Refresh()
		r.revealBtn.SetText(lang.L("Hide"))
		r.revealBtn.SetIcon(theme.VisibilityOffIcon())
		r.stopReveal = r.mw.after(revealFor, r.conceal)
	})
}

// conceal puts the mask back; the revealed text is dropped from the label.
func (r *keyRow) conceal() {
	if !r.revealed {
		return
	}
	r.revealed = false
	if r.mw.revealing == r {
		r.mw.revealing = nil
	}
	if r.stopReveal != nil {
		r.stopReveal()
		r.stopReveal = nil
	}
	text := r.mask
	if text == "" {
		text = shortFingerprint(r.entry.Fingerprint)
	}
	r.key.SetText(text)
	r.keyLine.Refresh()
	r.revealBtn.SetText(lang.L("Reveal"))
	r.revealBtn.SetIcon(theme.VisibilityIcon())
}

func (r *keyRow) check() {
	name := r.entry.Name
	r.setBusy(true, lang.L("Checking…"))
	background(func() ([]keys.CheckResult, error) {
		return r.mw.svc.Check(context.Background(), name)
	}, func(res []keys.CheckResult, err error) {
		r.setBusy(false, "")
		if err != nil {
			r.showStatus(describeError(err))
			return
		}
		r.mw.applyChecks(res)
	})
}

// applyChecks shows fresh check results in their rows and keeps the
// updated entries.
func (mw *mainWindow) applyChecks(res []keys.CheckResult) {
	for _, c := range res {
		for i := range mw.entries {
			if mw.entries[i].Name == c.Entry.Name {
				mw.entries[i] = c.Entry
			}
		}
		if row := mw.rows[c.Entry.Name]; row != nil {
			row.entry = c.Entry
			row.showStatus(describeError(c.Err))
		}
	}
}

func (r *keyRow) showMenu() {
	mw := r.mw
	mw.selectRow(r.entry.Name)
	menu := fyne.NewMenu("",
		fyne.NewMenuItemWithIcon(lang.L("Copy as .env"), theme.FileTextIcon(), r.copyEnv),
		fyne.NewMenuItemWithIcon(lang.L("Rename…"), theme.DocumentCreateIcon(), r.rename),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItemWithIcon(lang.L("Rotate…"), theme.ViewRefreshIcon(), func() { mw.rotate(r.entry) }),
		fyne.NewMenuItemWithIcon(lang.L("Revoke…"), theme.DeleteIcon(), func() { mw.revoke(r.entry) }),
		fyne.NewMenuItemWithIcon(lang.L("Remove from Keytray…"), theme.ContentRemoveIcon(), r.remove),
	)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.moreBtn)
	widget.ShowPopUpMenuAtPosition(menu, mw.win.Canvas(), pos.Add(fyne.NewPos(0, r.moreBtn.Size().Height)))
}

func (r *keyRow) rename() { r.mw.renameDlg = newRenameDialog(r.mw, r.entry.Name) }

func (r *keyRow) remove() {
	mw, name := r.mw, r.entry.Name
	mw.confirm(lang.L("Remove “{{.Name}}” from Keytray?", map[string]any{"Name": name}),
		lang.L("Keytray forgets this key on this computer and deletes it from your keyring. The key keeps working on the server, and anything using it keeps working — but newer servers do not show a key again, so you may not be able to get it back except by rotating it."),
		lang.L("Remove"), func() {
			background(func() (struct{}, error) {
				return struct{}{}, mw.svc.Remove(name)
			}, func(_ struct{}, err error) {
				if err != nil {
					mw.inform(lang.L("Could not remove the key"), describeError(err))
					return
				}
				mw.notice.SetText(lang.L("Removed “{{.Name}}”.", map[string]any{"Name": name}))
				mw.refresh()
			})
		})
}
