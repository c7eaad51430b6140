//go:build integration

// Package wine runs the Windows build, keytray.exe, under Wine on Linux:
// the command line against an owuifake server on 127.0.0.1 with keys in
// Wine's Credential Manager, the start-at-login Run key, the window, and a
// second start handing over to the first (the named pipe). It needs
// $KEYTRAY_EXE and a prepared $WINEPREFIX (Wine 8 needs the
// bcryptprimitives.dll shim in system32), both set up by
// scripts/test-windows.sh (make test-windows), which runs it inside
// scripts/testenv.sh for the Xvfb display; otherwise it skips.
//
// What Wine cannot show: a real Windows 10/11 desktop (Explorer's
// notification area, Win+V history, Credential Manager's own UI).
package wine

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

const runKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`

func exe(t *testing.T) string {
	t.Helper()
	p := os.Getenv("KEYTRAY_EXE")
	if p == "" || os.Getenv("WINEPREFIX") == "" {
		t.Skip("$KEYTRAY_EXE or $WINEPREFIX is not set: run make test-windows")
	}
	return p
}

// wineEnv is the environment of a Windows process: Linux's XDG_* variables
// are left out (adrg/xdg would honour them on Windows too), so the exe keeps
// its index where Windows programs do, inside the prefix.
func wineEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_") {
			env = append(env, kv)
		}
	}
	return append(env, "WINEDEBUG=-all")
}

// winPath is how the exe sees a Linux path: Wine maps / to drive Z:.
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// run runs keytray.exe ARGS under Wine with stdin.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", append([]string{exe(t)}, args...)...)
	cmd.Env = wineEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("keytray.exe %s: %v", args[0], err)
	}
	return strings.TrimSpace(out.String()), errb.String(), code
}

func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	stdout, stderr, code := run(t, stdin, args...)
	if code != 0 {
		t.Fatalf("keytray.exe %s: exit %d\n%s", args[0], code, stderr)
	}
	return stdout
}

// reg runs `wine reg ARGS` and returns its output and exit status.
func reg(t *testing.T, args ...string) (string, int) {
	t.Helper()
	for try := 1; ; try++ {
		cmd := exec.Command("wine", append([]string{"reg"}, args...)...)
		cmd.Env = wineEnv()
		out, err := cmd.CombinedOutput()
		if err != nil && cmd.ProcessState == nil {
			t.Fatalf("wine reg: %v", err)
		}
		// Wine sometimes fails to start reg.exe at all on a busy machine
		// (seen once in CI, mid-test): that says nothing about the
		// registry, so ask again.
		if strings.Contains(string(out), "ShellExecuteEx failed") && try < 3 {
			time.Sleep(time.Second)
			continue
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
}

func TestWineCommandLine(t *testing.T) {
	exe(t)
	srv := owuifake.New(owuifake.Profile{Version: "0.6.41"})
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	password := "pw-" + hex.EncodeToString([]byte(t.Name()))[:16] + "-Zq9"
	srv.AddUser("alice@example.com", password, "user")
	name := "alice-wine"

	mustRun(t, password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", name)
	key1 := mustRun(t, "", "get", name)
	if !strings.HasPrefix(key1, "sk-") {
		t.Fatalf("get printed no sk- key (%d bytes)", len(key1))
	}

	var list []struct{ Name, Account string }
	if err := json.Unmarshal([]byte(mustRun(t, "", "list", "--json")), &list); err != nil {
		t.Fatalf("list --json: %v", err)
	}
	if len(list) != 1 || list[0].Name != name || list[0].Account != "alice@example.com" {
		t.Fatalf("list --json = %+v", list)
	}
	mustRun(t, "", "check", name)

	// Credential Manager: service keytray, one item per key, the readable
	// name as its account (go-keyring's target name is "keytray:<name>").
	// Wine keeps credentials under this registry key, one subkey per target.
	out, _ := reg(t, "query", `HKCU\Software\Wine\Credential Manager`)
	if !strings.Contains(out, "keytray:"+name) {
		t.Errorf("no Credential Manager item keytray:%s; reg query shows:\n%s", name, out)
	}

	mustRun(t, password+"\n", "rotate", name, "--password-stdin")
	key2 := mustRun(t, "", "get", name)
	if key2 == key1 || !strings.HasPrefix(key2, "sk-") {
		t.Fatal("rotate did not store a new key")
	}
	mustRun(t, "", "check", name)

	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass")
	if err := os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "keys.age")
	mustRun(t, "", "export", "--out", winPath(backup), "--passphrase-file", winPath(passFile))
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Fatalf("export wrote no backup: %v", err)
	}
	mustRun(t, "", "remove", name)
	if _, _, code := run(t, "", "get", name); code == 0 {
		t.Fatal("get still works after remove")
	}
	if out, _ := reg(t, "query", `HKCU\Software\Wine\Credential Manager`); strings.Contains(out, "keytray:"+name) {
		t.Error("remove left the Credential Manager item")
	}
	mustRun(t, "", "import", winPath(backup), "--passphrase-file", winPath(passFile))
	if got := mustRun(t, "", "get", name); got != key2 {
		t.Fatal("import did not restore the key")
	}
	mustRun(t, "", "remove", name)
}

func TestWineStartAtLogin(t *testing.T) {
	exe(t)
	t.Cleanup(func() { run(t, "", "config", "start-at-login", "off") })
	mustRun(t, "", "config", "start-at-login", "on")
	out, code := reg(t, "query", runKey, "/v", "Keytray")
	if code != 0 || !strings.Contains(strings.ToLower(out), "keytray.exe") || !strings.Contains(out, "--hidden") {
		t.Fatalf("after start-at-login on, the Run key holds (exit %d):\n%s", code, out)
	}
	t.Logf("Run entry: %s", strings.TrimSpace(out))
	mustRun(t, "", "config", "start-at-login", "off")
	if out, code := reg(t, "query", runKey, "/v", "Keytray"); code == 0 {
		t.Fatalf("after start-at-login off, the Run entry is still there:\n%s", out)
	}
}

// A second start must hand over to the running app and exit at once (as a
// double-click on a running app does) instead of opening a second app.
// Wine makes X windows only when a window is shown, so the first start shows
// its window: that is the readiness signal, and the screenshot.
func TestWineSecondStartShowsTheFirst(t *testing.T) {
	bin := exe(t)
	itest.RequireSession(t)
	var errb bytes.Buffer
	first := exec.Command("wine", bin)
	first.Env = wineEnv()
	first.Stderr = &errb
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	done := make(chan struct{})
	go func() { _ = first.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = first.Process.Kill()
		_ = exec.Command("wineserver", "-k").Run()
		// Wait until that server is gone: a program started while it
		// shuts down fails ("Connection reset by peer").
		_ = exec.Command("wineserver", "-w").Run()
		<-done
	})
	win := itest.WaitWindow(t, "Keytray", 0)
	t.Logf("window shown %v after start", time.Since(started).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let it paint
	if shots := os.Getenv("KEYTRAY_WINE_SHOTS"); shots != "" {
		itest.ScreenshotWindow(t, win, filepath.Join(shots, "wine-window.png"))
		itest.Screenshot(t, filepath.Join(shots, "wine-screen.png"))
	}

	start := time.Now()
	_, stderr, code := run(t, "")
	if code != 0 {
		t.Fatalf("second start: exit %d\n%s", code, stderr)
	}
	t.Logf("second start handed over and exited in %v", time.Since(start).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	if n := len(itest.FindWindows(t, "Keytray", 0, true)); n != 1 {
		t.Errorf("%d Keytray windows after a second start, want 1", n)
	}
	select {
	case <-done:
		t.Fatalf("the first instance exited; stderr:\n%s", errb.String())
	default:
	}
	// The icon retries end 5 s after start.
	time.Sleep(time.Until(started.Add(7 * time.Second)))
	for _, bad := range []string{"single-instance check unavailable", "tray not ready yet", "winapi error"} {
		if strings.Contains(errb.String(), bad) {
			t.Errorf("the app logged %q:\n%s", bad, errb.String())
		}
	}
	t.Logf("the first instance's stderr:\n%s", errb.String())
}
