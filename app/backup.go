package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/vault"
)

// backupper writes and reads encrypted backups.
type backupper interface {
	Export(path string, req keys.ExportRequest, force bool) (int, error)
	Import(path string, dec backup.Decryption, replace bool) (vault.PutAllResult, error)
}

// fileRow is a path field with a "Choose…" button opening the file dialog.
// The file dialog creates the file it is told to save to, so a path picked
// there may be overwritten (the dialog asked); a typed one may not.
type fileRow struct {
	entry  *formEntry
	pick   *pushButton
	box    *fyne.Container
	picked string
}

func (mw *mainWindow) newFileRow(path string, save bool) *fileRow {
	f := &fileRow{entry: newFormEntry(lang.L("path of the file"))}
	f.entry.SetText(path)
	f.pick = newIconButton(lang.L("Choose…"), theme.FolderOpenIcon(), func() {
		dir, _ := storage.ListerForURI(storage.NewFileURI(filepath.Dir(f.path())))
		if save {
			fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err != nil || w == nil {
					return
				}
				_ = w.Close()
				f.picked = w.URI().Path()
				f.entry.SetText(f.picked)
			}, mw.win)
			fd.SetFileName(filepath.Base(f.path()))
			fd.SetLocation(dir)
			fd.Show()
			return
		}
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			_ = r.Close()
			f.entry.SetText(r.URI().Path())
		}, mw.win)
		fd.SetLocation(dir)
		fd.Show()
	})
	f.box = container.NewBorder(nil, nil, nil, f.pick, f.entry)
	return f
}

func (f *fileRow) path() string { return strings.TrimSpace(f.entry.Text) }

// defaultBackupPath is where a new backup goes unless the user chooses.
func defaultBackupPath(mw *mainWindow) string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, fmt.Sprintf("keytray-backup-%s.age", mw.now().Format("2006-01-02")))
}

// Choices of how a backup is locked.
func withPassphrase() string { return lang.L("Passphrase") }
func withRecipients() string { return lang.L("age or SSH recipients") }
func withIdentity() string   { return lang.L("Identity file") }

// showOneOf is a choice between options, each with its own form: only the
// chosen option's form shows. The first option starts chosen.
func showOneOf(options []string, forms ...fyne.CanvasObject) *widget.RadioGroup {
	r := widget.NewRadioGroup(options, func(chosen string) {
		for i, f := range forms {
			show(f, options[i] == chosen)
		}
	})
	r.Horizontal = true
	r.Required = true
	r.SetSelected(options[0])
	return r
}

// exportDialog writes an encrypted backup of the chosen keys.
type exportDialog struct {
	mw         *mainWindow
	modal      *modal
	names      *widget.CheckGroup
	how        *widget.RadioGroup
	pass       *formEntry
	pass2      *formEntry
	recipients *formEntry
	file       *fileRow
	export     *pushButton
	selectAll  *pushButton
	selectNone *pushButton
	busy       *busy
	errs       *errorLine
}

func (mw *mainWindow) showExport() { mw.exportDlg = newExportDialog(mw) }

func newExportDialog(mw *mainWindow) *exportDialog {
	d := &exportDialog{mw: mw, errs: newErrorLine()}
	all := mw.entryNames()
	d.names = widget.NewCheckGroup(all, nil)
	d.names.SetSelected(all)
	d.pass = newSecretEntry(lang.L("at least 12 characters"))
	d.pass2 = newSecretEntry(lang.L("the same again"))
	d.recipients = newFormEntry(lang.L("age1… or ssh-ed25519 …, one per line"))
	d.recipients.MultiLine = true
	d.recipients.SetMinRowsVisible(3)
	d.file = mw.newFileRow(defaultBackupPath(mw), true)
	passForm := widget.NewForm(widget.NewFormItem(lang.L("Passphrase"), d.pass), widget.NewFormItem(lang.L("Repeat"), d.pass2))
	recForm := widget.NewForm(widget.NewFormItem(lang.L("Recipients"), d.recipients))
	d.how = showOneOf([]string{withPassphrase(), withRecipients()}, passForm, recForm)
	d.export = button(lang.L("Export"), theme.DocumentSaveIcon(), widget.HighImportance, func() { d.submit(false) })
	d.busy = newBusy(d.export)

	// The fields come first and the key list (all chosen) last, in the one
	// scrolling area of the dialog: with many keys the passphrase and the
	// file stay at hand, and no list scrolls inside another.
	d.selectAll = newButton(lang.L("Select all"), func() { d.names.SetSelected(all) })
	d.selectNone = newButton(lang.L("Select none"), func() { d.names.SetSelected(nil) })
	d.selectAll.Importance, d.selectNone.Importance = widget.LowImportance, widget.LowImportance
	keysTitle := container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.L("Keys"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(d.selectAll, d.selectNone))
	d.modal = mw.newModal(lang.L("Export a backup"), container.NewVBox(
		wrapped(lang.L("The backup is encrypted with age; the stock “age -d” command can open it too. Without the passphrase (or the matching identity) nobody can read it — not even you.")),
		widget.NewLabelWithStyle(lang.L("Lock it with"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.how, passForm, recForm,
		widget.NewForm(widget.NewFormItem(lang.L("File"), d.file.box)),
		keysTitle, d.names), d.busy, d.errs)
	d.modal.submit = func() { d.submit(false) }
	d.modal.bind(d.pass, d.pass2, d.recipients, d.file.entry)
	d.modal.d.SetOnClosed(func() { d.pass.SetText(""); d.pass2.SetText("") })
	d.modal.setButtons(cancelButton(d.modal), d.export)
	d.modal.show(d.pass)
	d.modal.resize(600)
	return d
}

func (d *exportDialog) submit(force bool) {
	if d.busy.running() {
		return
	}
	req := keys.ExportRequest{Names: d.names.Selected}
	path := d.file.path()
	switch {
	case len(req.Names) == 0:
		d.errs.set(lang.L("Choose at least one key."))
		return
	case path == "":
		d.errs.set(lang.L("Choose where to save the backup."))
		return
	}
	if d.how.Selected == withPassphrase() {
		switch {
		case len([]rune(d.pass.Text)) < backup.MinPassphrase:
			d.errs.set(describeError(backup.ErrWeakPassphrase))
			return
		case d.pass.Text != d.pass2.Text:
			d.errs.set(lang.L("The two passphrases differ. Type the same passphrase twice."))
			return
		}
		req.Encryption.Passphrase = d.pass.Text
	} else {
		for _, line := range strings.Split(d.recipients.Text, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				req.Encryption.Recipients = append(req.Encryption.Recipients, line)
			}
		}
		if len(req.Encryption.Recipients) == 0 {
			d.errs.set(lang.L("Add at least one recipient."))
			return
		}
	}
	force = force || (d.file.picked != "" && d.file.picked == path)
	mw := d.mw
	dialogWork(d.modal, d.busy, d.errs, lang.L("Encrypting and writing the backup…"), func() (int, error) {
		return mw.svc.Export(path, req, force)
	}, func(n int, err error) {
		switch {
		case err == nil:
			d.modal.hide()
			mw.inform(lang.L("Backup written"), lang.N("{{.Count}} keys were written to {{.Path}}. Keep the passphrase or identity safe: the backup cannot be opened without it.", n, map[string]any{"Count": n, "Path": path}))
		case errors.Is(err, fs.ErrExist) && !force:
			mw.confirm(lang.L("Replace the existing file?"), lang.L("{{.Path}} already exists. Replacing it loses what it holds.", map[string]any{"Path": path}),
				lang.L("Replace"), func() { d.submit(true) })
		default:
			d.errs.set(describeError(err))
		}
	})
}

// importDialog restores a backup and says what it did.
type importDialog struct {
	mw       *mainWindow
	modal    *modal
	file     *fileRow
	how      *widget.RadioGroup
	pass     *formEntry
	identity *fileRow
	replace  *widget.Check
	imp      *pushButton
	busy     *busy
	errs     *errorLine
}

func (mw *mainWindow) showImport() { mw.importDlg = newImportDialog(mw) }

func newImportDialog(mw *mainWindow) *importDialog {
	d := &importDialog{mw: mw, errs: newErrorLine()}
	d.file = mw.newFileRow("", false)
	d.pass = newSecretEntry("")
	home, _ := os.UserHomeDir()
	d.identity = mw.newFileRow(filepath.Join(home, ".ssh", "id_ed25519"), false)
	passForm := widget.NewForm(widget.NewFormItem(lang.L("Passphrase"), d.pass))
	idForm := widget.NewForm(widget.NewFormItem(lang.L("Identity"), d.identity.box))
	d.how = showOneOf([]string{withPassphrase(), withIdentity()}, passForm, idForm)
	d.replace = widget.NewCheck(lang.L("Replace stored keys that have the same name"), nil)
	d.imp = button(lang.L("Import"), theme.DownloadIcon(), widget.HighImportance, d.submit)
	d.busy = newBusy(d.imp)
	d.modal = mw.newModal(lang.L("Import a backup"), container.NewVBox(
		wrapped(lang.L("Restores the keys in a Keytray backup into your keyring. Nothing is changed unless every key can be restored.")),
		widget.NewForm(widget.NewFormItem(lang.L("Backup file"), d.file.box)),
		widget.NewLabelWithStyle(lang.L("Unlock it with"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.how, passForm, idForm,
		d.replace), d.busy, d.errs)
	d.modal.submit = d.submit
	d.modal.bind(d.file.entry, d.pass, d.identity.entry)
	d.modal.d.SetOnClosed(func() { d.pass.SetText("") })
	d.modal.setButtons(cancelButton(d.modal), d.imp)
	d.modal.show(d.file.entry)
	d.modal.resize(600)
	return d
}

func (d *importDialog) submit() {
	if d.busy.running() {
		return
	}
	path := d.file.path()
	if path == "" {
		d.errs.set(lang.L("Choose the backup file."))
		return
	}
	usePass, pass, idPath := d.how.Selected == withPassphrase(), d.pass.Text, d.identity.path()
	if usePass && pass == "" {
		d.errs.set(lang.L("Type the backup's passphrase."))
		return
	}
	mw, replace := d.mw, d.replace.Checked
	dialogWork(d.modal, d.busy, d.errs, lang.L("Decrypting and restoring…"), func() (vault.PutAllResult, error) {
		dec := backup.Decryption{Passphrase: pass}
		if !usePass {
			id, err := os.ReadFile(idPath)
			if err != nil {
				return vault.PutAllResult{}, fmt.Errorf("reading the identity file: %w", err)
			}
			dec = backup.Decryption{Identities: id}
		}
		return mw.svc.Import(path, dec, replace)
	}, func(res vault.PutAllResult, err error) {
		if err != nil {
			d.errs.set(describeError(err))
			return
		}
		d.modal.hide()
		mw.refresh()
		mw.importSummary = importSummary(res)
		mw.inform(lang.L("Backup imported"), mw.importSummary)
	})
}

// importSummary says what was restored, skipped and refused, by name.
func importSummary(r vault.PutAllResult) string {
	var parts []string
	if len(r.Restored) > 0 {
		parts = append(parts, lang.L("Restored: {{.Names}}.", map[string]any{"Names": strings.Join(r.Restored, ", ")}))
	}
	if len(r.Skipped) > 0 {
		parts = append(parts, lang.L("Already stored, unchanged: {{.Names}}.", map[string]any{"Names": strings.Join(r.Skipped, ", ")}))
	}
	if len(r.Refused) > 0 {
		parts = append(parts, lang.L("Not restored, because a different key is stored under the same name: {{.Names}}. Import again with “Replace stored keys that have the same name” to overwrite them.", map[string]any{"Names": strings.Join(r.Refused, ", ")}))
	}
	if len(parts) == 0 {
		return lang.L("The backup holds no keys.")
	}
	return strings.Join(parts, "\n\n")
}
