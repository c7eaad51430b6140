//go:build linux || freebsd || openbsd || netbsd || dragonfly

package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"
)

const watcherName = "org.kde.StatusNotifierWatcher"

var (
	errNoSessionBus = errors.New("no D-Bus session bus")
	errNoWatcher    = errors.New("no StatusNotifierWatcher on the session bus")
)

// probe checks what Fyne's systray needs: a reachable session bus (without
// one, systray panics on quit) and a StatusNotifierWatcher to register with
// (without one, no tray shows the icon).
func probe() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		rt := os.Getenv("XDG_RUNTIME_DIR")
		if rt == "" {
			return errNoSessionBus
		}
		if _, err := os.Stat(filepath.Join(rt, "bus")); err != nil {
			return errNoSessionBus
		}
	}
	// A private connection: closing it must not close the shared one that
	// systray and notifications use.
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("%w: %v", errNoSessionBus, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has); err != nil {
		return fmt.Errorf("asking for %s: %w", watcherName, err)
	}
	if !has {
		return errNoWatcher
	}
	return nil
}
