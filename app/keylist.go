package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// The key list is a widget.List: only the lines in view exist, and they are
// reused as it scrolls, so 1,000 keys cost what a screenful does. (Built as a
// box of rows it held every row: 0.7 MB of memory each, and "Show all" with
// 1,000 keys froze the window for 3 s.) Whatever a row shows beyond its entry
// (a revealed key, a running check, the last check's failure, the selection)
// is kept by the window under the key's name, and a row shows it when it is
// bound to that key.

// listLine is one line of the list: a server's header, or one of its keys.
type listLine struct {
	inst  *vault.Instance // a header when set
	first bool            // the first header (no gap above it)
	entry int             // else: the key, an index into mainWindow.entries
}

// listCell is a reusable line: a header view and a key row, one shown.
type listCell struct {
	widget.BaseWidget
	header *headerView
	row    *keyRow
	stack  *fyne.Container
}

// newCell makes a line showing a key row (the list sizes key lines by it);
// the header view is made when the cell first shows a header.
func (mw *mainWindow) newCell() fyne.CanvasObject {
	c := &listCell{row: newKeyRow(mw)}
	if mw.rowHeight == 0 {
		mw.rowHeight = c.row.frame.MinSize().Height
	}
	c.stack = container.NewStack(c.row.frame)
	c.ExtendBaseWidget(c)
	return c
}

func (c *listCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.stack) }

func (mw *mainWindow) bindCell(id widget.ListItemID, obj fyne.CanvasObject) {
	c, ok := obj.(*listCell)
	if !ok || id >= len(mw.lines) {
		return
	}
	line := mw.lines[id]
	if line.inst != nil {
		if c.header == nil {
			c.header = newHeaderView()
			c.stack.Add(c.header.box)
		}
		c.row.entry, c.row.shown = vault.Entry{}, nil
		c.row.frame.Hide()
		c.header.bind(*line.inst, line.first)
		c.header.box.Show()
		return
	}
	if c.header != nil {
		c.header.box.Hide()
	}
	c.row.bind(mw.entries[line.entry])
	c.row.frame.Show()
}

// refreshRows shows the lines of names again: one by one for a few, the
// whole list for many (each RefreshItem lays the list out again).
func (mw *mainWindow) refreshRows(names []string) {
	if len(names) > 4 {
		mw.list.Refresh()
		return
	}
	for _, n := range names {
		mw.refreshRow(n)
	}
}

// refreshRow shows name's line again, if it is in view.
func (mw *mainWindow) refreshRow(name string) {
	if name == "" {
		return
	}
	for id, line := range mw.lines {
		if line.inst == nil && mw.entries[line.entry].Name == name {
			mw.list.RefreshItem(id)
			return
		}
	}
}

// lineHeights gives header lines their heights (a gap above all but the
// first, a warning for plain http); key lines take the template's. Only the
// lines that are headers now or were last time are set: every SetItemHeight
// lays the list out again.
func (mw *mainWindow) lineHeights() {
	prev := mw.headerIDs
	mw.headerIDs = nil
	for id, line := range mw.lines {
		if line.inst == nil {
			continue
		}
		mw.list.SetItemHeight(id, mw.headerHeight(line))
		mw.headerIDs = append(mw.headerIDs, id)
	}
	for _, id := range prev {
		if id >= len(mw.lines) || mw.lines[id].inst == nil {
			if mw.rowHeight == 0 { // the list has made no line yet
				mw.rowHeight = newKeyRow(mw).frame.MinSize().Height
			}
			mw.list.SetItemHeight(id, mw.rowHeight)
		}
	}
}

// headerHeight is a header line's height: it depends only on whether the
// line has a gap above it and a warning, not on its texts (they truncate).
func (mw *mainWindow) headerHeight(line listLine) float32 {
	k := [2]bool{line.first, insecure(line.inst.URL)}
	if h, ok := mw.headerHeights[k]; ok {
		return h
	}
	mw.measure.bind(*line.inst, line.first)
	h := mw.measure.box.MinSize().Height
	mw.headerHeights[k] = h
	return h
}

// headerView names a server group: its own name, version and address, and a
// warning when it is reached over plain http.
type headerView struct {
	shown *vault.Instance // what it shows now
	first bool
	box   *fyne.Container
	gap   *canvas.Rectangle
	title *widget.Label
	sub   *widget.RichText
	warn  *fyne.Container
}

func newHeaderView() *headerView {
	h := &headerView{gap: canvas.NewRectangle(color.Transparent)}
	h.gap.SetMinSize(fyne.NewSize(0, theme.Padding()))
	h.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.title.SizeName = theme.SizeNameSubHeadingText
	h.title.Truncation = fyne.TextTruncateEllipsis
	h.sub = secondary("")
	h.sub.Truncation = fyne.TextTruncateEllipsis
	line := container.NewBorder(nil, nil, widget.NewIcon(theme.ComputerIcon()), nil, container.New(nameFirst{h.title}, h.title, h.sub))
	warn := widget.NewLabel(lang.L("Plain http:// — keys travel unencrypted to this server."))
	warn.Importance = widget.WarningImportance
	h.warn = container.NewHBox(widget.NewIcon(theme.WarningIcon()), warn)
	h.box = container.NewVBox(h.gap, line, h.warn, widget.NewSeparator())
	return h
}

func (h *headerView) bind(inst vault.Instance, first bool) {
	if h.shown != nil && *h.shown == inst && h.first == first {
		return // the list binds lines in view again at every layout
	}
	h.shown, h.first = &inst, first
	name := inst.Name
	if name == "" {
		// Never probed (stored with --no-verify, or restored from a backup):
		// the host tells servers apart where a default name would not.
		name = openwebui.Host(inst.URL)
	}
	h.title.SetText(name)
	detail := inst.URL
	if inst.Version != "" {
		detail = lang.L("version {{.Version}} · {{.URL}}", map[string]any{"Version": inst.Version, "URL": inst.URL})
	}
	setSecondary(h.sub, detail)
	show(h.gap, !first)
	show(h.warn, insecure(inst.URL))
}
