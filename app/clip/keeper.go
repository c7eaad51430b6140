package clip

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// KeeperConfig is what the Keeper asks of its owner.
type KeeperConfig struct {
	// ClearAfter is the clipboard-clear setting, read at every copy; 0 = never.
	ClearAfter func() time.Duration
	// Notify shows a desktop notification. It is called on the goroutine that
	// called Copy.
	Notify func(title, body string)
}

// Keeper puts keys on the clipboard and takes them off again. It remembers
// only the hash of what it put there.
type Keeper struct {
	cfg       KeeperConfig
	clipboard func() fyne.Clipboard
	// setSecret puts a key on the clipboard: setSecretText (marked for
	// clipboard-history tools where the platform allows it) in the app,
	// plain SetContent in tests.
	setSecret func(cb fyne.Clipboard, secret string)
	onMain    func(func())                                       // fyne.Do
	after     func(d time.Duration, f func()) (stop func() bool) // time.AfterFunc
	now       func() time.Time

	mu    sync.Mutex
	ours  digest // hash of the secret Keytray last put there
	has   bool
	gen   uint64 // which copy the pending clear belongs to
	timer func() bool
}

// NewKeeper makes a Keeper for the app's clipboard.
func NewKeeper(a fyne.App, cfg KeeperConfig) *Keeper {
	k := newKeeper(clipboardFor(a), fyne.Do, cfg)
	k.setSecret = setSecretText
	return k
}

func newKeeper(clipboard func() fyne.Clipboard, onMain func(func()), cfg KeeperConfig) *Keeper {
	return &Keeper{
		cfg:       cfg,
		clipboard: clipboard,
		setSecret: func(cb fyne.Clipboard, s string) { cb.SetContent(s) },
		onMain:    onMain,
		after: func(d time.Duration, f func()) func() bool {
			return time.AfterFunc(d, f).Stop
		},
		now: time.Now,
	}
}

// Copy puts secret on the clipboard, tells the user (naming label and when the
// clipboard will be cleared) and schedules the clear. It may be called from
// any goroutine: the clipboard work runs on the main thread.
func (k *Keeper) Copy(label, secret string) {
	var d time.Duration
	if k.cfg.ClearAfter != nil {
		d = max(k.cfg.ClearAfter(), 0)
	}
	when := k.now().Add(d)
	k.onMain(func() { k.put(secret, d) })
	if k.cfg.Notify != nil {
		k.cfg.Notify(copiedMessage(label, d, when))
	}
}

// put runs on the main thread.
func (k *Keeper) put(secret string, d time.Duration) {
	k.setSecret(k.clipboard(), secret)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ours, k.has = hashOf(secret), true
	k.gen++
	gen := k.gen
	if k.timer != nil {
		k.timer()
		k.timer = nil
	}
	if d > 0 {
		k.timer = k.after(d, func() { k.onMain(func() { k.clearIf(gen) }) })
	}
}

// clearIf runs on the main thread when copy gen's delay has passed.
func (k *Keeper) clearIf(gen uint64) {
	k.mu.Lock()
	current := gen == k.gen
	k.mu.Unlock()
	if current { // a later copy has its own clear scheduled
		k.ClearIfOurs()
	}
}

// ClearIfOurs empties the clipboard if it still holds the key Keytray put
// there, and leaves anything else alone. Either way Keytray forgets the key.
// Call it on the main thread: from a menu or button action, or with fyne.Do.
// On Quit, call it before App.Quit, not from Lifecycle.OnStopped: by then
// the driver has closed its clipboard connection.
func (k *Keeper) ClearIfOurs() {
	k.mu.Lock()
	ours, has := k.ours, k.has
	k.has = false
	if k.timer != nil {
		k.timer()
		k.timer = nil
	}
	k.mu.Unlock()
	if !has {
		return
	}
	cb := k.clipboard()
	if hashOf(cb.Content()) == ours {
		cb.SetContent("")
	}
}

// holds reports whether h is the hash of what Keytray put on the clipboard
// and has not cleared yet (the guard skips such content).
func (k *Keeper) holds(h digest) bool {
	if k == nil {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.has && k.ours == h
}

func copiedMessage(label string, d time.Duration, when time.Time) (title, body string) {
	title = lang.L("Key copied")
	if d <= 0 {
		return title, lang.L("{{.Name}} is on the clipboard. It will not be cleared.", map[string]any{"Name": label})
	}
	return title, lang.L("{{.Name}} is on the clipboard. It will be cleared in {{.Delay}}, at {{.Time}}.", map[string]any{
		"Name": label, "Delay": humanDuration(d), "Time": when.Format("15:04:05"),
	})
}
