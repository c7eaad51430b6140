package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/ref"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func TestRunResolvesReferencesAndMasksOutput(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profiles()[len(owuifake.Profiles())-1])
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	writeFile(t, env, "# made by hand\nexport OPENAI_API_KEY=\"keytray://"+name+"\"\nOPENAI_BASE_URL=keytray://"+name+"/url\nPLAIN=x\n", 0o600)
	script := `printf '%s' "$OPENAI_API_KEY"; printf '|%s|%s\n' "$OPENAI_BASE_URL" "$PLAIN"; printf 'err %s\n' "$OPENAI_API_KEY" >&2; exit 7`
	r := h.run("", "run", "--env-file", env, "--", "sh", "-c", script)
	if r.code != 7 {
		t.Fatalf("exit %d, want the child's 7; stderr %s", r.code, r.stderr)
	}
	if want := ref.Concealed + "|" + srv.URL() + "/api|x\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	if r.stderr != "err "+ref.Concealed+"\n" {
		t.Errorf("stderr %q", r.stderr)
	}

	// --no-masking: the child's output as it is (checked here without the harness's leak check).
	r = h.run("", "run", "--no-masking", "--env-file", env, "--", "sh", "-c", `test "$OPENAI_API_KEY" = "$(cat "$KEYFILE")" && echo same`)
	_ = r // KEYFILE is unset: the comparison fails; what matters is that the key was set (next check)
	r = h.run("", "run", "--no-masking", "--env-file", env, "--", "sh", "-c", `printf '%s' "${#OPENAI_API_KEY}"`)
	if r.code != 0 || r.stdout != "35" {
		t.Errorf("--no-masking: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestRunUnknownReferenceFailsBeforeTheCommand(t *testing.T) {
	h, _, _, name := aliceSignedIn(t, owuifake.Profiles()[0])
	dir := t.TempDir()
	env := filepath.Join(dir, "a.env")
	writeFile(t, env, "KEY=keytray://"+name+"\nOTHER=keytray://nobody\n", 0o600)
	marker := filepath.Join(dir, "ran")
	r := h.run("", "run", "--env-file", env, "--", "touch", marker)
	if r.code != 1 || !strings.Contains(r.stderr, "keytray://nobody") || !strings.Contains(r.stderr, "OTHER in "+env+" line 2") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran although a reference was unknown")
	}
	writeFile(t, env, "KEY=keytray://bad/key\n", 0o600)
	if r := h.run("", "run", "--env-file", env, "--", "true"); r.code != 1 || !strings.Contains(r.stderr, "KEY in") {
		t.Errorf("malformed: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := h.run("", "run", "--env-file", filepath.Join(dir, "missing"), "--", "true"); r.code == 0 {
		t.Error("a missing env file was accepted")
	}
	if r := h.run("", "run"); r.code != 2 {
		t.Errorf("no command: exit %d", r.code)
	}
}

func TestInject(t *testing.T) {
	h, srv, _, name := aliceSignedIn(t, owuifake.Profiles()[0])
	dir := t.TempDir()
	tpl := filepath.Join(dir, "config.tpl")
	writeFile(t, tpl, "url: {{ keytray://"+name+"/url }}\nkey: {{keytray://"+name+"}}\n", 0o644)
	out := filepath.Join(dir, "config.yaml")
	h.must("", "inject", "-i", tpl, "-o", out)
	got, _ := os.ReadFile(out)
	if want := "url: " + srv.URL() + "/api\nkey: " + h.storedKey(name) + "\n"; string(got) != want {
		t.Error("inject wrote something else than the template with the values")
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	// Not replaced without --force; replaced with it.
	writeFile(t, out, "old", 0o600)
	if r := h.run("", "inject", "-i", tpl, "-o", out); r.code != 2 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("existing output: exit %d, %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Error("the existing file was replaced without --force")
	}
	h.must("", "inject", "-i", tpl, "-o", out, "--force")

	// Any unresolved reference: every one named, nothing written.
	bad := filepath.Join(dir, "out2")
	r := h.run("key: {{ keytray://"+name+" }}\na: {{ keytray://nobody }}\nb: {{ keytray://x/y }}\n", "inject", "-o", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "keytray://nobody (line 2)") || !strings.Contains(r.stderr, "keytray://x/y (line 3)") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("output written despite an unresolved reference")
	}
	// stdin to stdout (the key is the data here: checked, not printed by the harness).
	r = h.run("x {{ keytray://"+name+"/url }}", "inject")
	if r.code != 0 || r.stdout != "x "+srv.URL()+"/api" {
		t.Errorf("stdin→stdout: %d %q", r.code, r.stdout)
	}
}

func TestScanFixTurnsSecretsIntoReferences(t *testing.T) {
	h, srv, _, alice := aliceSignedIn(t, owuifake.Profiles()[len(owuifake.Profiles())-1])
	h.account(srv, "bob@example.com")
	bobToken := h.secret(srv.TokenFor("bob@example.com"))
	aliceKey := h.storedKey(alice)

	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	compose := filepath.Join(dir, "compose.yaml")
	writeFile(t, env, "# bob's token\nOPENAI_API_KEY="+bobToken+"\n", 0o600)
	writeFile(t, compose, "services:\n  app:\n    environment:\n      OPENAI_API_KEY: "+aliceKey+"\n", 0o644)
	writeFile(t, filepath.Join(dir, ".gitignore"), "ignored/\n", 0o644)
	os.Mkdir(filepath.Join(dir, "ignored"), 0o755)
	writeFile(t, filepath.Join(dir, "ignored", "x"), aliceKey, 0o644)

	r := h.run("", "scan", dir, "--json")
	if r.code != 1 {
		t.Fatalf("scan: exit %d, %s", r.code, r.stderr)
	}
	var items []scanItem
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 2 {
		t.Fatalf("scan --json: %v, %s", err, r.stdout)
	}
	if it := items[0]; it.Path != env || it.Line != 2 || it.Column != 16 || it.Kind != "session_token" ||
		it.Account != "bob@example.com" || it.Server != srv.URL() || it.Expires == nil || it.Fix != "" {
		t.Errorf("token finding %+v", it)
	}
	if it := items[1]; it.Path != compose || it.Kind != "api_key" || it.StoredAs != alice || it.Fix != "keytray://"+alice {
		t.Errorf("key finding %+v", it)
	}

	r = h.run("", "scan", dir, "--fix", "--dry-run")
	if r.code != 1 || !strings.Contains(r.stdout, "+      OPENAI_API_KEY: keytray://"+alice) {
		t.Errorf("dry run: exit %d\n%s", r.code, r.stdout)
	}
	if b, _ := os.ReadFile(compose); !strings.Contains(string(b), aliceKey) {
		t.Error("--dry-run changed a file")
	}

	r = h.run("", "scan", dir, "--fix")
	if r.code != 0 {
		t.Fatalf("scan --fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	bobName := "bob@127.0.0.1"
	if b, _ := os.ReadFile(env); string(b) != "# bob's token\nOPENAI_API_KEY=keytray://"+bobName+"\n" {
		t.Errorf(".env now holds %q", b)
	}
	h.key(h.storedKey(bobName))
	if info, _ := os.Stat(compose); info.Mode().Perm() != 0o644 {
		t.Errorf("compose mode %v", info.Mode().Perm())
	}
	if r := h.run("", "scan", dir); r.code != 0 {
		t.Errorf("scan after --fix: exit %d\n%s", r.code, r.stdout)
	}
	r = h.run("", "run", "--env-file", env, "--", "sh", "-c", `test "$OPENAI_API_KEY" = "$BOB" && echo resolved`)
	_ = r
	r = h.run("", "run", "--env-file", env, "--", "sh", "-c", `printf '%s' "$OPENAI_API_KEY"`)
	if r.code != 0 || r.stdout != ref.Concealed {
		t.Errorf("run after fix: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestScanReportsDeadTokensWithWhatToDo(t *testing.T) {
	h, srv, _, _ := aliceSignedIn(t, owuifake.Profiles()[len(owuifake.Profiles())-1])
	h.account(srv, "carol@example.com")
	tok := h.secret(srv.TokenFor("carol@example.com"))
	srv.RotateSecret() // every token minted before dies
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "run.sh"), "curl -H 'Authorization: Bearer "+tok+"'\n", 0o755)
	r := h.run("", "scan", dir, "--fix")
	if r.code != 1 || !strings.Contains(r.stdout, "keytray login") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "run.sh")); !strings.Contains(string(b), tok) {
		t.Error("a dead token was replaced")
	}
	if r := h.run("", "scan", filepath.Join(dir, "nope")); r.code != 2 {
		t.Errorf("missing path: exit %d", r.code)
	}
}
