//go:build integration

package integration

// "Nothing lost, ever": many Keytray processes at once, processes killed
// with SIGKILL and a keyring daemon killed part-way, lost server answers, a
// read-only index folder and a hostile server, against the real binary, a
// real gnome-keyring and the owuifake server. Every test ends by checking
// that the index and the keyring agree (every listed entry's mask and
// fingerprint are its keyring item's, every item has an entry) and that no
// key was lost. None asserts a time. Keys are random and never logged.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/internal/testfs"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

// listed is the part of `keytray list --json` these tests read.
type listed struct {
	Name                string `json:"name"`
	Server              string `json:"server"`
	Account             string `json:"account"`
	Role                string `json:"role"`
	MaskedKey           string `json:"masked_key"`
	Fingerprint         string `json:"fingerprint"`
	LastStatus          string `json:"last_status"`
	RotationInterrupted bool   `json:"rotation_interrupted"`
}

func listJSON(t *testing.T, p *itest.Profile) []listed {
	t.Helper()
	out, stderr, code := p.Run(t, "", "list", "--json")
	if code != 0 {
		t.Fatalf("list --json: exit %d: %s", code, stderr)
	}
	var l []listed
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("list --json: %v", err)
	}
	return l
}

// agree checks that the index and the keyring agree and returns the stored
// keys by name: list's fingerprint and mask are each item's (what `get`
// returns), and every keyring item whose name has one of prefixes has an
// entry. It reads the keys with one `export --plaintext` run.
func agree(t *testing.T, p *itest.Profile, prefixes ...string) map[string]string {
	t.Helper()
	entries := listJSON(t, p)
	keys := map[string]string{}
	if len(entries) > 0 {
		file := filepath.Join(p.Dir, fmt.Sprintf("all-%d.json", time.Now().UnixNano()))
		if _, stderr, code := p.Run(t, "", "export", "--out", file, "--plaintext", "--format", "json"); code != 0 {
			t.Fatalf("export (every entry must have its keyring item): exit %d: %s", code, stderr)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(file)
		var doc backup.Document
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range doc.Keys {
			keys[k.Name] = k.Key
		}
	}
	for _, e := range entries {
		k, ok := keys[e.Name]
		switch {
		case !ok:
			t.Errorf("%s: listed, but not exported", e.Name)
		case credential.Fingerprint(k) != e.Fingerprint:
			t.Errorf("%s: list shows a fingerprint that is not the keyring item's", e.Name)
		case credential.MaskHint(credential.Hint(k)) != e.MaskedKey:
			t.Errorf("%s: list shows a mask that get contradicts", e.Name)
		}
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name] = true
	}
	for _, n := range itest.KeyringNames(t) {
		for _, pre := range prefixes {
			if strings.HasPrefix(n, pre) && !names[n] {
				t.Errorf("keyring item %q has no entry (an orphan)", n)
			}
		}
		if strings.HasPrefix(n, "keytray-doctor-probe") {
			t.Errorf("a keyring probe item was left behind: %q", n)
		}
	}
	return keys
}

// wrongReasons are the messages the shared probe item used to cause.
var wrongReasons = []string{"read back a different value", "no key by that name", "keytray-doctor-probe"}

func checkReasons(t *testing.T, what, stderr string) {
	t.Helper()
	for _, w := range wrongReasons {
		if strings.Contains(stderr, w) {
			t.Errorf("%s: wrong reason %q in: %s", what, w, stderr)
		}
	}
}

// First logins of one account in parallel processes, without --name (a
// script started twice, two terminals): one entry, holding the key the
// server kept.
func TestSafetyParallelFirstLoginsOfOneAccount(t *testing.T) {
	p := cliProfile(t)
	email := p.Name("solo") + "@example.com"
	srv, password := cliFake(t, "0.6.41", email)
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin"); code != 0 {
				t.Errorf("login: exit %d: %s", code, stderr)
			}
		}()
	}
	wg.Wait()
	for _, e := range listJSON(t, p) { // default names: removed from the keyring at the end
		p.Track(e.Name)
	}
	keys := agree(t, p)
	if len(keys) != 1 {
		t.Fatalf("%d entries for one account, want 1: %v", len(keys), slices.Sorted(maps.Keys(keys)))
	}
	for name, key := range keys {
		if key != srv.KeyOf(email) {
			t.Errorf("%s holds a key the server no longer has", name)
		}
	}
}

// Issue 12.1 and 12.2: logins to different accounts, rotations of one entry
// and of others, and checks, 8 processes at once, 20 rounds. Every process
// succeeds, and every stored key is the one its server holds.
func TestSafetyParallelProcesses(t *testing.T) {
	p := cliProfile(t)
	srv := owuifake.New(owuifake.Profile{Version: "0.6.41"})
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	const rounds, perRound = 20, 8
	prefix := "par-" + p.Name("x") + "-"
	password := "pw-Parallel-9zq"
	var emails []string
	addUser := func() string {
		email := fmt.Sprintf("u%d@example.com", len(emails))
		srv.AddUser(email, password, "user")
		emails = append(emails, email)
		return email
	}
	name := func(email string) string { return prefix + strings.TrimSuffix(email, "@example.com") }
	login := func(email string) (string, string, int) {
		p.Track(name(email))
		return p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name(email))
	}
	// Two accounts to rotate, stored first.
	a, b := addUser(), addUser()
	for _, e := range []string{a, b} {
		if _, stderr, code := login(e); code != 0 {
			t.Fatalf("login %s: exit %d: %s", e, code, stderr)
		}
	}
	for round := range rounds {
		fresh := []string{addUser(), addUser(), addUser()}
		type job struct {
			what string
			run  func() (string, string, int)
		}
		var jobs []job
		for _, e := range fresh {
			jobs = append(jobs, job{"login " + e, func() (string, string, int) { return login(e) }})
		}
		for range 3 {
			jobs = append(jobs, job{"rotate a", func() (string, string, int) { return p.Run(t, "", "rotate", name(a)) }})
		}
		jobs = append(jobs, job{"rotate b", func() (string, string, int) { return p.Run(t, "", "rotate", name(b)) }})
		jobs = append(jobs, job{"check", func() (string, string, int) { return p.Run(t, "", "check", name(b)) }})
		if len(jobs) != perRound {
			t.Fatalf("%d jobs a round, want %d", len(jobs), perRound)
		}
		var wg sync.WaitGroup
		for _, j := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, stderr, code := j.run()
				checkReasons(t, j.what, stderr)
				// check may find b mid-rotation; anything else must work.
				if code != 0 && j.what != "check" {
					t.Errorf("round %d: %s: exit %d: %s", round, j.what, code, stderr)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		keys := agree(t, p, prefix)
		for _, e := range emails {
			if keys[name(e)] != srv.KeyOf(e) {
				t.Fatalf("round %d: the key stored for %s is not the one its server holds", round, e)
			}
		}
		for _, e := range listJSON(t, p) {
			if e.RotationInterrupted {
				t.Fatalf("round %d: %s is marked rotation interrupted after rotations that all worked", round, e.Name)
			}
		}
	}
}

// writeBackup writes an age backup (for an X25519 recipient) of keys named
// prefix0…, and returns its path; the identity file is beside it.
func writeBackup(t *testing.T, dir, file, prefix, server string, keys []string, id *age.X25519Identity) string {
	t.Helper()
	doc := backup.Document{Format: backup.Format, Version: backup.Version, Created: time.Now().UTC()}
	for i, k := range keys {
		doc.Keys = append(doc.Keys, backup.Key{Name: fmt.Sprintf("%s%03d", prefix, i), ServerURL: server, Key: k,
			StoredAt: time.Now().UTC(), Email: fmt.Sprintf("u%d@example.com", i)})
	}
	var buf bytes.Buffer
	if err := backup.Encode(&buf, doc, backup.Encryption{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newIdentity(t *testing.T, dir string) (*age.X25519Identity, string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "identity.txt")
	if err := os.WriteFile(path, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return id, path
}

func randomKeys(t *testing.T, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = randomKey(t)
	}
	return out
}

// journalPath is where an interrupted change leaves its journal.
func journalPath(p *itest.Profile) string {
	return filepath.Join(p.ConfigDir, "keytray", "journal.json")
}

// startImport starts `import --replace` of file and returns once it has
// begun changing the keyring (its journal exists), or has exited.
func startImport(t *testing.T, p *itest.Profile, file, identity string) *itest.Proc {
	t.Helper()
	pr := p.Start(t, "import", file, "--identity", identity, "--replace")
	deadline := time.Now().Add(itest.WaitTimeout)
	for {
		if _, err := os.Stat(journalPath(p)); err == nil {
			return pr
		}
		select {
		case <-pr.Done():
			return pr
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import neither started changing the keyring nor exited within %v", itest.WaitTimeout)
		}
	}
}

const importSize = 80

// importScenario stores an old backup of importSize keys, then imports a
// new one with --replace and interrupts it with interrupt at a random point
// (seeded), then checks that the next command finishes or undoes it and
// says so, that index and keyring agree, that every key is either its old
// or its new value (nothing else, nothing missing), and that importing
// again completes the import.
func importScenario(t *testing.T, seed uint64, interrupt func(t *testing.T, pr *itest.Proc)) {
	p := cliProfile(t)
	prefix := p.Name("imp") + "-"
	for i := range importSize {
		p.Track(fmt.Sprintf("%s%03d", prefix, i))
	}
	id, identity := newIdentity(t, p.Dir)
	oldKeys, newKeys := randomKeys(t, importSize), randomKeys(t, importSize)
	oldFile := writeBackup(t, p.Dir, "old.age", prefix, "https://chat.example.com", oldKeys, id)
	newFile := writeBackup(t, p.Dir, "new.age", prefix, "https://chat.example.com", newKeys, id)
	if _, stderr, code := p.Run(t, "", "import", oldFile, "--identity", identity); code != 0 {
		t.Fatalf("first import: exit %d: %s", code, stderr)
	}

	rng := rand.New(rand.NewPCG(seed, seed))
	pr := startImport(t, p, newFile, identity)
	select {
	case <-pr.Done():
	case <-time.After(time.Duration(rng.IntN(400)) * time.Millisecond):
	}
	interrupt(t, pr)
	<-pr.Done()

	_, stderr, code := p.Run(t, "", "list")
	if code != 0 {
		t.Fatalf("list after the interruption: exit %d: %s", code, stderr)
	}
	// What the interrupted import said and what the next command did (no
	// secret in either): a run interrupted after it finished says nothing.
	t.Logf("import: %s", strings.TrimSpace(pr.Stderr()))
	t.Logf("list: %s", strings.TrimSpace(stderr))
	if _, err := os.Stat(journalPath(p)); err == nil {
		t.Fatal("the journal is still there after list")
	}
	keys := agree(t, p, prefix)
	if len(keys) != importSize {
		t.Fatalf("%d keys stored after the interruption, want %d: keys were lost", len(keys), importSize)
	}
	for i := range importSize {
		k := keys[fmt.Sprintf("%s%03d", prefix, i)]
		if k != oldKeys[i] && k != newKeys[i] {
			t.Fatalf("key %d is neither its old nor its new value", i)
		}
	}
	// The same import again finishes it.
	if _, stderr, code := p.Run(t, "", "import", newFile, "--identity", identity, "--replace"); code != 0 {
		t.Fatalf("import again: exit %d: %s", code, stderr)
	}
	keys = agree(t, p, prefix)
	for i := range importSize {
		if keys[fmt.Sprintf("%s%03d", prefix, i)] != newKeys[i] {
			t.Fatalf("key %d is not the backup's after importing again", i)
		}
	}
}

// Issue 12.5: SIGKILL at random points of `import --replace`.
func TestSafetyImportKilled(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			importScenario(t, seed, func(t *testing.T, pr *itest.Proc) {
				_ = syscall.Kill(pr.PID(), syscall.SIGKILL)
			})
		})
	}
}

// Issue 12.4: the keyring daemon killed at random points of `import
// --replace`: the import fails saying nothing is lost, and once the keyring
// is back the next command makes the index agree with it.
func TestSafetyImportKeyringDies(t *testing.T) {
	for _, seed := range []uint64{4, 5, 6} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			importScenario(t, seed, func(t *testing.T, pr *itest.Proc) {
				itest.KillKeyring(t)
				select {
				case <-pr.Done():
				case <-time.After(itest.RunTimeout):
					t.Fatal("the import did not end after the keyring died")
				}
				// It finished before the kill, or says that nothing is lost
				// and what the next command does.
				if code := pr.Wait(t); code != 0 && !strings.Contains(pr.Stderr(), "Nothing is lost") {
					t.Errorf("import after the keyring died: exit %d: %s", code, pr.Stderr())
				}
				itest.RestartKeyring(t)
			})
		})
	}
}

// Issue 12.3: an orphaned keyring item (the index moved aside, as the advice
// for a damaged index says) is never overwritten by import or add; doctor
// lists it and --adopt takes it back.
func TestSafetyOrphansAreNeverOverwritten(t *testing.T) {
	p := cliProfile(t)
	srv, password := cliFake(t, "0.6.41", "alice@example.com")
	name := p.Name("orphan")
	if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	id, identity := newIdentity(t, p.Dir)
	// An old backup of this name, with a key the server no longer accepts.
	old := filepath.Join(p.Dir, "old.age")
	doc := backup.Document{Format: backup.Format, Version: backup.Version, Created: time.Now().UTC(),
		Keys: []backup.Key{{Name: name, ServerURL: srv.URL(), Key: randomKey(t), StoredAt: time.Now().UTC()}}}
	var buf bytes.Buffer
	if err := backup.Encode(&buf, doc, backup.Encryption{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	working := srv.KeyOf("alice@example.com")

	// "Move the damaged file aside": the key is now an orphan.
	dir := filepath.Join(p.ConfigDir, "keytray")
	for _, f := range []string{"index.json", "index.json.last-good"} {
		if err := os.Rename(filepath.Join(dir, f), filepath.Join(dir, f+".aside")); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := p.Run(t, "", "import", old, "--identity", identity)
	if code != 1 || !strings.Contains(stderr, "doctor --adopt") {
		t.Errorf("import over an orphan: exit %d: %s", code, stderr)
	}
	if k, _ := itest.KeyringSecret(t, name); k != working {
		t.Fatal("import overwrote the orphaned working key")
	}
	_, stderr, code = p.Run(t, randomKey(t)+"\n", "add", srv.URL(), "--key-stdin", "--no-verify", "--name", name)
	if code != 1 || !strings.Contains(stderr, "does not list") {
		t.Errorf("add over an orphan: exit %d: %s", code, stderr)
	}
	if k, _ := itest.KeyringSecret(t, name); k != working {
		t.Fatal("add overwrote the orphaned working key")
	}
	out, _, code := p.Run(t, "", "doctor")
	if code != 1 || !strings.Contains(out, name) || !strings.Contains(out, "doctor --adopt") {
		t.Errorf("doctor does not report the orphan (exit %d): %s", code, out)
	}
	out, stderr, code = p.Run(t, "", "doctor", "--adopt", "--server", srv.URL())
	if code != 0 || strings.TrimSpace(out) != name {
		t.Fatalf("doctor --adopt: exit %d: %s%s", code, out, stderr)
	}
	keys := agree(t, p, name)
	if keys[name] != working {
		t.Fatal("the adopted entry does not hold the working key")
	}
}

// Issue 12.6: the server rotates but its answer is lost (the connection
// closed; the body cut short): rotate says so and how to recover, list and
// check show "rotation interrupted", and the advised login repairs it.
func TestSafetyRotateLostAnswer(t *testing.T) {
	for _, fault := range []owuifake.Fault{owuifake.FaultLoseAnswer, owuifake.FaultCutAnswer} {
		p := cliProfile(t)
		email := "alice@example.com"
		srv, password := cliFake(t, "0.6.41", email)
		name := p.Name("lost")
		if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
			t.Fatalf("login: exit %d: %s", code, stderr)
		}
		srv.SetFault(fault, "/api/v1/auths/api_key")
		stdout, stderr, code := p.Run(t, "", "rotate", name)
		if code != 1 || stdout != "" {
			t.Fatalf("rotate with a lost answer: exit %d", code)
		}
		for _, want := range []string{"may already have replaced", "keytray login " + srv.URL() + " --email " + email} {
			if !strings.Contains(stderr, want) {
				t.Errorf("rotate's message lacks %q: %s", want, stderr)
			}
		}
		if strings.Contains(stderr, "nothing is listening") {
			t.Errorf("a lost answer is called unreachable: %s", stderr)
		}
		srv.ClearFaults()
		if l := listJSON(t, p); len(l) != 1 || !l[0].RotationInterrupted {
			t.Fatalf("list does not show the interrupted rotation: %+v", l)
		}
		if out, _, _ := p.Run(t, "", "list"); !strings.Contains(out, "rotation interrupted") {
			t.Errorf("list's table does not say it: %s", out)
		}
		if _, stderr, code := p.Run(t, "", "check", name); code != 1 || !strings.Contains(stderr, "rotation") {
			t.Errorf("check: exit %d: %s", code, stderr)
		}
		if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin"); code != 0 {
			t.Fatalf("the advised login: exit %d: %s", code, stderr)
		}
		keys := agree(t, p, name)
		if keys[name] != srv.KeyOf(email) {
			t.Fatal("after the advised login the stored key is not the server's")
		}
		if l := listJSON(t, p); l[0].RotationInterrupted {
			t.Error("still marked after the login")
		}
	}
}

// Issue 12.6: a rotate killed while its request is at the server (which has
// not answered yet) leaves the entry marked; a check that finds the stored
// key still working clears the mark.
func TestSafetyRotateKilled(t *testing.T) {
	p := cliProfile(t)
	email := "alice@example.com"
	srv, password := cliFake(t, "0.6.41", email)
	name := p.Name("killed")
	if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	pr := rotateUntilTheServerIsAsked(t, p, srv, name, time.Minute)
	_ = syscall.Kill(pr.PID(), syscall.SIGKILL)
	<-pr.Done()
	srv.ClearFaults()
	if l := listJSON(t, p); !l[0].RotationInterrupted {
		t.Fatal("a killed rotate left no mark")
	}
	if _, stderr, code := p.Run(t, "", "check", name); code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	if l := listJSON(t, p); l[0].RotationInterrupted {
		t.Fatal("check found the key working but left the mark")
	}
	agree(t, p, name)
}

// Issue 12.7: with the index folder read-only, rotate and a key-creating
// login fail before the server makes a key; nothing is printed, nothing lost.
func TestSafetyReadOnlyIndexFolder(t *testing.T) {
	p := cliProfile(t)
	email := "alice@example.com"
	srv, password := cliFake(t, "0.6.41", email)
	srv.AddUser("bob@example.com", password, "user")
	name := p.Name("ro")
	if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	key := srv.KeyOf(email)
	testfs.MakeReadOnly(t, filepath.Join(p.ConfigDir, "keytray"))
	stdout, stderr, code := p.Run(t, "", "rotate", name)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "cannot be written") {
		t.Errorf("rotate: exit %d, stdout %d bytes: %s", code, len(stdout), stderr)
	}
	if srv.KeyOf(email) != key {
		t.Fatal("the server rotated although the key could not be stored")
	}
	p.Track("bob@127.0.0.1")
	stdout, stderr, code = p.Run(t, password+"\n", "login", srv.URL(), "--email", "bob@example.com", "--password-stdin")
	if code != 1 || stdout != "" || srv.KeyOf("bob@example.com") != "" {
		t.Errorf("login: exit %d, stdout %d bytes, server key made: %v: %s", code, len(stdout), srv.KeyOf("bob@example.com") != "", stderr)
	}
	if k, _ := itest.KeyringSecret(t, name); k != key {
		t.Fatal("the stored key changed")
	}
}

// Issue 12.8: an account email and role holding terminal escapes reach
// neither the terminal nor the index.
func TestSafetyHostileServerText(t *testing.T) {
	p := cliProfile(t)
	email := "eve\x1b]0;owned\x07\x1b[2J@example.com"
	srv, password := cliFake(t, "0.6.41", email)
	srv.SetRole(email, "user\x1b[2J\x9b31m")
	name := p.Name("hostile")
	var o outputs
	_, stderr, code := o.run(t, p, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name)
	if code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	o.run(t, p, "", "list")
	o.run(t, p, "", "list", "--json")
	o.run(t, p, "", "check")
	o.run(t, p, "", "doctor")
	for i, out := range o.all {
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("output %d holds terminal control characters: %q", i, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(p.ConfigDir, "keytray", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`\u001b`)) || bytes.Contains(data, []byte("\x1b")) {
		t.Error("the index holds the escape character")
	}
	if l := listJSON(t, p); !strings.Contains(l[0].Account, `\x1b]0;owned`) {
		t.Errorf("the account is not shown escaped: %q", l[0].Account)
	}
}

// Issue 12.10: a session token in a backup is refused; a key given as an
// argument is not echoed; exec of a missing program exits 127.
func TestSafetySmallerItems(t *testing.T) {
	p := cliProfile(t)
	email := "alice@example.com"
	srv, password := cliFake(t, "0.6.41", email)
	name := p.Name("small")
	if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	id, identity := newIdentity(t, p.Dir)
	jwtName := p.Name("jwt")
	doc := backup.Document{Format: backup.Format, Version: backup.Version, Created: time.Now().UTC(),
		Keys: []backup.Key{{Name: jwtName, ServerURL: srv.URL(), Key: srv.TokenFor(email), StoredAt: time.Now().UTC()}}}
	var buf bytes.Buffer
	if err := backup.Encode(&buf, doc, backup.Encryption{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(p.Dir, "jwt.age")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := p.Run(t, "", "import", file, "--identity", identity); code != 1 || !strings.Contains(stderr, "session token") {
		t.Errorf("import of a JWT: exit %d: %s", code, stderr)
	}
	if _, ok := itest.KeyringSecret(t, jwtName); ok {
		t.Error("a session token was stored as a key")
	}

	secret := randomKey(t)
	stdout, stderr, code := p.Run(t, "", "add", srv.URL(), secret)
	if code != 2 || strings.Contains(stdout+stderr, secret) || strings.Contains(stderr, secret[3:]) {
		t.Errorf("add with the key as an argument: exit %d, and the key was echoed: %v", code, strings.Contains(stdout+stderr, secret[3:]))
	}
	if _, _, code := p.Run(t, "", "exec", name, "--", "/nonexistent/program"); code != 127 {
		t.Errorf("exec of a missing program by path: exit %d, want 127", code)
	}
	if _, _, code := p.Run(t, "", "exec", name, "--", "no-such-program-keytray"); code != 127 {
		t.Errorf("exec of a missing program by name: exit %d, want 127", code)
	}
	agree(t, p, name)
}

// Issue 12.1: every kind of change at once (add, remove, rename, import,
// revoke, rotate, login, check), 8 processes a round, 20 rounds: each
// succeeds, nothing is lost, and index and keyring agree after each round.
func TestSafetyParallelMixed(t *testing.T) {
	p := cliProfile(t)
	srv := owuifake.New(owuifake.Profile{Version: "0.6.41"})
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	password := "pw-Mixed-9zq"
	prefix := p.Name("mix") + "-"
	id, identity := newIdentity(t, p.Dir)
	n := 0
	fresh := func(what string) string {
		n++
		name := fmt.Sprintf("%s%s%d", prefix, what, n)
		p.Track(name)
		return name
	}
	login := func(name string) (string, string, int) {
		email := strings.TrimPrefix(name, prefix) + "@example.com"
		srv.AddUser(email, password, "user")
		return p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name)
	}
	rotating := fresh("rot")
	if _, stderr, code := login(rotating); code != 0 {
		t.Fatalf("login: exit %d: %s", code, stderr)
	}
	// What the next round removes, renames and revokes.
	var toRemove, toRename, toRevoke string
	prepare := func() {
		toRemove, toRename, toRevoke = fresh("rm"), fresh("mv"), fresh("rv")
		for _, nm := range []string{toRemove, toRename} {
			if _, stderr, code := p.Run(t, randomKey(t)+"\n", "add", srv.URL(), "--key-stdin", "--no-verify", "--name", nm); code != 0 {
				t.Fatalf("add %s: exit %d: %s", nm, code, stderr)
			}
		}
		if _, stderr, code := login(toRevoke); code != 0 {
			t.Fatalf("login %s: exit %d: %s", toRevoke, code, stderr)
		}
	}
	prepare()
	want := map[string]string{} // keys added or imported, by name, that must stay
	for round := range 20 {
		added, renamed := fresh("add"), fresh("renamed")
		imported := []string{fresh("imp"), fresh("imp")}
		impKeys := randomKeys(t, 2)
		doc := backup.Document{Format: backup.Format, Version: backup.Version, Created: time.Now().UTC()}
		for i, nm := range imported {
			doc.Keys = append(doc.Keys, backup.Key{Name: nm, ServerURL: "https://backup.example.com", Key: impKeys[i], StoredAt: time.Now().UTC()})
		}
		var buf bytes.Buffer
		if err := backup.Encode(&buf, doc, backup.Encryption{Recipients: []string{id.Recipient().String()}}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(p.Dir, fmt.Sprintf("round%d.age", round))
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		addKey := randomKey(t)
		loginName := fresh("login")
		jobs := map[string]func() (string, string, int){
			"add": func() (string, string, int) {
				return p.Run(t, addKey+"\n", "add", srv.URL(), "--key-stdin", "--no-verify", "--name", added)
			},
			"remove": func() (string, string, int) { return p.Run(t, "", "remove", toRemove) },
			"rename": func() (string, string, int) { return p.Run(t, "", "rename", toRename, renamed) },
			"import": func() (string, string, int) { return p.Run(t, "", "import", file, "--identity", identity) },
			"revoke": func() (string, string, int) { return p.Run(t, "", "revoke", toRevoke, "--yes") },
			"rotate": func() (string, string, int) { return p.Run(t, "", "rotate", rotating) },
			"login":  func() (string, string, int) { return login(loginName) },
			"check":  func() (string, string, int) { return p.Run(t, "", "check", rotating) },
		}
		var wg sync.WaitGroup
		for what, run := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, stderr, code := run()
				checkReasons(t, what, stderr)
				if code != 0 && what != "check" {
					t.Errorf("round %d: %s: exit %d: %s", round, what, code, stderr)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		want[added] = addKey
		for i, nm := range imported {
			want[nm] = impKeys[i]
		}
		keys := agree(t, p, prefix)
		for nm, k := range want {
			if keys[nm] != k {
				t.Fatalf("round %d: %s was lost or changed", round, nm)
			}
		}
		for _, gone := range []string{toRemove, toRename, toRevoke} {
			if _, ok := keys[gone]; ok {
				t.Fatalf("round %d: %s is still stored", round, gone)
			}
		}
		if _, ok := keys[renamed]; !ok {
			t.Fatalf("round %d: the renamed entry is missing", round)
		}
		if keys[rotating] != srv.KeyOf(strings.TrimPrefix(rotating, prefix)+"@example.com") {
			t.Fatalf("round %d: the rotated key is not the server's", round)
		}
		prepare()
	}
}

// Issues 12.4 and 12.7 during rotate: the keyring daemon dies before the
// rotation (nothing is asked of the server) or while the server is making
// the new key (the key is printed once, the entry is marked, and the advised
// `keytray add URL --key-stdin` repairs that entry instead of adding one).
func TestSafetyRotateKeyringDies(t *testing.T) {
	email := "alice@example.com"
	t.Run("before", func(t *testing.T) {
		p := cliProfile(t)
		srv, password := cliFake(t, "0.6.41", email)
		name := p.Name("kdb")
		if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
			t.Fatalf("login: exit %d: %s", code, stderr)
		}
		key := srv.KeyOf(email)
		itest.KillKeyring(t)
		stdout, stderr, code := p.Run(t, "", "rotate", name)
		itest.RestartKeyring(t)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "eyring") {
			t.Errorf("rotate with the keyring gone: exit %d: %s", code, stderr)
		}
		if srv.KeyOf(email) != key {
			t.Fatal("the server rotated although the keyring was gone")
		}
		if keys := agree(t, p, name); keys[name] != key {
			t.Fatal("the stored key changed")
		}
	})
	t.Run("during", func(t *testing.T) {
		p := cliProfile(t)
		srv, password := cliFake(t, "0.6.41", email)
		name := p.Name("kdd")
		if _, stderr, code := p.Run(t, password+"\n", "login", srv.URL(), "--email", email, "--password-stdin", "--name", name); code != 0 {
			t.Fatalf("login: exit %d: %s", code, stderr)
		}
		pr := rotateUntilTheServerIsAsked(t, p, srv, name, 1500*time.Millisecond)
		itest.KillKeyring(t)
		code := pr.Wait(t)
		itest.RestartKeyring(t)
		srv.ClearFaults()
		printed := strings.TrimSpace(pr.Stdout())
		if code != 1 || printed != srv.KeyOf(email) || !strings.Contains(pr.Stderr(), "keytray add") {
			t.Fatalf("rotate: exit %d, printed the server's key: %v: %s", code, printed == srv.KeyOf(email), pr.Stderr())
		}
		if l := listJSON(t, p); len(l) != 1 || !l[0].RotationInterrupted {
			t.Fatalf("the entry is not marked: %+v", l)
		}
		if _, stderr, code := p.Run(t, printed+"\n", "add", srv.URL(), "--key-stdin"); code != 0 {
			t.Fatalf("the advised add: exit %d: %s", code, stderr)
		}
		l := listJSON(t, p)
		if len(l) != 1 || l[0].RotationInterrupted {
			t.Fatalf("add made a second entry or left the mark: %+v", l)
		}
		if keys := agree(t, p, name); keys[name] != srv.KeyOf(email) {
			t.Fatal("the stored key is not the server's")
		}
	})
}

// rotateUntilTheServerIsAsked starts `keytray rotate name` against a server
// that answers the new key only after slow, and returns once the server has
// been asked (the request is then in flight).
func rotateUntilTheServerIsAsked(t *testing.T, p *itest.Profile, srv *owuifake.Server, name string, slow time.Duration) *itest.Proc {
	t.Helper()
	srv.SetFault(owuifake.FaultSlow(slow), "/api/v1/auths/api_key")
	before := srv.Calls("POST", "/api/v1/auths/api_key")
	pr := p.Start(t, "rotate", name)
	deadline := time.Now().Add(itest.WaitTimeout)
	for srv.Calls("POST", "/api/v1/auths/api_key") == before {
		if time.Now().After(deadline) {
			t.Fatal("rotate never asked the server")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return pr
}
