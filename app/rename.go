package app

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// renameDialog asks for a key's new name.
type renameDialog struct {
	mw    *mainWindow
	modal *modal
	old   string
	entry *formEntry
	save  *pushButton
	busy  *busy
	errs  *errorLine
}

func newRenameDialog(mw *mainWindow, old string) *renameDialog {
	d := &renameDialog{mw: mw, old: old, entry: newFormEntry(old), errs: newErrorLine()}
	d.entry.SetText(old)
	d.save = button(lang.L("Rename"), theme.ConfirmIcon(), widget.HighImportance, d.submit)
	d.busy = newBusy(d.save, d.entry)
	d.modal = mw.newModal(lang.L("Rename “{{.Name}}”", map[string]any{"Name": old}), container.NewVBox(
		wrapped(lang.L("The name is how the command line finds the key (keytray get NAME), so scripts that use the old name must be changed too.")),
		d.entry), d.busy, d.errs)
	d.modal.submit = d.submit
	d.modal.bind(d.entry)
	d.modal.setButtons(cancelButton(d.modal), d.save)
	d.modal.show(d.entry)
	d.modal.resize(460)
	return d
}

func (d *renameDialog) submit() {
	name := strings.TrimSpace(d.entry.Text)
	if d.busy.running() {
		return
	}
	if name == "" || name == d.old {
		d.modal.hide()
		return
	}
	mw, old := d.mw, d.old
	d.busy.start(lang.L("Renaming…"))
	d.errs.set("")
	background(func() (struct{}, error) {
		return struct{}{}, mw.svc.Rename(old, name)
	}, func(_ struct{}, err error) {
		d.busy.done()
		if err != nil {
			d.errs.set(describeError(err))
			return
		}
		if mw.selected == old {
			mw.selected = name
		}
		d.modal.hide()
		mw.refresh()
	})
}
