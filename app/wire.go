package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

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
// Run's index watch refreshes the menu, so the tray needs no watch of its own.
func setupTray(a fyne.App, svc *keys.Service, keeper *clip.Keeper, mw *mainWindow) (*tray.Tray, bool) {
	notify := func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) }
	quit := mw.quit // Run's way out: the one that does not crash Fyne at exit
	if quit == nil {
		quit = a.Quit
	}
	t, ok := tray.Setup(a, tray.Config{
		Keys:     svc.List,
		Key:      svc.Key,
		Keeper:   keeper, // the tray's Quit clears the clipboard before OnQuit
		OnOpen:   mw.show,
		OnQuit:   quit,
		Describe: describeError,
		Notify:   notify,
	})
	if !ok {
		mw.say(tray.NoTrayMessage(), nil)
		return nil, false
	}
	if d, isDesktop := a.(desktop.App); isDesktop {
		d.SetSystemTrayWindow(mw.win) // a left click on the icon shows the window
	}
	return t, true
}
