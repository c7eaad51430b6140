// Package testfs holds file-system helpers for tests. It is imported only by
// _test files (unit and integration tests alike).
package testfs

import (
	"os"
	"os/exec"
	"testing"
)

// MakeReadOnly makes dir refuse new files, for root too (which ignores
// modes): chattr +i where the file system allows it; the test is skipped
// when it does not. Cleanup gives the folder back.
func MakeReadOnly(t testing.TB, dir string) {
	t.Helper()
	if os.Getuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i failed: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
}
