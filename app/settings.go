package app

import (
	"image/color"
	"slices"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys/vault"
)

// settingsStore reads and writes the settings `keytray config` shows.
type settingsStore interface {
	Settings() (vault.Settings, error)
	SaveSettings(vault.Settings) error
}

// clearChoices are the clipboard-clear times offered (0 = never).
var clearChoices = []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second, 45 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 0}

func clearText(d time.Duration) string {
	switch {
	case d <= 0:
		return lang.L("Never")
	case d%time.Minute == 0:
		n := int(d / time.Minute)
		return lang.N("After {{.Count}} minutes", n, map[string]any{"Count": n})
	}
	n := int(d / time.Second)
	return lang.N("After {{.Count}} seconds", n, map[string]any{"Count": n})
}

// intervalChoices are the check-interval values offered (0 = never).
var intervalChoices = []time.Duration{time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 0}

func intervalText(d time.Duration) string {
	switch {
	case d <= 0:
		return lang.L("Never")
	case d%time.Hour == 0:
		n := int(d / time.Hour)
		return lang.N("Every {{.Count}} hours", n, map[string]any{"Count": n})
	}
	n := int(d / time.Minute)
	return lang.N("Every {{.Count}} minutes", n, map[string]any{"Count": n})
}

func themeChoices() []string {
	return []string{lang.L("Follow the system"), lang.L("Light"), lang.L("Dark")}
}

var themeValues = []string{"system", "light", "dark"}

// settingsDialog edits the settings; they take effect when saved.
type settingsDialog struct {
	mw     *mainWindow
	modal  *modal
	st     vault.Settings
	clear  *widget.Select
	guard  *widget.Check
	login  *widget.Check
	hidden *widget.Check
	quits  *widget.Check
	theme  *widget.Select
	checks *widget.Select
	save   *pushButton
	busy   *busy
	errs   *errorLine
	clears []time.Duration
	every  []time.Duration
}

func (mw *mainWindow) showSettings() {
	background(mw.svc.Settings, func(st vault.Settings, err error) {
		if err != nil {
			mw.inform(lang.L("Could not read the settings"), describeError(err))
			return
		}
		mw.settingsDlg = newSettingsDialog(mw, st)
	})
}

func newSettingsDialog(mw *mainWindow, st vault.Settings) *settingsDialog {
	d := &settingsDialog{mw: mw, st: st, errs: newErrorLine(), clears: clearChoices}
	cur := time.Duration(st.ClipboardClear)
	if !slices.Contains(d.clears, cur) {
		d.clears = append([]time.Duration{cur}, d.clears...)
	}
	var labels []string
	for _, c := range d.clears {
		labels = append(labels, clearText(c))
	}
	d.clear = widget.NewSelect(labels, nil)
	d.clear.SetSelected(clearText(cur))
	d.guard = widget.NewCheck(lang.L("Warn when a session token is copied"), nil)
	d.guard.SetChecked(st.ClipboardWatch)
	d.login = widget.NewCheck(lang.L("Start Keytray when I log in"), nil)
	d.login.SetChecked(st.StartAtLogin)
	d.hidden = widget.NewCheck(lang.L("Start hidden in the tray"), nil)
	d.hidden.SetChecked(st.StartHidden)
	d.quits = widget.NewCheck(lang.L("Quit when the window is closed"), nil)
	d.quits.SetChecked(st.CloseQuits)
	d.every = intervalChoices
	if every := time.Duration(st.CheckInterval); !slices.Contains(d.every, every) {
		d.every = append([]time.Duration{every}, d.every...)
	}
	var everyLabels []string
	for _, e := range d.every {
		everyLabels = append(everyLabels, intervalText(e))
	}
	d.checks = widget.NewSelect(everyLabels, nil)
	d.checks.SetSelected(intervalText(time.Duration(st.CheckInterval)))
	d.theme = widget.NewSelect(themeChoices(), nil)
	d.theme.SetSelectedIndex(max(slices.Index(themeValues, st.Theme), 0))
	d.save = button(lang.L("Save"), theme.DocumentSaveIcon(), widget.HighImportance, d.submit)
	d.busy = newBusy(d.save)

	note := func(s string) *widget.Label {
		l := wrapped(s)
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Clear the clipboard"), container.NewVBox(d.clear,
			note(lang.L("After copying a key; only if the clipboard still holds it.")))),
		widget.NewFormItem(lang.L("Clipboard guard"), d.guard),
		widget.NewFormItem(lang.L("At login"), container.NewVBox(d.login, d.hidden)),
		widget.NewFormItem(lang.L("Closing the window"), container.NewVBox(d.quits,
			note(lang.L("Otherwise Keytray keeps running in the tray.")))),
		widget.NewFormItem(lang.L("Check every key"), container.NewVBox(d.checks,
			note(lang.L("While Keytray runs; it tells you when a key stops working.")))),
		widget.NewFormItem(lang.L("Appearance"), d.theme),
	)
	d.modal = mw.newModal(lang.L("Settings"), container.NewVBox(form,
		note(lang.L("These are the same settings as “keytray config”."))), d.busy, d.errs)
	d.modal.submit = d.submit
	d.modal.setButtons(cancelButton(d.modal), d.save)
	d.modal.show(nil)
	d.modal.resize(560)
	return d
}

// values is the settings as the dialog shows them.
func (d *settingsDialog) values() vault.Settings {
	st := d.st
	if i := d.clear.SelectedIndex(); i >= 0 {
		st.ClipboardClear = vault.Duration(d.clears[i])
	}
	st.ClipboardWatch = d.guard.Checked
	st.StartAtLogin = d.login.Checked
	st.StartHidden = d.hidden.Checked
	st.CloseQuits = d.quits.Checked
	if i := d.checks.SelectedIndex(); i >= 0 {
		st.CheckInterval = vault.Duration(d.every[i])
	}
	if i := d.theme.SelectedIndex(); i >= 0 {
		st.Theme = themeValues[i]
	}
	return st
}

func (d *settingsDialog) submit() {
	if d.busy.running() {
		return
	}
	mw, st := d.mw, d.values()
	d.errs.set("")
	d.busy.start(lang.L("Saving…"))
	background(func() (struct{}, error) {
		return struct{}{}, mw.svc.SaveSettings(st)
	}, func(_ struct{}, err error) {
		d.busy.done()
		if err != nil {
			d.errs.set(describeError(err))
			return
		}
		d.modal.hide()
		if mw.applySettings != nil {
			mw.applySettings(st)
		}
	})
}

// variantTheme is the default theme held to one variant (Light or Dark
// chosen in the settings instead of following the system).
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// readableTheme is Fyne's default theme with text colours that reach WCAG
// AA (4.5:1) on the window's background and on a selected row. Fyne's light
// success, warning and error greens, oranges and reds measure 1.0–3.7:1
// there (TestStatusColoursReachAA computes them), too faint for the status
// words of a key; its selection tint is softened so the text on it stays
// readable in both variants.
type readableTheme struct{ fyne.Theme }

// Colours of the variants (measured against the background and the
// selected row). The dark error red is lighter than Fyne's, so a danger
// button carries dark text on it.
var (
	lightSuccess     = color.NRGBA{R: 0x1b, G: 0x6e, B: 0x2c, A: 0xff}
	lightWarning     = color.NRGBA{R: 0x8a, G: 0x4a, B: 0x00, A: 0xff}
	lightError       = color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	lightPlaceHolder = color.NRGBA{R: 0x5f, G: 0x63, B: 0x68, A: 0xff}
	lightSelection   = color.NRGBA{R: 0x21, G: 0x96, B: 0xf3, A: 0x2a}
	darkSelection    = color.NRGBA{R: 0x21, G: 0x96, B: 0xf3, A: 0x30}
	darkError        = color.NRGBA{R: 0xff, G: 0x7b, B: 0x72, A: 0xff}
	darkOnError      = color.NRGBA{R: 0x1b, G: 0x1b, B: 0x1f, A: 0xff}
)

func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if v == theme.VariantLight {
		switch n {
		case theme.ColorNameSuccess:
			return lightSuccess
		case theme.ColorNameWarning:
			return lightWarning
		case theme.ColorNameError:
			return lightError
		case theme.ColorNamePlaceHolder:
			return lightPlaceHolder
		case theme.ColorNameSelection:
			return lightSelection
		}
	} else {
		switch n {
		case theme.ColorNameSelection:
			return darkSelection
		case theme.ColorNameError:
			return darkError
		case theme.ColorNameForegroundOnError:
			return darkOnError
		}
	}
	return t.Theme.Color(n, v)
}

// chineseText is set while the window's language is Chinese: Fyne draws
// Chinese characters from a fallback font that has no bold, so a bold title
// such as "添加Open WebUI服务器" came out in two weights. Then there is no
// bold at all: one weight per sentence (sizes and colours still rank text).
var chineseText atomic.Bool

func (t readableTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold && chineseText.Load() {
		s.Bold = false
	}
	return t.Theme.Font(s)
}

// themeFor is the Fyne theme for the "theme" setting.
func themeFor(setting string) fyne.Theme {
	base := readableTheme{theme.DefaultTheme()}
	switch setting {
	case "light":
		return variantTheme{base, theme.VariantLight}
	case "dark":
		return variantTheme{base, theme.VariantDark}
	}
	return base
}
