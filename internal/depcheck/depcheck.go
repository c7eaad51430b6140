// Package depcheck lets tests prove that a package, its tests and everything
// they depend on stay free of Fyne: the core (keys/) and the command line
// are used without X or GL, and the headless build must not link Fyne.
// It is imported only by _test files.
package depcheck

import (
	"os"
	"os/exec"
	"path/filepath"
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
	AssertNoImport(t, "fyne.io", args...)
}

// AssertNoImport is AssertNoFyne for any import path prefix: it fails t for
// every package in `go list -deps -test args...` that is prefix or lies
// under it.
func AssertNoImport(t testing.TB, prefix string, args ...string) {
	t.Helper()
	out, err := exec.Command(goTool(), append([]string{"list", "-deps", "-test"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, witness) {
		t.Fatalf("go list %v does not show %s; the check would prove nothing:\n%s", args, witness, out)
	}
	for _, p := range deps {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			t.Errorf("%v depends on %s; it must never import %s", args, p, prefix)
		}
	}
}

// goTool is the go command of the toolchain running the test: the one the
// go command puts first on PATH for `go test` (GOROOT/bin), else PATH's.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		return filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
	}
	return "go"
}
