//go:build integration

package itest

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

const (
	secretsName    = "org.freedesktop.secrets"
	loginColl      = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	collectionLock = "org.freedesktop.Secret.Collection.Locked"
)

// KeyringSecret returns the secret of the keytray item for name, straight from
// the Secret Service (secret-tool lookup). The value is returned, never logged.
func KeyringSecret(t testing.TB, name string) (secret string, ok bool) {
	t.Helper()
	RequireSession(t)
	requireTool(t, "secret-tool")
	return lookupSecret(t, exec.Command, name)
}

// lookupSecret runs secret-tool lookup for name's keytray item through
// command (the test's own session, or a user's).
func lookupSecret(t testing.TB, command func(name string, args ...string) *exec.Cmd, name string) (secret string, ok bool) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := command("secret-tool", "lookup", "service", KeyringService, "username", name)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if errb.Len() > 0 {
			t.Fatalf("secret-tool lookup %s: %v: %s", name, err, strings.TrimSpace(errb.String()))
		}
		return "", false // exit 1 with nothing said: no such item
	}
	return out.String(), true
}

// KeyringNames lists the username attribute of every keytray item in the
// Secret Service (secret-tool search --all), as Seahorse would show them.
func KeyringNames(t testing.TB) []string {
	t.Helper()
	RequireSession(t)
	requireTool(t, "secret-tool")
	// secret-tool prints each item's attributes ("attribute.username = NAME")
	// on stderr, and its label and secret on stdout, which we do not read.
	var errb bytes.Buffer
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", KeyringService)
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	err := cmd.Run()
	var names, other []string
	sc := bufio.NewScanner(&errb)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "attribute.username = "); ok {
			names = append(names, v)
		} else if !strings.HasPrefix(line, "attribute.") {
			other = append(other, line)
		}
	}
	if err != nil && len(other) > 0 {
		t.Fatalf("secret-tool search: %v: %s", err, strings.Join(other, "; "))
	}
	return names
}

// LockKeyring locks the login collection, as the screen locker or a user
// would; keyring calls then fail (or wait for a prompt) until UnlockKeyring.
func LockKeyring(t testing.TB) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	call := sessionBus(t).Object(secretsName, "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{loginColl})
	if err := call.Store(&locked, &prompt); err != nil {
		t.Fatalf("locking the keyring: %v", err)
	}
	if !keyringLocked(t) {
		t.Fatal("the login collection is still unlocked after Lock")
	}
}

// UnlockKeyring unlocks the login collection again. A running
// gnome-keyring-daemon ignores a second --unlock, so it is replaced by a new
// one that unlocks with $KEYTRAY_TEST_KEYRING_PASSWORD (set by testenv.sh).
// Stored items stay: they live in the keyring file.
func UnlockKeyring(t testing.TB) {
	t.Helper()
	RequireSession(t)
	pass := os.Getenv("KEYTRAY_TEST_KEYRING_PASSWORD")
	if pass == "" {
		t.Skipf("$KEYTRAY_TEST_KEYRING_PASSWORD is not set: %s", viaMakeTest)
	}
	conn := sessionBus(t)
	oldPID := pidOf(conn, secretsName)
	cmd := exec.Command("gnome-keyring-daemon", "--replace", "--unlock", "--components=secrets")
	cmd.Stdin = strings.NewReader(pass)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gnome-keyring-daemon --replace --unlock: %v\n%s", err, out)
	}
	// Wait for the new daemon to own the name before asking it anything: a
	// call while no one owns it would D-Bus-activate a daemon without the
	// unlocked login collection.
	if !poll(func() bool {
		pid := pidOf(conn, secretsName)
		return pid != 0 && pid != oldPID
	}) {
		t.Fatalf("no new gnome-keyring-daemon on the bus within %v", WaitTimeout)
	}
	if !poll(func() bool { return !keyringLocked(t) }) {
		t.Fatalf("the login collection is still locked %v after restarting the daemon", WaitTimeout)
	}
}

func keyringLocked(t testing.TB) bool {
	t.Helper()
	v, err := sessionBus(t).Object(secretsName, loginColl).GetProperty(collectionLock)
	if err != nil {
		t.Fatalf("reading %s: %v", collectionLock, err)
	}
	locked, _ := v.Value().(bool)
	return locked
}
