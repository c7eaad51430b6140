//go:build integration

package itest

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
)

const (
	notifyName  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyIface = "org.freedesktop.Notifications"
)

// Notification is one Notify call received by the NotificationServer.
type Notification struct {
	ID         uint32
	AppName    string // Fyne sends the app's unique ID, e.g. io.github.keytray
	ReplacesID uint32
	Icon       string
	Summary    string
	Body       string
	Actions    []string // key, label, key, label, …
	Hints      map[string]dbus.Variant
	Timeout    int32
	Sender     string // unique bus name of the caller
}

// NotificationServer is a minimal desktop notification daemon
// (org.freedesktop.Notifications, the interface Fyne 2.7's SendNotification
// calls on Linux outside Flatpak) that records what it is asked to show.
type NotificationServer struct {
	conn *dbus.Conn

	mu     sync.Mutex
	cond   *sync.Cond
	lastID uint32
	got    []Notification
}

// StartNotificationServer owns org.freedesktop.Notifications on the session
// bus until the test ends.
func StartNotificationServer(t testing.TB) *NotificationServer {
	t.Helper()
	conn := ownName(t, notifyName)
	s := &NotificationServer{conn: conn}
	s.cond = sync.NewCond(&s.mu)
	if err := conn.Export(notifyMethods{s}, notifyPath, notifyIface); err != nil {
		t.Fatalf("exporting the notification server: %v", err)
	}
	node := &introspect.Node{
		Name: string(notifyPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			{
				Name:    notifyIface,
				Methods: introspect.Methods(notifyMethods{s}),
				Signals: []introspect.Signal{
					{Name: "NotificationClosed", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "reason", Type: "u"}}},
					{Name: "ActionInvoked", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "action_key", Type: "s"}}},
				},
			},
		},
	}
	if err := conn.Export(introspect.NewIntrospectable(node), notifyPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		t.Fatalf("exporting the notification server's introspection: %v", err)
	}
	return s
}

type notifyMethods struct{ s *NotificationServer }

func (m notifyMethods) Notify(sender dbus.Sender, appName string, replacesID uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s := m.s
	s.mu.Lock()
	defer s.mu.Unlock()
	id := replacesID
	if id == 0 {
		s.lastID++
		id = s.lastID
	}
	s.got = append(s.got, Notification{
		ID: id, AppName: appName, ReplacesID: replacesID, Icon: icon, Summary: summary, Body: body,
		Actions: actions, Hints: hints, Timeout: timeout, Sender: string(sender),
	})
	s.cond.Broadcast()
	return id, nil
}

func (m notifyMethods) CloseNotification(id uint32) *dbus.Error {
	// Reason 3: closed by a call to CloseNotification.
	_ = m.s.conn.Emit(notifyPath, notifyIface+".NotificationClosed", id, uint32(3))
	return nil
}

func (m notifyMethods) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"body", "actions"}, nil
}

func (m notifyMethods) GetServerInformation() (name, vendor, version, specVersion string, err *dbus.Error) {
	return "keytray-itest", "keytray", "1", "1.2", nil
}

// Notifications returns every notification received so far, in order.
func (s *NotificationServer) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.got...)
}

// WaitCount waits until at least n notifications have arrived and returns
// them all.
func (s *NotificationServer) WaitCount(t testing.TB, n int) []Notification {
	t.Helper()
	if !waitCond(&s.mu, s.cond, func() bool { return len(s.got) >= n }) {
		t.Fatalf("got %d notifications, want at least %d within %v", len(s.Notifications()), n, WaitTimeout)
	}
	return s.Notifications()
}

// InvokeAction tells the notification's sender that the user clicked the
// action key (the ActionInvoked signal), as a desktop does.
func (s *NotificationServer) InvokeAction(t testing.TB, id uint32, key string) {
	t.Helper()
	s.emitTo(t, id, "ActionInvoked", id, key)
}

// Dismiss tells the sender that the user dismissed the notification
// (NotificationClosed with reason 2).
func (s *NotificationServer) Dismiss(t testing.TB, id uint32) {
	t.Helper()
	s.emitTo(t, id, "NotificationClosed", id, uint32(2))
}

func (s *NotificationServer) emitTo(t testing.TB, id uint32, member string, args ...any) {
	t.Helper()
	if err := s.conn.Emit(notifyPath, notifyIface+"."+member, args...); err != nil {
		t.Fatalf("emitting %s for notification %d: %v", member, id, err)
	}
}
