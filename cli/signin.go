package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/vault"
)

// signInFlags are rotate's and revoke's ways to sign in when the key alone
// is not enough.
type signInFlags struct {
	passwordStdin bool
	tokenStdin    bool
	ldapUser      string
	allowHTTP     bool
	code          codeFlag
}

func (f *signInFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the account's password from stdin (one trailing newline is dropped)")
	fs.BoolVar(&f.tokenStdin, "token-stdin", false, "sign in with a session token (JWT) read from stdin")
	fs.StringVar(&f.ldapUser, "ldap", "", "sign in with the LDAP user name `USER` and a password")
	fs.BoolVar(&f.allowHTTP, "allow-http", false, "allow sending the key or password over plain http:// to another machine")
	f.code.register(fs)
	noCompletion(cmd, "ldap")
}

func (f *signInFlags) validate() error {
	if f.passwordStdin && f.tokenStdin {
		return usagef("--password-stdin and --token-stdin both read stdin; use one.")
	}
	if f.tokenStdin && f.ldapUser != "" {
		return usagef("--ldap signs in with a password; it does not go with --token-stdin.")
	}
	if f.tokenStdin && f.code.code != "" {
		return usagef("--code is the step after a password; a session token needs none.")
	}
	if f.code.code != "" {
		if _, err := keys.ParseSecondFactor(f.code.code); err != nil {
			return usagef("--code takes the 6-digit code from your authenticator app or a recovery code (32 letters and digits).")
		}
	}
	return nil
}

// signInTarget checks f and finds NAME's entry: rotate's and revoke's
// common start.
func (c *cli) signInTarget(f *signInFlags, name string) (vault.Entry, error) {
	if err := f.validate(); err != nil {
		return vault.Entry{}, err
	}
	return c.entry(name)
}

// given reports whether the user chose a way to sign in up front.
func (f *signInFlags) given() bool {
	return f.passwordStdin || f.tokenStdin || f.ldapUser != "" || f.code.code != ""
}

// credentials reads the sign-in for e's account: a session token, an LDAP
// password, or the password of the stored email.
func (c *cli) credentials(e vault.Entry, f signInFlags) (*keys.Credentials, error) {
	switch {
	case f.tokenStdin:
		tok, err := c.readSecret(secretSource{what: "session token", fromFlag: true, flag: "--token-stdin",
			prompt: "Session token (JWT) from Settings › Account: "})
		if err != nil {
			return nil, err
		}
		return &keys.Credentials{Method: keys.Token, Secret: tok}, nil
	case f.ldapUser != "":
		pw, err := c.readSecret(passwordSource(f.passwordStdin, fmt.Sprintf("LDAP password for %s at %s: ", f.ldapUser, e.Instance)))
		if err != nil {
			return nil, err
		}
		code, err := c.codeSource(f.code, f.ldapUser, e.Instance)
		if err != nil {
			return nil, err
		}
		return &keys.Credentials{Method: keys.LDAP, User: f.ldapUser, Secret: pw, Code: code}, nil
	case e.Email == "":
		return nil, usagef("the server wants a sign-in, and Keytray does not know the email of %q's account: "+
			"use --ldap USER, or --token-stdin with a session token from Settings › Account.", e.Name)
	}
	pw, err := c.readSecret(passwordSource(f.passwordStdin, fmt.Sprintf("Password for %s at %s: ", e.Email, e.Instance)))
	if err != nil {
		return nil, err
	}
	code, err := c.codeSource(f.code, e.Email, e.Instance)
	if err != nil {
		return nil, err
	}
	return &keys.Credentials{Method: keys.Password, Email: e.Email, Secret: pw, Code: code}, nil
}

// withSignIn runs op with the key alone first (unless the user chose a
// sign-in up front), and again with credentials if the server wants them.
// --allow-http is passed to op (keys.Manage) and recorded for the server
// only once op has worked.
func (c *cli) withSignIn(e vault.Entry, f signInFlags, op func(context.Context, *keys.Credentials) error) error {
	ctx, stop := interruptible()
	defer stop()
	var creds *keys.Credentials
	if f.given() {
		var err error
		if creds, err = c.credentials(e, f); err != nil {
			return err
		}
	}
	run := func(creds *keys.Credentials) error {
		ctx, cancel := c.withDeadline(ctx)
		defer cancel()
		return op(ctx, creds)
	}
	err := run(creds)
	if creds == nil && errors.Is(err, keys.ErrNeedsSignIn) {
		if creds, err = c.credentials(e, f); err != nil {
			return err
		}
		err = run(creds)
	}
	return errtext.WithServer(errtext.WithName(err, e.Name), e.Instance)
}

// confirm asks a yes/no question on the terminal.
func (c *cli) confirm(question string) (bool, error) {
	fmt.Fprint(c.stderr, question)
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("reading the answer: %w", err)
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes", nil
}
