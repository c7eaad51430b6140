//go:build linux || freebsd || openbsd || netbsd || dragonfly

package tray

import (
	"bufio"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

func TestProbeWithoutSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no "bus" in it
	if err := probe(); !errors.Is(err, errNoSessionBus) {
		t.Fatalf("probe = %v, want errNoSessionBus", err)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if err := probe(); !errors.Is(err, errNoSessionBus) {
		t.Fatalf("probe = %v, want errNoSessionBus", err)
	}
}

// TestProbeWatcher runs a private dbus-daemon: a bus without a
// StatusNotifierWatcher is refused, one with it is accepted.
func TestProbeWatcher(t *testing.T) {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon not installed")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the bus address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)

	if err := probe(); !errors.Is(err, errNoWatcher) {
		t.Fatalf("probe without a watcher = %v, want errNoWatcher", err)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", watcherName, reply, err)
	}
	if err := probe(); err != nil {
		t.Fatalf("probe with a watcher = %v", err)
	}
}
