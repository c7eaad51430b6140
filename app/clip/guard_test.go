package clip

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/vault"
)

// guardRig runs the guard's shell synchronously: poll is called by the test,
// inspection runs inline.
type guardRig struct {
	g        *guard
	cb       fyne.Clipboard
	enabled  bool
	inspect  func(string) (keys.Inspection, error)
	inspects int
	notes    []note
	banners  []fyne.CanvasObject
	used     []string
	saved    []string
}

func newGuardRig(t *testing.T, env map[string]string, keeper *Keeper) *guardRig {
	t.Helper()
	r := &guardRig{cb: test.NewClipboard(), enabled: true}
	r.inspect = func(s string) (keys.Inspection, error) {
		return keys.Inspection{Result: credential.Classify(s)}, nil
	}
	cfg := GuardConfig{
		Inspect: func(s string) (keys.Inspection, error) {
			r.inspects++
			return r.inspect(s)
		},
		Enabled:    func() bool { return r.enabled },
		UseToken:   func(jwt string) { r.used = append(r.used, jwt) },
		SaveKey:    func(key string) { r.saved = append(r.saved, key) },
		ShowBanner: func(o fyne.CanvasObject) { r.banners = append(r.banners, o) },
		Describe:   func(err error) string { return "Described: " + err.Error() },
		Notify:     func(title, body string) { r.notes = append(r.notes, note{title, body}) },
		Keeper:     keeper,
	}
	r.g = newGuard(func() fyne.Clipboard { return r.cb }, func(f func()) { f() }, cfg,
		func(k string) string { return env[k] })
	r.g.spawn = func(f func()) { f() }
	r.g.now = func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.Local) }
	return r
}

// copyAndPoll is the user copying s, then one tick of the guard.
func (r *guardRig) copyAndPoll(s string) {
	r.cb.SetContent(s)
	r.g.poll()
}

func TestGuardWarnsOncePerToken(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	owner := &vault.Entry{Name: "Alice", Email: "alice@chat.example.com", Instance: "https://chat.example.com", UserID: "u-1"}
	r.inspect = func(s string) (keys.Inspection, error) {
		in := keys.Inspection{Result: credential.Classify(s)}
		if in.JWT != nil && in.JWT.UserID == owner.UserID {
			in.Owner = owner
		}
		return in, nil
	}
	jwt := makeJWT(t, map[string]any{"id": "u-1", "exp": time.Date(2026, 12, 18, 12, 0, 0, 0, time.Local).Unix()})

	r.copyAndPoll(jwt)
	r.g.poll() // unchanged: nothing more
	if len(r.notes) != 1 || len(r.banners) != 1 {
		t.Fatalf("after one JWT: %d notifications, %d banners; want 1 and 1", len(r.notes), len(r.banners))
	}
	n := r.notes[0]
	if n.title != "You copied a session token, not an API key" ||
		!strings.Contains(n.body, "Alice (alice@chat.example.com) on chat.example.com") ||
		!strings.Contains(n.body, "expires in 3 weeks, on 2026-12-18") {
		t.Errorf("notification: %q / %q", n.title, n.body)
	}
	if strings.Contains(n.body, jwt) || strings.Contains(n.title, jwt) {
		t.Fatal("the notification contains the token")
	}

	// The user copies something else, then the same token again: no second warning.
	r.copyAndPoll("some text")
	r.copyAndPoll(jwt)
	if len(r.notes) != 1 || len(r.banners) != 1 {
		t.Errorf("the same token warned again: %d notifications", len(r.notes))
	}
	// Another token is warned about.
	r.copyAndPoll(makeJWT(t, map[string]any{"id": "u-2"}))
	if len(r.notes) != 2 || !strings.Contains(r.notes[1].body, "an unknown account (user id u-2)") ||
		!strings.Contains(r.notes[1].body, "It never expires.") {
		t.Errorf("second token: %+v", r.notes)
	}
}

func TestGuardBannerUsesTheToken(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	jwt := makeJWT(t, map[string]any{"id": "u-1"})
	r.copyAndPoll(jwt)
	if len(r.banners) != 1 {
		t.Fatalf("%d banners", len(r.banners))
	}
	b := r.banners[0]
	test.Tap(findButton(t, b, "Use it to get an API key"))
	if len(r.used) != 1 || r.used[0] != jwt {
		t.Fatal("UseToken was not called with the token")
	}
	if b.Visible() {
		t.Error("the banner stayed after the user acted on it")
	}
}

func TestGuardOffersToSaveUnknownKeyQuietly(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	r.copyAndPoll(secretA)
	if len(r.notes) != 0 {
		t.Errorf("an unknown key raised a notification: %+v", r.notes)
	}
	if len(r.banners) != 1 {
		t.Fatalf("%d banners, want 1", len(r.banners))
	}
	test.Tap(findButton(t, r.banners[0], "Save this key"))
	if len(r.saved) != 1 || r.saved[0] != secretA {
		t.Fatal("SaveKey not called with the key")
	}
}

func TestGuardIgnoresKnownKeysOwnCopiesAndText(t *testing.T) {
	test.NewTempApp(t)
	keeperCB := test.NewClipboard()
	keeper := newKeeper(func() fyne.Clipboard { return keeperCB }, func(f func()) { f() }, KeeperConfig{})
	r := newGuardRig(t, nil, keeper)
	keeper.clipboard = func() fyne.Clipboard { return r.cb } // one clipboard for both

	r.inspect = func(s string) (keys.Inspection, error) {
		return keys.Inspection{Result: credential.Classify(s), Known: &vault.Entry{Name: "bob"}}, nil
	}
	r.copyAndPoll(secretB) // a key Keytray knows
	if len(r.banners) != 0 {
		t.Errorf("a known key got a banner")
	}

	before := r.inspects
	keeper.Copy("alice", secretA) // Keytray's own copy
	r.g.poll()
	r.copyAndPoll("a sentence the user copied, not a credential")
	r.copyAndPoll("")
	if r.inspects != before {
		t.Errorf("Inspect called %d times for Keytray's own copy and for plain text", r.inspects-before)
	}
	if len(r.banners) != 0 || len(r.notes) != 0 {
		t.Errorf("banners %d, notifications %d; want none", len(r.banners), len(r.notes))
	}
}

func TestGuardOffWhenDisabled(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	r.enabled = false
	jwt := makeJWT(t, map[string]any{"id": "u-1"})
	r.copyAndPoll(jwt)
	if r.inspects != 0 || len(r.notes) != 0 {
		t.Fatal("the guard looked at the clipboard while switched off")
	}
	r.enabled = true
	r.g.poll() // the token copied while off is seen once switched on
	if len(r.notes) != 1 {
		t.Errorf("%d notifications after switching on, want 1", len(r.notes))
	}
}

func TestGuardWarnsWithoutIndex(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	r.inspect = func(string) (keys.Inspection, error) { return keys.Inspection{}, errors.New("index unreadable") }
	r.copyAndPoll(makeJWT(t, map[string]any{"id": "u-1"}))
	if len(r.notes) != 1 || !strings.Contains(r.notes[0].body, "Described: index unreadable") {
		t.Fatalf("JWT with an unreadable index: %+v", r.notes)
	}
	r.copyAndPoll(secretA) // cannot tell whether it is known: no offer
	if len(r.banners) != 1 {
		t.Errorf("%d banners, want only the token's", len(r.banners))
	}
}

func TestGuardSaysOnceWhenClipboardIsHidden(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, nil)
	r.g.poll()
	r.g.poll()
	r.copyAndPoll("text")
	if len(r.banners) != 1 {
		t.Fatalf("%d banners on Wayland, want exactly 1 notice", len(r.banners))
	}
	if findLabel(r.banners[0], "Keytray cannot watch the clipboard in the background here") == nil {
		t.Error("the notice does not say the clipboard cannot be watched")
	}
	var body string
	walk(r.banners[0], func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Wrapping == fyne.TextWrapWord {
			body = l.Text
		}
	})
	for _, want := range []string{"no data-control protocol", "only while Keytray's window has focus", "keytray inspect --clipboard", "reaches X11 apps only"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice does not say %q: %q", want, body)
		}
	}
}

// On GNOME (Mutter), Keytray watches through Xwayland in the background:
// no notice.
func TestGuardSaysNothingOnGNOME(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}, nil)
	r.g.poll()
	r.copyAndPoll("text")
	if len(r.banners) != 0 {
		t.Fatalf("%d banners on GNOME, want none", len(r.banners))
	}
}

func findButton(t *testing.T, o fyne.CanvasObject, label string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button", label)
	}
	return found
}

func findLabel(o fyne.CanvasObject, text string) *widget.Label {
	var found *widget.Label
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			found = l
		}
	})
	return found
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			walk(child, f)
		}
	}
}

// BenchmarkPollUnchanged is the guard's idle cost per tick beyond the
// clipboard read itself: a hash and a compare.
func BenchmarkPollUnchanged(b *testing.B) {
	cb := test.NewClipboard()
	cb.SetContent(strings.Repeat("some ordinary copied text ", 40))
	g := newGuard(func() fyne.Clipboard { return cb }, func(f func()) { f() },
		GuardConfig{Enabled: func() bool { return true }}, func(string) string { return "" })
	g.poll()
	b.ReportAllocs()
	for b.Loop() {
		g.poll()
	}
}

// BenchmarkDecideToken is the decision path for a new JWT: the cheap first
// look, the classification and the wording.
func BenchmarkDecideToken(b *testing.B) {
	test.NewTempApp(b)
	jwt := makeJWT(b, map[string]any{"id": "u-1", "exp": time.Now().Add(time.Hour).Unix()})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if !mayBeCredential(jwt) {
			b.Fatal("not a credential")
		}
		in := keys.Inspection{Result: credential.Classify(jwt)}
		if decide(in) != offerWarnToken {
			b.Fatal("not warned")
		}
		_ = warnToken(in, now, "").Body()
	}
}

// With its own clipboard connection the guard reads only when a change event
// arrives, on its own goroutine, and stop waits for it before closing.
func TestGuardWatchReadsOnChangeEvents(t *testing.T) {
	test.NewTempApp(t)
	r := newGuardRig(t, nil, nil)
	jwt := makeJWT(t, map[string]any{"id": "u-1", "exp": time.Date(2026, 12, 18, 12, 0, 0, 0, time.Local).Unix()})
	r.cb = &lockedClipboard{cb: r.cb} // the test and the watch goroutine share it
	changes := make(chan struct{})
	closed := false
	r.cb.SetContent("plain text")
	stop := r.g.watch(changes, func() { closed = true })
	r.cb.SetContent(jwt) // no event yet: a timer-free guard does not see it
	changes <- struct{}{}
	changes <- struct{}{} // the same content again: nothing more
	stop()
	stop()
	if !closed {
		t.Error("stop did not close the clipboard connection")
	}
	if len(r.notes) != 1 || len(r.banners) != 1 {
		t.Fatalf("%d notifications, %d banners; want 1 and 1", len(r.notes), len(r.banners))
	}
}

type lockedClipboard struct {
	mu sync.Mutex
	cb fyne.Clipboard
}

func (l *lockedClipboard) Content() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cb.Content()
}

func (l *lockedClipboard) SetContent(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cb.SetContent(s)
}
