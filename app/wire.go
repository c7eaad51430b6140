package app

import (
	"fyne.io/fyne/v2"

	"github.com/keytray/keytray/app/clip"
	"github.com/keytray/keytray/app/tray"
	"github.com/keytray/keytray/assets"
	"github.com/keytray/keytray/keys"
)

// setAppIcon gives the app (and so the window) Keytray's icon.
func setAppIcon(a fyne.App) {
	a.SetIcon(fyne.NewStaticResource("keytray.png", assets.Icon))
}

// setupTray starts the tray icon and menu; false when the desktop has no
// tray, in which case the window stays the way in (and closing it quits).
func setupTray(a fyne.App, svc *keys.Service, keeper *clip.Keeper, mw *mainWindow) bool {
	notify := func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) }
	_, ok := tray.Setup(a, tray.Config{
		Keys:      svc.List,
		Key:       svc.Key,
		Keeper:    keeper,
		OnOpen:    mw.show,
		OnQuit:    a.Quit,
		Describe:  describeError,
		Notify:    notify,
		IndexPath: svc.Vault.IndexPath(),
	})
	if !ok {
		mw.notice.SetText(tray.NoTrayMessage())
	}
	return ok
}
