package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys"
)

func (c *cli) newRotateCmd() *cobra.Command {
	var f signInFlags
	cmd := &cobra.Command{
		Use:   "rotate NAME [--password-stdin | --token-stdin] [--ldap USER] [--code CODE] [--allow-http]",
		Short: "replace a key with a new one on the server",
		Long: `Creates a new key for NAME's account on the server and stores it; the
previous key stops working at once. Keytray first tries to do this with the
key itself; where the server refuses, it needs a sign-in: the password for
the stored account (asked without echo in a terminal, or --password-stdin),
an LDAP password (--ldap USER), or a session token (--token-stdin). On
servers with two-step sign-in the password is followed by an authenticator
code: --code CODE, or asked without echo in a terminal.`,
		Example: `  keytray rotate work
  printf '%s\n' "$PASSWORD" | keytray rotate work --password-stdin`,
		Args:              exactly("NAME"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.rotate(f, args[0]) },
	}
	f.register(cmd)
	return cmd
}

func (c *cli) rotate(f signInFlags, name string) error {
	e, err := c.signInTarget(&f, name)
	if err != nil {
		return err
	}
	err = c.withSignIn(e, f, func(ctx context.Context, creds *keys.Credentials) error {
		_, err := c.svc.RotateWith(ctx, e.Name, creds, keys.Manage{AllowHTTP: f.allowHTTP})
		return err
	})
	if err != nil {
		return err
	}
	c.errorf("created a new key for %q on %s and stored it; the previous key no longer works.", e.Name, e.Instance)
	return nil
}
