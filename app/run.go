package app

import (
	"sync"

	"fyne.io/fyne/v2"
)

// inflight counts background work whose result has not been handed to
// toUI yet; tests wait on it. The app itself never waits.
var inflight sync.WaitGroup

// toUI runs f on the UI goroutine. Test hook: tests queue f and run it on
// the test goroutine, as the real driver runs it on the main thread.
var toUI = fyne.Do

// background runs work off the UI goroutine, then hands its result to done on
// the UI goroutine. Every network and keyring call from the UI goes through it.
func background[T any](work func() (T, error), done func(T, error)) {
	inflight.Add(1)
	go func() {
		defer inflight.Done()
		v, err := work()
		toUI(func() { done(v, err) })
	}()
}

// dialogWork is background for a dialog's action: it clears the dialog's
// error line and shows its busy line (what) while work runs, then hands the
// result to done, unless the user closed the dialog meanwhile: a closed
// dialog has nowhere to show it (its context, cancelled on close, has
// usually stopped the work anyway).
func dialogWork[T any](m *modal, b *busy, errs *errorLine, what string, work func() (T, error), done func(T, error)) {
	errs.set("")
	b.start(what)
	background(work, func(v T, err error) {
		b.done()
		if m.closed {
			return
		}
		done(v, err)
	})
}
