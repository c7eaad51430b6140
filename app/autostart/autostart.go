// Package autostart makes Keytray start, hidden in the tray, when the user
// logs in. On Linux and the BSDs it writes an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/io.github.keytray.desktop); other systems
// report ErrNotSupported.
package autostart

import "errors"

// ErrNotSupported: this system has no start-at-login support in Keytray yet.
var ErrNotSupported = errors.New("start at login is not supported yet on this platform")
