package tray

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/keytray/keytray/assets"
)

// The tray icons are PNGs: Linux trays reject SVG ("unknown format").
var (
	iconForLight = fyne.NewStaticResource("keytray-tray-light.png", assets.TrayLight)
	iconForDark  = fyne.NewStaticResource("keytray-tray-dark.png", assets.TrayDark)
)

// iconFor picks the icon that stands out on a panel of the given variant.
func iconFor(v fyne.ThemeVariant) fyne.Resource {
	if v == theme.VariantDark {
		return iconForDark
	}
	return iconForLight
}

func setIcon(app trayApp, s fyne.Settings) {
	app.SetSystemTrayIcon(iconFor(s.ThemeVariant()))
}
