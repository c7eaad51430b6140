// Package app is Keytray's desktop app: the window (this package), the tray,
// the clipboard keeper and guard, and the single-instance and autostart
// helpers (subpackages). It is the only place that imports fyne.io, apart
// from app/cli, which never does. Run is the composition root.
package app

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/app/clip"
	"github.com/keytray/keytray/app/instance"
	"github.com/keytray/keytray/app/tray"
	"github.com/keytray/keytray/app/watch"
	"github.com/keytray/keytray/internal/autostart"
	"github.com/keytray/keytray/internal/clocale"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/vault"
)

// Options are the desktop app's command-line flags.
type Options struct {
	Hidden bool // --hidden: start in the tray only
}

//go:embed translations/window
var translations embed.FS

// translationFiles are every package's translations; each holds en.json
// and zh_Hans.json (Fyne picks by the system locale).
// Window text (not the tray's, which the desktop's panel draws) gets break
// opportunities for Chinese (cjkwrap.go).
var translationFiles = []struct {
	fs     embed.FS
	dir    string
	inFyne bool
}{
	{translations, "translations/window", true},
	{clip.Translations, "translations", true},
	{tray.Translations, "translations", false},
}

func loadTranslations() {
	defer clocale.Hide()() // Fyne reads the locale again here
	for _, t := range translationFiles {
		if err := addTranslations(t.fs, t.dir, t.inFyne); err != nil {
			fyne.LogError("loading translations", err)
		}
	}
	chineseText.Store(strings.HasPrefix(lang.SystemLocale().String(), "zh"))
}

// addTranslations is lang.AddTranslationsFS, with Chinese text given break
// opportunities when Fyne draws it.
func addTranslations(fsys embed.FS, dir string, inFyne bool) error {
	files, err := fsys.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := fsys.ReadFile(dir + "/" + f.Name())
		if err != nil {
			return err
		}
		locale := strings.TrimSuffix(f.Name(), ".json")
		if inFyne && strings.HasPrefix(locale, "zh") {
			if data, err = withBreakOpportunities(data); err != nil {
				return fmt.Errorf("%s: %w", f.Name(), err)
			}
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(locale)); err != nil {
			return fmt.Errorf("%s: %w", f.Name(), err)
		}
	}
	return nil
}

// indexPollInterval is how often the index file is checked for changes
// made by the command line.
const indexPollInterval = 2 * time.Second

// Run starts the desktop app and returns when it quits. A second start
// asks the running app to show its window and returns nil at once.
func Run(opts Options) error {
	inst, err := instance.Claim(instance.DefaultPath())
	if errors.Is(err, instance.ErrRunning) {
		return nil
	}
	if err != nil {
		// Not fatal: the app works, only a second start will not find it.
		fmt.Fprintln(os.Stderr, "keytray: single-instance check unavailable:", err)
	} else {
		defer inst.Close()
	}

	sigs := listenable(quitSignals) // before Fyne's driver listens to any
	a := fyneapp.NewWithID("io.github.keytray")
	setAppIcon(a)
	loadTranslations()

	svc, err := keys.Open()
	if err != nil {
		return err
	}
	st, err := svc.Settings()
	if err != nil {
		fyne.LogError("reading settings; using the defaults", err)
		st = vault.DefaultSettings()
	}
	var current atomic.Pointer[vault.Settings]
	current.Store(&st)
	a.Settings().SetTheme(themeFor(st.Theme))

	notifier := newNotifier(a)
	notify := notifier.notify
	keeper := clip.NewKeeper(a, clip.KeeperConfig{
		ClearAfter: func() time.Duration { return time.Duration(current.Load().ClipboardClear) },
		Notify:     notify,
	})
	var mw *mainWindow
	var watcher *keyWatcher
	// Every way out clears a key Keytray put on the clipboard, on the main
	// thread and before Fyne shuts its clipboard down (OnStopped is too late).
	// Then the driver stops, without Fyne's App.Quit: that first marks every
	// window as closing, and a pointer event the loop still polls for such a
	// window crashes Fyne 2.7.1 (processMouseMoved calls SetInputMode on the
	// nil view it gets for a closing window; seen on sway, 4 quits in 6, also
	// with the window hidden 100 ms before). Windows go with the driver.
	quit := func() {
		keeper.ClearIfOurs()
		if mw != nil {
			mw.win.Hide()
		}
		a.Driver().Quit()
	}
	mw = newMainWindow(windowDeps{
		app:        a,
		svc:        svc,
		copier:     keeper,
		quit:       quit,
		closeQuits: func() bool { return current.Load().CloseQuits },
		notify:     notify,
		applySettings: func(s vault.Settings) {
			if old := current.Swap(&s); old.CheckInterval != s.CheckInterval && watcher != nil {
				watcher.reset()
			}
			a.Settings().SetTheme(themeFor(s.Theme))
			if err := autostart.Apply(s.StartAtLogin); err != nil {
				mw.inform(lang.L("Start at login"), lang.L("The setting was saved, but Keytray could not change the login items: {{.Reason}}", map[string]any{"Reason": err.Error()}))
			}
		},
	})

	trayIcon, trayOK := setupTray(a, svc, keeper, mw)
	mw.setTray(trayOK)

	// Every key is checked in the background (check-interval); a key that
	// changes state gets one notification, and the tray marks it (the
	// index watch below refreshes the menu after each round).
	watcher = newKeyWatcher(watcherConfig{
		interval: func() time.Duration { return time.Duration(current.Load().CheckInterval) },
		list:     svc.List,
		check:    svc.Check,
		notify:   notify,
		alert: func(title, body string) {
			notifier.notifyWith(title, body, notifyAction{lang.L("Open Keytray"), mw.show})
		},
	})
	watcher.start()
	defer watcher.close()

	stopGuard := clip.StartGuard(a, clip.GuardConfig{
		Inspect:    svc.Inspect,
		Enabled:    func() bool { return current.Load().ClipboardWatch },
		UseToken:   mw.useSessionToken,
		SaveKey:    mw.offerSaveKey,
		ShowBanner: mw.setBanner,
		Describe:   describeError,
		Notify:     notify,
		NotifyToken: func(title, body, jwt string) {
			notifier.notifyWith(title, body, notifyAction{lang.L("Get an API key"), func() { mw.useSessionToken(jwt) }})
		},
		Keeper: keeper,
	})
	defer stopGuard()

	// The command line changes the index in another process: follow it.
	stopWatch := watch.Index(svc.IndexPath(), indexPollInterval, func() {
		if s, err := svc.Settings(); err == nil {
			old := current.Swap(&s)
			if old.Theme != s.Theme {
				// `keytray config theme dark` reaches the open window.
				fyne.Do(func() { a.Settings().SetTheme(themeFor(s.Theme)) })
			}
			if old.CheckInterval != s.CheckInterval {
				watcher.reset() // `keytray config check-interval 1h`
			}
		}
		fyne.Do(mw.refresh)
		if trayIcon != nil {
			trayIcon.Refresh()
		}
	})
	defer stopWatch()

	if inst != nil {
		inst.OnActivate(func() { fyne.Do(mw.show) })
	}
	a.Lifecycle().SetOnStopped(mw.saveSize)
	// After Fyne's driver has started listening itself (see quitSignals).
	var stopSignals func()
	a.Lifecycle().SetOnStarted(func() {
		stopSignals = takeOverSignals(func() { fyne.Do(quit) }, sigs...)
		time.AfterFunc(settleAfter, settle)
	})
	defer func() {
		if stopSignals != nil {
			stopSignals()
		}
	}()

	mw.refresh()
	if !(opts.Hidden || st.StartHidden) || !trayOK {
		mw.show()
	}
	a.Run()
	return nil
}

// settleAfter is how long after start-up the app hands back to the system
// the memory that building and painting the window left as garbage.
const settleAfter = 2 * time.Second

// settle hands the heap's garbage back to the system: 2 s after start-up
// (see Run), and when the window goes back to the tray. A tray app lives all
// day and allocates almost nothing once idle, while laying out and painting
// the list leaves garbage the size of the live heap, which the runtime would
// hand back only slowly. Measured 5 s after start under Xvfb: RSS 177 →
// ~155 MB with one key, 207 → 182 MB with 50 rows built (before the list
// made only the lines in view). A lower GC target, GOGC=50, saved less
// (195 MB) and cost the start-up about 20 ms.
func settle() { debug.FreeOSMemory() }
