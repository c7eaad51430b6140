//go:build integration

package integration

// The headless build (`make cli`, $KEYTRAY_CLI_BIN) as a server or CI machine
// runs it: a static binary with no Fyne linked, no display in its
// environment, every command working and a clear sentence when the desktop
// app is asked for.

import (
	"debug/buildinfo"
	"debug/elf"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/keytray/keytray/internal/itest"
)

func TestHeadlessBinaryIsStaticAndFyneFree(t *testing.T) {
	bin := itest.CLIBin(t)

	// What users would check first; ldd exits 1 for a static binary.
	if _, err := exec.LookPath("ldd"); err == nil {
		out, _ := exec.Command("ldd", bin).CombinedOutput()
		if !strings.Contains(string(out), "not a dynamic executable") {
			t.Errorf("ldd %s does not say \"not a dynamic executable\":\n%s", bin, out)
		}
	}
	// The same fact without ldd: no program interpreter, no shared libraries,
	// so the binary starts on a machine without libc, X or GL libraries.
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader (PT_INTERP)")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v (%v)", libs, err)
	}

	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || !slices.Contains(strings.Split(settings["-tags"], ","), "headless") {
		t.Errorf("built with CGO_ENABLED=%q -tags %q, want 0 and headless", settings["CGO_ENABLED"], settings["-tags"])
	}
	if len(info.Deps) == 0 {
		t.Fatal("the binary lists no modules; the Fyne check would prove nothing")
	}
	for _, m := range info.Deps {
		if strings.HasPrefix(m.Path, "fyne.io/") || strings.HasPrefix(m.Path, "github.com/go-gl/") {
			t.Errorf("the headless binary links %s", m.Path)
		}
	}
}

func TestHeadlessCommandsRunWithoutADisplay(t *testing.T) {
	p := itest.NewProfile(t)
	p.Bin = itest.CLIBin(t)
	p.Env = slices.DeleteFunc(p.Env, func(kv string) bool {
		return strings.HasPrefix(kv, "DISPLAY=") || strings.HasPrefix(kv, "WAYLAND_DISPLAY=")
	})

	stdout, stderr, code := p.Run(t, "", "--version")
	if code != 0 || !strings.Contains(stdout, "headless (no desktop app)") || !strings.Contains(stdout, "\ncommit: ") ||
		!strings.Contains(stdout, "docs.openwebui.com") {
		t.Errorf("--version: exit %d:\n%s%s", code, stdout, stderr)
	}

	stdout, stderr, code = p.Run(t, "", "list", "--json")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("list --json in a fresh profile: exit %d, %q %s", code, stdout, stderr)
	}

	stdout, stderr, code = p.Run(t, "", "config")
	if code != 0 || !strings.Contains(stdout, "clipboard-clear=30s") {
		t.Errorf("config: exit %d:\n%s%s", code, stdout, stderr)
	}
	if _, stderr, code = p.Run(t, "", "config", "clipboard-clear", "45s"); code != 0 {
		t.Fatalf("config clipboard-clear 45s: exit %d: %s", code, stderr)
	}
	if stdout, _, _ = p.Run(t, "", "config", "clipboard-clear"); strings.TrimSpace(stdout) != "45s" {
		t.Errorf("the setting did not persist: %q", stdout)
	}

	key := "sk-" + strings.Repeat("0a1b", 8) // a made-up key of the right shape
	stdout, stderr, code = p.Run(t, key+"\n", "inspect")
	if code != 0 || !strings.Contains(stdout, "Open WebUI API key") {
		t.Errorf("inspect of an sk- key: exit %d:\n%s%s", code, stdout, stderr)
	}

	for _, args := range [][]string{nil, {"--hidden"}} {
		stdout, stderr, code = p.Run(t, "", args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "this is the headless build of Keytray") {
			t.Errorf("keytray %v (the desktop app): exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
