// Package autostart makes Keytray start, hidden in the tray, when the user
// logs in: on Linux and the BSDs an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/io.github.keytray.desktop), on Windows a value
// under HKCU\Software\Microsoft\Windows\CurrentVersion\Run, on macOS a
// launch agent (~/Library/LaunchAgents/io.github.keytray.plist). Other
// systems report ErrNotSupported.
package autostart

import "errors"

// ErrNotSupported: this system has no start-at-login support in Keytray yet.
var ErrNotSupported = errors.New("start at login is not supported yet on this platform")
