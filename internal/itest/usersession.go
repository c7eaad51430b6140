//go:build integration

package itest

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/keytray/keytray/internal/usersession"
)

// UserSession is an unprivileged user's own Wayland desktop session (see
// package usersession): its own session bus and unlocked gnome-keyring, and
// headless sway with Xwayland. Keytray runs in it as that user through a
// Profile from its Profile method, as a person logged in to sway runs it.
type UserSession struct {
	*usersession.Session
}

// StartUserSession starts a session on compositor c for the test and ends it
// when the test ends. It needs the compositor, xwayland, wl-clipboard and
// gnome-keyring (scripts/deps.sh test installs them).
func StartUserSession(t testing.TB, c usersession.Compositor) *UserSession {
	t.Helper()
	RequireSession(t)
	for _, tool := range []string{string(c), "Xwayland", "xhost", "wl-copy", "wl-paste", "secret-tool"} {
		requireTool(t, tool)
	}
	s, err := usersession.Start(c)
	if err != nil {
		t.Fatalf("starting the user's desktop session: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("ending the user's desktop session: %v", err)
		}
	})
	return &UserSession{s}
}

// Join points the test's own helpers at the session for the rest of the
// test: the bus ones (StartSNIWatcher, StartNotificationServer,
// WaitTrayItem, ClickTray…) at its bus, where the user's programs look for a
// panel and a notification server, and the X11 ones (WaitWindow…) at its
// Xwayland. Call it before starting those.
func (s *UserSession) Join(t *testing.T) {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", s.BusAddress)
	t.Setenv("DISPLAY", s.Display)
}

// RunsAsUser fails the test unless process pid runs as the session's user.
func (s *UserSession) RunsAsUser(t testing.TB, pid int) {
	t.Helper()
	st, err := os.Stat("/proc/" + strconv.Itoa(pid))
	if err != nil {
		t.Fatal(err)
	}
	if uid := int(st.Sys().(*syscall.Stat_t).Uid); uid != s.UID() {
		t.Errorf("process %d runs as uid %d, not as the session's user %s (%d)", pid, uid, s.User, s.UID())
	}
}

// Profile makes a fresh Keytray profile of the session's user: its folders
// are the user's, its commands run as the user in the session's environment
// (its bus and keyring, Wayland and Xwayland), and the binary is a copy the
// user can run ($KEYTRAY_BIN may sit in a folder only the test can read).
func (s *UserSession) Profile(t testing.TB) *Profile {
	t.Helper()
	root, err := os.MkdirTemp(s.Dir, "profile-")
	if err != nil {
		t.Fatal(err)
	}
	p := newProfile(t, root, s.Env(), s.Own)
	p.Bin = filepath.Join(root, "keytray")
	if err := copyFile(Bin(t), p.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.Chown(root); err != nil {
		t.Fatal(err)
	}
	return p
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// KeyringSecret returns the secret of the keytray item for name in the
// session's own keyring, read as its user (secret-tool lookup). The value is
// returned, never logged.
func (s *UserSession) KeyringSecret(t testing.TB, name string) (secret string, ok bool) {
	t.Helper()
	return lookupSecret(t, s.Command, name)
}
