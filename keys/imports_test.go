package keys

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The core must stay GUI-free: servers and scripts use it without X or GL, and
// the headless build must not link Fyne. This checks every package under keys/
// and everything they depend on, directly or not.
func TestKeysNeverImportFyne(t *testing.T) {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "list", "-deps", "-test", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list returned only %d packages; the check would prove nothing", len(deps))
	}
	for _, p := range deps {
		if p == "fyne.io" || strings.HasPrefix(p, "fyne.io/") {
			t.Errorf("keys/ depends on %s; the core must never import fyne.io", p)
		}
	}
}
