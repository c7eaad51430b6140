package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pushButton is the app's button: Enter presses it as well as Space when it
// has the keyboard focus, and the focus shows as a ring. (Fyne shows a
// focused button only by tinting it with the primary colour, which leaves a
// primary, blue, button looking the same.)
type pushButton struct {
	widget.Button
	focused bool
}

func newButton(label string, tapped func()) *pushButton {
	return newIconButton(label, nil, tapped)
}

func newIconButton(label string, icon fyne.Resource, tapped func()) *pushButton {
	b := &pushButton{}
	b.ExtendBaseWidget(b)
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	return b
}

func (b *pushButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		b.Tapped(nil)
		return
	}
	b.Button.TypedKey(ev)
}

func (b *pushButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

func (b *pushButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

func (b *pushButton) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeColor = color.Transparent
	return &pushButtonRenderer{WidgetRenderer: b.Button.CreateRenderer(), ring: ring, b: b}
}

// ringInset keeps the focus ring inside the button's own area (a list or a
// scroller would clip a ring drawn outside it).
const ringInset = 2

type pushButtonRenderer struct {
	fyne.WidgetRenderer
	ring *canvas.Rectangle
	b    *pushButton
}

func (r *pushButtonRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(ringInset, ringInset))
	r.ring.Resize(size.SubtractWidthHeight(2*ringInset, 2*ringInset))
}

func (r *pushButtonRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.ring)
}

func (r *pushButtonRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.ring.StrokeWidth = 2
	r.ring.CornerRadius = max(theme.InputRadiusSize()-ringInset, 0)
	r.ring.StrokeColor = color.Transparent
	if r.b.focused && !r.b.Disabled() {
		// The foreground colour: dark on light, light on dark, and in both
		// clear against the primary blue as well as the grey buttons.
		r.ring.StrokeColor = theme.Color(theme.ColorNameForeground)
	}
	r.ring.Refresh()
}
