package clip

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakeTimers records scheduled clears so a test fires them when it wants.
type fakeTimers struct {
	pending []*fakeTimer
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (ft *fakeTimers) after(d time.Duration, f func()) func() bool {
	t := &fakeTimer{d: d, f: f}
	ft.pending = append(ft.pending, t)
	return func() bool { was := !t.stopped; t.stopped = true; return was }
}

// fire runs timer i as time.AfterFunc would, unless it was stopped.
func (ft *fakeTimers) fire(i int) {
	if t := ft.pending[i]; !t.stopped {
		t.f()
	}
}

type note struct{ title, body string }

type keeperRig struct {
	k      *Keeper
	cb     fyne.Clipboard
	timers *fakeTimers
	notes  []note
	clear  time.Duration
}

func newKeeperRig(t *testing.T, clear time.Duration) *keeperRig {
	t.Helper()
	r := &keeperRig{cb: test.NewClipboard(), timers: &fakeTimers{}, clear: clear}
	r.k = newKeeper(func() fyne.Clipboard { return r.cb }, func(f func()) { f() }, KeeperConfig{
		ClearAfter: func() time.Duration { return r.clear },
		Notify:     func(title, body string) { r.notes = append(r.notes, note{title, body}) },
	})
	r.k.after = r.timers.after
	r.k.now = func() time.Time { return time.Date(2026, 5, 4, 14, 3, 0, 0, time.Local) }
	return r
}

const secretA, secretB = "sk-0123456789abcdef0123456789abcdef", "sk-fedcba9876543210fedcba9876543210"

func TestCopyPutsKeyAndClearsWhenUnchanged(t *testing.T) {
	r := newKeeperRig(t, 30*time.Second)
	r.k.Copy("alice@chat.example.com", secretA)
	if got := r.cb.Content(); got != secretA {
		t.Fatal("the key is not on the clipboard after Copy")
	}
	if len(r.notes) != 1 {
		t.Fatalf("%d notifications, want 1", len(r.notes))
	}
	n := r.notes[0]
	if n.title != "Key copied" || !strings.Contains(n.body, "alice@chat.example.com") ||
		!strings.Contains(n.body, "30 seconds") || !strings.Contains(n.body, "14:03:30") {
		t.Errorf("notification does not name the key and the clear time: %q / %q", n.title, n.body)
	}
	if strings.Contains(n.body, secretA) {
		t.Fatal("the notification contains the key")
	}
	if len(r.timers.pending) != 1 || r.timers.pending[0].d != 30*time.Second {
		t.Fatalf("clear not scheduled after 30s: %+v", r.timers.pending)
	}
	r.timers.fire(0)
	if got := r.cb.Content(); got != "" {
		t.Error("the clipboard still holds the key after the clear")
	}
}

func TestClearLeavesChangedClipboardAlone(t *testing.T) {
	r := newKeeperRig(t, 30*time.Second)
	r.k.Copy("alice", secretA)
	r.cb.SetContent("something the user copied")
	r.timers.fire(0)
	if got := r.cb.Content(); got != "something the user copied" {
		t.Errorf("the user's clipboard was changed to %q", got)
	}
	// Changing it back to the key later does not revive the clear: Keytray
	// forgot the key when it found the clipboard changed.
	r.cb.SetContent(secretA)
	r.k.ClearIfOurs()
	if r.cb.Content() != secretA {
		t.Error("ClearIfOurs cleared a clipboard Keytray no longer owns")
	}
}

func TestLaterCopyKeepsItsOwnClear(t *testing.T) {
	r := newKeeperRig(t, 30*time.Second)
	r.k.Copy("a", secretA)
	r.k.Copy("b", secretB)
	if !r.timers.pending[0].stopped {
		t.Error("the first copy's clear was not cancelled by the second copy")
	}
	r.timers.fire(0) // fires anyway (a timer may already be running when stopped)
	if r.cb.Content() != secretB {
		t.Fatal("the first copy's clear removed the second key")
	}
	r.timers.fire(1)
	if r.cb.Content() != "" {
		t.Error("the second copy's clear did not run")
	}
}

func TestNeverClearWhenZero(t *testing.T) {
	r := newKeeperRig(t, 0)
	r.k.Copy("alice", secretA)
	if len(r.timers.pending) != 0 {
		t.Errorf("a clear was scheduled with clipboard-clear 0")
	}
	if !strings.Contains(r.notes[0].body, "will not be cleared") {
		t.Errorf("notification: %q", r.notes[0].body)
	}
	// Quit still clears what Keytray put there.
	r.k.ClearIfOurs()
	if r.cb.Content() != "" {
		t.Error("ClearIfOurs left Keytray's key on the clipboard")
	}
}

func TestClearIfOursOnQuit(t *testing.T) {
	r := newKeeperRig(t, time.Minute)
	r.k.ClearIfOurs() // nothing copied: nothing happens
	r.cb.SetContent("unrelated")
	r.k.ClearIfOurs()
	if r.cb.Content() != "unrelated" {
		t.Fatal("ClearIfOurs cleared content Keytray never put there")
	}
	r.k.Copy("alice", secretA)
	r.k.ClearIfOurs()
	if r.cb.Content() != "" {
		t.Fatal("ClearIfOurs did not clear Keytray's key")
	}
	if !r.timers.pending[0].stopped {
		t.Error("the pending clear was not cancelled")
	}
}

func TestKeeperHoldsOnlyAHash(t *testing.T) {
	r := newKeeperRig(t, time.Minute)
	r.k.Copy("alice", secretA)
	if !r.k.holds(hashOf(secretA)) || r.k.holds(hashOf(secretB)) {
		t.Fatal("holds does not tell Keytray's content apart")
	}
	var nilKeeper *Keeper
	if nilKeeper.holds(hashOf(secretA)) {
		t.Fatal("a nil Keeper holds something")
	}
}

func TestHumanDuration(t *testing.T) {
	const day = 24 * time.Hour
	for d, want := range map[time.Duration]string{
		time.Second:          "1 second",
		30 * time.Second:     "30 seconds",
		90 * time.Second:     "2 minutes",
		3 * time.Hour:        "3 hours",
		-2 * day:             "2 days",
		21 * day:             "3 weeks",
		28*day - time.Minute: "4 weeks",
		120 * day:            "4 months",
		800 * day:            "2 years",
		0:                    "1 second",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestHashOfBigContentNoticesChanges(t *testing.T) {
	big := strings.Repeat("x", 3*bigContent)
	if hashOf(big) == hashOf(big+"y") || hashOf(big) == hashOf("y"+big[1:]) {
		t.Error("a change at either end of big content is not noticed")
	}
	if hashOf(big) != hashOf(strings.Clone(big)) {
		t.Error("equal big contents hash differently")
	}
}
