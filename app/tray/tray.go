// Package tray is Keytray's system tray icon and menu: every stored key by
// name (grouped by server when there are several; click = copy), "Open
// Keytray" and "Quit". The menu follows the index, also when the command
// line changes it from another process.
//
// On Linux the tray is a StatusNotifierItem with a dbusmenu on the session
// bus (Fyne's systray). Setup first checks that a session bus and a
// StatusNotifierWatcher are there: without them Fyne's systray panics on
// quit, so Keytray then runs without a tray and says so (NoTrayMessage).
package tray

import (
	"embed"
	"reflect"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/systray"

	"github.com/keytray/keytray/keys/vault"
)

// Translations holds this package's messages (en, zh_Hans). Load them with
// lang.AddTranslationsFS(tray.Translations, "translations").
//
//go:embed translations
var Translations embed.FS

// Copier puts a key on the clipboard (clip.Keeper).
type Copier interface {
	Copy(label, secret string)
	// ClearIfOurs runs on Quit, on the main thread, before OnQuit.
	ClearIfOurs()
}

// Config is what the tray asks of the app.
type Config struct {
	// Keys lists the entries and instances (keys.Service.List). It reads the
	// index only; called at Setup and then off the main thread.
	Keys func() ([]vault.Entry, []vault.Instance, error)
	// Key reads one key from the keyring; called off the main thread.
	Key    func(name string) (string, error)
	Keeper Copier
	// OnOpen shows the window; OnQuit ends the app (nil: App.Quit). Both run on
	// the main thread. Quit clears Keytray's key from the clipboard first.
	OnOpen func()
	OnQuit func()
	// Describe turns an error into a sentence; Notify shows a notification.
	Describe func(error) string
	Notify   func(title, body string)
}

// NoTrayMessage is the one-time notice for a desktop without a tray.
func NoTrayMessage() string {
	return lang.L("No system tray found: Keytray runs in its window. On GNOME, install the AppIndicator extension.")
}

// trayApp is the part of desktop.App the tray uses.
type trayApp interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayIcon(fyne.Resource)
}

// Tray is a running tray icon and menu.
type Tray struct {
	cfg    Config
	app    trayApp
	onMain func(func())
	spawn  func(func())

	last    []Item // the model on display; touched on the main thread only
	tooltip string // the tooltip on display; main thread only

	kick     chan struct{}
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// Setup shows the tray icon and menu. It must be called before App.Run (Fyne
// starts its tray only then). ok is false when the desktop has no tray (no
// session bus, or no StatusNotifierWatcher on it); nothing is set up then,
// and the app should keep its window and show NoTrayMessage once.
func Setup(a fyne.App, cfg Config) (t *Tray, ok bool) {
	desk, isDesktop := a.(desktop.App)
	if !isDesktop || probe() != nil {
		return nil, false
	}
	t = newTray(desk, cfg, fyne.Do)
	setTooltip = systray.SetTooltip
	icon := func() { setIcon(desk, a.Settings()) }
	if iconAfterMenu {
		// The first menu registers the tray; an icon set before that is
		// refused ("tray not ready yet").
		entries, instances, err := t.keys()
		t.apply(t.model(entries, instances, err))
		icon()
	} else {
		icon()
		entries, instances, err := t.keys()
		t.apply(t.model(entries, instances, err))
	}
	a.Settings().AddListener(func(fyne.Settings) { icon() })
	settleIcon(func() { fyne.Do(icon) })
	t.start()
	return t, true
}

// setTooltip sets the tray icon's tooltip (systray's, once Setup ran; tests
// leave it a no-op or record it).
var setTooltip = func(string) {}

func newTray(app trayApp, cfg Config, onMain func(func())) *Tray {
	return &Tray{
		cfg:    cfg,
		app:    app,
		onMain: onMain,
		spawn:  func(f func()) { go f() },
		kick:   make(chan struct{}, 1),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// start runs the refresh worker.
func (t *Tray) start() { go t.worker() }

// Refresh rebuilds the menu from Keys. It may be called from any goroutine
// (the app calls it from its index watch, so changes made by the command
// line show up); calls that come while a rebuild is pending are folded into it.
func (t *Tray) Refresh() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// Stop ends the refresh worker. The icon stays until the app quits.
func (t *Tray) Stop() {
	t.stopOnce.Do(func() { close(t.quit) })
	<-t.done
}

func (t *Tray) worker() {
	defer close(t.done)
	for {
		select {
		case <-t.quit:
			return
		case <-t.kick:
			entries, instances, err := t.keys()
			m := t.model(entries, instances, err)
			t.onMain(func() { t.apply(m) })
		}
	}
}

func (t *Tray) keys() ([]vault.Entry, []vault.Instance, error) {
	if t.cfg.Keys == nil {
		return nil, nil, nil
	}
	return t.cfg.Keys()
}

// menuModel is the whole menu: the keys part, or why it is missing.
type menuModel struct {
	keys    []Item
	problem string // the keys could not be listed: shown as a disabled line
	tooltip string
}

func (t *Tray) model(entries []vault.Entry, instances []vault.Instance, err error) menuModel {
	if err != nil {
		return menuModel{problem: lang.L("Keys unavailable — open Keytray for details")}
	}
	return menuModel{keys: BuildMenu(entries, instances), tooltip: Tooltip(entries)}
}

// apply shows m unless it is what is already shown (the index also changes
// when only a key's last check changes). Main thread only.
func (t *Tray) apply(m menuModel) {
	model := m.items()
	if t.last == nil || !reflect.DeepEqual(model, t.last) {
		t.last = model
		t.app.SetSystemTrayMenu(t.fyneMenu(model))
	}
	// After the menu: on Windows the first menu registers the tray, and a
	// tooltip set before that is refused ("tray not ready yet").
	if m.tooltip != t.tooltip {
		t.tooltip = m.tooltip
		setTooltip(m.tooltip)
	}
}

// items is the full model: keys (or a note), separator, Open, Quit. Items
// without Key or Children carry their role in Label alone; fyneMenu maps them.
func (m menuModel) items() []Item {
	items := m.keys
	switch {
	case m.problem != "":
		items = []Item{{Label: m.problem}}
	case len(items) == 0:
		items = []Item{{Label: lang.L("No keys yet")}}
	}
	return items
}

func (t *Tray) fyneMenu(model []Item) *fyne.Menu {
	items := make([]*fyne.MenuItem, 0, len(model)+3)
	for _, it := range model {
		items = append(items, t.fyneItem(it))
	}
	open := fyne.NewMenuItem(lang.L("Open Keytray"), func() {
		if t.cfg.OnOpen != nil {
			t.cfg.OnOpen()
		}
	})
	// Fyne's own "Quit" label, so Fyne does not add a second Quit item.
	quit := fyne.NewMenuItem(lang.L("Quit"), t.quitApp)
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), open, quit)
	return fyne.NewMenu("Keytray", items...)
}

func (t *Tray) fyneItem(it Item) *fyne.MenuItem {
	label := escapeLabel(it.Label)
	switch {
	case it.Children != nil:
		sub := make([]*fyne.MenuItem, len(it.Children))
		for i, c := range it.Children {
			sub[i] = t.fyneItem(c)
		}
		mi := fyne.NewMenuItem(label, nil)
		mi.ChildMenu = fyne.NewMenu(label, sub...)
		return mi
	case it.Key != "":
		name := it.Key
		return fyne.NewMenuItem(label, func() { t.copyKey(name) })
	default:
		mi := fyne.NewMenuItem(label, nil)
		mi.Disabled = true
		return mi
	}
}

// copyKey reads the key off the main thread (the keyring may be slow or
// locked) and hands it to the Keeper.
func (t *Tray) copyKey(name string) {
	t.spawn(func() {
		secret, err := t.cfg.Key(name)
		if err != nil {
			if t.cfg.Notify != nil {
				msg := err.Error()
				if t.cfg.Describe != nil {
					msg = t.cfg.Describe(err)
				}
				t.cfg.Notify(lang.L("Could not copy {{.Name}}", map[string]any{"Name": name}), msg)
			}
			return
		}
		t.cfg.Keeper.Copy(name, secret)
	})
}

// quitApp runs on the main thread: clear Keytray's key while the clipboard
// still works, then quit.
func (t *Tray) quitApp() {
	if t.cfg.Keeper != nil {
		t.cfg.Keeper.ClearIfOurs()
	}
	if t.cfg.OnQuit != nil {
		t.cfg.OnQuit()
		return
	}
	fyne.CurrentApp().Quit()
}
