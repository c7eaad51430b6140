package clip

import (
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keytray/keytray/app/poll"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
)

// GuardConfig is what the clipboard guard asks of its owner.
type GuardConfig struct {
	// Inspect classifies a credential and matches it to stored entries
	// (keys.Service.Inspect). Called off the main thread.
	Inspect func(string) (keys.Inspection, error)
	// Enabled is the clipboard-watch setting. Called at every poll or change
	// event, on the main thread or the watch goroutine: it must be cheap and
	// safe from any goroutine (an atomic value, not an index read).
	Enabled func() bool
	// UseToken runs "Use it to get an API key" for jwt: ask consent, pick the
	// server, exchange the token, store the key, copy it. Called on the main
	// thread from the banner's button.
	UseToken func(jwt string)
	// SaveKey runs "Save this key" for an unknown sk- key.
	SaveKey func(key string)
	// ShowBanner puts obj at the top of the window, replacing any earlier
	// banner. The banner hides itself when the user acts on it.
	ShowBanner func(fyne.CanvasObject)
	// Describe turns an error into a sentence (app/errtext.go).
	Describe func(error) string
	// Notify shows a desktop notification; called off the main thread.
	Notify func(title, body string)
	// NotifyToken, when set, shows the session-token warning instead of
	// Notify, given the token so that the notification can offer to get an
	// API key with it. Called off the main thread.
	NotifyToken func(title, body, jwt string)
	// Interval between clipboard reads; 0 = one second.
	Interval time.Duration
	// Keeper, when set, is the Keeper whose copies the guard ignores.
	Keeper *Keeper
}

// seenLimit bounds how many distinct contents the guard remembers.
const seenLimit = 256

// guard is the shell around the decisions in decide.go. Its fields other
// than cfg are touched only on the goroutine that calls poll: the main
// thread when polling Fyne's clipboard, the watch goroutine otherwise.
type guard struct {
	cfg       GuardConfig
	clipboard func() fyne.Clipboard
	onMain    func(func())
	spawn     func(func()) // go f(), synchronous in tests
	now       func() time.Time
	hidden    bool // the platform hides the clipboard from background apps

	last       digest
	hasLast    bool
	seen       *seenSet
	toldHidden bool
}

// StartGuard watches the clipboard and acts on credentials as GuardConfig
// describes. Where Keytray has its own clipboard connection (sysclip: X11
// with XFixes, or Wayland data-control) it is woken by the desktop's
// selection-change events and costs nothing while nothing is copied;
// otherwise it reads Fyne's clipboard about once a second on the main
// thread. stop ends the watching (and closes the clipboard connection: call
// it after the Keeper's last use).
func StartGuard(a fyne.App, cfg GuardConfig) (stop func()) {
	p := systemPath()
	if p.Clipboard != nil {
		g := newGuard(clipboardFor(a), fyne.Do, cfg, os.Getenv)
		g.hidden = !p.Background
		return g.watch(p.Clipboard.Changes(), p.Clipboard.Close)
	}
	g := newGuard(a.Clipboard, fyne.Do, cfg, os.Getenv)
	interval := cfg.Interval
	if interval <= 0 {
		interval = time.Second
	}
	return poll.Every(interval, func() { g.onMain(g.poll) })
}

// watch runs poll on its own goroutine: once at the start, then at every
// change event. stop waits for it to end, then calls closeFn.
func (g *guard) watch(changes <-chan struct{}, closeFn func()) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		g.poll()
		for {
			select {
			case <-changes:
				g.poll()
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(quit)
			<-done
			if closeFn != nil {
				closeFn()
			}
		})
	}
}

func newGuard(clipboard func() fyne.Clipboard, onMain func(func()), cfg GuardConfig, getenv func(string) string) *guard {
	return &guard{
		cfg:       cfg,
		clipboard: clipboard,
		onMain:    onMain,
		spawn:     func(f func()) { go f() },
		now:       time.Now,
		hidden:    clipboardHidden(getenv),
		seen:      newSeenSet(seenLimit),
	}
}

// poll runs on the main thread (polling) or the watch goroutine (events).
// While the clipboard is unchanged it costs one read and one hash.
func (g *guard) poll() {
	if g.cfg.Enabled != nil && !g.cfg.Enabled() {
		g.hasLast = false // look again at whatever is there when switched back on
		return
	}
	if g.hidden && !g.toldHidden {
		g.toldHidden = true
		g.onMain(func() { g.show(HiddenBanner()) })
	}
	text := g.clipboard().Content()
	h := hashOf(text)
	if g.hasLast && h == g.last {
		return
	}
	g.last, g.hasLast = h, true
	if g.cfg.Keeper.holds(h) || !mayBeCredential(text) || !g.seen.add(h) {
		return
	}
	g.spawn(func() { g.inspect(text) })
}

// inspect runs off the main thread: the classifier reads the index.
func (g *guard) inspect(text string) {
	in, err := g.cfg.Inspect(text)
	if err != nil {
		// Without the index the owner is unknown, but a JWT still deserves
		// its warning: classify it alone.
		in = keys.Inspection{Result: classifyAlone(text)}
	}
	switch decide(in) {
	case offerWarnToken:
		reason := ""
		if err != nil && g.cfg.Describe != nil {
			reason = g.cfg.Describe(err)
		}
		w := warnToken(in, g.now(), reason)
		switch {
		case g.cfg.NotifyToken != nil:
			g.cfg.NotifyToken(w.Title, w.Body(), text)
		case g.cfg.Notify != nil:
			g.cfg.Notify(w.Title, w.Body())
		}
		g.onMain(func() { g.show(tokenBanner(w, text, g.cfg.UseToken)) })
	case offerSaveKey:
		if err != nil {
			return // cannot tell whether Keytray knows it: stay quiet
		}
		g.onMain(func() { g.show(keyBanner(text, g.cfg.SaveKey)) })
	}
}

func (g *guard) show(obj fyne.CanvasObject) {
	if g.cfg.ShowBanner != nil {
		g.cfg.ShowBanner(obj)
	}
}

// classifyAlone is the classification without the index.
func classifyAlone(text string) credential.Result { return credential.Classify(text) }
