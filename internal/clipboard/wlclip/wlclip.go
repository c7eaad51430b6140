//go:build linux || freebsd || netbsd || openbsd || dragonfly

// Package wlclip owns and watches the Wayland clipboard through a
// data-control protocol (ext-data-control-v1, or wlr-data-control-unstable-v1
// on older wlroots compositors), which lets a client in the background set and
// read the selection. It speaks the few interfaces it needs (wl_display,
// wl_registry, wl_seat, the manager, device, source and offer) on the wire
// itself: no Go Wayland library, no libwayland, no wl-copy.
//
// Nothing read or served is logged. The text Keytray owns is kept only while
// its data source is the selection.
package wlclip

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// HintMIME marks a secret for clipboard managers (value "secret").
const HintMIME = "x-kde-passwordManagerHint"

// textMIMEs are offered for text, and read in this order of preference.
var textMIMEs = []string{"text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "STRING", "TEXT"}

const maxRead = 64 << 10

// ErrNoDataControl: the compositor offers neither data-control protocol
// (GNOME's Mutter, for one). Open returns it as a *NoDataControlError.
var ErrNoDataControl = errors.New("the compositor offers no data-control protocol")

// NoDataControlError is Open's error when the compositor offers no
// data-control protocol; it says whether the compositor is GNOME's Mutter.
type NoDataControlError struct {
	// Mutter: the compositor offers gtk_shell1, which only Mutter does.
	// Mutter keeps Xwayland's clipboard and the Wayland one in step whatever
	// has focus, so an X11 client sees every copy (measured on Mutter 43.8).
	Mutter bool
}

func (e *NoDataControlError) Error() string { return ErrNoDataControl.Error() }

// Is makes errors.Is(err, ErrNoDataControl) hold.
func (e *NoDataControlError) Is(target error) bool { return target == ErrNoDataControl }

// Object ids and opcodes (identical in ext-data-control-v1 and
// zwlr-data-control-unstable-v1).
const (
	displayID = 1

	displaySync, displayGetRegistry = 0, 1
	displayError, displayDeleteID   = 0, 1
	registryBind                    = 0
	registryGlobal                  = 0
	callbackDone                    = 0

	managerCreateSource, managerGetDevice = 0, 1
	deviceSetSelection                    = 0
	deviceDataOffer, deviceSelection      = 0, 1
	devicePrimarySelection                = 3
	sourceOffer, sourceDestroy            = 0, 1
	sourceSend, sourceCancelled           = 0, 1
	offerReceive, offerDestroy            = 0, 1
	offerOffer                            = 0
)

// Conn is one Wayland connection owning and watching the clipboard.
type Conn struct {
	w        *wire
	Protocol string // "ext-data-control-v1" or "wlr-data-control-unstable-v1"

	changes chan struct{}
	done    chan struct{}
	err     error // why the event loop ended

	mu      sync.Mutex
	nextID  uint32
	device  uint32
	manager uint32
	offers  map[uint32][]string // live offers and their MIME types
	current uint32              // the clipboard's offer, 0 = empty
	primary uint32              // the primary selection's offer (destroyed when replaced)
	sources map[uint32]bool     // our live sources
	owner   uint32              // our source that is the selection, 0 = none
	text    string
	secret  bool
	closed  bool
	ownSeen bool // the selection event for our own source has been seen
	readMu  sync.Mutex
}

// Open connects to the compositor named by getenv (WAYLAND_DISPLAY,
// XDG_RUNTIME_DIR) and binds the first seat's data-control device.
func Open(getenv func(string) string) (*Conn, error) {
	name := getenv("WAYLAND_DISPLAY")
	if name == "" {
		return nil, errors.New("WAYLAND_DISPLAY is not set")
	}
	if !filepath.IsAbs(name) {
		dir := getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return nil, errors.New("XDG_RUNTIME_DIR is not set")
		}
		name = filepath.Join(dir, name)
	}
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: name, Net: "unix"})
	if err != nil {
		return nil, err
	}
	conn, err := start(c)
	if err != nil {
		c.Close()
		return nil, err
	}
	return conn, nil
}

type global struct {
	name    uint32
	iface   string
	version uint32
}

// start does the registry round trip on c and sets up the device.
func start(c *net.UnixConn) (*Conn, error) {
	w := &wire{c: c}
	cn := &Conn{w: w, nextID: 2, changes: make(chan struct{}, 1), done: make(chan struct{}),
		offers: map[uint32][]string{}, sources: map[uint32]bool{}}
	registry := cn.newID()
	callback := cn.newID()
	if err := w.send(displayID, displayGetRegistry, new(msg).uint(registry)); err != nil {
		return nil, err
	}
	if err := w.send(displayID, displaySync, new(msg).uint(callback)); err != nil {
		return nil, err
	}
	var globals []global
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for done := false; !done; {
		id, op, a, err := w.next()
		if err != nil {
			return nil, err
		}
		switch {
		case id == registry && op == registryGlobal:
			g := global{name: a.uint(), iface: a.str(), version: a.uint()}
			if a.err != nil {
				return nil, a.err
			}
			globals = append(globals, g)
		case id == callback && op == callbackDone:
			done = true
		case id == displayID && op == displayError:
			return nil, protocolError(a)
		}
	}
	_ = c.SetReadDeadline(time.Time{})
	var seat, manager *global
	mutter := false
	for i := range globals {
		g := &globals[i]
		switch {
		case g.iface == "gtk_shell1":
			mutter = true
		case g.iface == "wl_seat" && seat == nil:
			seat = g
		case g.iface == "ext_data_control_manager_v1":
			manager = g
		case g.iface == "zwlr_data_control_manager_v1" && (manager == nil || manager.iface != "ext_data_control_manager_v1"):
			manager = g
		}
	}
	if manager == nil {
		return nil, &NoDataControlError{Mutter: mutter}
	}
	if seat == nil {
		return nil, errors.New("the compositor offers no seat")
	}
	cn.Protocol = "ext-data-control-v1"
	version := uint32(1)
	if manager.iface == "zwlr_data_control_manager_v1" {
		cn.Protocol = "wlr-data-control-unstable-v1"
		version = min(manager.version, 2)
	}
	seatID, managerID, deviceID := cn.newID(), cn.newID(), cn.newID()
	bind := func(g *global, version, id uint32) error {
		return w.send(registry, registryBind, new(msg).uint(g.name).str(g.iface).uint(version).uint(id))
	}
	if err := bind(seat, 1, seatID); err != nil {
		return nil, err
	}
	if err := bind(manager, version, managerID); err != nil {
		return nil, err
	}
	if err := w.send(managerID, managerGetDevice, new(msg).uint(deviceID).uint(seatID)); err != nil {
		return nil, err
	}
	cn.device = deviceID
	cn.manager = managerID
	go cn.loop()
	return cn, nil
}

func protocolError(a *args) error {
	obj, code, text := a.uint(), a.uint(), a.str()
	return fmt.Errorf("wayland: protocol error on object %d, code %d: %s", obj, code, text)
}

func (c *Conn) newID() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextID
	c.nextID++
	return id
}

// Changes receives a value (coalesced) whenever the clipboard changes,
// except by Keytray's own Set.
func (c *Conn) Changes() <-chan struct{} { return c.changes }

// Set makes a new data source serving text the clipboard; secret adds the
// password-manager hint.
func (c *Conn) Set(text string, secret bool) error {
	src := c.newID()
	m := []string{}
	m = append(m, textMIMEs...)
	if secret {
		m = append(m, HintMIME)
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errors.New("the Wayland connection is closed")
	}
	old := c.owner
	c.sources[src] = true
	c.owner, c.text, c.secret, c.ownSeen = src, text, secret, false
	c.mu.Unlock()
	if err := c.w.send(c.manager, managerCreateSource, new(msg).uint(src)); err != nil {
		return err
	}
	for _, t := range m {
		if err := c.w.send(src, sourceOffer, new(msg).str(t)); err != nil {
			return err
		}
	}
	if err := c.w.send(c.device, deviceSetSelection, new(msg).uint(src)); err != nil {
		return err
	}
	if old != 0 {
		c.dropSource(old)
	}
	return nil
}

func (c *Conn) dropSource(id uint32) {
	c.mu.Lock()
	live := c.sources[id]
	delete(c.sources, id)
	c.mu.Unlock()
	if live {
		_ = c.w.send(id, sourceDestroy, new(msg))
	}
}

// Owns reports whether Keytray's source is still the selection, and its text.
func (c *Conn) Owns() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text, c.owner != 0
}

// Read returns the clipboard's text ("" when empty or not text).
func (c *Conn) Read(timeout time.Duration) (string, error) {
	if text, ok := c.Owns(); ok {
		return text, nil
	}
	c.readMu.Lock()
	defer c.readMu.Unlock()
	c.mu.Lock()
	offer, mimes := c.current, c.offers[c.current]
	c.mu.Unlock()
	if offer == 0 {
		return "", nil
	}
	mime := ""
	for _, t := range textMIMEs {
		if slices.Contains(mimes, t) {
			mime = t
			break
		}
	}
	if mime == "" {
		return "", nil
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return "", err
	}
	_ = unix.SetNonblock(p[0], true) // so that the read deadline works
	r := os.NewFile(uintptr(p[0]), "clipboard")
	defer r.Close()
	err := c.w.send(offer, offerReceive, new(msg).str(mime).fd(p[1]))
	unix.Close(p[1])
	if err != nil {
		return "", err
	}
	_ = r.SetReadDeadline(time.Now().Add(timeout)) // pipes are pollable
	b, err := io.ReadAll(io.LimitReader(r, maxRead+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxRead {
		return "", errors.New("the clipboard holds more than Keytray reads")
	}
	return string(b), nil
}

// Close ends the connection; a selection Keytray owns goes with it.
func (c *Conn) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.owner, c.text = 0, ""
	c.mu.Unlock()
	c.w.c.Close()
	<-c.done
}

// Err is why the connection ended, or nil while it is open.
func (c *Conn) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *Conn) signal() {
	select {
	case c.changes <- struct{}{}:
	default:
	}
}

// loop handles events until the connection ends.
func (c *Conn) loop() {
	defer close(c.done)
	for {
		id, op, a, err := c.w.next()
		if err != nil {
			c.err = err
			return
		}
		c.mu.Lock()
		_, isOffer := c.offers[id]
		isSource := c.sources[id]
		c.mu.Unlock()
		switch {
		case id == displayID && op == displayError:
			c.err = protocolError(a)
			c.w.c.Close()
			return
		case id == c.device && op == deviceDataOffer:
			o := a.uint()
			c.mu.Lock()
			c.offers[o] = nil
			c.mu.Unlock()
		case id == c.device && (op == deviceSelection || op == devicePrimarySelection):
			o := a.uint()
			c.mu.Lock()
			var old uint32
			if op == deviceSelection {
				old, c.current = c.current, o
			} else {
				old, c.primary = c.primary, o
			}
			ours := op == deviceSelection && c.owner != 0 && !c.ownSeen
			if ours {
				c.ownSeen = true
			} else if op == deviceSelection && c.owner != 0 {
				c.owner, c.text = 0, "" // someone else's selection (cancelled may follow)
			}
			stale := old != 0 && old != c.current && old != c.primary
			if stale {
				delete(c.offers, old)
			}
			c.mu.Unlock()
			if stale {
				_ = c.w.send(old, offerDestroy, new(msg))
			}
			if op == deviceSelection && !ours {
				c.signal()
			}
		case isOffer && op == offerOffer:
			t := a.str()
			c.mu.Lock()
			if _, ok := c.offers[id]; ok {
				c.offers[id] = append(c.offers[id], t)
			}
			c.mu.Unlock()
		case isSource && op == sourceSend:
			// The only event carrying a descriptor among the interfaces bound.
			mime, fd := a.str(), a.fd()
			if fd < 0 {
				continue
			}
			c.mu.Lock()
			var data []byte
			if id == c.owner {
				switch {
				case mime == HintMIME && c.secret:
					data = []byte("secret")
				case slices.Contains(textMIMEs, mime):
					data = []byte(c.text)
				}
			}
			c.mu.Unlock()
			go func() { // a slow reader must not hold up the event loop
				f := os.NewFile(uintptr(fd), "clipboard")
				_, _ = f.Write(data)
				f.Close()
			}()
		case isSource && op == sourceCancelled:
			c.mu.Lock()
			if c.owner == id {
				c.owner, c.text, c.secret = 0, "", false
			}
			c.mu.Unlock()
			c.dropSource(id)
		}
	}
}
