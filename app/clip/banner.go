package clip

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bannerAction is a banner's main button.
type bannerAction struct {
	label string
	run   func()
}

// newBanner builds a strip for the top of the window: an icon, a bold title,
// wrapped text, the main action (if any) and "Dismiss", on a tinted
// background. Any button hides the banner and drops the buttons' funcs, so a
// secret captured by the action is not kept by a hidden banner.
// The title does not wrap: it is short, and a wrapped label in a box reports
// its height for a narrow width, leaving a gap.
func newBanner(warning bool, title, text string, main *bannerAction) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord

	tint, icon := theme.Color(theme.ColorNamePrimary), theme.InfoIcon()
	if warning {
		tint, icon = theme.Color(theme.ColorNameWarning), theme.WarningIcon()
	}
	r, g, b, _ := tint.RGBA()
	bg := canvas.NewRectangle(color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38})
	bg.CornerRadius = theme.InputRadiusSize()

	buttons := container.NewHBox()
	box := container.NewStack(bg)
	var all []*widget.Button
	hide := func() {
		box.Hide()
		for _, btn := range all {
			btn.OnTapped = nil
		}
	}
	if main != nil {
		run := main.run
		btn := widget.NewButton(main.label, func() {
			hide()
			run()
		})
		btn.Importance = widget.HighImportance
		all = append(all, btn)
		buttons.Add(btn)
	}
	dismiss := widget.NewButton(lang.L("Dismiss"), hide)
	all = append(all, dismiss)
	buttons.Add(dismiss)

	content := container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil,
		container.NewVBox(heading, body, buttons))
	box.Add(container.NewPadded(content))
	return box
}

// tokenBanner warns about a JWT and offers to exchange it for an API key.
func tokenBanner(w tokenWarning, jwt string, useToken func(string)) fyne.CanvasObject {
	var use *bannerAction
	if useToken != nil {
		use = &bannerAction{label: lang.L("Use it to get an API key"), run: func() { useToken(jwt) }}
	}
	return newBanner(true, w.Title, w.Body(), use)
}

// keyBanner is the quieter offer for an sk- key Keytray does not know.
func keyBanner(key string, saveKey func(string)) fyne.CanvasObject {
	var save *bannerAction
	if saveKey != nil {
		save = &bannerAction{label: lang.L("Save this key"), run: func() { saveKey(key) }}
	}
	return newBanner(false, lang.L("You copied an API key that Keytray does not have yet"),
		lang.L("Save it in your keyring so that it is at hand in the tray and safe if you lose this copy."), save)
}

// HiddenBanner says once that the guard cannot see the clipboard from the
// background on this system: a Wayland compositor with no data-control
// protocol other than GNOME's Mutter (sysclip.Open), where Keytray goes
// through Xwayland, and Xwayland (measured on sway 1.7) neither shows an
// unfocused X11 client the Wayland clipboard nor passes its selection on.
// The guard shows it by itself; it is exported for the screenshots.
func HiddenBanner() fyne.CanvasObject {
	return newBanner(false, lang.L("Keytray cannot watch the clipboard in the background here"),
		lang.L("This Wayland desktop gives apps in the background no access to the clipboard (it offers no data-control protocol), and Keytray reaches it through Xwayland, which shows it only while Keytray's window has focus. So Keytray warns about a copied session token only if its window is active when you copy it, or when you run keytray inspect --clipboard; and a key copied from the tray while its window is in the background reaches X11 apps only."), nil)
}
