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
	"github.com/keytray/keytray/keys/credential"
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

// keyRow is one line of the key list showing a stored key: its name,
// account, masked key, last check, and the buttons acting on it. Rows are
// reused as the list scrolls (see keylist.go): bind shows an entry, and the
// state a row shows beyond it lives in the window, under the key's name.
type keyRow struct {
	mw    *mainWindow
	entry vault.Entry // the key shown now; zero when the row shows none
	frame *selectable

	name       *widget.Label
	account    *widget.RichText
	key        *widget.Label
	status     *widget.Label // statusLine's label
	statusLine *statusLabel
	statusIcon *widget.Icon
	activity   *widget.Activity
	keyLine    *fyne.Container // re-laid out when the key text changes width

	copyBtn, revealBtn, checkBtn, moreBtn *pushButton

	shown *rowState // what it shows now
}

// rowState is everything a row shows: binding the same again is a no-op.
type rowState struct {
	entry        vault.Entry
	revealed     string
	busy, failed string
	selected     bool
	compact      bool
	checkedAgo   string // "4 minutes ago": changes with the clock
}

func newKeyRow(mw *mainWindow) *keyRow {
	r := &keyRow{mw: mw}
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.account = secondary("")
	r.account.Truncation = fyne.TextTruncateEllipsis
	r.key = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	r.statusLine = newStatusLabel(func() { mw.showDetails(r.entry.Name) })
	r.status = r.statusLine.label
	r.statusIcon = widget.NewIcon(nil)
	r.activity = widget.NewActivity()
	r.activity.Hide()

	r.copyBtn = newIconButton(lang.L("Copy"), theme.ContentCopyIcon(), r.copyKey)
	r.revealBtn = newIconButton(lang.L("Reveal"), theme.VisibilityIcon(), r.toggleReveal)
	r.checkBtn = newIconButton(lang.L("Check"), theme.ViewRefreshIcon(), r.check)
	r.moreBtn = newIconButton("", theme.MoreVerticalIcon(), r.showMenu)
	for _, b := range []*pushButton{r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn} {
		b.Importance = widget.LowImportance
	}

	buttons := container.NewHBox(r.activity, r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn)
	r.keyLine = container.NewBorder(nil, nil, r.key, nil, container.NewBorder(nil, nil, r.statusIcon, nil, r.statusLine))
	lines := container.NewVBox(container.New(nameFirst{r.name}, r.name, r.account), r.keyLine)
	r.frame = newSelectable(container.NewBorder(nil, nil, nil, container.NewCenter(buttons), lines),
		func() { mw.pickRow(r.entry.Name) })
	return r
}

// bind shows e, with what the window holds for it: a revealed key, a
// running operation, the last check's failure, the selection.
func (r *keyRow) bind(e vault.Entry) {
	mw := r.mw
	st := rowState{entry: e, busy: mw.busy[e.Name], failed: mw.failed[e.Name], selected: mw.selected == e.Name, compact: mw.compact}
	if mw.reveal.name == e.Name {
		st.revealed = mw.reveal.key
	}
	if !e.LastChecked.IsZero() {
		st.checkedAgo = ago(mw.now(), e.LastChecked)
	}
	if r.shown != nil && *r.shown == st {
		return // the list binds lines in view again at every layout
	}
	r.shown, r.entry = &st, e
	r.name.SetText(e.Name)
	setSecondary(r.account, accountText(e))
	r.copyBtn.SetText(wordsUnless(st.compact, lang.L("Copy")))
	r.checkBtn.SetText(wordsUnless(st.compact, lang.L("Check")))
	r.showKey(st.revealed)
	r.showState(st.busy, st.failed)
	r.frame.setSelected(st.selected)
}

// showKey shows the key in clear when revealed is set, else its mask.
func (r *keyRow) showKey(revealed string) {
	text := credential.MaskHint(r.entry.Hint)
	if text == "" {
		text = shortFingerprint(r.entry.Fingerprint)
	}
	compact := r.shown != nil && r.shown.compact
	if revealed != "" {
		text = revealed
		r.revealBtn.SetText(wordsUnless(compact, lang.L("Hide")))
		r.revealBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		r.revealBtn.SetText(wordsUnless(compact, lang.L("Reveal")))
		r.revealBtn.SetIcon(theme.VisibilityIcon())
	}
	r.key.SetText(text)
	r.keyLine.Refresh()
}

// showState shows a running operation (busy says what it is doing; spinner,
// buttons off) or the last check in words (failed overrides them).
func (r *keyRow) showState(busy, failed string) {
	enable(busy == "", r.copyBtn, r.revealBtn, r.checkBtn, r.moreBtn)
	if busy != "" {
		r.activity.Show()
		r.activity.Start()
		r.statusLine.set(busy, widget.MediumImportance)
		return
	}
	r.activity.Stop()
	r.activity.Hide()
	r.showStatus(failed)
}

// wordsUnless is a button's words, or none in a narrow window (the icon says it).
func wordsUnless(compact bool, words string) string {
	if compact {
		return ""
	}
	return words
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

// showStatus shows the last check in words; override replaces the words
// (a fresh failure that the index only records as "unknown").
func (r *keyRow) showStatus(override string) {
	text, imp, icon := statusWords(r.entry.LastStatus)
	if r.entry.RotationInterrupted() {
		text, imp, icon = lang.L("Rotation interrupted: sign in again to fetch the current key"), widget.DangerImportance, theme.ErrorIcon()
	}
	if override != "" {
		text, imp, icon = override, widget.WarningImportance, theme.WarningIcon()
	} else if r.entry.LastStatus == keys.StatusUnknown && r.entry.LastDetail != "" {
		// Say why, as `keytray list` does: "server unreachable" and the like.
		text = lang.L("{{.Status}}: {{.Reason}}", map[string]any{"Status": text, "Reason": r.entry.LastDetail})
	}
	if !r.entry.LastChecked.IsZero() {
		text = lang.L("{{.Status}} · checked {{.When}}", map[string]any{"Status": text, "When": ago(r.mw.now(), r.entry.LastChecked)})
	}
	r.statusLine.set(text, imp)
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
		r.mw.sayCopied(lang.L("Copied “{{.Name}}” as .env lines (OPENAI_API_KEY and OPENAI_BASE_URL).", map[string]any{"Name": name}), string(env))
	})
}

// copyReference copies keytray://NAME, for env files, `keytray run` and
// `keytray inject`: not a secret, so the clipboard is cleared only as usual.
func (r *keyRow) copyReference() {
	reference := keys.Reference(r.entry)
	r.mw.copier.Copy(reference, reference)
	r.mw.sayCopied(lang.L("Copied the reference {{.Reference}}: keytray run and keytray inject put the key in its place.", map[string]any{"Reference": reference}), reference)
}

func (r *keyRow) toggleReveal() {
	mw, name := r.mw, r.entry.Name
	if mw.reveal.name == name {
		mw.conceal()
		return
	}
	r.revealBtn.Disable()
	background(func() (string, error) {
		return mw.svc.Key(name)
	}, func(key string, err error) {
		r.shown = nil // bound again even if nothing changed: its Reveal button is off
		mw.refreshRow(name)
		if err != nil {
			mw.inform(lang.L("Could not show the key"), describeError(err))
			return
		}
		if mw.entryIndex(name) < 0 { // removed meanwhile
			return
		}
		mw.conceal()
		mw.reveal = revealed{name: name, key: key, stop: mw.after(revealFor, mw.conceal)}
		mw.refreshRow(name)
	})
}

func (r *keyRow) check() { r.mw.checkNames(r.entry.Name) }

// checkNames verifies the named keys and shows the results in their rows.
func (mw *mainWindow) checkNames(names ...string) {
	mw.setBusy(lang.L("Checking…"), names...)
	background(func() ([]keys.CheckResult, error) {
		return mw.svc.Check(context.Background(), names...)
	}, func(res []keys.CheckResult, err error) {
		mw.setBusy("", names...)
		if err != nil {
			for _, name := range names {
				mw.failed[name] = describeError(err)
			}
			mw.refreshRows(names)
			return
		}
		mw.applyChecks(res)
	})
}

// applyChecks keeps fresh check results and shows them in their rows.
func (mw *mainWindow) applyChecks(res []keys.CheckResult) {
	names := make([]string, 0, len(res))
	for _, c := range res {
		name := c.Entry.Name
		if i := mw.entryIndex(name); i >= 0 {
			mw.entries[i] = c.Entry
		}
		if msg := describeErrorOf(c.Entry, c.Err); msg != "" {
			mw.failed[name] = msg
		} else {
			delete(mw.failed, name)
		}
		names = append(names, name)
	}
	mw.refreshRows(names)
}

func (r *keyRow) showMenu() {
	mw := r.mw
	mw.selectRow(r.entry.Name)
	menu := fyne.NewMenu("",
		fyne.NewMenuItemWithIcon(lang.L("Details…"), theme.InfoIcon(), func() { mw.showDetails(r.entry.Name) }),
		fyne.NewMenuItemWithIcon(lang.L("Copy as .env"), theme.FileTextIcon(), r.copyEnv),
		fyne.NewMenuItemWithIcon(lang.L("Copy reference"), theme.ContentCopyIcon(), r.copyReference),
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
				mw.sayGone(lang.L("Removed “{{.Name}}”.", map[string]any{"Name": name}), name)
				mw.refresh()
			})
		})
}
