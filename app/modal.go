package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// formEntry is an Entry that hands Escape to the dialog it sits in: a
// focused Entry swallows every key, so without this Escape would close
// nothing while the cursor is in a field.
type formEntry struct {
	widget.Entry
	onEscape func()
}

func newFormEntry(placeholder string) *formEntry {
	e := &formEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrapOff
	e.SetPlaceHolder(placeholder)
	return e
}

func newSecretEntry(placeholder string) *formEntry {
	e := newFormEntry(placeholder)
	e.Password = true
	return e
}

func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// modal is one open dialog of the main window. Enter runs submit, Escape runs
// cancel (both also when the cursor is in one of its formEntry fields). Each
// modal has its own context, cancelled when it closes, so a network call
// started from it stops when the user gives up.
type modal struct {
	mw      *mainWindow
	title   string
	message string // the main sentence, when the dialog is a message
	buttons []*pushButton
	d       *dialog.CustomDialog
	scroll  *container.Scroll // the content, scrolling when the window is too small for it
	footer  *fyne.Container   // progress and error lines, always in view above the buttons
	width   float32           // the width asked for (see resize)
	ctx     context.Context
	stop    context.CancelFunc
	submit  func()
	cancel  func()
	closed  bool
}

// footerPart is a line kept in view below a dialog's scrolling content (its
// busy and error lines): the dialog fits itself again when one changes.
type footerPart interface {
	footerObject() fyne.CanvasObject
	onChange(func())
}

// newModal builds (but does not show) a dialog. cancel defaults to closing it.
// The content scrolls when the window is too small for it; footer (progress,
// errors) and the buttons stay in view below it at any window size.
func (mw *mainWindow) newModal(title string, content fyne.CanvasObject, footer ...footerPart) *modal {
	m := &modal{mw: mw, title: title}
	m.ctx, m.stop = context.WithCancel(context.Background())
	m.cancel = m.hide
	m.scroll = container.NewVScroll(content)
	m.footer = container.NewVBox()
	for _, f := range footer {
		m.footer.Add(f.footerObject())
		f.onChange(m.fit)
	}
	m.d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, m.footer, nil, nil, m.scroll), mw.win)
	m.d.SetOnClosed(func() {
		m.closed = true
		m.stop()
		mw.forget(m)
	})
	return m
}

// setButtons places the dialog's buttons, in reading order.
func (m *modal) setButtons(buttons ...*pushButton) {
	m.buttons = buttons
	objs := make([]fyne.CanvasObject, len(buttons))
	for i, b := range buttons {
		objs[i] = b
	}
	m.d.SetButtons(objs)
	m.fit()
}

// bind makes Enter in the entries submit and Escape cancel.
func (m *modal) bind(entries ...*formEntry) {
	for _, e := range entries {
		e.onEscape = func() { m.cancel() }
		if !e.MultiLine {
			e.OnSubmitted = func(string) {
				if m.submit != nil {
					m.submit()
				}
			}
		}
	}
}

func (m *modal) show(focus fyne.Focusable) {
	m.mw.dialogs = append(m.mw.dialogs, m)
	m.d.Show()
	if focus != nil {
		m.mw.win.Canvas().Focus(focus)
	}
}

func (m *modal) hide() {
	if !m.closed {
		m.d.Hide()
	}
}

// resize widens a dialog whose content would otherwise wrap into a column,
// and makes it as tall as its content (see fit).
func (m *modal) resize(width float32) {
	m.width = width
	m.fit()
}

// Space kept free around a dialog in the window (the modal pop-up's own
// padding and a margin), and the dialog layout's side padding.
const (
	dialogMargin  = 24
	dialogSidePad = 32
)

// fit sizes the dialog to its content at the width asked for, within the
// window: a dialog taller than the window is as tall as the window and its
// content scrolls, so the footer and the buttons stay in view. Wrapped text
// is only as tall as its width allows, so the height is measured once the
// content has that width. Called again when the window or the footer changes.
func (m *modal) fit() {
	if m.closed || m.width == 0 {
		return
	}
	win := m.mw.win.Canvas().Size()
	w := m.width
	if win.Width > 0 {
		w = min(w, win.Width-dialogMargin)
	}
	content := m.scroll.Content
	// Wrapped text inside forms takes its width only once laid out: measure
	// until the height settles (two or three passes).
	var last float32
	for range 4 {
		content.Resize(fyne.NewSize(w-dialogSidePad, content.MinSize().Height))
		m.d.Refresh()
		chrome := m.d.MinSize().Height - m.scroll.MinSize().Height
		h := chrome + content.MinSize().Height
		if win.Height > 0 {
			h = min(h, win.Height-dialogMargin)
		}
		m.d.Resize(fyne.NewSize(w, h))
		if h == last {
			break
		}
		last = h
	}
	// Fyne's dialog places its content by where the buttons were at the
	// last layout: lay it out once more now that they are in place.
	m.d.Refresh()
}

// forget drops a closed dialog from the Escape/Enter stack.
func (mw *mainWindow) forget(m *modal) {
	for i, d := range mw.dialogs {
		if d == m {
			mw.dialogs = append(mw.dialogs[:i], mw.dialogs[i+1:]...)
			return
		}
	}
}

// topModal is the dialog keys go to, nil when none is open.
func (mw *mainWindow) topModal() *modal {
	if len(mw.dialogs) == 0 {
		return nil
	}
	return mw.dialogs[len(mw.dialogs)-1]
}

// button makes a dialog button; importance says which one is the main action.
func button(label string, icon fyne.Resource, imp widget.Importance, tapped func()) *pushButton {
	b := newIconButton(label, icon, tapped)
	b.Importance = imp
	return b
}

func cancelButton(m *modal) *pushButton {
	return button(lang.L("Cancel"), theme.CancelIcon(), widget.MediumImportance, func() { m.cancel() })
}

// wrapped is a label that wraps, for the sentences in dialogs.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// secondary is quieter text beside the main text (an account, a server's
// version and address): the placeholder colour, readable in both variants.
func secondary(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text,
		Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, Inline: true}})
}

func setSecondary(rt *widget.RichText, text string) {
	rt.Segments[0].(*widget.TextSegment).Text = text
	rt.Refresh()
}

// busy is a dialog's progress line: an infinite bar and what is happening.
// While it runs, the dialog's action buttons are disabled.
type busy struct {
	box     *fyne.Container
	bar     *widget.ProgressBarInfinite
	label   *widget.Label
	buttons []fyne.Disableable
	changed func() // the dialog fits itself again
}

func newBusy(buttons ...fyne.Disableable) *busy {
	b := &busy{bar: widget.NewProgressBarInfinite(), label: widget.NewLabel(""), buttons: buttons}
	b.box = container.NewVBox(b.bar, b.label)
	b.bar.Stop()
	b.box.Hide()
	return b
}

func (b *busy) start(what string) {
	b.label.SetText(what)
	b.box.Show()
	b.bar.Start()
	enable(false, b.buttons...)
	b.notify()
}

func (b *busy) done() {
	b.bar.Stop()
	b.box.Hide()
	enable(true, b.buttons...)
	b.notify()
}

func (b *busy) footerObject() fyne.CanvasObject { return b.box }
func (b *busy) onChange(f func())               { b.changed = f }
func (b *busy) notify() {
	if b.changed != nil {
		b.changed()
	}
}

func (b *busy) running() bool { return b.box.Visible() }

// errorLine is a dialog's place for what went wrong, in the danger colour.
type errorLine struct {
	label   *widget.Label
	changed func() // the dialog fits itself again
}

func newErrorLine() *errorLine {
	l := wrapped("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return &errorLine{label: l}
}

func (e *errorLine) set(text string) {
	e.label.SetText(text)
	if text == "" {
		e.label.Hide()
	} else {
		e.label.Show()
	}
	if e.changed != nil {
		e.changed()
	}
}

func (e *errorLine) footerObject() fyne.CanvasObject { return e.label }
func (e *errorLine) onChange(f func())               { e.changed = f }

func (e *errorLine) text() string {
	if !e.label.Visible() {
		return ""
	}
	return e.label.Text
}

// confirm asks a yes/no question whose yes is the dangerous action, named
// by its button; Enter does NOT confirm (a reflexive Enter must not rotate or
// delete a key), Escape cancels.
func (mw *mainWindow) confirm(title, message, action string, onYes func()) *modal {
	m := mw.newModal(title, wrapped(message))
	m.message = message
	yes := button(action, theme.WarningIcon(), widget.DangerImportance, func() {
		m.hide()
		onYes()
	})
	m.setButtons(cancelButton(m), yes)
	m.show(nil)
	m.resize(480)
	return m
}

// inform shows a message with one OK button; Enter and Escape close it.
func (mw *mainWindow) inform(title, message string) *modal {
	m := mw.newModal(title, wrapped(message))
	m.message = message
	m.submit = m.hide
	m.setButtons(button(lang.L("OK"), nil, widget.HighImportance, m.hide))
	m.show(nil)
	m.resize(440)
	return m
}

// enable enables or disables every one of ds.
func enable(on bool, ds ...fyne.Disableable) {
	for _, d := range ds {
		if on {
			d.Enable()
		} else {
			d.Disable()
		}
	}
}

// show shows o when on, else hides it.
func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
