//go:build integration

package itest

import (
	"syscall"
	"testing"
)

// KillKeyring kills the Secret Service daemon (SIGKILL, as a crash or the
// OOM killer would) and waits until its bus name is gone. Keyring calls then
// fail (or D-Bus-activate a daemon without the unlocked collection) until
// RestartKeyring. Items already written stay in the keyring file.
func KillKeyring(t testing.TB) {
	t.Helper()
	conn := sessionBus(t)
	pid := pidOf(conn, secretsName)
	if pid == 0 {
		return // already gone
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("killing gnome-keyring-daemon (pid %d): %v", pid, err)
	}
	if !poll(func() bool { return pidOf(conn, secretsName) != pid }) {
		t.Fatalf("gnome-keyring-daemon (pid %d) still owns %s %v after SIGKILL", pid, secretsName, WaitTimeout)
	}
}

// RestartKeyring starts an unlocked daemon again after KillKeyring (it
// replaces one that a keyring call may have D-Bus-activated meanwhile).
func RestartKeyring(t testing.TB) {
	t.Helper()
	UnlockKeyring(t)
}
