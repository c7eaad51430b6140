package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockWait is how long a writer waits for another process to release the
// index lock. Writers hold it for a few keyring calls, each bounded by the
// keyring timeout, so anything longer means a stuck process.
const LockWait = 30 * time.Second

// withLock runs fn holding this Vault's mutex and the folder's lock file.
func (v *Vault) withLock(fn func() error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(v.dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening index lock: %w", err)
	}
	defer f.Close()
	// Polling with a deadline rather than a blocking lock: a blocked lock
	// call cannot be abandoned, and a stuck process must give an error.
	deadline := time.Now().Add(LockWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			return fmt.Errorf("locking index: %w", err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w (waited %s for %s)", ErrIndexBusy, LockWait, f.Name())
		}
		time.Sleep(pause)
	}
	defer unlock(f)
	return fn()
}

// EntryLockWait is how long LockEntry waits for another process working on
// the same entry: a rotation holds it for its server calls, each bounded.
const EntryLockWait = 2 * time.Minute

// LockEntry serialises operations on one entry across processes (two
// rotations of one key must not both ask the server for a new key and then
// store them in the wrong order). It is a lock file of its own under
// <dir>/locks, so that the index lock is never held during network calls.
// unlock releases it; ErrIndexBusy after EntryLockWait.
func (v *Vault) LockEntry(ctx context.Context, name string) (unlock func(), err error) {
	return v.lockFile(ctx, nameKey(name), fmt.Sprintf("%q", name))
}

// LockAccount serialises first logins of one account (server URL and user
// id) across processes, taken before the server is asked for the account's
// key: two of them must not both make a key and store them in the wrong
// order. A login takes it before the entry's LockEntry, never after.
func (v *Vault) LockAccount(ctx context.Context, url, userID string) (unlock func(), err error) {
	return v.lockFile(ctx, "account\x00"+url+"\x00"+userID, "the account "+userID+" on "+url)
}

// lockFile takes the lock file for key (hashed into its name); what names
// it in errors.
func (v *Vault) lockFile(ctx context.Context, key, what string) (unlock func(), err error) {
	dir := filepath.Join(v.dir, "locks")
	// A folder that cannot take the lock file cannot take the index either.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("locking %s: %w: %w", what, ErrIndexUnwritable, err)
	}
	sum := sha256.Sum256([]byte(key))
	f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w: %w", what, ErrIndexUnwritable, err)
	}
	deadline := time.Now().Add(EntryLockWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", what, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (another Keytray process has been working on %s for %s)", ErrIndexBusy, what, EntryLockWait)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(pause):
		}
	}
	return func() { releaseLock(f); f.Close() }, nil
}

func releaseLock(f *os.File) { unlock(f) }
