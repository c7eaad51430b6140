package app

import "fyne.io/fyne/v2"

// background runs work off the UI goroutine, then hands its result to done on
// the UI goroutine. Every network and keyring call from the UI goes through it.
func background[T any](work func() (T, error), done func(T, error)) {
	go func() {
		v, err := work()
		fyne.Do(func() { done(v, err) })
	}()
}
