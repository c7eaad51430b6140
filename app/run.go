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
