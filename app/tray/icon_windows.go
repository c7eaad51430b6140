//go:build windows

package tray

import "time"

// On Windows Fyne's systray registers the notification-area icon when the
// first menu is set, and refuses an icon before that ("unable to set icon:
// tray not ready yet"): the icon is set after the menu.
const iconAfterMenu = true

// iconRetries: when Fyne's own ready callback runs (on a goroutine of its
// own) it sets the icon it knows of, which can land after ours; and a tray
// that comes up late (an app started from the Run key before Explorer's
// taskbar) is ready only later. Setting the icon again a little later makes
// Keytray's icon the one that stays. Setting an icon twice is harmless.
var iconRetries = []time.Duration{time.Second, 5 * time.Second}

// settleIcon calls set again after each of iconRetries.
func settleIcon(set func()) {
	go func() {
		start := time.Now()
		for _, at := range iconRetries {
			time.Sleep(time.Until(start.Add(at)))
			set()
		}
	}()
}
