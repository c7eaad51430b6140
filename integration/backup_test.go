//go:build integration

package integration

// Backups as users meet them: keys stored in a real gnome-keyring, exported
// by the real binary, read by the stock `age` command, restored into a fresh
// profile; and a backup made by `age` itself, restored by Keytray. Keys are
// made up for the test and never logged.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keytray/keytray/internal/itest"
)

func randomKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk-" + hex.EncodeToString(b)
}

func requireAge(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"age", "age-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs the Debian package age)", tool)
		}
	}
}

// newAgeIdentity makes an age identity with the stock age-keygen, in dir, and
// returns its file and its public recipient (age1…).
func newAgeIdentity(t *testing.T, dir string) (identity, recipient string) {
	t.Helper()
	identity = filepath.Join(dir, "identity.txt")
	if out, err := exec.Command("age-keygen", "-o", identity).CombinedOutput(); err != nil {
		t.Fatalf("age-keygen: %v: %s", err, out)
	}
	pub, err := exec.Command("age-keygen", "-y", identity).Output()
	if err != nil {
		t.Fatalf("age-keygen -y: %v", err)
	}
	return identity, strings.TrimSpace(string(pub))
}

// backupDoc is the part of the decrypted backup this test reads.
type backupDoc struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Keys    []struct {
		Name      string `json:"name"`
		ServerURL string `json:"server_url"`
		Key       string `json:"key"`
	} `json:"keys"`
}

func TestBackupRoundTripThroughRealKeyringAndAge(t *testing.T) {
	requireAge(t)
	dir := t.TempDir()
	src := cliProfile(t)
	keys := map[string]string{src.Name("backup-a"): randomKey(t), src.Name("backup-b"): randomKey(t)}
	for name, key := range keys {
		if _, stderr, code := src.Run(t, key, "add", "https://chat.example.com", "--key-stdin", "--no-verify", "--name", name); code != 0 {
			t.Fatalf("add %s: exit %d: %s", name, code, stderr)
		}
	}

	// Encrypted to an age recipient; the stock age decrypts it.
	identity, recipient := newAgeIdentity(t, dir)
	backup := filepath.Join(dir, "keys.age")
	if _, stderr, code := src.Run(t, "", "export", "--out", backup, "--recipient", recipient); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	st, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	raw, _ := os.ReadFile(backup)
	for _, key := range keys {
		if strings.Contains(string(raw), key) {
			t.Fatal("the backup file holds a key in clear")
		}
	}
	if _, _, code := src.Run(t, "", "export", "--out", backup, "--recipient", recipient); code == 0 {
		t.Error("export replaced an existing file without --force")
	}
	plain, err := exec.Command("age", "-d", "-i", identity, backup).Output()
	if err != nil {
		t.Fatalf("age -d could not read Keytray's backup: %v", err)
	}
	var doc backupDoc
	if err := json.Unmarshal(plain, &doc); err != nil || doc.Format != "keytray-backup" || doc.Version != 1 || len(doc.Keys) != 2 {
		t.Fatalf("decrypted backup is not a version 1 keytray-backup with 2 keys (err %v)", err)
	}

	// Forget everything locally: the keyring items are gone.
	for name := range keys {
		if _, stderr, code := src.Run(t, "", "remove", name); code != 0 {
			t.Fatalf("remove: %s", stderr)
		}
		if _, ok := itest.KeyringSecret(t, name); ok {
			t.Fatalf("%s still in the keyring after remove", name)
		}
	}

	// A tampered copy restores nothing.
	tampered := filepath.Join(dir, "tampered.age")
	bad := append([]byte(nil), raw...)
	bad[len(bad)-20] ^= 0x01
	if err := os.WriteFile(tampered, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	dst := cliProfile(t)
	for name := range keys {
		dst.Track(name)
	}
	if _, stderr, code := dst.Run(t, "", "import", tampered, "--identity", identity); code == 0 || !strings.Contains(stderr, "damaged") {
		t.Fatalf("tampered backup: exit %d, stderr %q", code, stderr)
	}
	if out, _, _ := dst.Run(t, "", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("a failed import left entries: %s", out)
	}

	// The real backup restores both keys into the keyring of a fresh profile.
	if _, stderr, code := dst.Run(t, "", "import", backup, "--identity", identity); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for name, key := range keys {
		if got, ok := itest.KeyringSecret(t, name); !ok || got != key {
			t.Fatalf("%s not restored into the keyring", name)
		}
	}
	// Again: identical keys are skipped, nothing changes.
	if _, stderr, code := dst.Run(t, "", "import", backup, "--identity", identity); code != 0 || !strings.Contains(stderr, "already stored with the same key") {
		t.Fatalf("second import: exit %d: %s", code, stderr)
	}
}

func TestImportOfABackupMadeByAge(t *testing.T) {
	requireAge(t)
	dir := t.TempDir()
	p := cliProfile(t)
	name, key := p.Name("from-age"), randomKey(t)
	payload, _ := json.Marshal(map[string]any{
		"format": "keytray-backup", "version": 1, "created": "2026-11-01T10:00:00Z",
		"keys": []map[string]any{{"name": name, "server_url": "https://chat.example.com", "key": key, "stored_at": "2026-11-01T10:00:00Z"}},
	})
	identity, recipient := newAgeIdentity(t, dir)
	file := filepath.Join(dir, "by-age.age")
	enc := exec.Command("age", "-r", recipient, "-o", file)
	enc.Stdin = strings.NewReader(string(payload))
	if out, err := enc.CombinedOutput(); err != nil {
		t.Fatalf("age -r: %v: %s", err, out)
	}
	if _, stderr, code := p.Run(t, "", "import", file, "--identity", identity); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if got, ok := itest.KeyringSecret(t, name); !ok || got != key {
		t.Fatal("the key from age's file is not in the keyring")
	}
	if out, _, code := p.Run(t, "", "get", name); code != 0 || strings.TrimSpace(out) != key {
		t.Fatal("get does not return the imported key")
	}
}

// A passphrase typed at the terminal (twice for export): `script` gives the
// binary a real terminal. Typed ahead of the prompt, the input may be echoed
// by the terminal itself before Keytray turns echo off, so this checks the
// prompts and the outcome, not the echo (term.ReadPassword does that part).
func TestPassphrasePromptedAtTheTerminal(t *testing.T) {
	requireAge(t)
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	dir := t.TempDir()
	p := cliProfile(t)
	name := p.Name("prompted")
	if _, stderr, code := p.Run(t, randomKey(t), "add", "https://chat.example.com", "--key-stdin", "--no-verify", "--name", name); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	backup := filepath.Join(dir, "typed.age")
	const pass = "typed at the terminal 42"
	atTerminal := func(input string, args ...string) string {
		t.Helper()
		cmd := exec.Command("script", "-qec", shellQuote(append([]string{p.Bin}, args...)), "/dev/null")
		cmd.Env = p.Env
		cmd.Stdin = strings.NewReader(input)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v at a terminal: %v", args[:1], err)
		}
		return string(out)
	}
	out := atTerminal(pass+"\n"+pass+"\n", "export", "--out", backup)
	if !strings.Contains(out, "again") {
		t.Errorf("export did not ask for the passphrase a second time")
	}
	if _, err := os.Stat(backup); err != nil {
		t.Fatalf("no backup written: %v", err)
	}
	// Forget the key, then restore it with the passphrase typed once.
	if _, stderr, code := p.Run(t, "", "remove", name); code != 0 {
		t.Fatal(stderr)
	}
	atTerminal(pass+"\n", "import", backup)
	if _, ok := itest.KeyringSecret(t, name); !ok {
		t.Fatal("the key was not restored with the typed passphrase")
	}
}

// shellQuote joins args into one sh command line.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
