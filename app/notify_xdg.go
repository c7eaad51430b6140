//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import (
	"slices"

	"github.com/godbus/dbus/v5"
)

const (
	notifyDest  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyIface = "org.freedesktop.Notifications"
)

// dbusNotifications talks to the desktop's notification server on its own
// session-bus connection, and hands ActionInvoked and NotificationClosed
// signals for its notifications back to the notifier.
type dbusNotifications struct {
	conn *dbus.Conn
}

// openActionBus connects to the notification server if it offers actions;
// noActions otherwise (no session bus, no server, no "actions").
func openActionBus(invoked func(id uint32, key string), closed func(id uint32)) actionBus {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return noActions{}
	}
	var caps []string
	if err := conn.Object(notifyDest, notifyPath).Call(notifyIface+".GetCapabilities", 0).Store(&caps); err != nil || !slices.Contains(caps, "actions") {
		conn.Close()
		return noActions{}
	}
	for _, member := range []string{"ActionInvoked", "NotificationClosed"} {
		if err := conn.AddMatchSignal(dbus.WithMatchInterface(notifyIface), dbus.WithMatchMember(member), dbus.WithMatchObjectPath(notifyPath)); err != nil {
			conn.Close()
			return noActions{}
		}
	}
	signals := make(chan *dbus.Signal, 16)
	conn.Signal(signals)
	go func() {
		for s := range signals {
			switch {
			case s.Name == notifyIface+".ActionInvoked" && len(s.Body) == 2:
				id, _ := s.Body[0].(uint32)
				key, _ := s.Body[1].(string)
				invoked(id, key)
			case s.Name == notifyIface+".NotificationClosed" && len(s.Body) >= 1:
				id, _ := s.Body[0].(uint32)
				closed(id)
			}
		}
	}()
	return &dbusNotifications{conn: conn}
}

func (d *dbusNotifications) send(appName, title, body string, actions []string) (uint32, error) {
	var id uint32
	err := d.conn.Object(notifyDest, notifyPath).Call(notifyIface+".Notify", 0,
		appName, uint32(0), "", title, body, actions, map[string]dbus.Variant{}, int32(-1)).Store(&id)
	return id, err
}
