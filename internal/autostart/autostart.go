// Package autostart makes Keytray start, hidden in the tray, when the user
// logs in: on Linux and the BSDs an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/io.github.keytray.desktop), on Windows a value
// under HKCU\Software\Microsoft\Windows\CurrentVersion\Run, on macOS a
// launch agent (~/Library/LaunchAgents/io.github.keytray.plist). Other
// systems report ErrNotSupported.
package autostart

import (
	"errors"
	"fmt"
	"os"
)

// ErrNotSupported: this system has no start-at-login support in Keytray yet.
var ErrNotSupported = errors.New("start at login is not supported yet on this platform")

// Apply makes the login item match the start-at-login setting: both front
// ends call it after saving the setting, so `keytray config start-at-login on`
// and the window's check box have the same effect. The item runs the program
// that is running now (os.Executable).
func Apply(on bool) error {
	if !on {
		if !Enabled() {
			return nil
		}
		return Disable()
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the program: %w", err)
	}
	return Enable(exe)
}
