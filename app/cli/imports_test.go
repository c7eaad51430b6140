package cli

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Neither the command line nor the headless binary may link Fyne: `keytray
// get` would pay for its initialisation at every start, and the headless
// build would need X and GL libraries.
func TestCLIAndHeadlessBuildNeverImportFyne(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	list := exec.Command(goTool, "list", "-deps", "-test", "-tags", "headless", ".", "github.com/keytray/keytray")
	out, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/keytray/keytray/keys/vault") {
		t.Fatalf("go list does not show the packages the CLI uses; the check would prove nothing:\n%s", out)
	}
	for _, p := range deps {
		if strings.HasPrefix(p+"/", "fyne.io/") {
			t.Errorf("the command line depends on %s; it must never import fyne.io", p)
		}
	}
}
