package vault

import (
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
