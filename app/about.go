package app

import (
	"fyne.io/fyne/v2/theme"
	"net/url"
	"runtime"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Links shown in the About dialog.
const (
	readmeURL  = "https://github.com/keytray/keytray#readme"
	apiKeysURL = "https://docs.openwebui.com/features/authentication-access/api-keys"
)

// buildFacts is what the binary knows about itself.
type buildFacts struct {
	Version, Commit, Built, Go string
}

func readBuild() buildFacts {
	f := buildFacts{Version: "(devel)", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return f
	}
	if v := bi.Main.Version; v != "" {
		f.Version = v
	}
	f.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			f.Commit = s.Value
			if len(f.Commit) > 12 {
				f.Commit = f.Commit[:12]
			}
		case "vcs.time":
			f.Built = s.Value
		case "vcs.modified":
			if s.Value == "true" && f.Commit != "" {
				f.Commit += lang.L(" (modified)")
			}
		}
	}
	return f
}

func (mw *mainWindow) showAbout() {
	f := readBuild()
	unknown := lang.L("unknown")
	or := func(s string) string {
		if s == "" {
			return unknown
		}
		return s
	}
	readme, _ := url.Parse(readmeURL)
	docs, _ := url.Parse(apiKeysURL)
	title := widget.NewLabelWithStyle("Keytray", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	m := mw.newModal(lang.L("About Keytray"), container.NewVBox(
		title,
		wrapped(lang.L("Keeps your Open WebUI API keys in the system keyring, copies them from the tray and warns when a session token is copied instead.")),
		widget.NewForm(
			widget.NewFormItem(lang.L("Version"), widget.NewLabel(f.Version)),
			widget.NewFormItem(lang.L("Commit"), widget.NewLabel(or(f.Commit))),
			widget.NewFormItem(lang.L("Built"), widget.NewLabel(or(f.Built))),
			widget.NewFormItem(lang.L("Go"), widget.NewLabel(f.Go)),
		),
		widget.NewHyperlink(lang.L("Keytray's documentation (README)"), readme),
		widget.NewHyperlink(lang.L("Open WebUI: API keys"), docs),
	))
	m.submit = m.hide
	m.setButtons(button(lang.L("Close"), nil, widget.MediumImportance, m.hide))
	m.show(nil)
	m.resize(480)
	mw.aboutDlg = m
}
