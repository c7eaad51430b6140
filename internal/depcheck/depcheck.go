// Package depcheck lets tests prove that a package, its tests and everything
// they depend on stay free of Fyne: the core (keys/) and the command line
// are used without X or GL, and the headless build must not link Fyne.
// It is imported only by _test files.
package depcheck

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// witness is a package every checked package depends on; if go list does
// not report it, the check would prove nothing.
const witness = "github.com/keytray/keytray/keys/vault"

// AssertNoFyne runs `go list -deps -test args...` in the test's directory
// and fails t for every fyne.io package in the result. args are go list
// flags (such as "-tags", "headless") and package patterns.
func AssertNoFyne(t testing.TB, args ...string) {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, append([]string{"list", "-deps", "-test"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, witness) {
		t.Fatalf("go list %v does not show %s; the check would prove nothing:\n%s", args, witness, out)
	}
	for _, p := range deps {
		if p == "fyne.io" || strings.HasPrefix(p, "fyne.io/") {
			t.Errorf("%v depends on %s; it must never import fyne.io", args, p)
		}
	}
}
