package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys"
)

func (c *cli) newRevokeCmd() *cobra.Command {
	var f signInFlags
	var yes bool
	cmd := &cobra.Command{
		Use:   "revoke NAME [--password-stdin | --token-stdin] [--ldap USER] [--code CODE] [--allow-http] [--yes]",
		Short: "delete a key on the server, then locally",
		Long: `Deletes NAME's key on the server, then forgets it locally. Anything that
uses the key stops working. Same sign-in rules as rotate. In a terminal you
are asked to confirm unless --yes.`,
		Example: `  keytray revoke old-laptop
  printf '%s\n' "$PASSWORD" | keytray revoke old-laptop --password-stdin`,
		Args:              exactly("NAME"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.revoke(f, yes, args[0]) },
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return cmd
}

func (c *cli) revoke(f signInFlags, yes bool, name string) error {
	e, err := c.signInTarget(&f, name)
	if err != nil {
		return err
	}
	if !yes && isTerminal(c.stdin) {
		ok, err := c.confirm(fmt.Sprintf("Delete the key %q on %s? Anything that uses it stops working. [y/N] ", e.Name, e.Instance))
		if err != nil {
			return err
		}
		if !ok {
			c.errorf("nothing was changed.")
			return exitStatus(exitFailure)
		}
	}
	var out keys.RevokeOutcome
	err = c.withSignIn(e, f, func(ctx context.Context, creds *keys.Credentials) (err error) {
		out, err = c.svc.RevokeWith(ctx, e.Name, creds, keys.Manage{AllowHTTP: f.allowHTTP})
		return err
	})
	if err != nil {
		return err
	}
	if out == keys.AlreadyGone {
		c.errorf("%s no longer had the key %q (it was revoked or replaced there already), so nothing was deleted there; it was forgotten here.", e.Instance, e.Name)
		return nil
	}
	c.errorf("deleted the key %q on %s and forgot it here.", e.Name, e.Instance)
	return nil
}
