package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

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
}

func (f *signInFlags) register(fs interface {
	BoolVar(*bool, string, bool, string)
	StringVar(*string, string, string, string)
}) {
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "")
	fs.BoolVar(&f.tokenStdin, "token-stdin", false, "")
	fs.StringVar(&f.ldapUser, "ldap", "", "")
	fs.BoolVar(&f.allowHTTP, "allow-http", false, "")
}

func (f *signInFlags) validate() error {
	if f.passwordStdin && f.tokenStdin {
		return usagef("--password-stdin and --token-stdin both read stdin; use one.")
	}
	if f.tokenStdin && f.ldapUser != "" {
		return usagef("--ldap signs in with a password; it does not go with --token-stdin.")
	}
	return nil
}

// signInTarget parses args (NAME and the flags registered on fs, f among
// them), checks f, and finds NAME's entry: rotate's and revoke's common start.
func (c *cli) signInTarget(fs *flag.FlagSet, f *signInFlags, args []string) (vault.Entry, error) {
	pos, err := parseExact(fs, args, "NAME")
	if err != nil {
		return vault.Entry{}, err
	}
	if err := f.validate(); err != nil {
		return vault.Entry{}, err
	}
	return c.entry(pos[0])
}

// given reports whether the user chose a way to sign in up front.
func (f *signInFlags) given() bool { return f.passwordStdin || f.tokenStdin || f.ldapUser != "" }

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
		return &keys.Credentials{Method: keys.LDAP, User: f.ldapUser, Secret: pw}, nil
	case e.Email == "":
		return nil, usagef("the server wants a sign-in, and Keytray does not know the email of %q's account: "+
			"use --ldap USER, or --token-stdin with a session token from Settings › Account.", e.Name)
	}
	pw, err := c.readSecret(passwordSource(f.passwordStdin, fmt.Sprintf("Password for %s at %s: ", e.Email, e.Instance)))
	if err != nil {
		return nil, err
	}
	return &keys.Credentials{Method: keys.Password, Email: e.Email, Secret: pw}, nil
}

// withSignIn runs op with the key alone first (unless the user chose a
// sign-in up front), and again with credentials if the server wants them.
func (c *cli) withSignIn(e vault.Entry, f signInFlags, op func(context.Context, *keys.Credentials) error) error {
	if f.allowHTTP {
		if err := c.allowHTTP(e.Instance); err != nil {
			return err
		}
	}
	ctx, stop := interruptible()
	defer stop()
	var creds *keys.Credentials
	if f.given() {
		var err error
		if creds, err = c.credentials(e, f); err != nil {
			return err
		}
	}
	err := op(ctx, creds)
	if creds == nil && errors.Is(err, keys.ErrNeedsSignIn) {
		if creds, err = c.credentials(e, f); err != nil {
			return err
		}
		err = op(ctx, creds)
	}
	return errtext.WithServer(errtext.WithName(err, e.Name), e.Instance)
}

// allowHTTP records that secrets may go to this server over plain http (the
// user said so with --allow-http), as login --allow-http does.
func (c *cli) allowHTTP(url string) error {
	inst, err := c.svc.Vault.Instance(url)
	if err != nil {
		return errtext.WithServer(err, url)
	}
	if inst.AllowHTTP {
		return nil
	}
	inst.AllowHTTP = true
	return c.svc.Vault.UpsertInstance(inst)
}

func (c *cli) rotate(args []string) error {
	fs := newFlags("rotate")
	var f signInFlags
	f.register(fs)
	e, err := c.signInTarget(fs, &f, args)
	if err != nil {
		return err
	}
	err = c.withSignIn(e, f, func(ctx context.Context, creds *keys.Credentials) error {
		_, err := c.svc.Rotate(ctx, e.Name, creds)
		return err
	})
	if err != nil {
		return err
	}
	c.errorf("created a new key for %q on %s and stored it; the previous key no longer works.", e.Name, e.Instance)
	return nil
}

func (c *cli) revoke(args []string) error {
	fs := newFlags("revoke")
	var f signInFlags
	f.register(fs)
	yes := fs.Bool("yes", false, "")
	e, err := c.signInTarget(fs, &f, args)
	if err != nil {
		return err
	}
	if !*yes && isTerminal(c.stdin) {
		ok, err := c.confirm(fmt.Sprintf("Delete the key %q on %s? Anything that uses it stops working. [y/N] ", e.Name, e.Instance))
		if err != nil {
			return err
		}
		if !ok {
			c.errorf("nothing was changed.")
			return exitStatus(exitFailure)
		}
	}
	err = c.withSignIn(e, f, func(ctx context.Context, creds *keys.Credentials) error {
		return c.svc.Revoke(ctx, e.Name, creds)
	})
	if err != nil {
		return err
	}
	c.errorf("deleted the key %q on %s and forgot it here.", e.Name, e.Instance)
	return nil
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

func (c *cli) remove(args []string) error {
	fs := newFlags("remove")
	pos, err := parseExact(fs, args, "NAME")
	if err != nil {
		return err
	}
	e, err := c.entry(pos[0])
	if err != nil {
		return err
	}
	if err := c.svc.Remove(e.Name); err != nil {
		return errtext.WithName(err, e.Name)
	}
	c.errorf("forgot %q here. The key itself still works on %s; to disable it there, sign in to Open WebUI and delete it in Settings › Account.",
		e.Name, e.Instance)
	return nil
}

func (c *cli) rename(args []string) error {
	fs := newFlags("rename")
	pos, err := parseExact(fs, args, "OLD", "NEW")
	if err != nil {
		return err
	}
	oldName, newName := pos[0], pos[1]
	if _, err := c.entry(oldName); err != nil {
		return err
	}
	if err := c.svc.Rename(oldName, newName); err != nil {
		if errors.Is(err, vault.ErrExists) || errors.Is(err, vault.ErrBadName) {
			return errtext.WithName(err, newName)
		}
		return errtext.WithName(err, oldName)
	}
	c.errorf("renamed %q to %q.", oldName, newName)
	return nil
}
