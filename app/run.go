package app

import (
	"sync"

	"fyne.io/fyne/v2"
)

// inflight counts background work whose result has not been handed back
// yet. Tests wait on it (with Fyne's test driver fyne.Do runs at once, so
// Wait returning means done has run); the app itself never waits.
var inflight sync.WaitGroup

// background runs work off the UI goroutine, then hands its result to done on
// the UI goroutine. Every network and keyring call from the UI goes through it.
func background[T any](work func() (T, error), done func(T, error)) {
	inflight.Add(1)
	go func() {
		defer inflight.Done()
		v, err := work()
		fyne.Do(func() { done(v, err) })
	}()
}
