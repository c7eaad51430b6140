//go:build linux || freebsd || openbsd || netbsd || dragonfly

package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableWritesAValidEntry(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if Enabled() {
		t.Fatal("Enabled before Enable")
	}
	exe := "/opt/Key tray/bin/keytray"
	if err := Enable(exe); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cfg, "autostart", "io.github.keytray.desktop")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("entry not written: %v", err)
	}
	text := string(b)
	for _, want := range []string{
		"[Desktop Entry]\n", "Type=Application\n", "Name=Keytray\n",
		"Exec=\"/opt/Key tray/bin/keytray\" --hidden\n", "X-GNOME-Autostart-enabled=true\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("entry lacks %q:\n%s", want, text)
		}
	}
	if !Enabled() {
		t.Error("Enabled is false after Enable")
	}
	validate(t, p)

	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("entry still there after Disable: %v", err)
	}
	if Enabled() {
		t.Error("Enabled after Disable")
	}
	if err := Disable(); err != nil {
		t.Errorf("Disable without an entry: %v", err)
	}
}

func TestEnabledHonoursSwitchedOffEntry(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if err := Enable("/usr/bin/keytray"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cfg, "autostart", "io.github.keytray.desktop")
	b, _ := os.ReadFile(p)
	off := strings.Replace(string(b), "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1)
	if err := os.WriteFile(p, []byte(off), 0o644); err != nil {
		t.Fatal(err)
	}
	if Enabled() {
		t.Error("an entry switched off by the desktop counts as enabled")
	}
}

func TestFallsBackToDotConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "relative/is/ignored")
	if err := Enable("/usr/bin/keytray"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "autostart", "io.github.keytray.desktop")); err != nil {
		t.Fatalf("entry not under ~/.config: %v", err)
	}
}

func TestExecArgQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/keytray":    `"/usr/bin/keytray"`,
		`/a"b`:                `"/a\\"b"`,
		"/a$b`c":              "\"/a\\\\$b\\\\`c\"",
		`/a\b`:                `"/a\\\\b"`,
		"/100%/keytray":       `"/100%%/keytray"`,
		"/home/李/bin/keytray": `"/home/李/bin/keytray"`,
	} {
		if got := execArg(in); got != want {
			t.Errorf("execArg(%q) = %s, want %s", in, got, want)
		}
	}
}

// validate runs desktop-file-validate (desktop-file-utils) when installed.
func validate(t *testing.T, p string) {
	t.Helper()
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Log("desktop-file-validate not installed; entry not validated")
		return
	}
	out, err := exec.Command(tool, p).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("desktop-file-validate: %v\n%s", err, out)
	}
}
