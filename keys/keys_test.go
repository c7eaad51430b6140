package keys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/vault"
)

const (
	email    = "alice@example.com"
	password = "correct horse battery staple"
)

// fixture is a Service on a memory keyring and a temporary index, plus a fake
// Open WebUI server with one user whose API keys are allowed.
type fixture struct {
	svc   *Service
	store *vault.MemoryStore
	srv   *owuifake.Server
	uid   string
}

func newFixture(t *testing.T, p owuifake.Profile) *fixture {
	t.Helper()
	store := vault.NewMemoryStore()
	v, err := vault.Open(t.TempDir(), store)
	if err != nil {
		t.Fatal(err)
	}
	srv := owuifake.New(p)
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	uid := srv.AddUser(email, password, "user")
	return &fixture{svc: New(v), store: store, srv: srv, uid: uid}
}

func (f *fixture) login(t *testing.T, rotate bool) (LoginResult, error) {
	t.Helper()
	return f.svc.Login(context.Background(), LoginRequest{
		Server: Server{URL: f.srv.URL()},
		Creds:  Credentials{Method: Password, Email: email, Secret: password},
		Rotate: rotate,
	})
}

func (f *fixture) stored(t *testing.T, name string) string {
	t.Helper()
	k, err := f.svc.Key(name)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return k
}

// noSecrets fails when an error text carries a secret.
func noSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error text contains a secret: %v", err)
		}
	}
}

func forEachVersion(t *testing.T, fn func(t *testing.T, p owuifake.Profile)) {
	for _, p := range owuifake.Profiles() {
		t.Run(p.Version, func(t *testing.T) { fn(t, p) })
	}
}

func TestLoginCreatesKeyWhenNoneAndKeepsItAfterwards(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		res, err := f.login(t, false)
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if res.Outcome != CreatedNew {
			t.Errorf("outcome = %s, want %s", res.Outcome, CreatedNew)
		}
		if want := "alice@127.0.0.1"; res.Entry.Name != want {
			t.Errorf("name = %q, want %q", res.Entry.Name, want)
		}
		serverKey := f.srv.KeyOf(email)
		if got := f.stored(t, res.Entry.Name); got != serverKey || serverKey == "" {
			t.Fatalf("stored key is not the server's key")
		}
		if res.Entry.UserID != f.uid || res.Entry.Email != email {
			t.Errorf("entry owner = %q/%q, want %q/%q", res.Entry.UserID, res.Entry.Email, f.uid, email)
		}
		if res.Entry.Fingerprint != credential.Fingerprint(serverKey) {
			t.Errorf("fingerprint does not match the key")
		}

		// A second login neither rotates nor duplicates.
		again, err := f.login(t, false)
		if err != nil {
			t.Fatalf("second login: %v", err)
		}
		if again.Outcome != AlreadyStored || again.Entry.Name != res.Entry.Name {
			t.Errorf("second login: outcome %s name %q", again.Outcome, again.Entry.Name)
		}
		if f.srv.KeyOf(email) != serverKey {
			t.Errorf("second login changed the server key")
		}
		entries, _, _ := f.svc.List()
		if len(entries) != 1 {
			t.Errorf("%d entries after two logins, want 1", len(entries))
		}
	})
}

func TestLoginKeepsExistingServerKey(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		existing := f.srv.GiveKey(email)
		res, err := f.login(t, false)
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if res.Outcome != KeptExisting {
			t.Errorf("outcome = %s, want kept", res.Outcome)
		}
		if f.srv.KeyOf(email) != existing || f.stored(t, res.Entry.Name) != existing {
			t.Errorf("login did not keep the existing key")
		}
	})
}

func TestLoginRotateReplacesKeyAndOldOneStops(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		old := f.srv.GiveKey(email)
		res, err := f.login(t, true)
		if err != nil {
			t.Fatalf("login --rotate: %v", err)
		}
		if res.Outcome != Rotated {
			t.Errorf("outcome = %s, want rotated", res.Outcome)
		}
		newKey := f.stored(t, res.Entry.Name)
		if newKey == old || newKey != f.srv.KeyOf(email) {
			t.Fatalf("stored key is not the new server key")
		}
		c, _ := openwebui.New(f.srv.URL(), openwebui.Options{})
		v, err := c.Verify(context.Background(), old)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != openwebui.StatusRejected {
			t.Errorf("old key status = %s, want rejected", v.Status)
		}
	})
}

func TestLoginWithUnreadableKeyStoresNothing(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	existing := f.srv.GiveKey(email)
	f.srv.SetServerKeyUnreadable(true)
	_, err := f.login(t, false)
	if !errors.Is(err, ErrKeyExistsUnreadable) {
		t.Fatalf("err = %v, want ErrKeyExistsUnreadable", err)
	}
	if f.store.Len() != 0 {
		t.Errorf("keyring has %d items", f.store.Len())
	}
	if f.srv.KeyOf(email) != existing {
		t.Errorf("the server key was changed without --rotate")
	}
	res, err := f.login(t, true)
	if err != nil || res.Outcome != Rotated {
		t.Fatalf("explicit rotation: %v %s", err, res.Outcome)
	}
}

func TestLoginRefusals(t *testing.T) {
	cases := []struct {
		name    string
		version string
		setup   func(f *fixture)
		creds   Credentials
		want    error
	}{
		{"wrong password", "0.11.0", nil, Credentials{Email: email, Secret: "wrong password!"}, openwebui.ErrWrongCredentials},
		{"keys disabled", "0.11.0", func(f *fixture) { f.srv.SetAPIKeysEnabled(false) }, Credentials{Email: email, Secret: password}, openwebui.ErrKeysDisabled},
		{"keys disabled old", "0.6.36", func(f *fixture) { f.srv.SetAPIKeysEnabled(false) }, Credentials{Email: email, Secret: password}, openwebui.ErrKeysDisabled},
		{"no permission", "0.6.41", func(f *fixture) { f.srv.SetPermission(false) }, Credentials{Email: email, Secret: password}, openwebui.ErrNoKeyPermission},
		{"ldap disabled", "0.11.0", nil, Credentials{Method: LDAP, User: "alice", Secret: password}, openwebui.ErrLDAPDisabled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, owuifake.Profile{Version: tc.version})
			if tc.setup != nil {
				tc.setup(f)
			}
			_, err := f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()}, Creds: tc.creds})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			noSecrets(t, err, password, tc.creds.Secret)
			if f.store.Len() != 0 {
				t.Errorf("a refused login stored %d keyring items", f.store.Len())
			}
			if entries, _, _ := f.svc.List(); len(entries) != 0 {
				t.Errorf("a refused login left %d entries", len(entries))
			}
		})
	}
}

func TestLoginWithPastedTokenNeverSignsItOut(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	jwt := f.srv.TokenFor(email)
	res, err := f.svc.FromToken(context.Background(), Server{URL: f.srv.URL()}, jwt, "", false)
	if err != nil {
		t.Fatalf("from token: %v", err)
	}
	if res.Key != f.srv.KeyOf(email) || res.Outcome != CreatedNew {
		t.Fatalf("outcome %s; key does not match the server's", res.Outcome)
	}
	if n := f.srv.Calls("POST", "/api/v1/auths/signout") + f.srv.Calls("GET", "/api/v1/auths/signout"); n != 0 {
		t.Errorf("the user's own token was signed out (%d calls)", n)
	}
	// A password sign-in made by Keytray is signed out again.
	f.srv.ResetRequests()
	if _, err := f.login(t, false); err != nil {
		t.Fatal(err)
	}
	if f.srv.Calls("POST", "/api/v1/auths/signout") != 1 {
		t.Errorf("Keytray's own session was not signed out")
	}
}

func TestLoginKeyringFailureAfterCreateKeepsTheKey(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	// CheckKeyring's probe write succeeds; storing the new key fails.
	f.store.FailSetAfter(1, vault.ErrLocked)
	_, err := f.login(t, false)
	var unsaved *UnsavedKeyError
	if !errors.As(err, &unsaved) {
		t.Fatalf("err = %v, want *UnsavedKeyError", err)
	}
	if unsaved.Key == "" || unsaved.Key != f.srv.KeyOf(email) {
		t.Fatalf("the unsaved key is not the server's new key")
	}
	noSecrets(t, err, unsaved.Key, password)
	if !errors.Is(err, vault.ErrLocked) {
		t.Errorf("cause lost: %v", err)
	}
	if entries, _, _ := f.svc.List(); len(entries) != 0 {
		t.Errorf("%d entries after a failed store", len(entries))
	}
}

func TestAdd(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		key := f.srv.GiveKey(email)
		e, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: key + "\n"})
		if err != nil {
			t.Fatalf("add: %v", err)
		}
		if f.stored(t, e.Name) != key {
			t.Fatalf("stored key differs")
		}
		if e.LastStatus != string(openwebui.StatusValid) {
			t.Errorf("status = %q", e.LastStatus)
		}
		_, err = f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: key, Name: "again"})
		if !errors.Is(err, ErrAlreadyStored) {
			t.Errorf("adding the same key twice: %v", err)
		}
	})
}

func TestAddRefusesJWTAndBadKeys(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	jwt := f.srv.TokenFor(email)
	_, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: jwt})
	if !errors.Is(err, ErrJWTNotKey) {
		t.Fatalf("JWT: err = %v", err)
	}
	noSecrets(t, err, jwt)
	if _, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: "hunter2"}); !errors.Is(err, ErrNotAKey) {
		t.Errorf("garbage: err = %v", err)
	}
	revoked := "sk-0123456789abcdef0123456789abcdef"
	_, err = f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: revoked})
	if !errors.Is(err, openwebui.ErrKeyRejected) {
		t.Errorf("unknown key: err = %v", err)
	}
	noSecrets(t, err, revoked)
	if f.store.Len() != 0 {
		t.Errorf("refused adds stored %d items", f.store.Len())
	}
	e, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: revoked, NoVerify: true, Name: "offline"})
	if err != nil || e.Name != "offline" {
		t.Fatalf("--no-verify: %v", err)
	}
	if _, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: f.srv.URL()}, Key: "sk-ffffffffffffffffffffffffffffffff", NoVerify: true, Name: "offline"}); !errors.Is(err, vault.ErrExists) {
		t.Errorf("duplicate name: err = %v", err)
	}
}

func TestCheckRecordsStatus(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		res, err := f.login(t, false)
		if err != nil {
			t.Fatal(err)
		}
		f.srv.RotateSecret() // every JWT dies; the key must not
		results, err := f.svc.Check(context.Background())
		if err != nil || len(results) != 1 || !results[0].OK() {
			t.Fatalf("check after secret rotation: %v %+v", err, results)
		}
		// The key is replaced behind Keytray's back (in the browser, say).
		f.srv.GiveKey(email)
		results, err = f.svc.Check(context.Background(), res.Entry.Name)
		if err != nil {
			t.Fatal(err)
		}
		if results[0].OK() || results[0].Status != openwebui.StatusRejected {
			t.Errorf("replaced key: status %s", results[0].Status)
		}
		e, _ := f.svc.Vault.Entry(res.Entry.Name)
		if e.LastStatus != string(openwebui.StatusRejected) || e.LastChecked.IsZero() {
			t.Errorf("index not updated: %q %v", e.LastStatus, e.LastChecked)
		}
	})
}

func TestCheckUnreachableIsUnknownNotRejected(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	results, err := f.svc.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if results[0].OK() || !errors.Is(results[0].Err, openwebui.ErrUnreachable) {
		t.Fatalf("got %+v", results[0])
	}
	e, _ := f.svc.Vault.Entry(res.Entry.Name)
	if e.LastStatus != StatusUnknown {
		t.Errorf("status = %q, want unknown", e.LastStatus)
	}
	if _, err := f.svc.Check(context.Background(), "nobody"); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("missing name: %v", err)
	}
}

func TestRotateWithTheKeyItself(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		res, err := f.login(t, false)
		if err != nil {
			t.Fatal(err)
		}
		e, err := f.svc.Rotate(context.Background(), res.Entry.Name, nil)
		if err != nil {
			t.Fatalf("rotate: %v", err)
		}
		if got := f.stored(t, e.Name); got == res.Key || got != f.srv.KeyOf(email) {
			t.Fatalf("rotation did not store the new server key")
		}
		if e.Fingerprint == res.Entry.Fingerprint {
			t.Errorf("fingerprint unchanged")
		}
	})
}

func TestRotateNeedsSignInWhenRestricted(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetRestrictions(true, []string{"/api/models", "/api/chat/completions"})
	_, err = f.svc.Rotate(context.Background(), res.Entry.Name, nil)
	if !errors.Is(err, ErrNeedsSignIn) {
		t.Fatalf("err = %v, want ErrNeedsSignIn", err)
	}
	if f.stored(t, res.Entry.Name) != res.Key || f.srv.KeyOf(email) != res.Key {
		t.Fatalf("a refused rotation changed something")
	}
	e, err := f.svc.Rotate(context.Background(), res.Entry.Name, &Credentials{Email: email, Secret: password})
	if err != nil {
		t.Fatalf("rotate with sign-in: %v", err)
	}
	if f.stored(t, e.Name) != f.srv.KeyOf(email) || f.srv.KeyOf(email) == res.Key {
		t.Fatalf("signed-in rotation did not store the new key")
	}
}

func TestRevoke(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		f := newFixture(t, p)
		res, err := f.login(t, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Revoke(context.Background(), res.Entry.Name, nil); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		if k := f.srv.KeyOf(email); k != "" {
			t.Errorf("server still has a key")
		}
		if _, err := f.svc.Vault.Entry(res.Entry.Name); !errors.Is(err, vault.ErrNotFound) {
			t.Errorf("entry still there: %v", err)
		}
		if f.store.Len() != 0 {
			t.Errorf("keyring item left behind")
		}
	})
}

func TestRevokeSignedInRefusesAnotherKey(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	current := f.srv.GiveKey(email) // replaced elsewhere: the stored key is dead
	err = f.svc.Revoke(context.Background(), res.Entry.Name, &Credentials{Email: email, Secret: password})
	if !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("err = %v, want ErrKeyMismatch", err)
	}
	if f.srv.KeyOf(email) != current {
		t.Errorf("revoke deleted the account's other key")
	}
	// Another account's sign-in is refused before anything happens.
	f.srv.AddUser("bob@example.com", password, "user")
	err = f.svc.Revoke(context.Background(), res.Entry.Name, &Credentials{Email: "bob@example.com", Secret: password})
	if !errors.Is(err, ErrWrongAccount) {
		t.Fatalf("err = %v, want ErrWrongAccount", err)
	}
}

func TestInspect(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	in, err := f.svc.Inspect(f.srv.TokenFor(email))
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != credential.SessionJWT || in.Owner == nil || in.Owner.Name != res.Entry.Name {
		t.Fatalf("JWT owner not matched: %+v", in)
	}
	in, _ = f.svc.Inspect(" " + res.Key + "\n")
	if in.Kind != credential.APIKey || in.Known == nil || in.Known.Name != res.Entry.Name {
		t.Fatalf("stored key not recognised")
	}
	in, _ = f.svc.Inspect("sk-ffffffffffffffffffffffffffffffff")
	if in.Known != nil {
		t.Errorf("unknown key matched %s", in.Known.Name)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	restore := backup.SetScryptWorkFactorForTest(10)
	defer restore()
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: "chat.example.com"}, Key: "sk-ffffffffffffffffffffffffffffffff", NoVerify: true, Name: "other"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys.age")
	enc := backup.Encryption{Passphrase: "a long enough passphrase"}
	n, err := f.svc.Export(path, ExportRequest{Encryption: enc}, false)
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), res.Key) {
		t.Fatal("backup holds the key in clear")
	}
	if _, err := f.svc.Export(path, ExportRequest{Encryption: enc}, false); err == nil {
		t.Fatal("export overwrote an existing file without force")
	}

	// Into a fresh profile.
	v2, _ := vault.Open(t.TempDir(), vault.NewMemoryStore())
	fresh := New(v2)
	dec := backup.Decryption{Passphrase: enc.Passphrase}
	got, err := fresh.Import(path, dec, false)
	if err != nil || len(got.Restored) != 2 {
		t.Fatalf("import: %+v %v", got, err)
	}
	if k, _ := fresh.Key(res.Entry.Name); k != res.Key {
		t.Fatal("restored key differs")
	}
	// Again: identical keys are skipped.
	got, err = fresh.Import(path, dec, false)
	if err != nil || len(got.Skipped) != 2 || len(got.Restored) != 0 {
		t.Fatalf("second import: %+v %v", got, err)
	}
	// A wrong passphrase changes nothing.
	if _, err := fresh.Import(path, backup.Decryption{Passphrase: "not the passphrase"}, false); !errors.Is(err, backup.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
}

func TestExportPlain(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	env, err := f.svc.ExportPlain(nil, "env")
	if err != nil {
		t.Fatal(err)
	}
	want := "OPENAI_API_KEY=" + res.Key + "\nOPENAI_BASE_URL=" + f.srv.URL() + "/api\n"
	if string(env) != want {
		t.Errorf("env export differs from the two expected lines")
	}
	if _, err := f.svc.ExportPlain(nil, "yaml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestSettings(t *testing.T) {
	st := vault.DefaultSettings()
	for _, c := range []struct{ name, in, out string }{
		{"clipboard-clear", "45", "45s"},
		{"clipboard-clear", "2m", "2m0s"},
		{"clipboard-clear", "never", "0s"},
		{"clipboard-watch", "off", "off"},
		{"theme", "Dark", "dark"},
		{"check-interval", "6h", "6h"},
		{"check-interval", "90m", "1h30m"},
		{"check-interval", "30m", "30m"},
		{"check-interval", "off", "0"},
	} {
		if err := SetSetting(&st, c.name, c.in); err != nil {
			t.Fatalf("%s=%s: %v", c.name, c.in, err)
		}
		if got, _ := GetSetting(st, c.name); got != c.out {
			t.Errorf("%s=%s reads back %q, want %q", c.name, c.in, got, c.out)
		}
	}
	for _, c := range [][2]string{{"clipboard-clear", "soon"}, {"clipboard-clear", "-5s"}, {"clipboard-clear", "48h"}, {"clipboard-watch", "maybe"}, {"theme", "pink"},
		{"check-interval", "10s"}, {"check-interval", "200h"}, {"check-interval", "often"}} {
		if err := SetSetting(&st, c[0], c[1]); !errors.Is(err, ErrBadSettingValue) {
			t.Errorf("%s=%s: err = %v", c[0], c[1], err)
		}
	}
	if err := SetSetting(&st, "colour", "x"); !errors.Is(err, ErrUnknownSetting) {
		t.Errorf("unknown setting: %v", err)
	}
}

func TestDefaultName(t *testing.T) {
	for _, c := range [][3]string{
		{"alice@example.com", "https://chat.example.com:8443/owui", "alice@chat.example.com"},
		{"", "https://chat.example.com", "key@chat.example.com"},
		{"admin", "http://localhost:3000", "admin@localhost"},
	} {
		if got := defaultName(c[0], c[1]); got != c[2] {
			t.Errorf("defaultName(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestLoginAfterKeyChangedElsewhereUpdatesTheEntry(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.9.6"})
	first, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Rename(first.Entry.Name, "work"); err != nil {
		t.Fatal(err)
	}
	replaced := f.srv.GiveKey(email) // regenerated in the browser
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != KeptExisting || res.Entry.Name != "work" {
		t.Fatalf("outcome %s name %q; want the existing entry updated", res.Outcome, res.Entry.Name)
	}
	if f.stored(t, "work") != replaced || res.Entry.Fingerprint != credential.Fingerprint(replaced) {
		t.Fatal("entry does not hold the server's current key")
	}
	if entries, _, _ := f.svc.List(); len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
}

func TestLoginWithTakenNameMakesNoKey(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.11.0"})
	if _, err := f.svc.Add(context.Background(), AddRequest{Server: Server{URL: "chat.example.com"}, Key: "sk-ffffffffffffffffffffffffffffffff", NoVerify: true, Name: "work"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Login(context.Background(), LoginRequest{
		Server: Server{URL: f.srv.URL()},
		Creds:  Credentials{Method: Password, Email: email, Secret: password},
		Name:   "work",
	})
	if !errors.Is(err, vault.ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if k := f.srv.KeyOf(email); k != "" {
		t.Fatal("a key was created on the server although the name was taken")
	}
}

// A server with sign-in turned off (WEBUI_AUTH=False): NoSignIn stores the
// key of its one account; asked of a server that has sign-in on, it refuses
// before sending anything.
func TestLoginWithSignInTurnedOff(t *testing.T) {
	forEachVersion(t, func(t *testing.T, p owuifake.Profile) {
		v, err := vault.Open(t.TempDir(), vault.NewMemoryStore())
		if err != nil {
			t.Fatal(err)
		}
		svc := New(v)
		open := owuifake.New(p)
		t.Cleanup(open.Close)
		open.SetAPIKeysEnabled(true)
		open.SetPermission(true) // 0.6.37–0.8.10 have no admin bypass
		open.DisableAuth()
		res, err := svc.Login(context.Background(), LoginRequest{Server: Server{URL: open.URL()}, Creds: Credentials{Method: NoSignIn}})
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if res.Entry.Email != owuifake.NoAuthEmail || res.Entry.Name != "admin@127.0.0.1" {
			t.Errorf("entry = %q (%s), want admin@127.0.0.1 (%s)", res.Entry.Name, res.Entry.Email, owuifake.NoAuthEmail)
		}
		if key, _ := svc.Key(res.Entry.Name); key == "" || key != open.KeyOf(owuifake.NoAuthEmail) {
			t.Error("the stored key is not the account's key")
		}

		f := newFixture(t, p)
		_, err = f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()}, Creds: Credentials{Method: NoSignIn}})
		if !errors.Is(err, ErrSignInRequired) {
			t.Errorf("NoSignIn on a server with sign-in on: %v, want ErrSignInRequired", err)
		}
		for _, r := range f.srv.Requests() {
			if r.Path == "/api/v1/auths/signin" {
				t.Error("NoSignIn sent a sign-in to a server that has sign-in on")
			}
		}
	})
}

// A server that cannot be reached (here a proxy answering 502 for it) is
// asked once per check, whatever the number of keys on it: its other keys
// get the same answer without a request, and keys on other servers are
// checked as usual.
func TestCheckAsksADownServerOnce(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int32
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	}))
	defer down.Close()
	var items []vault.Item
	for i := range 5 {
		key := fmt.Sprintf("sk-%032x", i+1)
		items = append(items, vault.Item{
			Instance: vault.Instance{URL: down.URL, Name: "Behind a proxy", Version: "0.6.41"},
			Entry:    vault.Entry{Name: fmt.Sprintf("k%d@proxy", i), Fingerprint: credential.Fingerprint(key), Source: "add"},
			Key:      key,
		})
	}
	if _, err := f.svc.Vault.PutAll(items, true); err != nil {
		t.Fatal(err)
	}
	// What checking one key there costs: the requests of one Verify.
	if _, err := f.svc.Check(context.Background(), "k0@proxy"); err != nil {
		t.Fatal(err)
	}
	one := asked.Swap(0)
	results, err := f.svc.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 6 {
		t.Fatalf("%d results, want 6", len(results))
	}
	for _, r := range results {
		switch {
		case r.Entry.Name == res.Entry.Name:
			if !r.OK() {
				t.Errorf("the key on the working server: %+v", r)
			}
		case !errors.Is(r.Err, openwebui.ErrProxy):
			t.Errorf("%s: err = %v, want the proxy's failure", r.Entry.Name, r.Err)
		}
	}
	if n := asked.Load(); n != one {
		t.Errorf("the server behind the failing proxy got %d requests for 5 keys, as many as for one key (%d) wanted", n, one)
	}
}
