package app

import (
	"fyne.io/fyne/v2"

	"github.com/keytray/keytray/app/clip"
	"github.com/keytray/keytray/keys"
)

// TEMPORARY until app/tray and assets exist.
func setupTray(a fyne.App, svc *keys.Service, keeper *clip.Keeper, mw *mainWindow) bool { return false }
func setAppIcon(a fyne.App)                                                             {}
