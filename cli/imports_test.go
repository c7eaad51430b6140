package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// The front ends go through keys.Service's methods, never through its Vault
// field (which would let a front end write storage behind the service's
// back, as the allow-http policy once was).
func TestFrontEndsDoNotReachIntoTheVault(t *testing.T) {
	vaultField := regexp.MustCompile(`\.Vault\b`)
	checked := 0
	for _, root := range []string{".", "../app"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checked++
			for i, line := range strings.Split(string(src), "\n") {
				if vaultField.MatchString(line) {
					t.Errorf("%s:%d reaches into keys.Service.Vault: add a Service method instead", path, i+1)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d files were read; the check would prove nothing", checked)
	}
}
