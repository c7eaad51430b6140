//go:build integration

package integration

// keytray:// references end to end with the real binary and gnome-keyring:
// run and inject resolve them, and scan --fix turns the secrets already
// pasted into a project (a session token in .env, a stored key in a compose
// file) into references that run then resolves.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keytray/keytray/internal/itest"
)

func TestCLIRunAndInjectResolveReferences(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.11.0", "rina@example.com")
	name := p.Name("rina")
	var o outputs
	if _, stderr, code := o.run(t, p, password+"\n", "login", srv.URL(), "--email", "rina@example.com", "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	key := srv.KeyOf("rina@example.com")
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	if err := os.WriteFile(env, []byte("export OPENAI_API_KEY='keytray://"+name+"'\nOPENAI_BASE_URL=keytray://"+name+"/url # the server\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(key))
	stdout, stderr, code := o.run(t, p, "", "run", "--env-file", env, "--", "sh", "-c",
		`printf %s "$OPENAI_API_KEY" | sha256sum; echo "$OPENAI_BASE_URL"; echo "leak $OPENAI_API_KEY"; exit 3`)
	if code != 3 || !strings.HasPrefix(stdout, hex.EncodeToString(sum[:])) || !strings.Contains(stdout, srv.URL()+"/api\n") ||
		!strings.Contains(stdout, "leak <concealed by keytray>") {
		t.Errorf("run: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if _, stderr, code := o.run(t, p, "", "run", "--env-file", env, "--", "sh", "-c", "exit 0"); code != 0 {
		t.Errorf("run: exit %d: %s", code, stderr)
	}
	if _, stderr, code := o.run(t, p, "", "run", "--", "env"); code != 0 {
		t.Errorf("run without references: exit %d: %s", code, stderr)
	}

	tpl := filepath.Join(dir, "config.tpl")
	out := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(tpl, []byte("base_url: {{ keytray://"+name+"/url }}\napi_key: {{ keytray://"+name+" }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := o.run(t, p, "", "inject", "-i", tpl, "-o", out); code != 0 {
		t.Fatalf("inject: exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(out)
	info, _ := os.Stat(out)
	if string(got) != "base_url: "+srv.URL()+"/api\napi_key: "+key+"\n" || info.Mode().Perm() != 0o600 {
		t.Errorf("inject wrote %d bytes with mode %v", len(got), info.Mode().Perm())
	}
	if _, stderr, code := o.run(t, p, "{{ keytray://"+name+" }} {{ keytray://nobody-"+name+" }}", "inject", "-o", filepath.Join(dir, "x")); code != 1 ||
		!strings.Contains(stderr, "keytray://nobody-") {
		t.Errorf("inject with an unknown reference: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("inject wrote output despite an unknown reference")
	}
}

func TestCLIScanFixProjectTree(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.12.4", "sami@example.com")
	name := p.Name("sami")
	var o outputs
	if _, stderr, code := o.run(t, p, password+"\n", "login", srv.URL(), "--email", "sami@example.com", "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	samiKey := srv.KeyOf("sami@example.com")
	bobEmail := "scanbob-" + strings.ToLower(hex.EncodeToString([]byte(name))[:8]) + "@example.com"
	srv.AddUser(bobEmail, "pw-bob-Zq9-"+name, "user")
	bobToken := srv.TokenFor(bobEmail)

	project := t.TempDir()
	env := filepath.Join(project, ".env")
	compose := filepath.Join(project, "compose.yaml")
	if err := os.WriteFile(env, []byte("# copied from Settings › Account\nOPENAI_API_KEY="+bobToken+"\nOPENAI_BASE_URL="+srv.URL()+"/api\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(compose, []byte("services:\n  bot:\n    image: bot\n    environment:\n      OPENAI_API_KEY: "+samiKey+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, code := o.run(t, p, "", "scan", project, "--json")
	var items []map[string]any
	if code != 1 || json.Unmarshal([]byte(stdout), &items) != nil || len(items) != 2 {
		t.Fatalf("scan: exit %d, %d findings; stderr %s", code, len(items), stderr)
	}
	if items[0]["path"] != env || items[0]["kind"] != "session_token" || items[0]["account"] != bobEmail || items[0]["line"] != 2.0 {
		t.Errorf("token finding: %v", items[0])
	}
	if items[1]["path"] != compose || items[1]["kind"] != "api_key" || items[1]["stored_as"] != name || items[1]["fix"] != "keytray://"+name {
		t.Errorf("key finding: %v", items[1])
	}

	if stdout, stderr, code = o.run(t, p, "", "scan", project, "--fix"); code != 0 {
		t.Fatalf("scan --fix: exit %d\n%s\n%s", code, stdout, stderr)
	}
	envData, _ := os.ReadFile(env)
	bobRef := ""
	for _, line := range strings.Split(string(envData), "\n") {
		if v, ok := strings.CutPrefix(line, "OPENAI_API_KEY="); ok {
			bobRef = v
		}
	}
	if !strings.HasPrefix(bobRef, "keytray://scanbob-") {
		t.Fatalf(".env now has OPENAI_API_KEY=%q", bobRef)
	}
	bobName := strings.TrimPrefix(bobRef, "keytray://")
	t.Cleanup(func() { p.Run(t, "", "remove", bobName) })
	if stored, ok := itest.KeyringSecret(t, bobName); !ok || stored != srv.KeyOf(bobEmail) {
		t.Error("the token's account key is not in the keyring under the referenced name")
	}
	if c, _ := os.ReadFile(compose); string(c) != "services:\n  bot:\n    image: bot\n    environment:\n      OPENAI_API_KEY: keytray://"+name+"\n" {
		t.Errorf("compose.yaml now: %q", c)
	}
	if info, _ := os.Stat(compose); info.Mode().Perm() != 0o640 {
		t.Errorf("compose.yaml mode %v", info.Mode().Perm())
	}

	sum := sha256.Sum256([]byte(srv.KeyOf(bobEmail)))
	stdout, stderr, code = o.run(t, p, "", "run", "--env-file", env, "--", "sh", "-c", `printf %s "$OPENAI_API_KEY" | sha256sum`)
	if code != 0 || !strings.HasPrefix(stdout, hex.EncodeToString(sum[:])) {
		t.Errorf("run over the fixed .env: exit %d; stderr %s", code, stderr)
	}
	if stdout, stderr, code = o.run(t, p, "", "scan", project); code != 0 {
		t.Errorf("scan after --fix: exit %d\n%s\n%s", code, stdout, stderr)
	}
	o.assertAbsent(t, project, map[string]string{"session token": bobToken, "key": samiKey})
}
