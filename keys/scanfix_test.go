package keys

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/scan"
)

// A session token of an account that is not stored is shown only to the
// stored servers its file names (here B, in the .env's base URL), not to
// every stored server; from a file that names none, each is asked in turn.
func TestIdentifyAsksOnlyTheServersTheFileNames(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.6.41"}) // server A, alice stored
	if _, err := f.login(t, false); err != nil {
		t.Fatal(err)
	}
	b := owuifake.New(owuifake.Profile{Version: "0.6.41"})
	t.Cleanup(b.Close)
	b.SetAPIKeysEnabled(true)
	b.SetPermission(true)
	b.AddUser("dave@example.com", "pw-Dave-7", "user")
	b.AddUser("carol@example.com", "pw-Carol-7", "user")
	if _, err := f.svc.Login(context.Background(), LoginRequest{
		Server: Server{URL: b.URL()}, Creds: Credentials{Method: Password, Email: "dave@example.com", Secret: "pw-Dave-7"},
	}); err != nil {
		t.Fatal(err)
	}
	token := b.TokenFor("carol@example.com")
	dir := t.TempDir()
	named := filepath.Join(dir, "named", ".env")
	plain := filepath.Join(dir, "plain", ".env")
	for path, text := range map[string]string{
		named: "OPENAI_API_BASE=" + b.URL() + "/api\nOPENAI_API_KEY=" + token + "\n",
		plain: "OPENAI_API_KEY=" + token + "\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	identify := func(path string) Found {
		t.Helper()
		res, err := scan.Walk([]string{path})
		if err != nil || len(res.Findings) != 1 {
			t.Fatalf("scan %s: %v, %d findings", path, err, len(res.Findings))
		}
		found, err := f.svc.Identify(context.Background(), res.Findings, true)
		if err != nil {
			t.Fatal(err)
		}
		return found[0]
	}

	f.srv.ResetRequests()
	if got := identify(named); !got.Accepted || got.Server != b.URL() || got.Account != "carol@example.com" {
		t.Errorf("token in a file naming B: %+v", got)
	}
	if n := f.srv.Calls("GET", "/api/v1/auths/"); n != 0 {
		t.Errorf("server A was shown a token its file does not name it for (%d requests)", n)
	}

	// Naming no server, the token is shown to each until one accepts it.
	if got := identify(plain); !got.Accepted || got.Server != b.URL() {
		t.Errorf("token in a file naming no server: %+v", got)
	}
}
