package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	// Texts as go-keyring and godbus report them (see the desktop test rig notes).
	for _, tc := range []struct {
		err  error
		want error
	}{
		{keyring.ErrNotFound, ErrNotFound},
		{keyring.ErrSetDataTooBig, ErrTooLarge},
		{errors.New(`exec: "dbus-launch": executable file not found in $PATH`), ErrNoSessionBus},
		{errors.New("dbus: couldn't determine address of session bus"), ErrNoSessionBus},
		{errors.New("The name org.freedesktop.secrets was not provided by any .service files"), ErrNoSecretService},
		{errors.New("org.freedesktop.DBus.Error.ServiceUnknown"), ErrNoSecretService},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), ErrLocked},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ErrLocked},
		{errors.New("User interaction is not allowed."), ErrLocked},
		{errors.New("Prompt dismissed"), ErrLocked},
		{errors.New("read unix @->/run/user/1000/bus: EOF"), ErrUnavailable},
	} {
		got := classify(tc.err)
		if !errors.Is(got, tc.want) {
			t.Errorf("classify(%q) = %v, want %v", tc.err, got, tc.want)
		}
		if tc.want != ErrNotFound && !errors.Is(got, tc.err) {
			t.Errorf("classify(%q) dropped the cause", tc.err)
		}
	}
	if classify(nil) != nil {
		t.Error("classify(nil) != nil")
	}
}

func TestWithTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	err := withTimeout(10*time.Millisecond, func() error { <-release; return nil })
	var te *TimeoutError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &te) || te.After != 10*time.Millisecond {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "within 10ms") || !strings.Contains(err.Error(), "unlock prompt") {
		t.Errorf("message = %q", err)
	}
	if err := withTimeout(time.Minute, func() error { return ErrLocked }); !errors.Is(err, ErrLocked) {
		t.Errorf("fast call: %v", err)
	}
}

// Not parallel: it changes the process environment.
func TestSessionBusCheck(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("session bus check is for D-Bus platforms")
	}
	runUser := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	if exists(filepath.Join(runUser, "bus")) || exists(filepath.Join(runUser, "dbus-session")) {
		t.Skip("this machine has a session bus at " + runUser)
	}
	empty := t.TempDir()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", empty)
	if err := sessionBusCheck(); !errors.Is(err, ErrNoSessionBus) {
		t.Errorf("no bus: %v", err)
	}
	// The keyring store says so without going near go-keyring (which would
	// run dbus-launch).
	if _, err := NewKeyring(0).Get("x"); !errors.Is(err, ErrNoSessionBus) {
		t.Errorf("keyring Get without bus: %v", err)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		t.Error("a bus address appeared: something autolaunched a bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "autolaunch:")
	if err := sessionBusCheck(); !errors.Is(err, ErrNoSessionBus) {
		t.Errorf("autolaunch: address: %v", err)
	}

	withBus := t.TempDir()
	if err := os.WriteFile(filepath.Join(withBus, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", withBus)
	if err := sessionBusCheck(); err != nil {
		t.Errorf("bus in XDG_RUNTIME_DIR: %v", err)
	}
	if got, want := os.Getenv("DBUS_SESSION_BUS_ADDRESS"), "unix:path="+filepath.Join(withBus, "bus"); got != want {
		t.Errorf("address = %q, want %q", got, want)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	t.Setenv("XDG_RUNTIME_DIR", empty)
	if err := sessionBusCheck(); err != nil {
		t.Errorf("address set: %v", err)
	}
}

func TestKeyringRefusesHugeSecretWithoutCallingIt(t *testing.T) {
	t.Parallel()
	// Refused before the session-bus check or any D-Bus traffic.
	if err := NewKeyring(time.Second).Set("x", strings.Repeat("k", MaxSecretLen+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Set huge: %v", err)
	}
}

func TestMemoryStoreHooks(t *testing.T) {
	t.Parallel()
	m := NewMemoryStore()
	if _, err := m.Get("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get absent: %v", err)
	}
	if err := m.Delete("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete absent: %v", err)
	}
	m.FailSetAfter(1, ErrTimeout)
	if err := m.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set("b", "2"); !errors.Is(err, ErrTimeout) {
		t.Errorf("second Set: %v, want the armed failure", err)
	}
	if err := m.Set("b", "2"); err != nil {
		t.Errorf("the failure fired more than once: %v", err)
	}
	m.FailSetAfter(0, ErrLocked)
	m.FailSetAfter(-1, nil) // disarmed
	if err := m.Set("c", "3"); err != nil {
		t.Errorf("disarmed failure fired: %v", err)
	}
	m.FailGet(ErrUnavailable)
	if _, err := m.Get("a"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("FailGet: %v", err)
	}
	m.FailGet(nil)
	m.FailDelete(ErrTimeout)
	if err := m.Delete("a"); !errors.Is(err, ErrTimeout) {
		t.Errorf("FailDelete: %v", err)
	}
	m.FailDelete(nil)
	m.Lock(true)
	for _, err := range []error{m.Set("d", "4"), m.Delete("a"), func() error { _, err := m.Get("a"); return err }()} {
		if !errors.Is(err, ErrLocked) {
			t.Errorf("locked store: %v", err)
		}
	}
	m.Lock(false)
	if err := m.Set("big", strings.Repeat("k", MaxSecretLen+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge secret: %v", err)
	}
	if got := strings.Join(m.Accounts(), ","); got != "a,b,c" || m.Len() != 3 {
		t.Errorf("accounts = %s", got)
	}
}
