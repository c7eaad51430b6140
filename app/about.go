package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/internal/version"
)

func (mw *mainWindow) showAbout() {
	f := version.Read() // the same facts as keytray --version
	unknown := lang.L("unknown")
	or := func(s string) string {
		if s == "" {
			return unknown
		}
		return s
	}
	readme, _ := url.Parse(version.ReadmeURL)
	docs, _ := url.Parse(version.APIKeysURL)
	licence, _ := url.Parse(version.LicenseURL)
	commit := or(f.Commit)
	if f.Time != "" {
		commit += " · " + f.Time
	}
	title := widget.NewLabelWithStyle("Keytray", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	m := mw.newModal(lang.L("About Keytray"), container.NewVBox(
		title,
		wrapped(lang.L("Keeps your Open WebUI API keys in the system keyring, copies them from the tray and warns when a session token is copied instead.")),
		widget.NewForm(
			widget.NewFormItem(lang.L("Version"), widget.NewLabel(f.Version)),
			widget.NewFormItem(lang.L("Build"), widget.NewLabel(or(f.Build))),
			widget.NewFormItem(lang.L("Commit"), widget.NewLabel(commit)),
			widget.NewFormItem(lang.L("Go"), widget.NewLabel(f.Go+" "+f.Platform)),
			widget.NewFormItem(lang.L("Licence"), widget.NewHyperlink(version.License, licence)),
		),
		wrapped(version.Copyright),
		widget.NewHyperlink(lang.L("Keytray's documentation (README)"), readme),
		widget.NewHyperlink(lang.L("Open WebUI: API keys"), docs),
	))
	m.submit = m.hide
	m.setButtons(button(lang.L("Close"), nil, widget.MediumImportance, m.hide))
	m.show(nil)
	m.resize(480)
	mw.aboutDlg = m
}
