package app

import (
	"sync"

	"fyne.io/fyne/v2"
)

// notifyAction is a button on a desktop notification: label is shown, do
// runs on the UI goroutine when it is clicked.
type notifyAction struct {
	label string
	do    func()
}

// notifier shows desktop notifications. Where the desktop's notification
// server offers actions (org.freedesktop.Notifications lists "actions" in
// GetCapabilities), a notification can carry buttons, so that what it asks
// for can be done without opening the window first; elsewhere it is Fyne's
// plain notification (Fyne's API has no actions).
type notifier struct {
	app   fyne.App
	plain func(title, body string) // Fyne's SendNotification

	mu      sync.Mutex
	bus     actionBus // nil until first needed; noActions when there are none
	pending map[uint32]map[string]func()

	// sending is held from a send until its actions are recorded: a
	// signal for the new notification (its id comes back with the reply,
	// the signal on another goroutine) waits for them instead of finding
	// nothing.
	sending sync.Mutex
}

// actionBus is the part of the notification server notifier uses
// (notify_xdg.go; none elsewhere).
type actionBus interface {
	// send shows a notification with actions (key, label, key, label, …)
	// and returns its id.
	send(appName, title, body string, actions []string) (uint32, error)
}

func newNotifier(a fyne.App) *notifier {
	return &notifier{
		app:     a,
		plain:   func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) },
		pending: map[uint32]map[string]func(){},
	}
}

// notify shows a plain notification.
func (n *notifier) notify(title, body string) { n.plain(title, body) }

// notifyWith shows a notification carrying actions where the server has
// them, else a plain one. Safe from any goroutine.
func (n *notifier) notifyWith(title, body string, actions ...notifyAction) {
	n.mu.Lock()
	if n.bus == nil {
		n.bus = openActionBus(n.invoked, n.closed)
	}
	bus := n.bus
	n.mu.Unlock()
	if _, none := bus.(noActions); none || len(actions) == 0 {
		n.plain(title, body)
		return
	}
	keys := make([]string, 0, 2*len(actions))
	dos := map[string]func(){}
	for i, a := range actions {
		key := "keytray-" + string(rune('a'+i))
		keys = append(keys, key, a.label)
		dos[key] = a.do
	}
	n.sending.Lock()
	defer n.sending.Unlock()
	id, err := bus.send(n.app.UniqueID(), title, body, keys)
	if err != nil {
		fyne.LogError("sending a notification with actions; sending it without", err)
		n.plain(title, body)
		return
	}
	n.mu.Lock()
	n.pending[id] = dos
	n.mu.Unlock()
}

// invoked runs the action key of notification id (from the bus's goroutine).
func (n *notifier) invoked(id uint32, key string) {
	n.sending.Lock() // a send in progress records its actions first
	n.mu.Lock()
	do := n.pending[id][key]
	delete(n.pending, id) // a notification's action runs once
	n.mu.Unlock()
	n.sending.Unlock()
	if do != nil {
		toUI(do)
	}
}

// closed forgets notification id's actions (and what they hold).
func (n *notifier) closed(id uint32) {
	n.sending.Lock() // as in invoked
	n.mu.Lock()
	delete(n.pending, id)
	n.mu.Unlock()
	n.sending.Unlock()
}

// noActions is the actionBus of a desktop whose notification server has no
// actions (or that has no such server).
type noActions struct{}

func (noActions) send(string, string, string, []string) (uint32, error) { return 0, nil }
