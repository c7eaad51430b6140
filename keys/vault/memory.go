package vault

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// MaxSecretLen is the longest secret a store accepts, in bytes. The Windows
// Credential Manager stops at 2560 bytes and macOS at about 3000 for account
// and secret together; Open WebUI keys are 35 characters, so the margin costs
// nothing and every platform behaves alike.
const MaxSecretLen = 2500

func checkSecretLen(secret string) error {
	if len(secret) > MaxSecretLen {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(secret), MaxSecretLen)
	}
	return nil
}

// MemoryStore is an in-memory SecretStore for tests of every package, with
// hooks to make calls fail so that rollback paths can be tested. It is safe
// for concurrent use; each test should make its own.
type MemoryStore struct {
	mu         sync.Mutex
	items      map[string]string
	locked     bool
	getErr     error
	deleteErr  error
	setErr     error
	setsBefore int // successful Sets left before setErr fires; -1 = off
}

// NewMemoryStore returns an empty store with no failures armed.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{items: map[string]string{}, setsBefore: -1}
}

// Get returns the secret or ErrNotFound.
func (m *MemoryStore) Get(account string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failure(m.getErr); err != nil {
		return "", err
	}
	s, ok := m.items[account]
	if !ok {
		return "", ErrNotFound
	}
	return s, nil
}

// Set stores the secret, replacing any earlier one.
func (m *MemoryStore) Set(account, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failure(nil); err != nil {
		return err
	}
	if m.setsBefore == 0 {
		m.setsBefore = -1
		return m.setErr
	}
	if m.setsBefore > 0 {
		m.setsBefore--
	}
	if err := checkSecretLen(secret); err != nil {
		return err
	}
	m.items[account] = secret
	return nil
}

// Delete removes the secret or returns ErrNotFound.
func (m *MemoryStore) Delete(account string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failure(m.deleteErr); err != nil {
		return err
	}
	if _, ok := m.items[account]; !ok {
		return ErrNotFound
	}
	delete(m.items, account)
	return nil
}

func (m *MemoryStore) failure(armed error) error {
	if m.locked {
		return ErrLocked
	}
	return armed
}

// FailSetAfter makes the Set after the next n successful ones fail once with
// err (n = 0: the very next Set). Later Sets succeed again, so a rollback
// that sets a value back can be tested. A nil err or negative n disarms it.
func (m *MemoryStore) FailSetAfter(n int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil || n < 0 {
		m.setsBefore, m.setErr = -1, nil
		return
	}
	m.setsBefore, m.setErr = n, err
}

// FailGet makes every Get fail with err until FailGet(nil).
func (m *MemoryStore) FailGet(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.getErr = err
}

// FailDelete makes every Delete fail with err until FailDelete(nil).
func (m *MemoryStore) FailDelete(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deleteErr = err
}

// Lock makes every call fail with ErrLocked (true) or work again (false),
// like a keyring whose collection is locked.
func (m *MemoryStore) Lock(locked bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.locked = locked
}

// Accounts lists the stored account strings, sorted.
func (m *MemoryStore) Accounts() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.items))
}

// Len is the number of stored secrets.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
