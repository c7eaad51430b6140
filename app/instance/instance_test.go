package instance

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// These tests run on every platform: on Unix against a socket, on Windows
// (cross-compiled and run under Wine by scripts/test-windows.sh) against a
// named pipe.

func TestSecondClaimActivatesFirst(t *testing.T) {
	path := testEndpoint(t)
	first, err := Claim(path)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	defer first.Close()
	activated := make(chan struct{}, 2)
	first.OnActivate(func() { activated <- struct{}{} })

	second, err := Claim(path)
	if !errors.Is(err, ErrRunning) {
		t.Fatalf("second claim: got (%v, %v), want ErrRunning", second, err)
	}
	select {
	case <-activated:
	case <-time.After(5 * time.Second):
		t.Fatal("first instance was not activated")
	}
}

func TestActivationBeforeOnActivateIsKept(t *testing.T) {
	path := testEndpoint(t)
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := Claim(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second claim: %v, want ErrRunning", err)
	}
	// The second Claim returned after the first answered "ok", so the
	// activation is recorded by now.
	got := false
	first.OnActivate(func() { got = true })
	if !got {
		t.Fatal("an activation that came before OnActivate was lost")
	}
}

func TestCloseReleasesTheSocket(t *testing.T) {
	path := testEndpoint(t)
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	first.Close() // twice is fine
	again, err := Claim(path)
	if err != nil {
		t.Fatalf("claim after close: %v", err)
	}
	again.Close()
}

func TestSilentClientDoesNotBlockOthers(t *testing.T) {
	path := testEndpoint(t)
	first, err := Claim(path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	var n atomic.Int32
	first.OnActivate(func() { n.Add(1) })
	// A client that connects and says nothing.
	silent, listening, err := dial(path)
	if err != nil || !listening {
		t.Fatalf("dial: listening=%v, %v", listening, err)
	}
	defer silent.Close()
	for i := 0; i < 3; i++ {
		if _, err := Claim(path); !errors.Is(err, ErrRunning) {
			t.Fatalf("claim %d: %v, want ErrRunning", i, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for n.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := n.Load(); got != 3 {
		t.Fatalf("%d activations, want 3", got)
	}
}
