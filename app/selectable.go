package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// selectable frames a list row: tapping the row (outside its buttons) selects
// it, and the selected row is tinted so Ctrl+C visibly applies to it.
type selectable struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	bg       *canvas.Rectangle
	selected bool
	onTap    func()
}

func newSelectable(content fyne.CanvasObject, onTap func()) *selectable {
	s := &selectable{content: content, onTap: onTap, bg: canvas.NewRectangle(color.Transparent)}
	s.bg.CornerRadius = theme.InputRadiusSize()
	s.ExtendBaseWidget(s)
	return s
}

func (s *selectable) setSelected(on bool) {
	s.selected = on
	s.Refresh()
}

func (s *selectable) Tapped(*fyne.PointEvent) {
	if s.onTap != nil {
		s.onTap()
	}
}

func (s *selectable) Refresh() {
	s.paint()
	s.bg.Refresh()
	s.BaseWidget.Refresh()
}

// paint picks the background for the current theme and selection.
func (s *selectable) paint() {
	s.bg.FillColor = color.Transparent
	if s.selected {
		s.bg.FillColor = theme.Color(theme.ColorNameSelection)
	}
	s.bg.CornerRadius = theme.InputRadiusSize()
}

func (s *selectable) CreateRenderer() fyne.WidgetRenderer {
	s.paint()
	return widget.NewSimpleRenderer(container.NewStack(s.bg, s.content))
}

// nameFirst lays out a name and the text beside it on one line: the name
// takes the width it needs and what is left goes to the other text; when the
// line is too narrow for both, the name is cut short with an ellipsis (its
// label truncates) instead of pushing the row's buttons out of view.
type nameFirst struct {
	name *widget.Label
}

// naturalWidth is how wide the name is when not cut short.
func (l nameFirst) naturalWidth() float32 {
	size := theme.TextSize()
	if l.name.SizeName != "" {
		size = l.name.Theme().Size(l.name.SizeName)
	}
	// The label cuts its text a little before the exact width: some slack.
	return fyne.MeasureText(l.name.Text, size, l.name.TextStyle).Width + 2*theme.InnerPadding() + theme.Padding()
}

func (l nameFirst) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	rest := objs[1].MinSize().Width
	w := min(l.naturalWidth(), max(size.Width-rest-theme.Padding(), 0))
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+theme.Padding(), 0))
	objs[1].Resize(fyne.NewSize(max(size.Width-w-theme.Padding(), 0), size.Height))
}

func (l nameFirst) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width+theme.Padding(), max(a.Height, b.Height))
}
