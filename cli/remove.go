package cli

import (
	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
)

func (c *cli) newRemoveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "forget a key locally (it keeps working on the server)",
		Long: `Forgets NAME locally (keyring item and index entry). The key keeps working
on the server; use ` + "`keytray revoke`" + ` to disable it there too.`,
		Example:           `  keytray remove work`,
		Args:              exactly("NAME"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.remove(args[0]) },
	}
}

func (c *cli) remove(name string) error {
	e, err := c.entry(name)
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
