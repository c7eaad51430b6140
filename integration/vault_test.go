//go:build integration

package integration

// Vault tests against a real Secret Service. The round trip uses the session
// the harness provides (dbus-run-session with gnome-keyring-daemon unlocked);
// the failure cases build their own environment in a child process (the test
// binary started again with KEYTRAY_VAULT_CHILD set), because the environment
// is process-global and a locked collection cannot be unlocked again without
// a prompt:
//   - locked:    a private dbus-run-session + gnome-keyring, collection locked via gdbus
//   - nobus:     no DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR pointing at an empty folder
//   - noservice: a bare dbus-daemon with no service files, so nothing provides org.freedesktop.secrets
//
// Keys in these tests are random throwaway values; they are never logged.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/keys/vault"
)

const (
	vaultChildEnv    = "KEYTRAY_VAULT_CHILD"     // scenario the child runs
	vaultChildDirEnv = "KEYTRAY_VAULT_CHILD_DIR" // the child's index folder
	vaultChildOK     = "vault-child-ok"          // printed by a child that got to the end
)

func vaultNeedSessionBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("DBUS_SESSION_BUS_ADDRESS is not set: run inside the harness " +
			"(dbus-run-session with gnome-keyring-daemon --unlock --components=secrets)")
	}
}

func vaultNeedTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian: dbus, dbus-bin, gnome-keyring, libsecret-tools, libglib2.0-bin)", tool)
		}
	}
}

func vaultRandomKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk-" + hex.EncodeToString(b)
}

// vaultLookup asks secret-tool for the item go-keyring stores under
// service=keytray, username=account. found=false when there is none.
func vaultLookup(t *testing.T, account string) (secret string, found bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", vault.Service, "username", account).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 && len(out) == 0 {
		return "", false
	}
	if err != nil {
		t.Fatalf("secret-tool lookup %q: %v", account, err)
	}
	return string(out), true
}

// vaultSearch returns the non-secret lines of `secret-tool search --all
// service keytray` (labels and attributes; the "secret = " lines are dropped
// so that a failure message cannot show a key).
func vaultSearch(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", vault.Service)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // exit 1 when nothing matches
	var keep []string
	for _, s := range []string{stdout.String(), stderr.String()} {
		for line := range strings.Lines(s) {
			if !strings.HasPrefix(strings.TrimSpace(line), "secret = ") {
				keep = append(keep, strings.TrimRight(line, "\n"))
			}
		}
	}
	return strings.Join(keep, "\n")
}

func TestVaultKeyringRoundTrip(t *testing.T) {
	vaultNeedSessionBus(t)
	vaultNeedTools(t, "secret-tool")
	suffix := strings.TrimPrefix(vaultRandomKey(t), "sk-")[:8]
	name := "alice-" + suffix + "@chat.example.com"
	renamed := "work-" + suffix
	t.Cleanup(func() {
		for _, a := range []string{name, renamed} {
			_ = exec.Command("secret-tool", "clear", "service", vault.Service, "username", a).Run()
		}
	})

	v, err := vault.Open(t.TempDir(), vault.NewKeyring(0))
	if err != nil {
		t.Fatal(err)
	}
	key := vaultRandomKey(t)
	inst := vault.Instance{URL: "https://chat.example.com", Name: "Chat", Version: "0.6.41"}
	if err := v.Put(inst, vault.Entry{Name: name, Email: "alice@example.com", Source: "add"}, key); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if got, ok := vaultLookup(t, name); !ok || got != key {
		t.Fatalf("secret-tool lookup after Put: found=%v, same key=%v", ok, got == key)
	}
	// The item is labelled with the readable account, as a person sees it in Seahorse.
	listing := vaultSearch(t)
	for _, want := range []string{
		"attribute.username = " + name,
		"attribute.service = " + vault.Service,
		fmt.Sprintf("label = Password for '%s' on '%s'", name, vault.Service),
	} {
		if !strings.Contains(listing, want) {
			t.Errorf("secret-tool search lacks %q:\n%s", want, listing)
		}
	}
	if got, err := v.Key(name); err != nil || got != key {
		t.Fatalf("Key: err=%v, same key=%v", err, got == key)
	}
	index, err := os.ReadFile(v.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(index, []byte(key)) {
		t.Fatal("the index file holds the key")
	}

	if err := v.Rename(name, renamed); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if _, ok := vaultLookup(t, name); ok {
		t.Error("old keyring item still there after Rename")
	}
	if got, ok := vaultLookup(t, renamed); !ok || got != key {
		t.Errorf("renamed item: found=%v, same key=%v", ok, got == key)
	}

	key2 := vaultRandomKey(t)
	if err := v.ReplaceKey(renamed, key2, func(e *vault.Entry) { e.Source = "rotate" }); err != nil {
		t.Fatalf("ReplaceKey: %v", err)
	}
	if got, ok := vaultLookup(t, renamed); !ok || got != key2 {
		t.Errorf("after ReplaceKey: found=%v, new key=%v", ok, got == key2)
	}

	if err := v.CheckKeyring(); err != nil {
		t.Errorf("CheckKeyring: %v", err)
	}
	for _, n := range itest.KeyringNames(t) {
		if strings.HasPrefix(n, vault.ProbeAccount) {
			t.Errorf("CheckKeyring left its probe item %q behind", n)
		}
	}

	if err := v.Remove(renamed); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, ok := vaultLookup(t, renamed); ok {
		t.Error("keyring item still there after Remove")
	}
	if listing := vaultSearch(t); strings.Contains(listing, renamed) {
		t.Errorf("secret-tool search still lists %q:\n%s", renamed, listing)
	}
	if es, err := v.Entries(); err != nil || len(es) != 0 {
		t.Errorf("entries after Remove: %+v, %v", es, err)
	}
	if _, err := v.Key(renamed); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("Key after Remove: %v", err)
	}
}

func TestVaultLockedKeyring(t *testing.T) {
	vaultNeedTools(t, "dbus-run-session", "gnome-keyring-daemon", "gdbus")
	tmp := t.TempDir()
	data, run := filepath.Join(tmp, "data"), filepath.Join(tmp, "run")
	for _, d := range []string{data, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// The password goes through the environment, not argv.
	script := `printf %s "$KEYTRAY_TEST_KEYRING_PASS" | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
exec "$0" -test.run='^TestVaultChild$' -test.v`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
	cmd.Env = vaultChildEnviron(map[string]string{
		"DBUS_SESSION_BUS_ADDRESS":  "",
		"XDG_DATA_HOME":             data,
		"XDG_RUNTIME_DIR":           run,
		"KEYTRAY_TEST_KEYRING_PASS": "integration-test-keyring",
		vaultChildEnv:               "locked",
		vaultChildDirEnv:            filepath.Join(tmp, "index"),
	})
	vaultRunChild(t, cmd, "locked")
}

func TestVaultNoSessionBus(t *testing.T) {
	runUser := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, f := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(runUser, f)); err == nil {
			t.Skipf("%s/%s exists: D-Bus would find a session bus there, so there is no way to test its absence", runUser, f)
		}
	}
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "run")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestVaultChild$", "-test.v")
	cmd.Env = vaultChildEnviron(map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": "",
		"XDG_RUNTIME_DIR":          empty,
		vaultChildEnv:              "nobus",
		vaultChildDirEnv:           filepath.Join(tmp, "index"),
	})
	vaultRunChild(t, cmd, "nobus")
}

func TestVaultNoSecretService(t *testing.T) {
	vaultNeedTools(t, "dbus-daemon")
	tmp := t.TempDir()
	// A session bus with no service files: nothing can be activated, so
	// nobody provides org.freedesktop.secrets.
	conf := filepath.Join(tmp, "bus.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+tmp+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	stdout, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = bus.Process.Kill()
		_ = bus.Wait()
	})
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the bus address: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestVaultChild$", "-test.v")
	cmd.Env = vaultChildEnviron(map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": strings.TrimSpace(addr),
		vaultChildEnv:              "noservice",
		vaultChildDirEnv:           filepath.Join(tmp, "index"),
	})
	vaultRunChild(t, cmd, "noservice")
}

// vaultChildEnviron is this process's environment with set applied; an empty
// value removes the variable.
func vaultChildEnviron(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func vaultRunChild(t *testing.T, cmd *exec.Cmd, scenario string) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	t.Logf("child %s:\n%s", scenario, out) // children print no secrets
	if err != nil {
		t.Fatalf("child %s failed: %v", scenario, err)
	}
	if !bytes.Contains(out, []byte(vaultChildOK+" "+scenario)) {
		t.Fatalf("child %s did not run to the end", scenario)
	}
}

// TestVaultChild is the child side of the tests above; on its own it skips.
func TestVaultChild(t *testing.T) {
	scenario := os.Getenv(vaultChildEnv)
	if scenario == "" {
		t.Skip("runs only as a child process of the other TestVault* tests")
	}
	dir := os.Getenv(vaultChildDirEnv)
	v, err := vault.Open(dir, vault.NewKeyring(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	inst := vault.Instance{URL: "https://chat.example.com"}
	var kinds []error
	switch scenario {
	case "locked":
		if err := v.Put(inst, vault.Entry{Name: "before-lock"}, vaultRandomKey(t)); err != nil {
			t.Fatalf("Put while unlocked: %v", err)
		}
		lock := exec.Command("gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
			"--object-path", "/org/freedesktop/secrets", "--method", "org.freedesktop.Secret.Service.Lock",
			"['/org/freedesktop/secrets/collection/login']")
		if out, err := lock.CombinedOutput(); err != nil {
			t.Fatalf("locking the collection: %v\n%s", err, out)
		}
		// A prompt that cannot open fails at once (ErrLocked); one that waits
		// for an answer runs into the timeout (ErrTimeout). Either is right;
		// "not found" or a generic failure is not.
		kinds = []error{vault.ErrLocked, vault.ErrTimeout}
	case "nobus":
		kinds = []error{vault.ErrNoSessionBus}
	case "noservice":
		kinds = []error{vault.ErrNoSecretService}
	default:
		t.Fatalf("unknown scenario %q", scenario)
	}

	indexBefore := vaultReadIndex(t, v)
	check := func(op string, err error) {
		t.Helper()
		for _, k := range kinds {
			if errors.Is(err, k) {
				fmt.Printf("%s: %s: %v\n", scenario, op, err)
				return
			}
		}
		t.Errorf("%s: %v, want one of %v", op, err, kinds)
	}
	check("Put", v.Put(inst, vault.Entry{Name: "bob"}, vaultRandomKey(t)))
	check("CheckKeyring", v.CheckKeyring())
	if scenario == "locked" {
		_, err := v.Key("before-lock")
		check("Key", err)
		check("Remove", v.Remove("before-lock"))
		check("Rename", v.Rename("before-lock", "after-lock"))
		check("ReplaceKey", v.ReplaceKey("before-lock", vaultRandomKey(t), nil))
	} else {
		_, err := vault.NewKeyring(time.Second).Get("anything")
		check("Get", err)
	}
	if after := vaultReadIndex(t, v); !bytes.Equal(indexBefore, after) {
		t.Errorf("the index changed:\nbefore: %s\nafter:  %s", indexBefore, after)
	}
	if scenario == "nobus" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		t.Error("a session bus address appeared: something launched a bus")
	}
	if !t.Failed() {
		fmt.Println(vaultChildOK, scenario)
	}
}

// vaultReadIndex is the index file's bytes, nil when there is none.
func vaultReadIndex(t *testing.T, v *vault.Vault) []byte {
	t.Helper()
	b, err := os.ReadFile(v.IndexPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return b
}

// The bulk paths (one search and one GetSecrets for many items) against
// gnome-keyring: PutAll over an item left by something else and new ones,
// and Keys telling a lost item from a stored one.
func TestVaultBulkPathsAgainstTheRealKeyring(t *testing.T) {
	vaultNeedSessionBus(t)
	vaultNeedTools(t, "secret-tool")
	suffix := strings.TrimPrefix(vaultRandomKey(t), "sk-")[:8]
	names := make([]string, 4)
	for i := range names {
		names[i] = fmt.Sprintf("bulk%d-%s", i, suffix)
	}
	t.Cleanup(func() {
		for _, a := range names {
			_ = exec.Command("secret-tool", "clear", "service", vault.Service, "username", a).Run()
		}
	})
	// names[0] has an item already (another profile's, or one left behind).
	foreign := vaultRandomKey(t)
	store := exec.Command("secret-tool", "store", "--label", "left behind", "service", vault.Service, "username", names[0])
	store.Stdin = strings.NewReader(foreign)
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v\n%s", err, out)
	}

	v, err := vault.Open(t.TempDir(), vault.NewKeyring(0))
	if err != nil {
		t.Fatal(err)
	}
	items := make([]vault.Item, len(names))
	for i, n := range names {
		items[i] = vault.Item{Instance: vault.Instance{URL: "https://chat.example.com"}, Entry: vault.Entry{Name: n}, Key: vaultRandomKey(t)}
	}
	res, err := v.PutAll(items, true)
	if err != nil || len(res.Restored) != len(names) {
		t.Fatalf("PutAll: %+v, %v", res, err)
	}
	for _, it := range items {
		if got, ok := vaultLookup(t, it.Entry.Name); !ok || got != it.Key {
			t.Errorf("%s after PutAll: found=%v, the imported key=%v", it.Entry.Name, ok, got == it.Key)
		}
	}

	// Again, unchanged: every item is read in bulk and found equal.
	if res, err := v.PutAll(items, false); err != nil || len(res.Skipped) != len(names) {
		t.Errorf("second PutAll: %+v, %v (want all skipped)", res, err)
	}

	// One item lost outside Keytray: Keys says so and reads the others.
	if out, err := exec.Command("secret-tool", "clear", "service", vault.Service, "username", names[2]).CombinedOutput(); err != nil {
		t.Fatalf("secret-tool clear: %v\n%s", err, out)
	}
	keys, missing, err := v.Keys(names)
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	for i, it := range items {
		switch {
		case i == 2:
			if !errors.Is(missing[it.Entry.Name], vault.ErrKeyMissing) {
				t.Errorf("%s: %v, want ErrKeyMissing", it.Entry.Name, missing[it.Entry.Name])
			}
		case keys[it.Entry.Name] != it.Key:
			t.Errorf("%s: Keys did not read its key (%v)", it.Entry.Name, missing[it.Entry.Name])
		}
	}
}
