package keys

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/keytray/keytray/internal/testfs"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/vault"
)

// A rotation whose answer is lost (dropped, or cut short) after the server
// replaced the key says so, keeps the entry marked until a login fetches the
// current key, and check does not clear the mark while the stored key fails.
func TestRotateLostAnswerIsInterrupted(t *testing.T) {
	for _, fault := range []owuifake.Fault{owuifake.FaultLoseAnswer, owuifake.FaultCutAnswer} {
		f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
		res, err := f.login(t, false)
		if err != nil {
			t.Fatal(err)
		}
		f.srv.SetFault(fault, "/api/v1/auths/api_key")
		_, err = f.svc.Rotate(context.Background(), res.Entry.Name, nil)
		var ri *RotationInterruptedError
		if !errors.As(err, &ri) || ri.Email != email || ri.Server != f.srv.URL() {
			t.Fatalf("rotate: %v, want a RotationInterruptedError naming the account", err)
		}
		f.srv.ClearFaults()
		if f.srv.KeyOf(email) == res.Key {
			t.Fatal("the fault did not let the server rotate")
		}
		e, _ := f.svc.Vault.Entry(res.Entry.Name)
		if !e.RotationInterrupted() {
			t.Fatal("the entry is not marked")
		}
		results, err := f.svc.Check(context.Background(), res.Entry.Name)
		if err != nil || !results[0].Interrupted || results[0].OK() {
			t.Fatalf("check: %+v, %v", results, err)
		}
		// The advised recovery: login fetches the server's current key.
		if _, err := f.login(t, false); err != nil {
			t.Fatal(err)
		}
		e, _ = f.svc.Vault.Entry(res.Entry.Name)
		if e.RotationInterrupted() || f.stored(t, e.Name) != f.srv.KeyOf(email) {
			t.Fatal("login did not resolve the interrupted rotation")
		}
	}
}

// A refused rotation (an HTTP error answer) clears the mark at once.
func TestRotateRefusedLeavesNoMark(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetFault(owuifake.Fault500, "/api/v1/auths/api_key")
	if _, err := f.svc.Rotate(context.Background(), res.Entry.Name, nil); !errors.Is(err, openwebui.ErrServer) {
		t.Fatalf("rotate: %v", err)
	}
	if e, _ := f.svc.Vault.Entry(res.Entry.Name); e.RotationInterrupted() {
		t.Error("a refused rotation left the mark")
	}
}

// Parallel rotations of one entry are serialised: the stored key is the
// one the server holds at the end.
func TestParallelRotationsStoreTheServersKey(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.Rotate(context.Background(), res.Entry.Name, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if f.stored(t, res.Entry.Name) != f.srv.KeyOf(email) {
		t.Fatal("the stored key is not the server's")
	}
}

// With the index folder read-only, the server is not asked for a new key.
func TestRotateChecksTheIndexIsWritableFirst(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	testfs.MakeReadOnly(t, f.svc.Vault.Dir())
	_, err = f.svc.Rotate(context.Background(), res.Entry.Name, nil)
	if !errors.Is(err, vault.ErrIndexUnwritable) {
		t.Fatalf("rotate: %v, want ErrIndexUnwritable", err)
	}
	if f.srv.KeyOf(email) != res.Key {
		t.Fatal("the server rotated although the key could not be stored")
	}
}

// --allow-http is recorded only once the operation worked.
func TestRotateAllowHTTPOnlyAfterSuccess(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetFault(owuifake.Fault500, "/api/v1/auths/api_key")
	if _, err := f.svc.RotateWith(context.Background(), res.Entry.Name, nil, Manage{AllowHTTP: true}); err == nil {
		t.Fatal("rotate worked despite the fault")
	}
	if inst, _ := f.svc.Vault.Instance(res.Entry.Instance); inst.AllowHTTP {
		t.Fatal("a failed rotate recorded allow_http")
	}
	f.srv.ClearFaults()
	if _, err := f.svc.RotateWith(context.Background(), res.Entry.Name, nil, Manage{AllowHTTP: true}); err != nil {
		t.Fatal(err)
	}
	if inst, _ := f.svc.Vault.Instance(res.Entry.Instance); !inst.AllowHTTP {
		t.Fatal("a rotate that worked did not record allow_http")
	}
}

// Revoking a key the server no longer has says so.
func TestRevokeOfAKeyTheServerNeverHad(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.DropKey(email)
	out, err := f.svc.RevokeWith(context.Background(), res.Entry.Name, &Credentials{Email: email, Secret: password}, Manage{})
	if err != nil || out != AlreadyGone {
		t.Fatalf("revoke: %q, %v; want AlreadyGone", out, err)
	}
}

// A backup is checked before anything is stored: a session token where a
// key belongs, an entry without stored_at, and a file over the size cap are
// refused, each with its own error.
func TestImportRefusesWhatIsNotABackupOfKeys(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	dir := t.TempDir()
	id, err := age.GenerateX25519Identity() // a passphrase costs seconds of scrypt
	if err != nil {
		t.Fatal(err)
	}
	write := func(k backup.Key) string {
		doc := backup.Document{Format: backup.Format, Version: backup.Version, Created: time.Now().UTC(), Keys: []backup.Key{k}}
		path := filepath.Join(dir, k.Name+".age")
		var buf bytes.Buffer
		if err := backup.Encode(&buf, doc, backup.Encryption{Recipients: []string{id.Recipient().String()}}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	dec := backup.Decryption{Identities: []byte(id.String())}
	jwt := write(backup.Key{Name: "jwt", ServerURL: f.srv.URL(), Key: f.srv.TokenFor(email), StoredAt: time.Now()})
	if _, err := f.svc.Import(jwt, dec, false); !errors.Is(err, backup.ErrInvalid) || !strings.Contains(err.Error(), "session token") {
		t.Errorf("import of a JWT: %v", err)
	}
	undated := write(backup.Key{Name: "undated", ServerURL: f.srv.URL(), Key: "sk-" + strings.Repeat("ab", 16)})
	if _, err := f.svc.Import(undated, dec, false); !errors.Is(err, backup.ErrInvalid) || !strings.Contains(err.Error(), "stored_at") {
		t.Errorf("import without stored_at: %v", err)
	}
	if f.store.Len() != 0 {
		t.Fatal("something was stored")
	}
	huge := filepath.Join(dir, "huge.age")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxBackupSize+1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Import(huge, dec, false); !errors.Is(err, ErrBackupTooLarge) || errors.Is(err, backup.ErrCorrupt) {
		t.Errorf("import of an oversized file: %v", err)
	}
}

// login --name over an orphaned item fails before the server makes a key.
func TestLoginRefusesAnOrphanedNameFirst(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	if err := f.store.Set("taken", "sk-"+strings.Repeat("cd", 16)); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()},
		Creds: Credentials{Method: Password, Email: email, Secret: password}, Name: "taken"})
	if !errors.Is(err, vault.ErrOrphan) {
		t.Fatalf("login: %v, want ErrOrphan", err)
	}
	if f.srv.KeyOf(email) != "" {
		t.Fatal("the server made a key although it could not be stored")
	}
}

// `login --rotate` of a stored account is a rotation too: a lost answer
// marks the entry, and the advised login finishes it.
func TestLoginRotateLostAnswerIsInterrupted(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	res, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetFault(owuifake.FaultLoseAnswer, "POST /api/v1/auths/api_key")
	_, err = f.login(t, true)
	var ri *RotationInterruptedError
	if !errors.As(err, &ri) || ri.Name != res.Entry.Name {
		t.Fatalf("login --rotate with the answer lost: %v, want a RotationInterruptedError for %s", err, res.Entry.Name)
	}
	f.srv.ClearFaults()
	if f.srv.KeyOf(email) == res.Key {
		t.Fatal("the fault did not let the server rotate")
	}
	if e, _ := f.svc.Vault.Entry(res.Entry.Name); !e.RotationInterrupted() {
		t.Fatal("the entry is not marked")
	}
	if _, err := f.login(t, false); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.svc.Vault.Entry(res.Entry.Name); e.RotationInterrupted() || f.stored(t, e.Name) != f.srv.KeyOf(email) {
		t.Fatal("login did not resolve the interrupted rotation")
	}

	// A refusal clears the mark at once.
	f.srv.SetFault(owuifake.Fault500, "POST /api/v1/auths/api_key")
	if _, err := f.login(t, true); !errors.Is(err, openwebui.ErrServer) {
		t.Fatalf("login --rotate refused: %v", err)
	}
	if e, _ := f.svc.Vault.Entry(res.Entry.Name); e.RotationInterrupted() {
		t.Error("a refused login --rotate left the mark")
	}
}

// Parallel first logins of one account (two terminals, a script and the
// window) end with one entry: the account is looked up again under the
// index lock, so the later login updates the entry the first one made.
func TestParallelFirstLoginsMakeOneEntry(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"})
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.login(t, false); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	entries, err := f.svc.Vault.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name)
		}
		t.Fatalf("%d entries for one account: %q", len(entries), names)
	}
	if f.stored(t, entries[0].Name) != f.srv.KeyOf(email) {
		t.Fatal("the stored key is not the server's")
	}
}
