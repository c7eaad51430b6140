package keys

import (
	"testing"

	"github.com/keytray/keytray/internal/depcheck"
)

// The core must stay GUI-free: servers and scripts use it without X or GL, and
// the headless build must not link Fyne. This checks every package under keys/
// and everything they depend on, directly or not.
func TestKeysNeverImportFyne(t *testing.T) {
	depcheck.AssertNoFyne(t, "./...")
}
