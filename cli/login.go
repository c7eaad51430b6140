package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
)

// serverFlags are the connection flags of login and add.
type serverFlags struct {
	allowHTTP bool
	caFile    string
}

// register adds the connection flags to cmd; what names what --allow-http
// would send ("the password", "the key").
func (f *serverFlags) register(cmd *cobra.Command, withCA bool, what string) {
	cmd.Flags().BoolVar(&f.allowHTTP, "allow-http", false, "allow sending "+what+" over plain http:// to another machine")
	if withCA {
		cmd.Flags().StringVar(&f.caFile, "ca-file", "", "trust the CA certificate(s) in `FILE` (PEM) for this server")
		_ = cmd.MarkFlagFilename("ca-file", "pem", "crt", "cer")
	}
}

// server is where to connect for url, with these flags.
func (f *serverFlags) server(url string) keys.Server {
	return keys.Server{URL: url, AllowHTTP: f.allowHTTP, CAFile: f.caFile}
}

// loginOptions are login's flags.
type loginOptions struct {
	email, ldapUser, name string
	passwordStdin         bool
	tokenStdin            bool
	rotate                bool
	server                serverFlags
	code                  codeFlag
}

func (c *cli) newLoginCmd() *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login URL [--email E | --ldap USER | --token-stdin] [--password-stdin] [--code CODE] [--name NAME] [--rotate] [--allow-http] [--ca-file FILE]",
		Short: "sign in to a server and store the account's API key",
		Long: `Signs in to the Open WebUI server at URL, reads the account's API key (or
creates one when the account has none), stores it in the keyring and signs out.
The password or session token is used once and never stored.

Without --rotate an existing server key is kept: replacing a key breaks
whatever uses it, so Keytray never does it on its own. Newer servers will not
show an existing key again; then Keytray says so and stores nothing, and
--rotate makes a new key (the old one stops working at once).

URL may be a host (chat.example.com), host:port, or http(s)://host[:port][/prefix],
with or without a trailing / or /api.

The password is asked for without echo when stdin is a terminal; in scripts,
pipe it in with --password-stdin. SSO users sign in in the browser, copy the
session token (JWT) from Settings › Account and pipe it in with --token-stdin.

A server with sign-in turned off (WEBUI_AUTH=False) needs none of --email,
--ldap and --token-stdin: Keytray stores the key of its one account. Given
none of them, any other server is asked which ways in it offers, and they are
listed.

On servers with two-step sign-in (Open WebUI 0.12) the password is followed
by the code from your authenticator app, or a recovery code: pass it with
--code, or it is asked for without echo in a terminal.

The stored name (default <email local part>@<host>, with -2, -3… when taken)
is printed on stdout.`,
		Example: `  keytray login chat.example.com --email alice@example.com
  printf '%s\n' "$PASSWORD" | keytray login https://chat.example.com --email alice@example.com --password-stdin
  keytray login chat.example.com --ldap alice
  keytray login chat.example.com --email alice@example.com --code 123456
  wl-paste | keytray login chat.example.com --token-stdin --name work
  keytray login localhost:3000          # a server with sign-in turned off`,
		Args:              exactly("URL"),
		ValidArgsFunction: c.completeServers,
		RunE:              func(_ *cobra.Command, args []string) error { return c.login(o, args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&o.email, "email", "", "sign in with the email `E` and a password")
	f.StringVar(&o.ldapUser, "ldap", "", "sign in with the LDAP user name `USER` and a password")
	f.BoolVar(&o.tokenStdin, "token-stdin", false, "sign in with a session token (JWT) read from stdin")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from stdin (one trailing newline is dropped)")
	f.StringVar(&o.name, "name", "", "store the key under `NAME`")
	f.BoolVar(&o.rotate, "rotate", false, "replace the account's key with a new one")
	o.code.register(f)
	o.server.register(cmd, true, "the password")
	noCompletion(cmd, "email", "ldap", "name")
	return cmd
}

func (c *cli) login(o loginOptions, url string) error {
	email, ldapUser, tokenStdin, passwordStdin := o.email, o.ldapUser, o.tokenStdin, o.passwordStdin
	var err error
	methods := 0
	for _, set := range []bool{email != "", ldapUser != "", tokenStdin} {
		if set {
			methods++
		}
	}
	if methods > 1 {
		return usagef("say how to sign in, once: --email E (password), --ldap USER (LDAP password) or --token-stdin (a session token, for SSO accounts).")
	}
	if tokenStdin && passwordStdin {
		return usagef("--token-stdin and --password-stdin both read stdin; use one.")
	}
	if o.code.code != "" && email == "" && ldapUser == "" {
		return usagef("--code is the step after a password: it goes with --email or --ldap.")
	}

	creds := keys.Credentials{Email: email, User: ldapUser}
	switch {
	case methods == 0:
		// Only a server with sign-in turned off needs no way to sign in;
		// Login refuses any other, and it is told which ways it offers.
		creds.Method = keys.NoSignIn
	case tokenStdin:
		creds.Method = keys.Token
		creds.Secret, err = c.readSecret(secretSource{
			what: "session token", fromFlag: true, flag: "--token-stdin",
			prompt: "Session token (JWT) from Settings › Account: ",
		})
		if err == nil && credential.Classify(creds.Secret).Kind == credential.APIKey {
			return usagef("that is an API key, not a session token: store it with `keytray add %s --key-stdin`.", errtext.ShellQuote(url))
		}
	case ldapUser != "":
		creds.Method = keys.LDAP
		creds.Secret, err = c.readSecret(passwordSource(passwordStdin, fmt.Sprintf("LDAP password for %s at %s: ", ldapUser, url)))
	default:
		creds.Method = keys.Password
		creds.Secret, err = c.readSecret(passwordSource(passwordStdin, fmt.Sprintf("Password for %s at %s: ", email, url)))
	}
	if err != nil {
		return err
	}
	if creds.Method == keys.Password || creds.Method == keys.LDAP {
		if creds.Code, err = c.codeSource(o.code, orDefault(email, ldapUser), serverOf(url)); err != nil {
			return err
		}
	}

	var res keys.LoginResult
	err = c.online(func(ctx context.Context, svc *keys.Service) (err error) {
		res, err = svc.Login(ctx, keys.LoginRequest{
			Server: o.server.server(url),
			Creds:  creds,
			Name:   o.name,
			Rotate: o.rotate,
		})
		return err
	})
	if sr := (*keys.SignInRequiredError)(nil); errors.As(err, &sr) {
		return usagef("say how to sign in to %s: %s.", sr.Server.URL, signInWays(sr.Server))
	}
	if err != nil {
		return errtext.WithServer(errtext.WithName(err, o.name), serverOf(url))
	}
	fmt.Fprintln(c.stdout, res.Entry.Name)
	c.errorf("%s", loginOutcome(res))
	return nil
}

// signInWays lists the login flags for the ways info's server offers.
func signInWays(info openwebui.ServerInfo) string {
	var ways []string
	if info.PasswordAuth {
		ways = append(ways, "--email E (password)")
	}
	if info.LDAP {
		ways = append(ways, "--ldap USER (LDAP password)")
	}
	ways = append(ways, "--token-stdin (a session token from the browser, for SSO accounts)")
	if len(ways) == 1 {
		return "it offers no password sign-in, so " + ways[0]
	}
	return strings.Join(ways[:len(ways)-1], ", ") + " or " + ways[len(ways)-1]
}

// passwordSource is where a sign-in password comes from.
func passwordSource(fromFlag bool, prompt string) secretSource {
	return secretSource{what: "password", fromFlag: fromFlag, flag: "--password-stdin", prompt: prompt}
}

// serverOf is the normalised form of a URL the user typed, for messages;
// the typed form when it does not normalise.
func serverOf(raw string) string {
	if u, err := openwebui.NormalizeURL(raw); err == nil {
		return u
	}
	return raw
}

// loginOutcome says what Login did, in one sentence.
func loginOutcome(res keys.LoginResult) string {
	where := res.Entry.Instance
	if res.Server.Version != "" {
		where = fmt.Sprintf("%s (Open WebUI %s)", where, res.Server.Version)
	}
	msg := outcomeSentence(res, where)
	if res.RenamedFrom != "" && res.Outcome != keys.AlreadyStored {
		msg += fmt.Sprintf(" It was stored as %q before; the entry is renamed.", res.RenamedFrom)
	}
	return msg
}

// outcomeSentence says what Login did with the key.
func outcomeSentence(res keys.LoginResult, where string) string {
	account := orDefault(res.Entry.Email, "the account")
	switch res.Outcome {
	case keys.KeptExisting:
		return fmt.Sprintf("stored the existing API key of %s on %s as %q; the key on the server is unchanged.", account, where, res.Entry.Name)
	case keys.CreatedNew:
		return fmt.Sprintf("%s had no API key on %s: created one and stored it as %q.", account, where, res.Entry.Name)
	case keys.Rotated:
		return fmt.Sprintf("created a new API key for %s on %s and stored it as %q; the previous key no longer works.", account, where, res.Entry.Name)
	case keys.AlreadyStored:
		if res.RenamedFrom != "" {
			return fmt.Sprintf("the API key of %s on %s was already stored as %q: renamed it to %q; the key is unchanged.", account, where, res.RenamedFrom, res.Entry.Name)
		}
		return fmt.Sprintf("the API key of %s on %s is already stored as %q; nothing changed.", account, where, res.Entry.Name)
	}
	return fmt.Sprintf("stored the API key of %s on %s as %q.", account, where, res.Entry.Name)
}
