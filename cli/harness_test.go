package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/vault"
)

// harness is one profile (a temp index folder and a memory keyring) that runs
// command lines through the same code as Main, and checks after every run
// that no secret leaked into the output.
type harness struct {
	t     *testing.T
	dir   string
	store *vault.MemoryStore
	svc   *keys.Service

	loginItem fakeLoginItem

	mu       sync.Mutex
	never    []string // passwords and JWTs: never in stdout or stderr
	dataOnly []string // keys: only on stdout, and only from get/env
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	store := vault.NewMemoryStore()
	v, err := vault.Open(dir, store)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, dir: dir, store: store, svc: keys.New(v)}
}

// secret registers a password or JWT that must never be printed.
func (h *harness) secret(s string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.never = append(h.never, s)
	return s
}

// key registers an API key that may only appear as get/env data.
func (h *harness) key(s string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s != "" {
		h.dataOnly = append(h.dataOnly, s)
	}
	return s
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs one command line with stdin and checks the output for secrets.
func (h *harness) run(stdin string, args ...string) result {
	h.t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{
		stdin:       strings.NewReader(stdin),
		stdout:      &out,
		stderr:      &errOut,
		openService: func() (*keys.Service, error) { return h.svc, nil },
		environ:     os.Environ,
		loginItem:   &h.loginItem,
	}
	r := result{code: c.run(args), stdout: out.String(), stderr: errOut.String()}
	h.checkLeaks(args, r)
	return r
}

func (h *harness) checkLeaks(args []string, r result) {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.never {
		if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
			h.t.Errorf("keytray %s printed a password or session token", strings.Join(args, " "))
		}
	}
	keyOnStdout := len(args) > 0 && (args[0] == "get" || args[0] == "env")
	for _, k := range h.dataOnly {
		if strings.Contains(r.stderr, k) || (!keyOnStdout && strings.Contains(r.stdout, k)) {
			h.t.Errorf("keytray %s printed an API key where it must not", strings.Join(args, " "))
		}
	}
}

// must runs a command that must succeed.
func (h *harness) must(stdin string, args ...string) result {
	h.t.Helper()
	r := h.run(stdin, args...)
	if r.code != 0 {
		h.t.Fatalf("keytray %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// snapshot is the stored state, to prove a failure lost and added nothing.
type snapshot struct {
	accounts []string
	secrets  []string
	entries  []vault.Entry
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	var s snapshot
	s.accounts = h.store.Accounts()
	for _, a := range s.accounts {
		v, err := h.store.Get(a)
		if err != nil {
			h.t.Fatal(err)
		}
		s.secrets = append(s.secrets, v)
	}
	entries, err := h.svc.Vault.Entries()
	if err != nil {
		h.t.Fatal(err)
	}
	s.entries = entries
	return s
}

func (h *harness) assertUnchanged(before snapshot) {
	h.t.Helper()
	after := h.snapshot()
	if !slices.Equal(before.accounts, after.accounts) || !slices.Equal(before.secrets, after.secrets) {
		h.t.Errorf("keyring changed: %v -> %v", before.accounts, after.accounts)
	}
	if len(before.entries) != len(after.entries) {
		h.t.Errorf("index changed: %d entries -> %d", len(before.entries), len(after.entries))
		return
	}
	for i := range before.entries {
		if before.entries[i].Name != after.entries[i].Name || before.entries[i].Fingerprint != after.entries[i].Fingerprint {
			h.t.Errorf("index entry %d changed: %s -> %s", i, before.entries[i].Name, after.entries[i].Name)
		}
	}
}

// storedKey is the key the keyring holds for name.
func (h *harness) storedKey(name string) string {
	h.t.Helper()
	k, err := h.store.Get(name)
	if err != nil {
		h.t.Fatalf("keyring item %q: %v", name, err)
	}
	return k
}

// fake starts an owuifake server where every account may use API keys.
func fake(t *testing.T, p owuifake.Profile, opts ...owuifake.Option) *owuifake.Server {
	t.Helper()
	srv := owuifake.New(p, opts...)
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	return srv
}

// account adds a user to srv and registers its password as a secret.
func (h *harness) account(srv *owuifake.Server, email string) string {
	password := h.secret("pw-" + email + "-Tr0ub4dor&3")
	srv.AddUser(email, password, "user")
	return password
}

// login signs email in with the CLI and returns the stored name.
func (h *harness) login(srv *owuifake.Server, email, password string, extra ...string) string {
	h.t.Helper()
	args := append([]string{"login", srv.URL(), "--email", email, "--password-stdin"}, extra...)
	r := h.must(password+"\n", args...)
	name := strings.TrimSpace(r.stdout)
	h.key(h.storedKey(name))
	return name
}

// aliceSignedIn is a fresh harness whose profile holds the key of
// alice@example.com, logged in on a fake of profile p.
func aliceSignedIn(t *testing.T, p owuifake.Profile, opts ...owuifake.Option) (h *harness, srv *owuifake.Server, password, name string) {
	t.Helper()
	h = newHarness(t)
	srv = fake(t, p, opts...)
	password = h.account(srv, "alice@example.com")
	return h, srv, password, h.login(srv, "alice@example.com", password)
}

// eachVersion runs test once per owuifake profile, in parallel.
func eachVersion(t *testing.T, test func(t *testing.T, p owuifake.Profile)) {
	for _, p := range owuifake.Profiles() {
		t.Run(p.Version, func(t *testing.T) {
			t.Parallel()
			test(t, p)
		})
	}
}

// fakeLoginItem records what `config start-at-login` asked of the login item.
type fakeLoginItem struct {
	on      bool
	applied int
	err     error
}

func (f *fakeLoginItem) apply(on bool) error {
	if f.err != nil {
		return f.err
	}
	f.on = on
	f.applied++
	return nil
}

// commandNames are the commands `keytray help` lists.
func commandNames() []string {
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	var names []string
	for _, cmd := range c.newRoot().Commands() {
		if cmd.IsAvailableCommand() || cmd.Name() == "help" {
			names = append(names, cmd.Name())
		}
	}
	return names
}

// addStored stores a made-up key as name, without a server (--no-verify).
func addStored(t *testing.T, h *harness, name string) {
	t.Helper()
	key := h.key(fmt.Sprintf("sk-%032x", len(name)*7919+int(name[0])))
	h.must(key+"\n", "add", "https://chat.example.com", "--key-stdin", "--no-verify", "--name", name)
}
