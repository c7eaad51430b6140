//go:build integration

package itest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

const (
	sniWatcherName  = "org.kde.StatusNotifierWatcher"
	sniWatcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	sniWatcherIface = "org.kde.StatusNotifierWatcher"
)

// SNIWatcher is a minimal org.kde.StatusNotifierWatcher, the part of a desktop
// panel that tray icons register with. Without one on the bus, a tray item is
// exported but never registered (the app logs "failed to register").
type SNIWatcher struct {
	conn  *dbus.Conn
	props *prop.Properties

	mu    sync.Mutex
	cond  *sync.Cond
	items []SNIItem // registered and still on the bus
	all   []SNIItem // every registration seen, in order
	ended bool      // the test is over and conn is closing: publish nothing
}

// SNIItem is one registered tray item.
type SNIItem struct {
	ID     string // as listed in RegisteredStatusNotifierItems: "<bus name><object path>"
	Sender string // unique bus name of the registering connection
	PID    int    // process behind Sender (0 if the bus would not say)
}

// StartSNIWatcher owns org.kde.StatusNotifierWatcher on the session bus until
// the test ends. Start it before the app so that the tray registers at once
// (the app also registers later, when the watcher appears).
func StartSNIWatcher(t testing.TB) *SNIWatcher {
	t.Helper()
	conn := ownName(t, sniWatcherName)
	w := &SNIWatcher{conn: conn}
	w.cond = sync.NewCond(&w.mu)
	// Runs before ownName's cleanup closes conn (cleanups run last first): a
	// NameOwnerChanged still being handled then must not publish on a closed
	// connection, where prop's SetMust panics.
	t.Cleanup(func() {
		w.mu.Lock()
		w.ended = true
		w.mu.Unlock()
	})

	if err := conn.Export(sniWatcherMethods{w}, sniWatcherPath, sniWatcherIface); err != nil {
		t.Fatalf("exporting the watcher: %v", err)
	}
	props, err := prop.Export(conn, sniWatcherPath, map[string]map[string]*prop.Prop{
		sniWatcherIface: {
			"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
			"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
			"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
		},
	})
	if err != nil {
		t.Fatalf("exporting the watcher's properties: %v", err)
	}
	w.props = props
	node := &introspect.Node{
		Name: string(sniWatcherPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			prop.IntrospectData,
			{
				Name: sniWatcherIface,
				Methods: []introspect.Method{
					{Name: "RegisterStatusNotifierItem", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
					{Name: "RegisterStatusNotifierHost", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
				},
				Signals: []introspect.Signal{
					{Name: "StatusNotifierItemRegistered", Args: []introspect.Arg{{Type: "s"}}},
					{Name: "StatusNotifierItemUnregistered", Args: []introspect.Arg{{Type: "s"}}},
					{Name: "StatusNotifierHostRegistered"},
				},
				Properties: props.Introspection(sniWatcherIface),
			},
		},
	}
	if err := conn.Export(introspect.NewIntrospectable(node), sniWatcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		t.Fatalf("exporting the watcher's introspection: %v", err)
	}

	// An item whose connection leaves the bus is unregistered, as a panel does;
	// that is how a test sees the tray go away when the app quits.
	if err := conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
	); err != nil {
		t.Fatalf("watching NameOwnerChanged: %v", err)
	}
	signals := make(chan *dbus.Signal, 64)
	conn.Signal(signals)
	go func() {
		for sig := range signals {
			if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
				continue
			}
			name, _ := sig.Body[0].(string)
			newOwner, _ := sig.Body[2].(string)
			if newOwner == "" {
				w.dropSender(name)
			}
		}
	}()
	return w
}

type sniWatcherMethods struct{ w *SNIWatcher }

// RegisterStatusNotifierItem follows KDE's watcher: a service that is an
// object path means "this path on the caller's connection".
func (m sniWatcherMethods) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	id := service
	if strings.HasPrefix(service, "/") {
		id = string(sender) + service
	} else if !strings.Contains(service, "/") {
		id = service + "/StatusNotifierItem"
	}
	item := SNIItem{ID: id, Sender: string(sender), PID: pidOf(m.w.conn, string(sender))}
	w := m.w
	w.mu.Lock()
	for _, it := range w.items {
		if it.ID == id {
			w.mu.Unlock()
			return nil // registering again is allowed and changes nothing
		}
	}
	w.items = append(w.items, item)
	w.all = append(w.all, item)
	w.publishLocked()
	w.mu.Unlock()
	_ = w.conn.Emit(sniWatcherPath, sniWatcherIface+".StatusNotifierItemRegistered", id)
	return nil
}

func (m sniWatcherMethods) RegisterStatusNotifierHost(service string) *dbus.Error {
	return nil
}

func (w *SNIWatcher) dropSender(sender string) {
	w.mu.Lock()
	var gone []string
	kept := w.items[:0]
	for _, it := range w.items {
		if it.Sender == sender {
			gone = append(gone, it.ID)
			continue
		}
		kept = append(kept, it)
	}
	w.items = kept
	if len(gone) > 0 {
		w.publishLocked()
	}
	w.mu.Unlock()
	for _, id := range gone {
		_ = w.conn.Emit(sniWatcherPath, sniWatcherIface+".StatusNotifierItemUnregistered", id)
	}
}

// publishLocked updates the RegisteredStatusNotifierItems property and wakes
// waiters; w.mu is held. Once the test has ended it does nothing.
func (w *SNIWatcher) publishLocked() {
	if w.ended {
		return
	}
	ids := make([]string, len(w.items))
	for i, it := range w.items {
		ids[i] = it.ID
	}
	w.props.SetMust(sniWatcherIface, "RegisteredStatusNotifierItems", ids)
	w.cond.Broadcast()
}

// Items returns the items registered now (not those whose process left).
func (w *SNIWatcher) Items() []SNIItem {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]SNIItem(nil), w.items...)
}

// Registrations returns every registration seen since the watcher started.
func (w *SNIWatcher) Registrations() []SNIItem {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]SNIItem(nil), w.all...)
}

// WaitItem waits until a process with pid has a registered tray item and
// returns it.
func (w *SNIWatcher) WaitItem(t testing.TB, pid int) SNIItem {
	t.Helper()
	var found SNIItem
	if !w.waitUntil(func() bool {
		for _, it := range w.items {
			if it.PID == pid {
				found = it
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no tray item registered by pid %d within %v (registered: %v)", pid, WaitTimeout, w.Items())
	}
	return found
}

// WaitItemGone waits until pid has no registered tray item (it quit, or
// dropped its tray).
func (w *SNIWatcher) WaitItemGone(t testing.TB, pid int) {
	t.Helper()
	if !w.waitUntil(func() bool {
		for _, it := range w.items {
			if it.PID == pid {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("pid %d still has a registered tray item after %v", pid, WaitTimeout)
	}
}

// waitUntil waits, without polling, until cond (called with w.mu held) holds.
func (w *SNIWatcher) waitUntil(cond func() bool) bool {
	return waitCond(&w.mu, w.cond, cond)
}

// waitCond waits on c until cond holds or WaitTimeout passes. mu guards what
// cond reads; it is locked by waitCond.
func waitCond(mu *sync.Mutex, c *sync.Cond, cond func() bool) bool {
	deadline := time.Now().Add(WaitTimeout)
	timer := time.AfterFunc(WaitTimeout, func() {
		mu.Lock()
		defer mu.Unlock()
		c.Broadcast()
	})
	defer timer.Stop()
	mu.Lock()
	defer mu.Unlock()
	for !cond() {
		if !time.Now().Before(deadline) {
			return false
		}
		c.Wait()
	}
	return true
}
