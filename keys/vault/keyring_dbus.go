//go:build linux || freebsd || openbsd || netbsd || dragonfly

package vault

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godbus/dbus/v5"
)

// sessionBusCheck finds the session bus the way libdbus does before
// go-keyring is called. Without it godbus, finding no address, runs
// dbus-launch, which starts a stray bus (and a keyring daemon on it that
// nobody unlocked) or, where dbus-launch is missing, fails with a confusing
// "executable file not found".
//
// godbus itself only looks at DBUS_SESSION_BUS_ADDRESS and /run/user/<uid>;
// when the bus is at $XDG_RUNTIME_DIR/bus somewhere else, the address is put
// into the environment, which is exactly what godbus does when it finds one.
func sessionBusCheck() error {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return nil
	}
	if xdgRun := os.Getenv("XDG_RUNTIME_DIR"); xdgRun != "" {
		bus := filepath.Join(xdgRun, "bus")
		if exists(bus) {
			if err := os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+dbus.EscapeBusAddressValue(bus)); err != nil {
				return fmt.Errorf("%w: %w", ErrUnavailable, err)
			}
			return nil
		}
	}
	runUser := fmt.Sprintf("/run/user/%d", os.Getuid())
	if exists(filepath.Join(runUser, "bus")) || exists(filepath.Join(runUser, "dbus-session")) {
		return nil // godbus finds these itself
	}
	return fmt.Errorf("%w: DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist", ErrNoSessionBus)
}
