//go:build linux && integration

package usersession

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/godbus/dbus/v5"
)

// The session is the user's own: programs in it run as that user, reach its
// bus, its unlocked keyring and its compositor, and none of it is the
// caller's. Needs sway, xwayland, wl-clipboard, gnome-keyring and
// libsecret-tools (scripts/deps.sh test).
func TestSessionIsTheUsersOwn(t *testing.T) {
	for _, tool := range []string{"secret-tool", "wl-copy", "wl-paste", "xprop"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: scripts/deps.sh test installs it", tool)
		}
	}
	s, err := Start(Sway)
	if err != nil {
		t.Fatal(err)
	}
	dir, runtimeDir := s.Dir, s.RuntimeDir
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("the session's folder %s is still there after Close (%v)", dir, err)
		}
		if left := signalAll(func(d string) bool { return d == runtimeDir }, 0); len(left) > 0 {
			t.Errorf("processes %v of the session still run after Close", left)
		}
	})

	run := func(stdin string, name string, args ...string) string {
		t.Helper()
		cmd := s.Command(name, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, errb.String())
		}
		return out.String()
	}

	if os.Getuid() == 0 {
		if id := strings.TrimSpace(run("", "id", "-un")); id != DefaultUser {
			t.Errorf("a program in the session runs as %q, want %s", id, DefaultUser)
		}
	}
	for _, kv := range s.Env() {
		if k, v, _ := strings.Cut(kv, "="); k == "DBUS_SESSION_BUS_ADDRESS" && v == os.Getenv(k) {
			t.Errorf("the session uses the caller's bus %s", v)
		}
	}

	// Its keyring is unlocked: the user stores and reads back an item.
	run("a secret only the session's user has", "secret-tool", "store", "--label", "usersession test", "service", "usersession-test", "username", "u")
	if got := run("", "secret-tool", "lookup", "service", "usersession-test", "username", "u"); got != "a secret only the session's user has" {
		t.Errorf("the session's keyring gave back %q", got)
	}

	// The harness may join the session's bus and sees the user's keyring there.
	conn, err := dbus.Connect(s.BusAddress)
	if err != nil {
		t.Fatalf("the harness cannot join the session's bus: %v", err)
	}
	defer conn.Close()
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, "org.freedesktop.secrets").Store(&pid); err != nil {
		t.Fatalf("no keyring on the session's bus: %v", err)
	}
	st, err := os.Stat("/proc/" + strconv.Itoa(int(pid)))
	if err != nil {
		t.Fatal(err)
	}
	if uid := int(st.Sys().(*syscall.Stat_t).Uid); uid != s.uid {
		t.Errorf("the keyring on the session's bus runs as uid %d, want the session's %d", uid, s.uid)
	}

	// The compositor's clipboard, from the background (data-control).
	// wl-copy leaves a server behind that would hold an output pipe open.
	cp := s.Command("wl-copy")
	cp.Stdin = strings.NewReader("copied in the session")
	if err := cp.Run(); err != nil {
		t.Fatalf("wl-copy: %v", err)
	}
	if got := run("", "wl-paste", "--no-newline"); got != "copied in the session" {
		t.Errorf("wl-paste gave %q", got)
	}
	// Xwayland answers the user's X clients, and the harness's.
	if out := run("", "xprop", "-root", "_NET_SUPPORTING_WM_CHECK"); out == "" {
		t.Error("xprop said nothing")
	}
	xprop := exec.Command("xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
	xprop.Env = append(os.Environ(), "DISPLAY="+s.Display)
	if out, err := xprop.CombinedOutput(); err != nil {
		t.Errorf("the harness cannot reach the session's Xwayland: %v: %s", err, out)
	}
}

// In GNOME's session a Wayland app copies and pastes with the virtual
// keyboard, and Mutter relays its clipboard to X11 clients. Needs mutter and
// zenity.
func TestMutterSessionKeyboardAndRelay(t *testing.T) {
	for _, tool := range []string{"mutter", "zenity", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: scripts/deps.sh test installs it", tool)
		}
	}
	s, err := Start(Mutter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	kbd, err := s.Keyboard()
	if err != nil {
		t.Fatal(err)
	}
	defer kbd.Close()

	entry, err := s.OpenEntry(kbd)
	if err != nil {
		t.Fatal(err)
	}
	defer entry.Close()
	if err := entry.Copy("Typed-In.GNOME_1"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReadX11Clipboard(); err != nil || got != "Typed-In.GNOME_1" {
		t.Errorf("an X client read %q from the clipboard (%v)", got, err)
	}
	if got, err := entry.Paste(); err != nil || got != "Typed-In.GNOME_1" {
		t.Errorf("pasting gave %q (%v)", got, err)
	}
}
