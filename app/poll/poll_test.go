package poll

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryCallsUntilStopped(t *testing.T) {
	var calls atomic.Int64
	ticked := make(chan struct{})
	stop := Every(time.Millisecond, func() {
		if calls.Add(1) <= 3 {
			ticked <- struct{}{}
		}
	})
	for range 3 {
		<-ticked
	}
	stop()
	after := calls.Load()
	if after < 3 {
		t.Fatalf("f called %d times before stop, want at least 3", after)
	}
	stop() // a second stop neither blocks nor panics
	if got := calls.Load(); got != after {
		t.Errorf("f called %d times after stop returned", got-after)
	}
}
