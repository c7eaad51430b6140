package app

import (
	"context"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// keyWatcher checks every stored key in the background, about every
// check-interval, and says once when a key changes state. It costs one timer
// while idle (no polling) and one request per key per round.
//
// Rounds are spread out: each waits the interval ± 10 %, so many Keytrays
// behind one server do not ask at the same moment. The first round runs soon
// after start. While the machine has no network, a round checks only keys on
// servers on this computer, and the others keep their last state.
type keyWatcher struct {
	watcherConfig

	mu      sync.Mutex
	stop    func() bool
	known   map[string]string // key name → state at the last round
	stopped bool
	running bool
}

// watcherConfig is what a keyWatcher is given.
type watcherConfig struct {
	interval func() time.Duration // 0 = off
	list     func() ([]vault.Entry, []vault.Instance, error)
	check    func(ctx context.Context, names ...string) ([]keys.CheckResult, error)
	online   func() bool
	notify   func(title, body string)
	// alert, when set, notifies instead of notify that a key needs
	// attention (with an "Open Keytray" action where the desktop has them).
	alert func(title, body string)
	// afterFunc is time.AfterFunc (tests replace it).
	afterFunc func(d time.Duration, f func()) func() bool
}

// firstCheckAfter is how long after start the first round runs (jittered).
const firstCheckAfter = 5 * time.Second

func newKeyWatcher(cfg watcherConfig) *keyWatcher {
	if cfg.afterFunc == nil {
		cfg.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if cfg.online == nil {
		cfg.online = hasNetwork
	}
	return &keyWatcher{watcherConfig: cfg}
}

// start arms the first round.
func (w *keyWatcher) start() { w.arm(jitter(firstCheckAfter)) }

// reset arms the next round again after the interval changed.
func (w *keyWatcher) reset() { w.arm(jitter(w.interval())) }

// close stops the timer for good.
func (w *keyWatcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.stop != nil {
		w.stop()
	}
}

func (w *keyWatcher) arm(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	if w.stopped || w.interval() <= 0 {
		return
	}
	w.stop = w.afterFunc(d, w.round)
}

// jitter is d ± 10 %.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	return d - d/10 + time.Duration(rand.Int64N(int64(d/5)+1))
}

// round checks the keys, notifies the changes, and arms the next round.
func (w *keyWatcher) round() {
	w.mu.Lock()
	if w.running || w.stopped {
		w.mu.Unlock()
		return
	}
	w.running = true
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.running = false
		w.mu.Unlock()
		w.arm(jitter(w.interval()))
	}()

	entries, _, err := w.list()
	if err != nil || len(entries) == 0 {
		return
	}
	before := map[string]string{}
	var names []string
	online := w.online()
	for _, e := range entries {
		before[e.Name] = e.LastStatus
		if online || isLoopbackURL(e.Instance) {
			names = append(names, e.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	res, err := w.check(context.Background(), names...)
	if err != nil && len(res) == 0 {
		return
	}
	w.mu.Lock()
	if w.known == nil {
		// The first round compares with what the index last recorded.
		w.known = before
	}
	var changed []keys.CheckResult
	for _, r := range res {
		state := stateOf(r)
		prev, seen := w.known[r.Entry.Name]
		w.known[r.Entry.Name] = state
		// A key never checked before says nothing new when it works, or
		// when its server could not be asked.
		fresh := prev == "" && (state == string(openwebui.StatusValid) || state == keys.StatusUnknown)
		if seen && prev != state && !fresh {
			changed = append(changed, r)
		}
	}
	w.mu.Unlock()
	var bad, good []keys.CheckResult
	for _, r := range changed {
		if r.OK() {
			good = append(good, r)
		} else {
			bad = append(bad, r)
		}
	}
	w.say(bad, w.alertOrNotify())
	w.say(good, w.notify)
}

// maxSeparateNotes is how many keys changing the same way in one round get
// a notification each; more (a server down with many keys on it, a first
// check of many imported ones) get one between them.
const maxSeparateNotes = 3

// say sends the notifications for keys that changed the same way (all now
// failing, or all working again): one each, or one for them all.
func (w *keyWatcher) say(changed []keys.CheckResult, send func(title, body string)) {
	if len(changed) <= maxSeparateNotes {
		for _, r := range changed {
			title, body := changeMessage(r)
			toUI(func() { send(title, body) })
		}
		return
	}
	title, body := summaryMessage(changed)
	toUI(func() { send(title, body) })
}

// alertOrNotify is how a key that needs attention is announced.
func (w *keyWatcher) alertOrNotify() func(title, body string) {
	if w.alert != nil {
		return w.alert
	}
	return w.notify
}

// summaryMessage is the one notification for many keys that changed the
// same way: how many, the first names, and the reason when they share one.
func summaryMessage(changed []keys.CheckResult) (title, body string) {
	names := make([]string, 0, maxSeparateNotes)
	for _, r := range changed[:maxSeparateNotes] {
		names = append(names, r.Entry.Name)
	}
	body = lang.L("{{.Names}} and {{.More}} more", map[string]any{"Names": strings.Join(names, ", "), "More": len(changed) - len(names)})
	if changed[0].OK() {
		return lang.L("{{.Count}} keys work again", map[string]any{"Count": len(changed)}), body
	}
	_, reason := changeMessage(changed[0])
	for _, r := range changed[1:] {
		if _, b := changeMessage(r); b != reason {
			reason = lang.L("Open Keytray to see what each needs.")
			break
		}
	}
	return lang.L("{{.Count}} keys need attention", map[string]any{"Count": len(changed)}), body + "\n" + reason
}

// stateOf is what a check says about a key, as the index records it.
func stateOf(r keys.CheckResult) string {
	if r.Err != nil {
		return keys.StatusUnknown
	}
	return string(r.Status)
}

// changeMessage is the notification for a key whose state changed: which
// key, what its state is now and what to do, in the window's sentences.
func changeMessage(r keys.CheckResult) (title, body string) {
	e := r.Entry
	e.LastStatus = stateOf(r)
	words, _, _ := statusWords(e.LastStatus)
	if r.OK() {
		return lang.L("“{{.Name}}” works again", map[string]any{"Name": e.Name}), words
	}
	body = words
	if reason := describeErrorOf(r.Entry, r.Err); reason != "" {
		body = reason
	}
	if advice := statusAdvice(e); advice != "" {
		body += "\n" + advice
	}
	return lang.L("“{{.Name}}” needs attention", map[string]any{"Name": e.Name}), body
}

// hasNetwork reports whether any interface other than loopback is up with an
// address: without one no remote server can be reached.
func hasNetwork() bool {
	ifs, err := net.Interfaces()
	if err != nil {
		return true // cannot tell: try
	}
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		if addrs, err := i.Addrs(); err == nil && len(addrs) > 0 {
			return true
		}
	}
	return false
}

// isLoopbackURL reports whether a server's URL names this computer.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
