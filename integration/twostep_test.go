//go:build integration

package integration

// Two-step sign-in (Open WebUI 0.12) through the real binary: the code on
// the command line, the code typed at a real terminal (a pty made by
// script(1)), and a script with neither, which must store nothing.

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/internal/itest"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

func TestLoginTwoStep(t *testing.T) {
	srv, password := cliFake(t, "0.12.4", "alice@example.com")
	srv.SetMFA(true)
	secret, _ := srv.EnrollMFA("alice@example.com")
	p := cliProfile(t)
	o := &outputs{}

	// A script without --code: a sentence naming --code, nothing stored.
	name := p.Name("twostep")
	_, stderr, code := o.run(t, p, password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin", "--name", name)
	if code != 1 || !strings.Contains(stderr, "--code") {
		t.Fatalf("login without --code: exit %d, stderr %q", code, stderr)
	}
	if _, ok := itest.KeyringSecret(t, name); ok {
		t.Fatal("a login that needed a code stored a key")
	}

	// --code: signed in and stored. A code is taken once per 30 s step (and
	// only for a later step than the last one taken), so the terminal below
	// types the next step's code, which the server accepts too.
	loginAt := time.Now()
	_, stderr, code = o.run(t, p, password+"\n", "login", srv.URL(), "--email", "alice@example.com", "--password-stdin",
		"--name", name, "--code", owuifake.TOTP(secret, loginAt))
	if code != 0 {
		t.Fatalf("login --code: exit %d, stderr %q", code, stderr)
	}
	key, ok := itest.KeyringSecret(t, name)
	if !ok || !strings.HasPrefix(key, "sk-") {
		t.Fatal("login --code stored no key in the keyring")
	}

	// At a terminal: the password, then a wrong code, then the right one.
	// (--password-stdin asks for a sign-in up front instead of trying the
	// key alone first; at a terminal it prompts without echo all the same.
	// script types everything ahead, so what the terminal echoes before a
	// prompt turns echo off is not Keytray's to judge.)
	if _, err := exec.LookPath("script"); err != nil {
		t.Fatal("script (util-linux) is needed to give the binary a terminal")
	}
	next := owuifake.TOTP(secret, loginAt.Add(30*time.Second))
	wrong := "000000"
	if next == wrong || owuifake.TOTP(secret, time.Now()) == wrong {
		wrong = "111111"
	}
	input := password + "\n" + wrong + "\n" + next + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "script", "-qec", shellQuote([]string{p.Bin, "rotate", name, "--password-stdin"}), "/dev/null")
	cmd.Env = p.Env
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rotate at a terminal: %v\n%s", err, out)
	}
	screen := string(out)
	if strings.Count(screen, "Authenticator code for alice@example.com") != 2 || !strings.Contains(screen, "type the next code") {
		t.Errorf("the terminal was not asked for the code again after the wrong one:\n%s", screen)
	}
	if rotated, _ := itest.KeyringSecret(t, name); rotated == key || !strings.HasPrefix(rotated, "sk-") {
		t.Errorf("rotate at the terminal did not store a new key:\n%s", screen)
	}
	o.assertAbsent(t, p.Dir, map[string]string{"password": password})
}
