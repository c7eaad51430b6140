package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

// mfaServer is an Open WebUI 0.12 server with two-step sign-in on and one
// enrolled account.
func mfaServer(t *testing.T, h *harness) (srv *owuifake.Server, password string, secret []byte, recovery []string) {
	t.Helper()
	srv = fake(t, owuifake.Profile{Version: "0.12.4"})
	password = h.account(srv, "alice@example.com")
	srv.SetMFA(true)
	secret, recovery = srv.EnrollMFA("alice@example.com")
	for _, r := range recovery {
		h.secret(r)
	}
	return srv, password, secret, recovery
}

func TestLoginWithCode(t *testing.T) {
	h := newHarness(t)
	srv, password, secret, recovery := mfaServer(t, h)

	// No --code and no terminal: a sentence naming --code, nothing stored.
	before := h.snapshot()
	r := h.run(password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "--code") || !strings.Contains(r.stderr, "Nothing was created or stored") {
		t.Errorf("no code: exit %d, stderr %q", r.code, r.stderr)
	}
	h.assertUnchanged(before)

	// A code of neither shape is a usage error before anything is sent.
	r = h.run(password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--code", "12345")
	if r.code != 2 || !strings.Contains(r.stderr, "--code takes") {
		t.Errorf("malformed code: exit %d, stderr %q", r.code, r.stderr)
	}
	// A wrong code gets its own sentence, and nothing is stored.
	wrong := "000000"
	if owuifake.TOTP(secret, time.Now()) == wrong {
		wrong = "111111"
	}
	r = h.run(password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--code", wrong)
	if r.code != 1 || !strings.Contains(strings.ToLower(r.stderr), "code") || strings.Contains(r.stderr, "--code CODE") {
		t.Errorf("wrong code: exit %d, stderr %q", r.code, r.stderr)
	}
	h.assertUnchanged(before)

	// The right code signs in; the key is stored.
	r = h.must(password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--code", owuifake.TOTP(secret, time.Now()))
	name := strings.TrimSpace(r.stdout)
	key := h.key(h.storedKey(name))
	if !strings.HasPrefix(key, "sk-") {
		t.Fatalf("login --code stored %q", name)
	}

	// A recovery code works too (told apart by its shape; spaces allowed),
	// with --code on rotate.
	spaced := recovery[0][:16] + " " + recovery[0][16:]
	r = h.must(password+"\n", "rotate", name, "--password-stdin", "--code", spaced)
	if h.storedKey(name) == key {
		t.Errorf("rotate with a recovery code did not replace the key: %s", r.stderr)
	}
	h.key(h.storedKey(name))
	// --code does not go with a session token.
	if r := h.run("x\n", "rotate", name, "--token-stdin", "--code", "123456"); r.code != 2 {
		t.Errorf("--code with --token-stdin: exit %d, stderr %q", r.code, r.stderr)
	}
}

// A second login of a stored account under another --name says it renamed.
func TestLoginUnderANewNameSaysItRenamed(t *testing.T) {
	h, srv, password, name := aliceSignedIn(t, owuifake.Profile{Version: "0.11.0"})
	r := h.must(password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", "admin2")
	if strings.TrimSpace(r.stdout) != "admin2" || !strings.Contains(r.stderr, "renamed it to \"admin2\"") || !strings.Contains(r.stderr, name) {
		t.Errorf("login --name admin2 for a stored account: stdout %q, stderr %q", r.stdout, r.stderr)
	}
}

// inspect says what a 0.12 token carries and only true things about what
// ends it.
func TestInspect012Token(t *testing.T) {
	h, srv, _, _ := aliceSignedIn(t, owuifake.Profile{Version: "0.12.4"})
	jwt := h.secret(srv.TokenFor("alice@example.com"))
	r := h.must(jwt+"\n", "inspect")
	for _, want := range []string{"Signed in with:", "a password", "Two-step:", "keeps working", "WEBUI_SECRET_KEY", "sign out everywhere"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect of a 0.12 token lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "replaces it") {
		t.Errorf("inspect still says a new sign-in replaces the token:\n%s", r.stdout)
	}
}
