package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/app/tray"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// watcherRig drives a keyWatcher by hand: its one timer, the checks it asks
// for and the notifications it sends.
type watcherRig struct {
	t        *testing.T
	w        *keyWatcher
	interval time.Duration
	online   bool
	entries  []vault.Entry
	results  map[string]keys.CheckResult
	checked  [][]string
	notes    [][2]string
	timer    func()
	delay    time.Duration
	armed    int
}

func newWatcherRig(t *testing.T) *watcherRig {
	core := newFakeCore()
	core.entries[1].Instance = "http://127.0.0.1:8080" // bob's server is on this computer
	r := &watcherRig{t: t, interval: 6 * time.Hour, online: true, entries: core.entries, results: map[string]keys.CheckResult{}}
	for _, e := range r.entries {
		e.LastStatus = string(openwebui.StatusValid)
		r.results[e.Name] = keys.CheckResult{Entry: e, Status: openwebui.StatusValid}
	}
	r.w = newKeyWatcher(watcherConfig{
		interval: func() time.Duration { return r.interval },
		list:     func() ([]vault.Entry, []vault.Instance, error) { return r.entries, nil, nil },
		check: func(_ context.Context, names ...string) ([]keys.CheckResult, error) {
			r.checked = append(r.checked, names)
			var out []keys.CheckResult
			for _, n := range names {
				out = append(out, r.results[n])
			}
			return out, nil
		},
		online: func() bool { return r.online },
		notify: func(title, body string) { r.notes = append(r.notes, [2]string{title, body}) },
		afterFunc: func(d time.Duration, f func()) func() bool {
			r.timer, r.delay = f, d
			r.armed++
			return func() bool { r.timer = nil; return true }
		},
	})
	return r
}

// fire runs the armed round and hands its notifications to the UI queue.
func (r *watcherRig) fire() {
	r.t.Helper()
	if r.timer == nil {
		r.t.Fatal("no round is armed")
	}
	f := r.timer
	r.timer = nil
	f()
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}

func (r *watcherRig) set(name string, res keys.CheckResult) {
	res.Entry = r.results[name].Entry
	r.results[name] = res
}

// One timer, jittered; a round checks every key once; a change of state
// gives one notification, the same state again none, and recovery one more.
func TestKeyWatcherNotifiesOncePerChange(t *testing.T) {
	r := newWatcherRig(t)
	r.w.start()
	if r.delay < firstCheckAfter*9/10 || r.delay > firstCheckAfter*11/10 {
		t.Errorf("first round after %v, want about %v", r.delay, firstCheckAfter)
	}
	r.fire()
	if len(r.checked) != 1 || len(r.checked[0]) != 2 || len(r.notes) != 0 {
		t.Fatalf("first round: checked %v, notified %v", r.checked, r.notes)
	}
	if r.delay < r.interval*9/10 || r.delay > r.interval*11/10 {
		t.Errorf("next round after %v, want the interval ± 10 %%", r.delay)
	}

	bob := "bob@lab.example.org"
	r.set(bob, keys.CheckResult{Status: openwebui.StatusRejected})
	r.fire()
	if len(r.notes) != 1 || r.notes[0][0] != "“bob@lab.example.org” needs attention" ||
		!strings.Contains(r.notes[0][1], "Rejected: revoked or replaced on the server") || !strings.Contains(r.notes[0][1], "Rotate the key") {
		t.Fatalf("after revocation: %q", r.notes)
	}
	r.fire()
	r.fire()
	if len(r.notes) != 1 {
		t.Fatalf("the same state notified again: %q", r.notes)
	}
	r.set(bob, keys.CheckResult{Status: openwebui.StatusValid})
	r.fire()
	if len(r.notes) != 2 || r.notes[1][0] != "“bob@lab.example.org” works again" {
		t.Fatalf("after recovery: %q", r.notes)
	}

	// The server gone: the reason, in the window's words.
	r.set(bob, keys.CheckResult{Err: &openwebui.Error{Kind: openwebui.ErrUnreachable, Op: "verifying"}})
	r.fire()
	if len(r.notes) != 3 || !strings.HasPrefix(r.notes[2][1], "The server cannot be reached.") {
		t.Fatalf("server gone: %q", r.notes)
	}
	if len(r.checked) != 6 {
		t.Errorf("%d rounds of checks, want 6 (one per round)", len(r.checked))
	}
}

// The first round compares with what the index recorded: a key revoked while
// Keytray was not running is reported at start; one never checked that works
// is not.
func TestKeyWatcherFirstRoundComparesWithTheIndex(t *testing.T) {
	r := newWatcherRig(t)
	r.entries[0].LastStatus = string(openwebui.StatusValid)
	r.entries[1].LastStatus = ""
	r.set("alice@chat.example.com", keys.CheckResult{Status: openwebui.StatusDisabled})
	r.w.start()
	r.fire()
	if len(r.notes) != 1 || !strings.Contains(r.notes[0][0], "alice@chat.example.com") ||
		!strings.Contains(r.notes[0][1], "you can turn API keys on in Admin Settings › General") {
		t.Fatalf("notified %q", r.notes)
	}
}

// Many keys changing the same way in one round (a server down with many
// keys on it, a first check of an imported backup) make one notification,
// not one each; a few still get one each. A key never checked whose server
// cannot be asked says nothing.
func TestKeyWatcherSumsUpManyChanges(t *testing.T) {
	r := newWatcherRig(t)
	var names []string
	for i := range 6 {
		e := vault.Entry{Name: fmt.Sprintf("k%d@lab.example.org", i), Instance: "https://lab.example.org", LastStatus: string(openwebui.StatusValid)}
		r.entries = append(r.entries, e)
		r.results[e.Name] = keys.CheckResult{Entry: e, Status: openwebui.StatusValid}
		names = append(names, e.Name)
	}
	fresh := vault.Entry{Name: "imported@far.example.net", Instance: "https://far.example.net"}
	r.entries = append(r.entries, fresh)
	r.results[fresh.Name] = keys.CheckResult{Entry: fresh, Err: &openwebui.Error{Kind: openwebui.ErrUnreachable, Op: "verifying"}}
	r.w.start()
	r.fire()
	if len(r.notes) != 0 {
		t.Fatalf("first round: %q (a never-checked key whose server cannot be asked is no news)", r.notes)
	}

	down := keys.CheckResult{Err: &openwebui.Error{Kind: openwebui.ErrUnreachable, Op: "verifying"}}
	for _, n := range names {
		r.set(n, down)
	}
	r.fire()
	if len(r.notes) != 1 {
		t.Fatalf("6 keys failing at once gave %d notifications: %q", len(r.notes), r.notes)
	}
	if title, body := r.notes[0][0], r.notes[0][1]; title != "6 keys need attention" ||
		!strings.Contains(body, "k0@lab.example.org, k1@lab.example.org, k2@lab.example.org and 3 more") ||
		!strings.Contains(body, "The server cannot be reached.") {
		t.Errorf("summary %q / %q", title, body)
	}

	for _, n := range names {
		r.set(n, keys.CheckResult{Status: openwebui.StatusValid})
	}
	r.fire()
	if len(r.notes) != 2 || r.notes[1][0] != "6 keys work again" {
		t.Fatalf("6 keys recovering: %q", r.notes[1:])
	}

	// Different reasons: the summary says where to look.
	r.set(names[0], keys.CheckResult{Status: openwebui.StatusRejected})
	for _, n := range names[1:] {
		r.set(n, down)
	}
	r.fire()
	if len(r.notes) != 3 || r.notes[2][0] != "6 keys need attention" || !strings.Contains(r.notes[2][1], "Open Keytray to see what each needs.") {
		t.Fatalf("mixed reasons: %q", r.notes[2:])
	}

	// A few get one each.
	for _, n := range names {
		r.set(n, keys.CheckResult{Status: openwebui.StatusValid})
	}
	r.fire()
	r.set(names[0], keys.CheckResult{Status: openwebui.StatusRejected})
	r.set(names[1], keys.CheckResult{Status: openwebui.StatusRejected})
	r.fire()
	if got := r.notes[len(r.notes)-2:]; got[0][0] != "“k0@lab.example.org” needs attention" || got[1][0] != "“k1@lab.example.org” needs attention" {
		t.Errorf("two keys failing: %q", got)
	}
}

// Offline, only keys on servers on this computer are checked; with the
// interval 0 no round is armed, and setting one arms it.
func TestKeyWatcherOfflineAndOff(t *testing.T) {
	r := newWatcherRig(t)
	r.online = false
	r.w.start()
	r.fire()
	if len(r.checked) != 1 || len(r.checked[0]) != 1 || r.checked[0][0] != "bob@lab.example.org" {
		t.Fatalf("offline, checked %v (want only the key on 127.0.0.1)", r.checked)
	}

	r.interval = 0
	r.w.reset()
	if r.timer != nil {
		t.Fatal("a round is armed with checks off")
	}
	r.interval = time.Hour
	r.w.reset()
	if r.timer == nil || r.delay > 66*time.Minute {
		t.Fatalf("after turning checks on: armed %v, in %v", r.timer != nil, r.delay)
	}
	r.w.close()
	if r.timer != nil {
		t.Error("close left the timer armed")
	}
}

// The tray marks a key whose last check failed, and its tooltip counts them.
func TestTrayMarksKeysThatNeedAttention(t *testing.T) {
	core := newFakeCore()
	core.entries[1].LastStatus = string(openwebui.StatusRejected)
	if got := tray.Tooltip(core.entries); got != "Keytray — 2 keys, 1 needs attention" {
		t.Errorf("tooltip %q", got)
	}
	items := tray.BuildMenu(core.entries, core.instances)
	var labels []string
	for _, g := range items {
		for _, c := range g.Children {
			labels = append(labels, c.Label)
		}
	}
	if strings.Join(labels, "|") != "alice@chat.example.com|⚠ bob@lab.example.org" {
		t.Errorf("menu labels %q", labels)
	}
	core.entries[1].LastStatus = string(openwebui.StatusValid)
	if got := tray.Tooltip(core.entries); got != "Keytray — 2 keys" {
		t.Errorf("tooltip %q", got)
	}
}
