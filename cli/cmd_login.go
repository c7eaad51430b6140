package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// serverFlags are the connection flags of login and add.
type serverFlags struct {
	allowHTTP bool
	caFile    string
}

func (f *serverFlags) register(fs interface {
	BoolVar(*bool, string, bool, string)
	StringVar(*string, string, string, string)
}, withCA bool) {
	fs.BoolVar(&f.allowHTTP, "allow-http", false, "")
	if withCA {
		fs.StringVar(&f.caFile, "ca-file", "", "")
	}
}

// server is where to connect for url, with these flags.
func (f *serverFlags) server(url string) keys.Server {
	return keys.Server{URL: url, AllowHTTP: f.allowHTTP, CAFile: f.caFile}
}

func (c *cli) login(args []string) error {
	fs := newFlags("login")
	var email, ldapUser, name string
	var passwordStdin, tokenStdin, rotate bool
	var sf serverFlags
	fs.StringVar(&email, "email", "", "")
	fs.StringVar(&ldapUser, "ldap", "", "")
	fs.BoolVar(&tokenStdin, "token-stdin", false, "")
	fs.BoolVar(&passwordStdin, "password-stdin", false, "")
	fs.StringVar(&name, "name", "", "")
	fs.BoolVar(&rotate, "rotate", false, "")
	sf.register(fs, true)
	pos, err := parseExact(fs, args, "URL")
	if err != nil {
		return err
	}
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
	url := pos[0]

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
			return usagef("that is an API key, not a session token: store it with `keytray add %s --key-stdin`.", url)
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

	var res keys.LoginResult
	err = c.online(func(ctx context.Context, svc *keys.Service) (err error) {
		res, err = svc.Login(ctx, keys.LoginRequest{
			Server: sf.server(url),
			Creds:  creds,
			Name:   name,
			Rotate: rotate,
		})
		return err
	})
	if sr := (*keys.SignInRequiredError)(nil); errors.As(err, &sr) {
		return usagef("say how to sign in to %s: %s.", sr.Server.URL, signInWays(sr.Server))
	}
	if err != nil {
		return errtext.WithServer(errtext.WithName(err, name), serverOf(url))
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
	account := orDefault(res.Entry.Email, "the account")
	switch res.Outcome {
	case keys.KeptExisting:
		return fmt.Sprintf("stored the existing API key of %s on %s as %q; the key on the server is unchanged.", account, where, res.Entry.Name)
	case keys.CreatedNew:
		return fmt.Sprintf("%s had no API key on %s: created one and stored it as %q.", account, where, res.Entry.Name)
	case keys.Rotated:
		return fmt.Sprintf("created a new API key for %s on %s and stored it as %q; the previous key no longer works.", account, where, res.Entry.Name)
	case keys.AlreadyStored:
		return fmt.Sprintf("the API key of %s on %s is already stored as %q; nothing changed.", account, where, res.Entry.Name)
	}
	return fmt.Sprintf("stored the API key of %s on %s as %q.", account, where, res.Entry.Name)
}

func (c *cli) add(args []string) error {
	fs := newFlags("add")
	var name string
	var keyStdin, noVerify bool
	var sf serverFlags
	fs.BoolVar(&keyStdin, "key-stdin", false, "")
	fs.StringVar(&name, "name", "", "")
	fs.BoolVar(&noVerify, "no-verify", false, "")
	sf.register(fs, true)
	pos, err := parseExact(fs, args, "URL")
	if err != nil {
		return err
	}
	url := pos[0]
	key, err := c.readSecret(secretSource{
		what: "API key", fromFlag: keyStdin, flag: "--key-stdin",
		prompt: "API key (sk-…) from Settings › Account › API keys: ",
	})
	if err != nil {
		return err
	}
	// Classified here too, before anything is opened or sent: a JWT gets its
	// explanation (and exit 3) even when the keyring or server is down.
	if credential.Classify(key).Kind == credential.SessionJWT {
		return errtext.WithServer(fmt.Errorf("adding a key: %w", keys.ErrJWTNotKey), serverOf(url))
	}

	var e vault.Entry
	err = c.online(func(ctx context.Context, svc *keys.Service) (err error) {
		e, err = svc.Add(ctx, keys.AddRequest{
			Server:   sf.server(url),
			Key:      key,
			Name:     name,
			NoVerify: noVerify,
		})
		return err
	})
	if errors.Is(err, keys.ErrAlreadyStored) {
		if stored, ok := c.entryWithKey(key); ok {
			name = stored
		}
	}
	if err != nil {
		return errtext.WithServer(errtext.WithName(errtext.WhileAdding(err), name), serverOf(url))
	}
	fmt.Fprintln(c.stdout, e.Name)
	switch {
	case noVerify:
		c.errorf("stored the key as %q without checking it (run `keytray check %s` to check it).", e.Name, e.Name)
	case e.LastStatus != "" && e.LastStatus != string(openwebui.StatusValid):
		c.errorf("stored the key as %q; the server's check said: %s.", e.Name, statusSentence(e.LastStatus, e.LastDetail))
	default:
		c.errorf("checked the key with %s and stored it as %q.", e.Instance, e.Name)
	}
	return nil
}

// entryWithKey names the stored entry holding key (by fingerprint), if any.
func (c *cli) entryWithKey(key string) (string, bool) {
	fp := credential.Fingerprint(strings.TrimSpace(key))
	for _, e := range c.index.Entries {
		if e.Fingerprint == fp {
			return e.Name, true
		}
	}
	return "", false
}
