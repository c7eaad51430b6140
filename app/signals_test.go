//go:build !windows

package app

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// A listener registered before the take-over (Fyne's driver, here a plain
// channel) no longer hears the signal; quit is called once.
func TestTakeOverSignals(t *testing.T) {
	earlier := make(chan os.Signal, 1)
	signal.Notify(earlier, syscall.SIGUSR1)
	defer signal.Stop(earlier)

	quit := make(chan struct{}, 2)
	stop := takeOverSignals(func() { quit <- struct{}{} }, syscall.SIGUSR1)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-quit:
	case <-time.After(10 * time.Second):
		t.Fatal("the signal did not call quit")
	}
	select {
	case <-earlier:
		t.Error("the earlier listener heard the signal too")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestTakeOverSignalsStop(t *testing.T) {
	called := make(chan struct{}, 1)
	stop := takeOverSignals(func() { called <- struct{}{} }, syscall.SIGUSR2)
	stop()
	// Listening elsewhere, so that the signal cannot end the test process:
	// the stopped hook must not see it.
	other := make(chan os.Signal, 1)
	signal.Notify(other, syscall.SIGUSR2)
	defer signal.Stop(other)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	select {
	case <-other:
	case <-time.After(10 * time.Second):
		t.Fatal("the signal was not delivered")
	}
	select {
	case <-called:
		t.Error("a stopped hook called quit")
	default:
	}
}

// A signal the process was started with ignored (nohup's SIGHUP) is left alone.
func TestListenableSkipsIgnoredSignals(t *testing.T) {
	signal.Ignore(syscall.SIGUSR2)
	defer signal.Reset(syscall.SIGUSR2)
	got := listenable([]os.Signal{syscall.SIGUSR1, syscall.SIGUSR2})
	if len(got) != 1 || got[0] != syscall.SIGUSR1 {
		t.Errorf("listenable = %v, want [SIGUSR1]", got)
	}
}
