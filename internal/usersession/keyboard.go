//go:build linux

package usersession

import (
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

// Keyboard is a virtual keyboard in a Mutter session, through GNOME's
// RemoteDesktop interface (as GNOME Remote Desktop types): what it types goes
// to the focused window. Mutter's headless seat has no keyboard of its own,
// and a Wayland app uses the clipboard only while it has keyboard focus, so
// this is how a test copies and pastes in a GNOME app.
type Keyboard struct {
	conn    *dbus.Conn
	session dbus.BusObject
}

// Keysyms used with Chord (X11 keysym values).
const (
	KeyControl = 0xffe3 // Control_L
	KeyReturn  = 0xff0d
	keyShift   = 0xffe1 // Shift_L
)

// Keyboard starts a remote-desktop session on the compositor and returns
// its keyboard. Only Mutter offers one.
func (s *Session) Keyboard() (*Keyboard, error) {
	if s.Compositor != Mutter {
		return nil, errors.New("a virtual keyboard needs GNOME's RemoteDesktop interface: start the session with Mutter")
	}
	conn, err := dbus.Connect(s.BusAddress)
	if err != nil {
		return nil, err
	}
	var path dbus.ObjectPath
	rd := conn.Object("org.gnome.Mutter.RemoteDesktop", "/org/gnome/Mutter/RemoteDesktop")
	if err := rd.Call("org.gnome.Mutter.RemoteDesktop.CreateSession", 0).Store(&path); err != nil {
		conn.Close()
		return nil, fmt.Errorf("mutter's RemoteDesktop.CreateSession: %w", err)
	}
	k := &Keyboard{conn: conn, session: conn.Object("org.gnome.Mutter.RemoteDesktop", path)}
	if err := k.session.Call("org.gnome.Mutter.RemoteDesktop.Session.Start", 0).Err; err != nil {
		conn.Close()
		return nil, fmt.Errorf("starting mutter's remote-desktop session: %w", err)
	}
	// The seat gains its keyboard at the first key event, and the focused
	// window its keyboard focus a moment later: keys typed before then are
	// lost. A Shift press and release makes the keyboard first.
	if err := k.Chord(keyShift); err != nil {
		k.Close()
		return nil, err
	}
	time.Sleep(400 * time.Millisecond)
	return k, nil
}

func (k *Keyboard) key(keysym uint32, down bool) error {
	return k.session.Call("org.gnome.Mutter.RemoteDesktop.Session.NotifyKeyboardKeysym", 0, keysym, down).Err
}

// Chord presses keys in order and releases them in reverse (Ctrl+C is
// Chord(KeyControl, 'c')).
func (k *Keyboard) Chord(keys ...uint32) error {
	for i, key := range keys {
		if err := k.key(key, true); err != nil {
			for j := i - 1; j >= 0; j-- {
				_ = k.key(keys[j], false)
			}
			return err
		}
	}
	for i := len(keys) - 1; i >= 0; i-- {
		if err := k.key(keys[i], false); err != nil {
			return err
		}
	}
	// The compositor handles the events in its own time: let it settle.
	time.Sleep(100 * time.Millisecond)
	return nil
}

// Type types text, one key at a time. Printable ASCII only: its keysyms are
// its character codes.
func (k *Keyboard) Type(text string) error {
	for _, r := range text {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("cannot type %q: printable ASCII only", r)
		}
		if err := k.key(uint32(r), true); err != nil {
			return err
		}
		if err := k.key(uint32(r), false); err != nil {
			return err
		}
	}
	time.Sleep(100 * time.Millisecond)
	return nil
}

// Close ends the remote-desktop session.
func (k *Keyboard) Close() {
	_ = k.session.Call("org.gnome.Mutter.RemoteDesktop.Session.Stop", 0).Err
	k.conn.Close()
}
