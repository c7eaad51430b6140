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
