package vault

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultKeyringTimeout bounds every keyring call of NewKeyring(0).
const DefaultKeyringTimeout = 3 * time.Second

// NewKeyring is the OS keyring (zalando/go-keyring) with a timeout on every call
// (0 = 3 s) and typed errors.
func NewKeyring(timeout time.Duration) SecretStore {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return osKeyring{timeout: timeout}
}

type osKeyring struct{ timeout time.Duration }

func (k osKeyring) Get(account string) (string, error) {
	var s string
	err := k.call(func() (err error) {
		s, err = keyring.Get(Service, account)
		return err
	})
	if err != nil {
		return "", err // s untouched: a call given up on may still write it
	}
	return s, nil
}

func (k osKeyring) Set(account, secret string) error {
	if err := checkSecretLen(secret); err != nil {
		return err
	}
	return k.call(func() error { return keyring.Set(Service, account, secret) })
}

func (k osKeyring) Delete(account string) error {
	return k.call(func() error { return keyring.Delete(Service, account) })
}

// TimeoutError is ErrTimeout with the time waited.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("keyring did not answer within %s; it may be waiting for an unlock prompt", e.After)
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// call checks for a session bus, then runs fn with the timeout and
// classifies what it returns.
func (k osKeyring) call(fn func() error) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return withTimeout(k.timeout, func() error { return classify(fn()) })
}

// withTimeout runs fn in its own goroutine and gives up after d: a keyring
// waiting for an unlock prompt can block for ever, and D-Bus calls cannot be
// cancelled. A call that is given up on may still finish later; nothing more
// can be done about that than reporting ErrTimeout.
func withTimeout(d time.Duration, fn func() error) error {
	done := make(chan error, 1) // buffered: an abandoned goroutine must not block on send
	go func() { done <- fn() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return &TimeoutError{After: d}
	}
}

// classify turns what go-keyring and the platform report into the package's
// sentinels. go-keyring passes D-Bus, Keychain and Credential Manager errors
// through as they are, so apart from ErrNotFound the only handle is the text.
// The cause is kept (wrapped) for logs and `keytray doctor`; none of these
// texts can hold a secret, since the secret is never part of a request's
// error path.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	msg := err.Error()
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(msg, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("dbus-launch", "couldn't determine address of session bus"):
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	case has("was not provided by any .service files", "ServiceUnknown",
		"org.freedesktop.secrets was not provided", "The name org.freedesktop.secrets"):
		return fmt.Errorf("%w: %w", ErrNoSecretService, err)
	case has("failed to unlock", "IsLocked", "is locked", "dismissed",
		"User interaction is not allowed", "user canceled", "User canceled"):
		return fmt.Errorf("%w: %w", ErrLocked, err)
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
