//go:build integration

package integration

// Keytray on a Wayland desktop with a data-control protocol: a headless sway
// 1.7 (wlroots) session. sway refuses to run as root, so as root the test
// runs it as an unprivileged user (created if missing) in its own
// XDG_RUNTIME_DIR. Keytray joins that Wayland session by its socket's path
// and is never focused there: everything below happens in the background.
// Its window and tray use the test's X server and session bus as elsewhere.

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
)

const swayUser = "keytray-sway"

type swaySession struct {
	socket string   // absolute path of the Wayland socket
	as     []string // command prefix running a client as the session's user
}

func startSway(t *testing.T) *swaySession {
	t.Helper()
	itest.RequireSession(t)
	for _, tool := range []string{"sway", "wl-copy", "wl-paste"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: scripts/deps.sh test installs sway, xwayland and wl-clipboard", tool)
		}
	}
	// Not t.TempDir: its parent is private to this process's user.
	dir, err := os.MkdirTemp("", "keytray-sway-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	runDir := filepath.Join(dir, "run")
	if err := os.Mkdir(runDir, 0o700); err != nil {
		t.Fatal(err)
	}
	var as []string
	if os.Geteuid() == 0 {
		if _, err := user.Lookup(swayUser); err != nil {
			if out, err := exec.Command("useradd", "--create-home", "--shell", "/usr/sbin/nologin", swayUser).CombinedOutput(); err != nil {
				t.Fatalf("useradd %s: %v: %s", swayUser, err, out)
			}
		}
		if out, err := exec.Command("chown", "-R", swayUser, dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v: %s", err, out)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		as = []string{"runuser", "-u", swayUser, "--"}
	}
	conf := filepath.Join(dir, "sway.conf")
	if err := os.WriteFile(conf, []byte("xwayland disable\noutput HEADLESS-1 resolution 1280x800\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"env", "-i", "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=" + dir, "XDG_RUNTIME_DIR=" + runDir,
		"WLR_BACKENDS=headless", "WLR_RENDERER=pixman", "WLR_LIBINPUT_NO_DEVICES=1"}
	pidFile := filepath.Join(dir, "sway.pid")
	args := append(append(append([]string{}, as...), env...), "sh", "-c", `echo $$ >"$1"; exec sway -c "$2"`, "sh", pidFile, conf)
	log := filepath.Join(dir, "sway.log")
	logf, err := os.Create(log)
	_ = os.Chmod(log, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting sway: %v", err)
	}
	t.Cleanup(func() {
		// sway itself, by its pid (runuser does not pass signals on);
		// wl-copy servers end with the compositor.
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
				_ = syscall.Kill(pid, syscall.SIGTERM)
			}
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logf.Close()
	})
	s := &swaySession{socket: filepath.Join(runDir, "wayland-1"), as: append(append([]string{}, as...), "env", "WAYLAND_DISPLAY="+filepath.Join(runDir, "wayland-1"), "XDG_RUNTIME_DIR="+runDir)}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(s.socket); err == nil {
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log)
			t.Fatalf("sway did not create its Wayland socket within 20 s: %s", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// run runs a client of the session (wl-copy, wl-paste) with stdin.
func (s *swaySession) run(t *testing.T, stdin string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	all := append(append(append([]string{}, s.as...), name), args...)
	cmd := exec.CommandContext(ctx, all[0], all[1:]...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil && !strings.Contains(errb.String(), "No selection") && !strings.Contains(errb.String(), "Nothing is copied") {
		t.Fatalf("%s: %v: %s", name, err, strings.TrimSpace(errb.String()))
	}
	return out.String()
}

// paste is what wl-paste reads ("" when the clipboard is empty).
func (s *swaySession) paste(t *testing.T, args ...string) string {
	t.Helper()
	return s.run(t, "", "wl-paste", append([]string{"--no-newline"}, args...)...)
}

// copyText is wl-copy: it forks a server for the selection and returns.
// Its output goes to /dev/null: the forked server would hold a pipe open.
func (s *swaySession) copyText(t *testing.T, text string) {
	t.Helper()
	all := append(append([]string{}, s.as...), "wl-copy")
	cmd := exec.Command(all[0], all[1:]...)
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Run(); err != nil {
		t.Fatalf("wl-copy: %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(itest.WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, itest.WaitTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWaylandDataControlInTheBackground(t *testing.T) {
	sway := startSway(t)
	p := itest.NewProfile(t)
	sni := itest.StartSNIWatcher(t)
	notes := itest.StartNotificationServer(t)
	srv, _ := cliFake(t, "0.6.41", "gil@example.com")
	gil := p.Name("gil")
	key := trayRandomKey(t)
	trayMustRun(t, p, key, "add", srv.URL(), "--key-stdin", "--no-verify", "--name", gil)
	trayMustRun(t, p, "", "config", "clipboard-clear", "3s")
	if out, _, _ := p.Run(t, "", "doctor"); !strings.Contains(out, "clipboard") {
		t.Logf("doctor says nothing of the clipboard")
	}

	p.Env = append(p.Env, "WAYLAND_DISPLAY="+sway.socket, "XDG_SESSION_TYPE=wayland")
	proc := p.Start(t, "--hidden")
	pid := proc.PID()
	sni.WaitItem(t, pid)
	itest.WaitTrayItem(t, pid, gil)

	// A tray copy reaches Wayland apps, marked for clipboard managers, and
	// is cleared after clipboard-clear.
	itest.ClickTray(t, pid, gil)
	waitFor(t, "wl-paste returns the copied key", func() bool { return sway.paste(t) == key })
	if types := sway.paste(t, "--list-types"); !strings.Contains(types, "x-kde-passwordManagerHint") {
		t.Errorf("the copied key's MIME types lack the hint: %q", types)
	}
	if hint := sway.paste(t, "--type", "x-kde-passwordManagerHint"); hint != "secret" {
		t.Errorf("x-kde-passwordManagerHint = %q, want secret", hint)
	}
	waitFor(t, "the key is cleared after clipboard-clear", func() bool { return sway.paste(t) == "" })

	// A clipboard the user changed meanwhile is left alone.
	itest.ClickTray(t, pid, gil)
	waitFor(t, "wl-paste returns the copied key", func() bool { return sway.paste(t) == key })
	sway.copyText(t, "the user's own text")
	trayStays(t, 5*time.Second, func() bool { return sway.paste(t) == "the user's own text" },
		"Keytray cleared a Wayland clipboard the user had changed")

	// A session token copied by a Wayland app: exactly one warning.
	before := len(notes.Notifications())
	token := srv.TokenFor("gil@example.com")
	sway.copyText(t, token)
	n := notes.WaitCount(t, before+1)[before]
	if n.Summary != sessionTokenTitle {
		t.Errorf("token notification %q", n.Summary)
	}
	trayStays(t, 3*time.Second, func() bool { return len(notes.Notifications()) == before+1 },
		"the token was warned about more than once")

	itest.ClickTray(t, pid, "Quit")
	trayEndedCleanly(t, proc, "Quit")
}
