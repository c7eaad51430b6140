//go:build !windows

package tray

// Elsewhere the icon is set before the first menu: Fyne keeps it and shows it
// when the tray starts (the StatusNotifierItem reads it at registration).
const iconAfterMenu = false

func settleIcon(func()) {}
