package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/keytray/keytray/internal/version"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/vault"
)

func TestLoginKeepsExistingKeyAndCreatesMissingOne(t *testing.T) {
	eachVersion(t, func(t *testing.T, p owuifake.Profile) {
		h := newHarness(t)
		srv := fake(t, p)
		alicePW := h.account(srv, "alice@example.com")
		bobPW := h.account(srv, "bob@example.com")
		aliceKey := h.key(srv.GiveKey("alice@example.com"))

		// An existing server key is kept, never rotated.
		r := h.must(alicePW+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
		name := strings.TrimSpace(r.stdout)
		if name != "alice@127.0.0.1" {
			t.Errorf("default name = %q, want alice@127.0.0.1", name)
		}
		if got := h.storedKey(name); got != aliceKey {
			t.Error("login stored a key other than the account's existing one")
		}
		if srv.KeyOf("alice@example.com") != aliceKey {
			t.Error("login without --rotate replaced the server key")
		}
		if !strings.Contains(r.stderr, "existing API key") {
			t.Errorf("stderr does not say the key was kept: %s", r.stderr)
		}

		// An account without a key gets one.
		bob := h.login(srv, "bob@example.com", bobPW)
		bobKey := srv.KeyOf("bob@example.com")
		if bobKey == "" || h.storedKey(bob) != bobKey {
			t.Error("login did not create and store a key for an account without one")
		}

		// Logging in again changes nothing and says so.
		r = h.must(alicePW+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
		if strings.TrimSpace(r.stdout) != name || !strings.Contains(r.stderr, "already stored") {
			t.Errorf("second login: stdout %q, stderr %q", r.stdout, r.stderr)
		}
		if len(h.store.Accounts()) != 2 {
			t.Errorf("keyring holds %v, want two items", h.store.Accounts())
		}
	})
}

func TestLoginRotateReplacesKeyAndOldOneIsRejected(t *testing.T) {
	eachVersion(t, func(t *testing.T, p owuifake.Profile) {
		h := newHarness(t)
		srv := fake(t, p)
		pw := h.account(srv, "alice@example.com")
		old := h.key(srv.GiveKey("alice@example.com"))
		name := h.login(srv, "alice@example.com", pw)

		r := h.must(pw+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--rotate")
		if strings.TrimSpace(r.stdout) != name {
			t.Errorf("rotating login stored under %q, want the existing entry %q", r.stdout, name)
		}
		fresh := h.key(h.storedKey(name))
		if fresh == old || srv.KeyOf("alice@example.com") != fresh {
			t.Fatal("--rotate did not store the server's new key")
		}
		if !strings.Contains(r.stderr, "no longer works") {
			t.Errorf("stderr does not warn that the old key stopped working: %s", r.stderr)
		}
		// The fake rejects the old key now: adding it fails and stores nothing.
		before := h.snapshot()
		r = h.run(old+"\n", "add", srv.URL(), "--key-stdin", "--name", "old")
		if r.code != 1 || !strings.Contains(r.stderr, "rejected") {
			t.Errorf("adding the replaced key: exit %d, stderr %s", r.code, r.stderr)
		}
		h.assertUnchanged(before)
	})
}

func TestAddJWTExits3AndStoresNothing(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"})
	h.account(srv, "alice@example.com")
	jwt := h.secret(srv.TokenFor("alice@example.com"))

	r := h.run(jwt+"\n", "add", srv.URL(), "--key-stdin")
	if r.code != 3 {
		t.Fatalf("exit %d, want 3; stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"session token", "Settings › Account", "--token-stdin", "API keys"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the explanation lacks %q: %s", want, r.stderr)
		}
	}
	if r.stdout != "" || h.store.Len() != 0 {
		t.Error("a JWT given to add printed or stored something")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("a JWT given to add was sent to the server (%d requests)", n)
	}
}

func TestAddStoresVerifiedKey(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.9.6"})
	h.account(srv, "carol@example.com")
	key := h.key(srv.GiveKey("carol@example.com"))

	r := h.must(key+"\n", "add", srv.URL(), "--key-stdin")
	name := strings.TrimSpace(r.stdout)
	if h.storedKey(name) != key {
		t.Fatal("add did not store the key")
	}
	r = h.run(key+"\n", "add", srv.URL(), "--key-stdin", "--name", "again")
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("already stored as %q", name)) {
		t.Errorf("adding the same key twice: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestGetEnvPrintExactlyTheKey(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profile{Version: "0.6.36"})
	key := h.storedKey(name)

	r := h.must("", "get", name)
	if r.stdout != key || r.stderr != "" {
		t.Errorf("get printed %d bytes (want exactly the %d-byte key) and stderr %q", len(r.stdout), len(key), r.stderr)
	}
	r = h.must("", "env", name)
	want := "OPENAI_API_KEY=" + key + "\nOPENAI_BASE_URL=" + srv.URL() + "/api\n"
	if r.stdout != want {
		t.Error("env did not print the two lines")
	}
	r = h.must("", "env", name, "--export")
	if !strings.Contains(r.stdout, "export OPENAI_API_KEY='"+key+"'\n") ||
		!strings.Contains(r.stdout, "export OPENAI_BASE_URL='"+srv.URL()+"/api'\n") {
		t.Error("env --export did not print quoted export lines")
	}
}

func TestExecPassesVariablesAndExitCode(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profile{Version: "0.11.0"})
	sum := sha256.Sum256([]byte(h.storedKey(name)))

	// The child compares inside its own environment; the key is never in argv.
	r := h.run("", "exec", name, "--", "sh", "-c",
		`printf '%s\n' "$OPENAI_BASE_URL"; printf %s "$OPENAI_API_KEY" | sha256sum`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || lines[0] != srv.URL()+"/api" || !strings.HasPrefix(lines[1], hex.EncodeToString(sum[:])) {
		t.Errorf("the child saw the wrong variables: %q", r.stdout)
	}

	if r := h.run("", "exec", name, "--", "sh", "-c", "exit 7"); r.code != 7 {
		t.Errorf("exit status %d, want the child's 7", r.code)
	}
	if r := h.run("", "exec", name, "sh", "-c", "kill -TERM $$"); r.code != 128+15 {
		t.Errorf("a child killed by SIGTERM gave %d, want 143", r.code)
	}
	if r := h.run("", "exec", name, "--", "no-such-command-keytray"); r.code != 127 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("missing command: exit %d, stderr %s", r.code, r.stderr)
	}

	// A missing NAME never runs the command.
	marker := filepath.Join(t.TempDir(), "ran")
	r = h.run("", "exec", "nosuch", "--", "touch", marker)
	if r.code != 1 || !strings.Contains(r.stderr, `no key named "nosuch"`) {
		t.Errorf("missing name: exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("exec ran the command although NAME is not stored")
	}

	// A key the last check found rejected still runs, with a warning.
	if err := h.svc.Vault.Update(name, func(e *vault.Entry) {
		e.LastStatus, e.LastChecked = "rejected", h.svc.Now()
	}); err != nil {
		t.Fatal(err)
	}
	r = h.run("", "exec", name, "--", "true")
	if r.code != 0 || !strings.Contains(r.stderr, "rejected") {
		t.Errorf("rejected key: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestCheckNamesRevokedKeyAndExits1(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"})
	pw := h.account(srv, "alice@example.com")
	pw2 := h.account(srv, "bob@example.com")
	alice := h.login(srv, "alice@example.com", pw)
	bob := h.login(srv, "bob@example.com", pw2)

	r := h.must("", "check")
	if !strings.Contains(r.stdout, "valid") {
		t.Errorf("check table: %s", r.stdout)
	}
	h.key(srv.GiveKey("alice@example.com")) // made in the web UI: the stored key dies

	r = h.run("", "check")
	if r.code != 1 {
		t.Fatalf("check with a revoked key: exit %d", r.code)
	}
	if !strings.Contains(r.stderr, alice) || !strings.Contains(r.stderr, "revoked") || strings.Contains(r.stderr, bob+":") {
		t.Errorf("check did not name just the revoked key: %s", r.stderr)
	}
	r = h.run("", "check", "--json", alice, bob)
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatalf("check --json: %v\n%s", err, r.stdout)
	}
	if r.code != 1 || len(items) != 2 || items[0]["ok"] != false || items[0]["status"] != "rejected" ||
		items[1]["ok"] != true || items[1]["status"] != "valid" {
		t.Errorf("check --json: exit %d, %v", r.code, items)
	}
	r = h.must("", "list")
	if !strings.Contains(r.stdout, "rejected") {
		t.Errorf("list does not show the recorded status: %s", r.stdout)
	}
}

func TestListJSONHasNoKey(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profile{Version: "0.6.5"}, owuifake.WithName("Team Chat"))

	r := h.must("", "list", "--json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	for _, field := range []string{"name", "server", "server_name", "account", "user_id", "role", "masked_key",
		"fingerprint", "created", "last_checked", "last_status", "last_detail"} {
		if _, ok := items[0][field]; !ok {
			t.Errorf("list --json lacks %q", field)
		}
	}
	it := items[0]
	if it["name"] != name || it["server"] != srv.URL() || it["server_name"] != "Team Chat" ||
		it["account"] != "alice@example.com" || !strings.HasPrefix(it["masked_key"].(string), "sk-") {
		t.Errorf("list --json: %v", it)
	}
	r = h.must("", "list")
	if !strings.HasPrefix(r.stdout, "NAME") || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "…") {
		t.Errorf("list table: %s", r.stdout)
	}

	empty := newHarness(t)
	if r := empty.must("", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty list --json = %q", r.stdout)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nosuch"},
		{"--nosuch"},
		{"login"},
		{"login", "chat.example.com", "--email", "a@b.c"}, // no terminal, no --password-stdin
		{"login", "chat.example.com", "--email", "a@b.c", "--token-stdin"},
		{"login", "chat.example.com", "--token-stdin", "--password-stdin"},
		{"add", "chat.example.com"}, // no terminal, no --key-stdin
		{"add"},
		{"get"},
		{"get", "a", "b"},
		{"env"},
		{"exec"},
		{"exec", "name"},
		{"exec", "name", "--"},
		{"list", "--bogus"},
		{"list", "extra"},
		{"rename", "a"},
		{"export"},
		{"export", "--out", "f", "--format", "env"},
		{"export", "--out", "f", "--plaintext"},
		{"export", "--out", "f", "--plaintext", "--format", "xml"},
		{"export", "--out", "f", "--passphrase-file", "p", "--recipient", "age1x"},
		{"export", "--out", "f"}, // no terminal to ask for a passphrase
		{"import"},
		{"import", "f"}, // no terminal to ask for a passphrase
		{"config", "nosuch"},
		{"config", "a", "b", "c"},
		{"help", "nosuch"},
	} {
		h := newHarness(t)
		r := h.run("", args...)
		if r.code != 2 {
			t.Errorf("keytray %s: exit %d, want 2 (stderr %s)", strings.Join(args, " "), r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "keytray: ") || r.stdout != "" {
			t.Errorf("keytray %s: stdout %q, stderr %q", strings.Join(args, " "), r.stdout, r.stderr)
		}
	}
	h := newHarness(t)
	if r := h.run("", "login", "chat.example.com", "--email", "a@b.c"); !strings.Contains(r.stderr, "--password-stdin") {
		t.Errorf("a missing password does not point to --password-stdin: %s", r.stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		if r := h.must("", args...); !strings.Contains(r.stdout, "exec") || !strings.Contains(r.stdout, "Exit status") {
			t.Errorf("keytray %v: %s", args, r.stdout)
		}
	}
	for _, name := range commandNames() {
		r := h.must("", name, "-h")
		if !strings.Contains(r.stdout, "Usage: keytray "+name) {
			t.Errorf("keytray %s -h: %s", name, r.stdout)
		}
		if r2 := h.must("", "help", name); r2.stdout != r.stdout {
			t.Errorf("help %s differs from %s -h", name, name)
		}
	}
	if r := h.must("", "exec", "-h"); !strings.Contains(r.stdout, "Examples") {
		t.Errorf("exec -h has no examples: %s", r.stdout)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := h.must("", args...)
		if !strings.HasPrefix(r.stdout, "keytray "+version.Version+"\n") || !strings.Contains(r.stdout, "go:") {
			t.Errorf("keytray %v: %q", args, r.stdout)
		}
	}
	if r := h.run("", "lst"); !strings.Contains(r.stderr, "keytray list") {
		t.Errorf("a typo gets no suggestion: %s", r.stderr)
	}
}

func TestBadInputGetsASentenceAndLosesNothing(t *testing.T) {
	type setup struct {
		url   string
		stdin string
		args  []string
	}
	deadAddr := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}
	cases := []struct {
		name    string
		version string
		prepare func(t *testing.T, h *harness, srv *owuifake.Server) setup
		want    []string
	}{
		{"wrong password", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			h.account(srv, "alice@example.com")
			return setup{srv.URL(), h.secret("not-the-password") + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"wrong email", "password"}},
		{"LDAP disabled", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			return setup{srv.URL(), h.secret("ldap-pw") + "\n", []string{"--ldap", "alice", "--password-stdin"}}
		}, []string{"LDAP", "--email"}},
		{"API keys disabled", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			srv.SetAPIKeysEnabled(false)
			return setup{srv.URL(), pw + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"API keys are disabled", "Admin Settings › General › Enable API Keys"}},
		{"no API-key permission", "0.9.6", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			srv.SetPermission(false)
			return setup{srv.URL(), pw + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{`"API Keys"`, "group"}},
		{"throttled", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			h.account(srv, "alice@example.com")
			wrong := h.secret("wrong-password")
			for range 15 {
				if r := h.run(wrong+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin"); r.code != 1 {
					t.Fatalf("wrong password: exit %d", r.code)
				}
			}
			return setup{srv.URL(), wrong + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"too many attempts", "minute"}},
		{"not Open WebUI", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			srv.SetFault(owuifake.FaultHTMLEverywhere)
			return setup{srv.URL(), pw + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"not as Open WebUI"}},
		{"nothing listening", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			return setup{deadAddr(t), h.secret("pw-nobody") + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"nothing is listening"}},
		{"keyring locked", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			h.store.Lock(true)
			return setup{srv.URL(), pw + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"keyring is locked", "Seahorse"}},
		{"password sign-in off", "0.9.6", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			srv.DisablePasswordAuth()
			return setup{srv.URL(), pw + "\n", []string{"--email", "alice@example.com", "--password-stdin"}}
		}, []string{"password sign-in switched off", "--token-stdin"}},
		{"expired session token", "0.9.6", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			h.account(srv, "alice@example.com")
			tok := h.secret(srv.TokenFor("alice@example.com"))
			srv.RotateSecret()
			return setup{srv.URL(), tok + "\n", []string{"--token-stdin"}}
		}, []string{"session token was refused", "fresh token"}},
		{"duplicate name", "0.6.41", func(t *testing.T, h *harness, srv *owuifake.Server) setup {
			pw := h.account(srv, "alice@example.com")
			h.login(srv, "alice@example.com", pw, "--name", "work")
			pw2 := h.account(srv, "bob@example.com")
			h.key(srv.GiveKey("bob@example.com"))
			return setup{srv.URL(), pw2 + "\n", []string{"--email", "bob@example.com", "--password-stdin", "--name", "work"}}
		}, []string{`"work" is already in use`, "--name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			srv := fake(t, owuifake.Profile{Version: tc.version})
			s := tc.prepare(t, h, srv)
			h.store.Lock(false)
			before := h.snapshot()
			if tc.name == "keyring locked" {
				h.store.Lock(true)
			}
			r := h.run(s.stdin, append([]string{"login", s.url}, s.args...)...)
			h.store.Lock(false)
			if r.code != 1 {
				t.Errorf("exit %d, want 1; stderr %s", r.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "keytray: ") || r.stdout != "" {
				t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q: %s", want, r.stderr)
				}
			}
			h.assertUnchanged(before)
		})
	}
}

func TestTLSNeedsCAFile(t *testing.T) {
	h := newHarness(t)
	srv := owuifake.NewTLS(owuifake.Profile{Version: "0.6.41"})
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	pw := h.account(srv, "alice@example.com")

	r := h.run(pw+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "not trusted") || !strings.Contains(r.stderr, "--ca-file") {
		t.Errorf("untrusted TLS: exit %d, stderr %s", r.code, r.stderr)
	}
	if h.store.Len() != 0 {
		t.Error("something was stored")
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	name := h.login(srv, "alice@example.com", pw, "--ca-file", ca)
	// The CA file is remembered for the server: check uses it.
	if r := h.must("", "check", name); !strings.Contains(r.stdout, "valid") {
		t.Errorf("check over TLS with the remembered CA file: %s", r.stdout)
	}
}

func TestMissingNameSuggestsList(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"get", "nosuch"}, {"env", "nosuch"}, {"remove", "nosuch"}, {"rotate", "nosuch"},
		{"revoke", "nosuch"}, {"check", "nosuch"}, {"rename", "nosuch", "other"}} {
		r := h.run("", args...)
		if r.code != 1 || !strings.Contains(r.stderr, `no key named "nosuch"`) || !strings.Contains(r.stderr, "keytray list") {
			t.Errorf("keytray %v: exit %d, stderr %s", args, r.code, r.stderr)
		}
	}
}

func TestCorruptIndexIsRecoveredAndSaid(t *testing.T) {
	h, _, _, name := aliceSignedIn(t, owuifake.Profile{Version: "0.6.41"})
	if err := os.WriteFile(h.svc.Vault.IndexPath(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.must("", "get", name)
	if r.stdout != h.storedKey(name) {
		t.Error("get after a recovery did not print the key")
	}
	if !strings.Contains(r.stderr, "last good copy") || !strings.Contains(r.stderr, ".corrupt-") {
		t.Errorf("the recovery was not reported with where the damaged file went: %s", r.stderr)
	}
	// Reported once, not at every later command.
	if r := h.must("", "list"); strings.Contains(r.stderr, "last good copy") {
		t.Errorf("the recovery was reported again: %s", r.stderr)
	}

	// Without a usable last-good copy, the command fails and says what to do.
	for _, p := range []string{h.svc.Vault.IndexPath(), h.svc.Vault.LastGoodPath()} {
		if err := os.WriteFile(p, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r = h.run("", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "still in the keyring") {
		t.Errorf("unrecoverable index: exit %d, stderr %s", r.code, r.stderr)
	}
	if h.store.Len() != 1 {
		t.Error("the keyring lost its item")
	}
}

func TestInspect(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profile{Version: "0.9.6"})
	jwt := h.secret(srv.TokenFor("alice@example.com"))

	r := h.must(jwt+"\n", "inspect")
	for _, want := range []string{"session token", "NOT an API key", name, "Expires:", "Issued:", "--token-stdin", srv.URL()} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect of a JWT lacks %q:\n%s", want, r.stdout)
		}
	}
	r = h.must(h.storedKey(name), "inspect")
	if !strings.Contains(r.stdout, "API key") || !strings.Contains(r.stdout, "Stored as:") || !strings.Contains(r.stdout, name) {
		t.Errorf("inspect of a stored key:\n%s", r.stdout)
	}
	r = h.must("hello world\n", "inspect")
	if !strings.Contains(r.stdout, "Neither") {
		t.Errorf("inspect of other text:\n%s", r.stdout)
	}
	if r := h.run("", "inspect"); r.code != 1 || !strings.Contains(r.stderr, "nothing to inspect") {
		t.Errorf("inspect of nothing: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestConfig(t *testing.T) {
	h := newHarness(t)
	r := h.must("", "config")
	if !strings.Contains(r.stdout, "clipboard-clear=30s\n") || !strings.Contains(r.stdout, "clipboard-watch=on\n") {
		t.Errorf("config: %s", r.stdout)
	}
	h.must("", "config", "clipboard-clear", "45s")
	if r := h.must("", "config", "clipboard-clear"); r.stdout != "45s\n" {
		t.Errorf("config clipboard-clear = %q", r.stdout)
	}
	h.must("", "config", "clipboard-watch", "off")
	if r := h.must("", "config", "clipboard-watch"); r.stdout != "off\n" {
		t.Errorf("config clipboard-watch = %q", r.stdout)
	}
	r = h.run("", "config", "clipboard-clear", "soon")
	if r.code != 2 || !strings.Contains(r.stderr, "soon") {
		t.Errorf("bad value: exit %d, stderr %s", r.code, r.stderr)
	}
	if r := h.must("", "config", "clipboard-clear"); r.stdout != "45s\n" {
		t.Errorf("a bad value changed the setting to %q", r.stdout)
	}
}

func TestRenameRemove(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"})
	pw := h.account(srv, "alice@example.com")
	pw2 := h.account(srv, "bob@example.com")
	name := h.login(srv, "alice@example.com", pw)
	other := h.login(srv, "bob@example.com", pw2)
	key := h.storedKey(name)

	if r := h.run("", "rename", name, other); r.code != 1 || !strings.Contains(r.stderr, "already in use") {
		t.Errorf("rename onto a taken name: exit %d, stderr %s", r.code, r.stderr)
	}
	h.must("", "rename", name, "work")
	if r := h.must("", "get", "work"); r.stdout != key {
		t.Error("the renamed entry does not give the key")
	}
	r := h.must("", "remove", "work")
	if !strings.Contains(r.stderr, "still works") {
		t.Errorf("remove does not say the server key stays: %s", r.stderr)
	}
	if _, err := h.store.Get("work"); err == nil {
		t.Error("remove left the keyring item")
	}
	if srv.KeyOf("alice@example.com") != key {
		t.Error("remove touched the server key")
	}
}

func TestRotateAndRevoke(t *testing.T) {
	eachVersion(t, func(t *testing.T, p owuifake.Profile) {
		h, srv, pw, name := aliceSignedIn(t, p)
		old := h.storedKey(name)

		h.must(pw+"\n", "rotate", name, "--password-stdin")
		fresh := h.key(h.storedKey(name))
		if fresh == old || srv.KeyOf("alice@example.com") != fresh {
			t.Fatal("rotate did not store the server's new key")
		}
		h.must(pw+"\n", "revoke", name, "--password-stdin")
		if srv.KeyOf("alice@example.com") != "" {
			t.Error("revoke left the key on the server")
		}
		if h.store.Len() != 0 {
			t.Error("revoke left the keyring item")
		}
	})
}

func TestRotateNeedsSignInWithoutTerminal(t *testing.T) {
	h, srv, pw, name := aliceSignedIn(t, owuifake.Profile{Version: "0.9.6"})
	// Only /api/models is allowed for keys: the key cannot manage itself.
	srv.SetRestrictions(true, []string{"/api/models"})
	before := h.snapshot()

	r := h.run("", "rotate", name)
	if r.code != 2 || !strings.Contains(r.stderr, "--password-stdin") {
		t.Errorf("rotate without a sign-in: exit %d, stderr %s", r.code, r.stderr)
	}
	h.assertUnchanged(before)
	h.must(pw+"\n", "rotate", name, "--password-stdin")
	if h.storedKey(name) != h.key(srv.KeyOf("alice@example.com")) {
		t.Error("rotate with a password did not store the new key")
	}
}

func TestDoctor(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"}, owuifake.WithName("Team Chat"))
	pw := h.account(srv, "alice@example.com")
	h.login(srv, "alice@example.com", pw)

	r := h.must("", "doctor")
	for _, want := range []string{"keyring:", h.svc.Vault.IndexPath(), srv.URL(), "0.6.41", "Team Chat", "1 key"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doctor lacks %q:\n%s", want, r.stdout)
		}
	}
	srv.Close()
	r = h.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "✗ server") {
		t.Errorf("doctor with a dead server: exit %d\n%s", r.code, r.stdout)
	}
	h.store.Lock(true)
	r = h.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "keyring is locked") {
		t.Errorf("doctor with a locked keyring: exit %d\n%s", r.code, r.stdout)
	}
}

func TestExportImport(t *testing.T) {
	defer backup.SetScryptWorkFactorForTest(10)()
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"})
	alice := h.login(srv, "alice@example.com", h.account(srv, "alice@example.com"))
	bob := h.login(srv, "bob@example.com", h.account(srv, "bob@example.com"))
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass")
	if err := os.WriteFile(passFile, []byte(h.secret("correct horse battery")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "keys.age")

	r := h.must("", "export", "--out", out, "--passphrase-file", passFile)
	if !strings.Contains(r.stderr, "wrote 2 keys") {
		t.Errorf("export: %s", r.stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	if r := h.run("", "export", "--out", out, "--passphrase-file", passFile); r.code != 1 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("export over an existing file: exit %d, stderr %s", r.code, r.stderr)
	}

	// Restore into an empty profile; a wrong passphrase restores nothing.
	other := newHarness(t)
	other.never, other.dataOnly = h.never, h.dataOnly
	wrong := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrong, []byte("not the passphrase at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := other.run("", "import", out, "--passphrase-file", wrong); r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Errorf("wrong passphrase: exit %d, stderr %s", r.code, r.stderr)
	}
	if other.store.Len() != 0 {
		t.Error("a failed import stored something")
	}
	r = other.must("", "import", out, "--passphrase-file", passFile)
	if !strings.Contains(r.stderr, "restored 2 keys") || other.storedKey(alice) != h.storedKey(alice) || other.storedKey(bob) != h.storedKey(bob) {
		t.Errorf("import: %s", r.stderr)
	}

	// A name holding a different key is refused unless --replace.
	other.must("", "remove", bob)
	h.account(srv, "carol@example.com")
	carolKey := other.key(srv.GiveKey("carol@example.com"))
	other.must(carolKey+"\n", "add", srv.URL(), "--key-stdin", "--no-verify", "--name", bob) // bob's name, another key
	r = other.run("", "import", out, "--passphrase-file", passFile)
	if r.code != 1 || !strings.Contains(r.stderr, "--replace") || !strings.Contains(r.stderr, bob) {
		t.Errorf("import onto a different key: exit %d, stderr %s", r.code, r.stderr)
	}
	other.must("", "import", out, "--passphrase-file", passFile, "--replace")
	if other.storedKey(bob) != h.storedKey(bob) {
		t.Error("--replace did not restore bob's key")
	}

	// To a recipient, back with its identity.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(dir, "identity.txt")
	if err := os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.secret(id.String())
	toKey := filepath.Join(dir, "keys-recipient.age")
	h.must("", "export", "--out", toKey, "--recipient", id.Recipient().String(), "--armor", alice)
	third := newHarness(t)
	third.never, third.dataOnly = h.never, h.dataOnly
	if r := third.run("", "import", toKey, "--passphrase-file", passFile); r.code != 1 || !strings.Contains(r.stderr, "--identity") {
		t.Errorf("a recipient backup with a passphrase: exit %d, stderr %s", r.code, r.stderr)
	}
	third.must("", "import", toKey, "--identity", idFile)
	if third.storedKey(alice) != h.storedKey(alice) || third.store.Len() != 1 {
		t.Error("the recipient backup did not restore exactly alice's key")
	}

	// Plain text only on request, and then it says so.
	envFile := filepath.Join(dir, "alice.env")
	r = h.must("", "export", "--out", envFile, "--plaintext", "--format", "env", alice)
	data, err := os.ReadFile(envFile)
	if err != nil || !strings.Contains(string(data), "OPENAI_API_KEY="+h.storedKey(alice)) {
		t.Errorf("plaintext env export: %v", err)
	}
	if !strings.Contains(r.stderr, "plain text") {
		t.Errorf("plaintext export gave no warning: %s", r.stderr)
	}
	if r := h.run("", "export", "--out", filepath.Join(dir, "x.env"), "--plaintext", "--format", "env"); r.code != 1 {
		t.Errorf("env export of two keys: exit %d", r.code)
	}
}

func TestNewKeyThatCannotBeStoredIsShownNotLost(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.6.41"})
	pw := h.account(srv, "alice@example.com")
	// The keyring check before the key is made passes (one Set); storing it fails.
	h.store.FailSetAfter(1, vault.ErrUnavailable)

	r := h.run(pw+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
	made := srv.KeyOf("alice@example.com")
	if r.code != 1 || made == "" || r.stdout != made+"\n" {
		t.Fatalf("exit %d; the key the server made was not printed on stdout (%d bytes)", r.code, len(r.stdout))
	}
	if !strings.Contains(r.stderr, "save it now") || strings.Contains(r.stderr, made) {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestLoginWhenTheServerHidesTheKey(t *testing.T) {
	h := newHarness(t)
	srv := fake(t, owuifake.Profile{Version: "0.11.0"})
	pw := h.account(srv, "alice@example.com")
	old := h.key(srv.GiveKey("alice@example.com"))
	srv.SetServerKeyUnreadable(true)

	r := h.run(pw+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "will not show it again") || !strings.Contains(r.stderr, "--rotate") ||
		!strings.Contains(r.stderr, "keytray add "+srv.URL()) {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	if h.store.Len() != 0 || srv.KeyOf("alice@example.com") != old {
		t.Fatal("login without --rotate stored something or replaced the server key")
	}
	name := h.login(srv, "alice@example.com", pw, "--rotate")
	if h.storedKey(name) != srv.KeyOf("alice@example.com") {
		t.Error("--rotate did not store the new key")
	}
}

func TestRotateWithTheKeyAlone(t *testing.T) {
	eachVersion(t, func(t *testing.T, p owuifake.Profile) {
		h, srv, _, name := aliceSignedIn(t, p)
		old := h.storedKey(name)
		r := h.must("", "rotate", name)
		fresh := h.key(h.storedKey(name))
		if fresh == old || srv.KeyOf("alice@example.com") != fresh || !strings.Contains(r.stderr, "no longer works") {
			t.Errorf("rotate with the key alone: stderr %s", r.stderr)
		}
	})
}

// `keytray login URL` with no way to sign in: a server with sign-in turned
// off gives the key of its one account; any other is asked which ways it
// offers, and they are listed (usage error, exit 2).
func TestLoginWithoutSignInFlags(t *testing.T) {
	h := newHarness(t)
	open := fake(t, owuifake.Profile{Version: "0.6.41"})
	open.DisableAuth()
	r := h.must("", "login", open.URL())
	if name := strings.TrimSpace(r.stdout); name != "admin@127.0.0.1" {
		t.Errorf("stored as %q, want admin@127.0.0.1", name)
	}
	if got := h.storedKey("admin@127.0.0.1"); got == "" || got != open.KeyOf(owuifake.NoAuthEmail) {
		t.Error("the stored key is not the account's key")
	}

	kept := fake(t, owuifake.Profile{Version: "0.6.41"})
	h.account(kept, "alice@example.com")
	kept.DisableAuth()
	r = h.run("", "login", kept.URL())
	if r.code != 1 || !strings.Contains(r.stderr, "WEBUI_AUTH back on") {
		t.Errorf("sign-in off with accounts kept: exit %d, stderr %s", r.code, r.stderr)
	}

	normal := fake(t, owuifake.Profile{Version: "0.11.0"})
	normal.EnableLDAP("alice", h.account(normal, "alice@example.com"), "alice@example.com")
	r = h.run("", "login", normal.URL())
	if r.code != 2 || !strings.Contains(r.stderr, "--email E (password), --ldap USER (LDAP password) or --token-stdin") {
		t.Errorf("a server with sign-in on: exit %d, stderr %s", r.code, r.stderr)
	}
	normal.DisablePasswordAuth()
	r = h.run("", "login", normal.URL())
	if r.code != 2 || strings.Contains(r.stderr, "--email E (password)") || !strings.Contains(r.stderr, "--ldap USER (LDAP password) or --token-stdin") {
		t.Errorf("a server without password sign-in: exit %d, stderr %s", r.code, r.stderr)
	}
	for _, req := range normal.Requests() {
		if req.Path == "/api/v1/auths/signin" {
			t.Error("a login without sign-in flags signed in to a server that has sign-in on")
		}
	}
}

// `config start-at-login` changes the login item as the window's setting
// does, at once, and says so; other settings leave it alone.
func TestConfigStartAtLoginChangesTheLoginItem(t *testing.T) {
	h := newHarness(t)
	r := h.must("", "config", "start-at-login", "on")
	if !h.loginItem.on || h.loginItem.applied != 1 || !strings.Contains(r.stderr, "start in the tray when you log in") {
		t.Fatalf("start-at-login on: item on=%v applied=%d, stderr %q", h.loginItem.on, h.loginItem.applied, r.stderr)
	}
	if r := h.must("", "config", "start-at-login"); r.stdout != "on\n" {
		t.Errorf("start-at-login = %q", r.stdout)
	}
	h.must("", "config", "theme", "dark")
	if h.loginItem.applied != 1 {
		t.Errorf("changing the theme touched the login item")
	}
	h.must("", "config", "start-at-login", "off")
	if h.loginItem.on || h.loginItem.applied != 2 {
		t.Errorf("start-at-login off: item on=%v applied=%d", h.loginItem.on, h.loginItem.applied)
	}

	h.loginItem.err = errors.New("permission denied")
	r = h.run("", "config", "start-at-login", "on")
	if r.code != 1 || !strings.Contains(r.stderr, "login item could not be changed") || !strings.Contains(r.stderr, "permission denied") {
		t.Errorf("a failing login item: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Completion offers stored names from the index alone, and the settings
// and their values.
func TestCompletionOffersNamesSettingsAndValues(t *testing.T) {
	h := newHarness(t)
	addStored(t, h, "work")
	addStored(t, h, "home")
	// The keyring is unreachable: completion must not need it.
	h.store.FailGet(errors.New("the keyring must not be read while completing"))
	r := h.must("", "__complete", "get", "")
	if !strings.Contains(r.stdout, "work\t") || !strings.Contains(r.stdout, "home\t") || !strings.HasSuffix(r.stdout, ":4\n") {
		t.Errorf("get <TAB>: %q", r.stdout)
	}
	if r := h.must("", "__complete", "rename", "work", ""); strings.Contains(r.stdout, "home") {
		t.Errorf("rename OLD <TAB> offers stored names for NEW: %q", r.stdout)
	}
	if r := h.must("", "__complete", "check", "work", ""); strings.Contains(r.stdout, "work\t") || !strings.Contains(r.stdout, "home\t") {
		t.Errorf("check work <TAB>: %q", r.stdout)
	}
	if r := h.must("", "__complete", "config", ""); !strings.Contains(r.stdout, "start-at-login\t") {
		t.Errorf("config <TAB>: %q", r.stdout)
	}
	if r := h.must("", "__complete", "config", "theme", ""); !strings.Contains(r.stdout, "dark\n") {
		t.Errorf("config theme <TAB>: %q", r.stdout)
	}
	if r := h.must("", "__complete", "export", "--format", ""); !strings.Contains(r.stdout, "json\n") {
		t.Errorf("export --format <TAB>: %q", r.stdout)
	}
	if r := h.must("", "__complete", "lo"); !strings.Contains(r.stdout, "login\t") {
		t.Errorf("lo<TAB>: %q", r.stdout)
	}
}
