package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

func (c *cli) newGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "get NAME",
		Short: "print a key alone on stdout",
		Long: `Prints the key stored as NAME on stdout and nothing else: with a newline when
stdout is a terminal, without one otherwise (so a file or a pipe gets exactly
the key). It never contacts the server.`,
		Example: `  curl -H "Authorization: Bearer $(keytray get work)" https://chat.example.com/api/models
  keytray get work | wl-copy`,
		Args:              exactly("NAME"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.get(args[0]) },
	}
}

func (c *cli) get(name string) error {
	_, key, err := c.keyFor(name)
	if err != nil {
		return err
	}
	if isTerminal(c.stdout) {
		key += "\n"
	}
	_, err = fmt.Fprint(c.stdout, key)
	return err
}

// keyFor reads the entry and key for NAME: the whole of `get`, so it does the
// minimum (index, one keyring item) and never touches the network.
func (c *cli) keyFor(name string) (vault.Entry, string, error) {
	e, err := c.entry(name)
	if err != nil {
		return vault.Entry{}, "", err
	}
	key, err := c.svc.KeyOf(e) // the index is already read: no second parse
	if err != nil {
		return vault.Entry{}, "", errtext.WithName(err, name)
	}
	if e.LastStatus == string(openwebui.StatusRejected) {
		c.warnf("the last check (%s) found the key %q rejected by the server; run `keytray check %s`.",
			relativeTime(e.LastChecked, c.svc.Now()), name, errtext.ShellQuote(name))
	}
	return e, key, nil
}
