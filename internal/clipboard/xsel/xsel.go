// Package xsel owns and watches the X11 CLIPBOARD selection over its own X
// connection (pure Go, github.com/jezek/xgb), instead of through GLFW:
//
//   - Set makes Keytray's hidden window the CLIPBOARD owner and answers
//     requests for TARGETS, the text types and x-kde-passwordManagerHint
//     ("secret", when the text is a secret), so that Klipper, CopyQ and other
//     clipboard managers that honour the hint keep keys out of their history;
//   - Changes delivers XFixes selection-owner events, so a watcher wakes only
//     when something is copied (no timer), and Read fetches the text then.
//
// Nothing read or served is logged. The text Keytray owns is kept in memory
// only while it owns the selection.
package xsel

import (
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"
)

// HintTarget is the target (and MIME type on Wayland) that marks a
// clipboard content as a password for clipboard managers; its value is
// "secret".
const HintTarget = "x-kde-passwordManagerHint"

// maxRead bounds what Read fetches: far longer than any credential.
const maxRead = 64 << 10

// ErrTimeout is returned by Read when the clipboard owner does not answer.
var ErrTimeout = errors.New("the clipboard owner did not answer")

// atoms are the atoms the package uses, interned once.
type atoms struct {
	clipboard, manager, saveTargets, targets, multiple, timestamp xproto.Atom
	utf8, text, plainUTF8, plain, hint, incr, prop, atom          xproto.Atom
}

var atomNames = []string{"CLIPBOARD", "CLIPBOARD_MANAGER", "SAVE_TARGETS", "TARGETS", "MULTIPLE", "TIMESTAMP",
	"UTF8_STRING", "TEXT", "text/plain;charset=utf-8", "text/plain", HintTarget, "INCR", "KEYTRAY_SELECTION", "ATOM"}

func (a *atoms) ptrs() []*xproto.Atom {
	return []*xproto.Atom{&a.clipboard, &a.manager, &a.saveTargets, &a.targets, &a.multiple, &a.timestamp,
		&a.utf8, &a.text, &a.plainUTF8, &a.plain, &a.hint, &a.incr, &a.prop, &a.atom}
}

// Conn is one X connection owning and watching CLIPBOARD. Its methods may be
// called from any goroutine.
type Conn struct {
	x   *xgb.Conn
	win xproto.Window
	a   atoms

	changes chan struct{}                    // XFixes: another client took CLIPBOARD
	notify  chan xproto.SelectionNotifyEvent // answers to our ConvertSelection
	done    chan struct{}                    // the event loop ended

	readMu sync.Mutex // one conversion at a time

	mu     sync.Mutex
	owned  bool   // our window owns CLIPBOARD
	text   string // what we serve while owned
	secret bool   // offer the password-manager hint
	closed bool
}

// quietOnce silences xgb's own logger, which writes to stderr on every start
// where there is no ~/.Xauthority (Xvfb, Xwayland on sway: "Could not get
// authority info …"). What goes wrong reaches Keytray as errors anyway.
var quietOnce sync.Once

// Open connects to display ("" = $DISPLAY), creates a hidden window and asks
// XFixes for CLIPBOARD owner changes.
func Open(display string) (*Conn, error) {
	quietOnce.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, err
	}
	c, err := setup(x)
	if err != nil {
		x.Close()
		return nil, err
	}
	go c.loop()
	return c, nil
}

func setup(x *xgb.Conn) (*Conn, error) {
	if err := xfixes.Init(x); err != nil {
		return nil, fmt.Errorf("XFixes: %w", err)
	}
	if _, err := xfixes.QueryVersion(x, 5, 0).Reply(); err != nil {
		return nil, fmt.Errorf("XFixes: %w", err)
	}
	c := &Conn{x: x, changes: make(chan struct{}, 1), notify: make(chan xproto.SelectionNotifyEvent, 1), done: make(chan struct{})}
	cookies := make([]xproto.InternAtomCookie, len(atomNames))
	for i, n := range atomNames {
		cookies[i] = xproto.InternAtom(x, false, uint16(len(n)), n)
	}
	for i, p := range c.a.ptrs() {
		r, err := cookies[i].Reply()
		if err != nil {
			return nil, err
		}
		*p = r.Atom
	}
	screen := xproto.Setup(x).DefaultScreen(x)
	win, err := xproto.NewWindowId(x)
	if err != nil {
		return nil, err
	}
	c.win = win
	if err := xproto.CreateWindowChecked(x, screen.RootDepth, win, screen.Root, -10, -10, 1, 1, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, xproto.CwOverrideRedirect|xproto.CwEventMask,
		[]uint32{1, xproto.EventMaskPropertyChange}).Check(); err != nil {
		return nil, err
	}
	mask := uint32(xfixes.SelectionEventMaskSetSelectionOwner | xfixes.SelectionEventMaskSelectionWindowDestroy |
		xfixes.SelectionEventMaskSelectionClientClose)
	if err := xfixes.SelectSelectionInputChecked(x, win, c.a.clipboard, mask).Check(); err != nil {
		return nil, err
	}
	return c, nil
}

// Changes receives a value (coalesced) whenever another client becomes the
// CLIPBOARD owner or the owner goes away. Keytray's own Set does not count.
func (c *Conn) Changes() <-chan struct{} { return c.changes }

// Set makes Keytray the CLIPBOARD owner serving text; secret adds the
// password-manager hint. Set("", false) empties the clipboard.
func (c *Conn) Set(text string, secret bool) error {
	c.mu.Lock()
	c.text, c.secret, c.owned = text, secret, true
	c.mu.Unlock()
	xproto.SetSelectionOwner(c.x, c.win, c.a.clipboard, xproto.TimeCurrentTime)
	r, err := xproto.GetSelectionOwner(c.x, c.a.clipboard).Reply()
	if err == nil && r.Owner != c.win {
		err = errors.New("the X server did not give Keytray the clipboard")
	}
	if err != nil {
		c.forget()
		return err
	}
	return nil
}

// Owns reports whether Keytray still owns CLIPBOARD, and what it serves.
func (c *Conn) Owns() (text string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text, c.owned
}

func (c *Conn) forget() {
	c.mu.Lock()
	c.owned, c.text, c.secret = false, "", false
	c.mu.Unlock()
}

// Read returns the clipboard's text ("" when there is no owner or no text).
// While Keytray owns the clipboard it answers from memory.
func (c *Conn) Read(timeout time.Duration) (string, error) {
	if text, ok := c.Owns(); ok {
		return text, nil
	}
	c.readMu.Lock()
	defer c.readMu.Unlock()
	select { // a late answer to an earlier, timed-out read
	case <-c.notify:
	default:
	}
	for _, target := range []xproto.Atom{c.a.utf8, xproto.AtomString} {
		xproto.ConvertSelection(c.x, c.win, c.a.clipboard, target, c.a.prop, xproto.TimeCurrentTime)
		ev, err := c.waitNotify(c.a.clipboard, timeout)
		if err != nil {
			return "", err
		}
		if ev.Property == xproto.AtomNone {
			continue // no owner, or not this type
		}
		r, err := xproto.GetProperty(c.x, true, c.win, c.a.prop, xproto.GetPropertyTypeAny, 0, maxRead/4).Reply()
		if err != nil {
			return "", err
		}
		if r.BytesAfter > 0 || r.Type == c.a.incr {
			xproto.DeleteProperty(c.x, c.win, c.a.prop)
			return "", errors.New("the clipboard holds more than Keytray reads")
		}
		return string(r.Value), nil
	}
	return "", nil
}

func (c *Conn) waitNotify(selection xproto.Atom, timeout time.Duration) (xproto.SelectionNotifyEvent, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case ev := <-c.notify:
			if ev.Selection == selection {
				return ev, nil
			}
		case <-c.done:
			return xproto.SelectionNotifyEvent{}, errors.New("the X connection is closed")
		case <-t.C:
			return xproto.SelectionNotifyEvent{}, ErrTimeout
		}
	}
}

// Close ends the connection. If Keytray still owns an emptied clipboard and
// a clipboard manager runs, it first lets the manager take the clipboard
// over (freedesktop ClipboardManager SAVE_TARGETS), as GLFW did; a secret is
// never handed over.
func (c *Conn) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	handOver := c.owned && c.text == ""
	c.mu.Unlock()
	if handOver {
		if r, err := xproto.GetSelectionOwner(c.x, c.a.manager).Reply(); err == nil && r.Owner != xproto.WindowNone {
			c.readMu.Lock()
			xproto.ConvertSelection(c.x, c.win, c.a.manager, c.a.saveTargets, c.a.prop, xproto.TimeCurrentTime)
			_, _ = c.waitNotify(c.a.manager, 2*time.Second)
			c.readMu.Unlock()
		}
	}
	c.forget()
	xproto.DestroyWindow(c.x, c.win)
	c.x.Close()
	<-c.done
}

// loop handles events until the connection closes.
func (c *Conn) loop() {
	defer close(c.done)
	for {
		ev, err := c.x.WaitForEvent()
		if ev == nil && err == nil {
			return
		}
		switch e := ev.(type) {
		case xproto.SelectionRequestEvent:
			c.answer(e)
		case xproto.SelectionClearEvent:
			if e.Selection == c.a.clipboard {
				c.forget()
			}
		case xproto.SelectionNotifyEvent:
			select {
			case c.notify <- e:
			default:
			}
		case xfixes.SelectionNotifyEvent:
			if e.Selection == c.a.clipboard && e.Owner != c.win {
				if e.Owner == xproto.WindowNone {
					c.forget() // our window is gone from the selection too
				}
				select {
				case c.changes <- struct{}{}:
				default:
				}
			}
		}
	}
}

// answer serves one SelectionRequest (ICCCM 2.2).
func (c *Conn) answer(e xproto.SelectionRequestEvent) {
	c.mu.Lock()
	text, secret, owned := c.text, c.secret, c.owned
	c.mu.Unlock()
	prop := e.Property
	if prop == xproto.AtomNone {
		prop = e.Target // an obsolete requestor
	}
	ok := false
	if owned && e.Owner == c.win && e.Selection == c.a.clipboard {
		var r reply
		if r, ok = convert(&c.a, e.Target, text, secret); ok {
			xproto.ChangeProperty(c.x, xproto.PropModeReplace, e.Requestor, prop, r.typ, r.format,
				uint32(len(r.data))/uint32(r.format/8), r.data)
		}
	}
	if !ok {
		prop = xproto.AtomNone
	}
	n := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	xproto.SendEvent(c.x, false, e.Requestor, xproto.EventMaskNoEvent, string(n.Bytes()))
}

// reply is the property that answers a conversion.
type reply struct {
	typ    xproto.Atom
	format byte // 8 or 32
	data   []byte
}

// textLimit: larger answers would need the INCR protocol; keys never come close.
const textLimit = 200 << 10

// convert decides how to answer a request for target while serving text.
func convert(a *atoms, target xproto.Atom, text string, secret bool) (reply, bool) {
	switch target {
	case a.targets:
		list := []xproto.Atom{a.targets, a.utf8, xproto.AtomString, a.text, a.plainUTF8, a.plain}
		if secret {
			list = append(list, a.hint)
		}
		data := make([]byte, 4*len(list))
		for i, t := range list {
			xgb.Put32(data[4*i:], uint32(t))
		}
		return reply{a.atom, 32, data}, true
	case a.hint:
		if !secret {
			return reply{}, false
		}
		return reply{a.hint, 8, []byte("secret")}, true
	case a.utf8, a.plainUTF8, a.text:
		if len(text) > textLimit {
			return reply{}, false
		}
		typ := target
		if target == a.text {
			typ = a.utf8
		}
		return reply{typ, 8, []byte(text)}, true
	case xproto.AtomString, a.plain:
		if len(text) > textLimit {
			return reply{}, false
		}
		return reply{target, 8, latin1(text)}, true
	}
	return reply{}, false
}

// latin1 is text as ISO 8859-1 (STRING), with "?" for what it cannot hold.
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}
