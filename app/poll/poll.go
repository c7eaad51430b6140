// Package poll runs a function at a steady interval on its own goroutine
// until stopped: the loop under the clipboard guard and the index watcher.
package poll

import (
	"sync"
	"time"
)

// Every calls f every interval, on a goroutine of its own, until stop is
// called. stop waits for a running f to return, so f is never called after
// stop returns; it may be called more than once.
func Every(interval time.Duration, f func()) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				f()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}
