package cli

import (
	"testing"

	"github.com/keytray/keytray/internal/depcheck"
)

// Neither the command line (with errtext, its sentences) nor the headless
// binary may link Fyne: `keytray get` would pay for its initialisation at
// every start, and the headless build would need X and GL libraries.
func TestCLIAndHeadlessBuildNeverImportFyne(t *testing.T) {
	depcheck.AssertNoFyne(t, "-tags", "headless", ".", "github.com/keytray/keytray", "github.com/keytray/keytray/internal/errtext")
}

// app/ is the desktop front end only: the command line and the headless
// build import nothing under it.
func TestCLIAndHeadlessBuildNeverImportApp(t *testing.T) {
	depcheck.AssertNoImport(t, "github.com/keytray/keytray/app", "-tags", "headless", ".", "github.com/keytray/keytray")
}
