//go:build integration

package integration

// The command line as users run it: the real binary (the headless build,
// $KEYTRAY_CLI_BIN, or $KEYTRAY_BIN) in a private session with a real
// gnome-keyring, against an owuifake server this test process serves.
// Passwords, tokens and keys are random or minted per test and never logged.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

// cliProfile is a fresh profile that runs the headless binary when it was built.
func cliProfile(t *testing.T) *itest.Profile {
	t.Helper()
	p := itest.NewProfile(t)
	if os.Getenv("KEYTRAY_CLI_BIN") != "" {
		p.Bin = itest.CLIBin(t)
	}
	return p
}

// cliFake is an owuifake server where every account may use API keys, with
// one account whose password is returned.
func cliFake(t *testing.T, version, email string) (*owuifake.Server, string) {
	t.Helper()
	srv := owuifake.New(owuifake.Profile{Version: version})
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	password := "pw-" + hex.EncodeToString([]byte(t.Name()))[:16] + "-Zq9"
	srv.AddUser(email, password, "user")
	return srv, password
}

// outputs collects every stdout and stderr the binary produced in a test.
type outputs struct {
	all []string // every stream except get's and env's stdout
}

func (o *outputs) run(t *testing.T, p *itest.Profile, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	stdout, stderr, code = p.Run(t, stdin, args...)
	o.all = append(o.all, stderr)
	if args[0] != "get" && args[0] != "env" {
		o.all = append(o.all, stdout)
	}
	return stdout, stderr, code
}

// assertAbsent fails when any file under dir, or any captured output, holds one of secrets.
func (o *outputs) assertAbsent(t *testing.T, dir string, secrets map[string]string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for what, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds the %s", path, what)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no files under %s: the search would prove nothing", dir)
	}
	for i, out := range o.all {
		for what, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %d of the binary holds the %s", i, what)
			}
		}
	}
}

func TestCLILoginGetListRemove(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.6.41", "alice@example.com")
	name := p.Name("alice")
	var o outputs

	stdout, stderr, code := o.run(t, p, password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", name)
	if code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	if strings.TrimSpace(stdout) != name {
		t.Errorf("login printed %q, want the name", stdout)
	}
	key := srv.KeyOf("alice@example.com")
	if stored, ok := itest.KeyringSecret(t, name); !ok || stored != key {
		t.Fatal("secret-tool does not find the account's key under the entry name")
	}

	stdout, stderr, code = o.run(t, p, "", "get", name)
	if code != 0 || stdout != key {
		t.Errorf("get: exit %d, %d bytes (want exactly the key); stderr %s", code, len(stdout), stderr)
	}

	sum := sha256.Sum256([]byte(key))
	stdout, stderr, code = o.run(t, p, "", "exec", name, "--", "sh", "-c", `printf %s "$OPENAI_API_KEY" | sha256sum`)
	if code != 0 || !strings.HasPrefix(stdout, hex.EncodeToString(sum[:])) {
		t.Errorf("exec: exit %d, the child did not see the key; stderr %s", code, stderr)
	}

	// A session token goes through the binary too: inspect names its owner.
	jwt := srv.TokenFor("alice@example.com")
	stdout, _, code = o.run(t, p, jwt+"\n", "inspect")
	if code != 0 || !strings.Contains(stdout, "NOT an API key") || !strings.Contains(stdout, name) {
		t.Errorf("inspect of a JWT: exit %d:\n%s", code, stdout)
	}
	stop := itest.SetClipboard(t, jwt)
	stdout, stderr, code = o.run(t, p, "", "inspect", "--clipboard")
	stop()
	if code != 0 || !strings.Contains(stdout, "NOT an API key") {
		t.Errorf("inspect --clipboard: exit %d: %s%s", code, stdout, stderr)
	}

	stdout, _, code = o.run(t, p, "", "list", "--json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(stdout), &items); err != nil || code != 0 {
		t.Fatalf("list --json: exit %d, %v", code, err)
	}
	if len(items) != 1 || items[0]["name"] != name || !strings.Contains(items[0]["masked_key"].(string), "…") {
		t.Errorf("list --json: %v", items)
	}

	o.assertAbsent(t, p.Dir, map[string]string{"password": password, "session token": jwt, "API key": key})

	if _, stderr, code = o.run(t, p, "", "remove", name); code != 0 {
		t.Fatalf("remove: exit %d: %s", code, stderr)
	}
	if _, ok := itest.KeyringSecret(t, name); ok {
		t.Error("remove left the keyring item")
	}
	if srv.KeyOf("alice@example.com") != key {
		t.Error("remove changed the key on the server")
	}
}

func TestCLIExecForwardsSignals(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.9.6", "bob@example.com")
	name := p.Name("bob")
	if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", "bob@example.com", "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	proc := p.Start(t, "exec", name, "--", "sh", "-c",
		`trap 'echo got-term >&2; exit 42' TERM; echo ready >&2; while :; do sleep 0.1; done`)
	proc.WaitStderr(t, "ready")
	if err := syscall.Kill(proc.PID(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := proc.Wait(t); code != 42 {
		t.Errorf("exec exit %d, want the child's 42 (stderr %s)", code, proc.Stderr())
	}
	if !strings.Contains(proc.Stderr(), "got-term") {
		t.Error("the child never got the SIGTERM sent to keytray")
	}
}

func TestCLILockedKeyringStoresNothing(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.6.41", "carol@example.com")
	name := p.Name("carol")

	itest.LockKeyring(t)
	t.Cleanup(func() { itest.UnlockKeyring(t) })
	_, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", "carol@example.com", "--password-stdin", "--name", name)
	itest.UnlockKeyring(t)
	if code != 1 || !strings.Contains(stderr, "keyring is locked") || !strings.Contains(stderr, "unlock it") {
		t.Errorf("login with a locked keyring: exit %d, stderr %s", code, stderr)
	}
	if _, ok := itest.KeyringSecret(t, name); ok {
		t.Error("a keyring item was stored")
	}
	if srv.KeyOf("carol@example.com") != "" {
		t.Error("a key was created on the server although it could not be stored")
	}
	stdout, _, _ := p.Run(t, "", "list", "--json")
	if strings.TrimSpace(stdout) != "[]" {
		t.Errorf("the index holds an entry: %s", stdout)
	}
}

func TestCLINoSessionBus(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.6.41", "dave@example.com")
	srv.GiveKey("dave@example.com")
	name := p.Name("dave")

	env := p.Env[:0:0]
	for _, kv := range p.Env {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			env = append(env, kv)
		}
	}
	p.Env = append(env, "XDG_RUNTIME_DIR="+t.TempDir())

	_, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", "dave@example.com", "--password-stdin", "--name", name)
	if code != 1 || !strings.Contains(stderr, "no D-Bus session bus") || !strings.Contains(stderr, "dbus-run-session") {
		t.Errorf("login without a session bus: exit %d, stderr %s", code, stderr)
	}
	stdout, _, code := p.Run(t, "", "doctor")
	if code != 1 || !strings.Contains(stdout, "✗ keyring") || !strings.Contains(stdout, "dbus-run-session") {
		t.Errorf("doctor without a session bus: exit %d\n%s", code, stdout)
	}
	stdout, _, _ = p.Run(t, "", "list", "--json")
	if strings.TrimSpace(stdout) != "[]" {
		t.Errorf("the index holds an entry: %s", stdout)
	}
}

// Under the C.UTF-8 locale (the default of many Debian and Ubuntu installs)
// the desktop binary's commands print nothing but their own output: Fyne's
// "Error parsing user locale C" is kept out (internal/clocale), and the
// programs `keytray exec` starts still see the locale they were given.
func TestCLIQuietUnderCUTF8(t *testing.T) {
	p := itest.NewProfile(t) // the desktop binary: the headless one has no Fyne
	srv, _ := cliFake(t, "0.6.41", "fay@example.com")
	env := slices.DeleteFunc(slices.Clone(p.Env), func(kv string) bool {
		return strings.HasPrefix(kv, "LANG=") || strings.HasPrefix(kv, "LANGUAGE=") || strings.HasPrefix(kv, "LC_")
	})
	for i, locale := range []string{"LANG=C.UTF-8", "LC_ALL=C.utf8"} {
		p.Env = append(slices.Clone(env), locale)
		name := p.Name(fmt.Sprintf("fay%d", i))
		if _, stderr, code := p.Run(t, trayRandomKey(t), "add", srv.URL(), "--key-stdin", "--no-verify", "--name", name); code != 0 {
			t.Fatalf("%s: add: exit %d: %s", locale, code, stderr)
		}
		for _, args := range [][]string{{"version"}, {"list"}, {"get", name}} {
			if _, stderr, code := p.Run(t, "", args...); code != 0 || stderr != "" {
				t.Errorf("%s: keytray %s: exit %d, stderr %q (want nothing)", locale, args[0], code, stderr)
			}
		}
		stdout, stderr, code := p.Run(t, "", "exec", name, "--", "sh", "-c", `printf '%s|%s' "$LANG" "$LC_ALL"`)
		want := map[string]string{"LANG=C.UTF-8": "C.UTF-8|", "LC_ALL=C.utf8": "|C.utf8"}[locale]
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("%s: exec: the child saw %q (want %q), exit %d, stderr %q", locale, stdout, want, code, stderr)
		}
	}
}
