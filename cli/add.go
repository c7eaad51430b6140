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
	"github.com/keytray/keytray/keys/vault"
)

// addOptions are add's flags.
type addOptions struct {
	name     string
	keyStdin bool
	noVerify bool
	server   serverFlags
}

func (c *cli) newAddCmd() *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add URL [--key-stdin] [--name NAME] [--no-verify] [--allow-http] [--ca-file FILE]",
		Short: "store an existing sk- API key",
		Long: `Stores an API key you already have (an sk- key from Settings › Account ›
API keys), after checking it with the server unless --no-verify. The key is
read from stdin with --key-stdin, or asked for without echo in a terminal.

A session token (JWT) is refused with exit status 3: it is a browser session,
not a key, and it stops working when it expires or the server's secret
changes. Turn it into an API key with ` + "`keytray login URL --token-stdin`" + ` instead.

The stored name is printed on stdout.`,
		Example: `  keytray add chat.example.com
  printf '%s\n' "$KEY" | keytray add chat.example.com --key-stdin --name ci`,
		Args:              exactly("URL"),
		ValidArgsFunction: c.completeServers,
		RunE:              func(_ *cobra.Command, args []string) error { return c.add(o, args[0]) },
	}
	f := cmd.Flags()
	f.BoolVar(&o.keyStdin, "key-stdin", false, "read the key from stdin (one trailing newline is dropped)")
	f.StringVar(&o.name, "name", "", "store the key under `NAME` (default: from the key's owner, or the host)")
	f.BoolVar(&o.noVerify, "no-verify", false, "store without asking the server")
	o.server.register(cmd, true, "the key")
	noCompletion(cmd, "name")
	return cmd
}

func (c *cli) add(o addOptions, url string) error {
	key, err := c.readSecret(secretSource{
		what: "API key", fromFlag: o.keyStdin, flag: "--key-stdin",
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
			Server:   o.server.server(url),
			Key:      key,
			Name:     o.name,
			NoVerify: o.noVerify,
		})
		return err
	})
	name := o.name
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
	case o.noVerify:
		c.errorf("stored the key as %q without checking it (run `keytray check %s` to check it).", e.Name, errtext.ShellQuote(e.Name))
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
