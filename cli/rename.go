package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/vault"
)

func (c *cli) newRenameCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "rename OLD NEW",
		Short:             "rename a stored key",
		Long:              `Renames a stored key (its index entry and its keyring item).`,
		Example:           `  keytray rename alice@chat.example.com work`,
		Args:              exactly("OLD", "NEW"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.rename(args[0], args[1]) },
	}
}

func (c *cli) rename(oldName, newName string) error {
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
