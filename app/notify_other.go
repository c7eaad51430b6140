//go:build !linux && !freebsd && !openbsd && !netbsd && !dragonfly

package app

// openActionBus: notifications with actions go through D-Bus only; other
// systems get Fyne's plain notification.
func openActionBus(func(uint32, string), func(uint32)) actionBus { return noActions{} }
