package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// sniWatcher is the part of a desktop panel that tray icons register with
// (org.kde.StatusNotifierWatcher). Without it on the bus Keytray runs without
// a tray, and the floor's tray would not register either, so the idle
// comparison would not be of two apps sitting in a tray.
type sniWatcher struct {
	conn *dbus.Conn

	mu   sync.Mutex
	pids map[int]bool // processes that registered an item
}

const sniName = "org.kde.StatusNotifierWatcher"

// startSNIWatcher takes the watcher's name on the bus at addr.
func startSNIWatcher(addr string) (*sniWatcher, error) {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("session bus: %w", err)
	}
	reply, err := conn.RequestName(sniName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("owning %s: reply %v, %v", sniName, reply, err)
	}
	w := &sniWatcher{conn: conn, pids: map[int]bool{}}
	path := dbus.ObjectPath("/StatusNotifierWatcher")
	if err := conn.Export(sniMethods{w}, path, sniName); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := prop.Export(conn, path, map[string]map[string]*prop.Prop{sniName: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitFalse},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitFalse},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitFalse},
	}}); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

type sniMethods struct{ w *sniWatcher }

func (m sniMethods) RegisterStatusNotifierItem(sender dbus.Sender, _ string) *dbus.Error {
	var pid uint32
	if err := m.w.conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, string(sender)).Store(&pid); err == nil {
		m.w.mu.Lock()
		m.w.pids[int(pid)] = true
		m.w.mu.Unlock()
	}
	return nil
}

func (m sniMethods) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// waitRegistered waits until pid has registered a tray item.
func (w *sniWatcher) waitRegistered(a *app, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		ok := w.pids[a.pid()]
		w.mu.Unlock()
		if ok {
			return nil
		}
		if err := a.exited(); err != nil {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s: no tray item registered within %v\n%s", a.label, timeout, a.errb.String())
}

func (w *sniWatcher) close() { w.conn.Close() }
