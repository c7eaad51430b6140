//go:build integration

package itest

import (
	"os"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// ownName connects privately to the session bus and takes name, failing the
// test if someone else holds it. The connection is closed (and the name
// released) when the test ends. A private connection, not dbus.SessionBus(),
// so that closing it cannot break other users of the shared one.
func ownName(t testing.TB, name string) *dbus.Conn {
	t.Helper()
	RequireSession(t)
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connecting to the session bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		t.Fatalf("requesting %s: %v", name, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("%s is already owned on this session bus (another server still running?)", name)
	}
	return conn
}

var (
	busMu    sync.Mutex
	busConns = map[string]*dbus.Conn{}
)

// sessionBus is the shared client connection for calls into other
// processes, on the bus $DBUS_SESSION_BUS_ADDRESS names now (a test in a
// UserSession has pointed it at the user's bus).
func sessionBus(t testing.TB) *dbus.Conn {
	t.Helper()
	RequireSession(t)
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	busMu.Lock()
	defer busMu.Unlock()
	if conn := busConns[addr]; conn != nil && conn.Connected() {
		return conn
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the session bus: %v", err)
	}
	busConns[addr] = conn
	return conn
}

// pidOf returns the process id behind a bus name (unique or well-known), or 0.
func pidOf(conn *dbus.Conn, name string) int {
	var pid uint32
	err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, name).Store(&pid)
	if err != nil {
		return 0
	}
	return int(pid)
}
