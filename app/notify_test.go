package app

import (
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
)

type sent struct {
	title, body string
	actions     []string
}

type fakeActionBus struct {
	got []sent
	err error
}

func (b *fakeActionBus) send(_, title, body string, actions []string) (uint32, error) {
	b.got = append(b.got, sent{title, body, actions})
	return uint32(len(b.got)), b.err
}

func drainUI() {
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}

func TestNotificationActionsRunOnceWhereTheServerHasThem(t *testing.T) {
	n := newNotifier(test.NewTempApp(t))
	var plain []string
	n.plain = func(title, _ string) { plain = append(plain, title) }
	bus := &fakeActionBus{}
	n.bus = bus
	opened := 0
	n.notifyWith("“bob” needs attention", "Rejected", notifyAction{"Open Keytray", func() { opened++ }})
	if len(bus.got) != 1 || !slices.Equal(bus.got[0].actions, []string{"keytray-a", "Open Keytray"}) || len(plain) != 0 {
		t.Fatalf("sent %+v, plain %q", bus.got, plain)
	}
	n.invoked(1, "keytray-a")
	n.invoked(1, "keytray-a") // once only
	n.invoked(7, "keytray-a") // not ours
	drainUI()
	if opened != 1 {
		t.Errorf("the action ran %d times", opened)
	}
	// A closed notification forgets its actions (and what they hold).
	n.notifyWith("token", "…", notifyAction{"Get an API key", func() { opened++ }})
	n.closed(2)
	n.invoked(2, "keytray-a")
	drainUI()
	if opened != 1 || len(n.pending) != 0 {
		t.Errorf("an action of a closed notification ran (%d), pending %v", opened, n.pending)
	}

	// The server failing the call: the plain notification instead.
	bus.err = errors.New("no")
	n.notifyWith("x", "y", notifyAction{"Open Keytray", func() {}})
	if !slices.Equal(plain, []string{"x"}) {
		t.Errorf("after a failed send, plain notifications %q", plain)
	}
}

func TestNotificationsWithoutActionsArePlain(t *testing.T) {
	n := newNotifier(test.NewTempApp(t))
	var plain []string
	n.plain = func(title, _ string) { plain = append(plain, title) }
	n.bus = noActions{}
	n.notifyWith("a", "b", notifyAction{"Open Keytray", func() {}})
	if !slices.Equal(plain, []string{"a"}) {
		t.Errorf("plain %q", plain)
	}
}

func TestKeyWatcherAlertsForKeysThatNeedAttention(t *testing.T) {
	r := newWatcherRig(t)
	var alerts []string
	r.w.alert = func(title, _ string) { alerts = append(alerts, title) }
	r.w.start()
	r.fire()
	bob := "bob@lab.example.org"
	r.set(bob, keys.CheckResult{Status: openwebui.StatusRejected})
	r.fire()
	r.set(bob, keys.CheckResult{Status: openwebui.StatusValid})
	r.fire()
	if !slices.Equal(alerts, []string{"“bob@lab.example.org” needs attention"}) {
		t.Errorf("alerts %q", alerts)
	}
	if len(r.notes) != 1 || r.notes[0][0] != "“bob@lab.example.org” works again" {
		t.Errorf("plain notifications %q", r.notes)
	}
}
