package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys"
)

func (c *cli) newEnvCmd() *cobra.Command {
	var export bool
	cmd := &cobra.Command{
		Use:   "env NAME [--export]",
		Short: "print OPENAI_API_KEY and OPENAI_BASE_URL lines",
		Long: `Prints two lines for NAME:
  OPENAI_API_KEY=<the key>
  OPENAI_BASE_URL=<server>/api
in the dotenv / docker --env-file form. --export prints shell "export" lines
with quoted values instead. Prefer ` + "`keytray exec`" + `, which never shows the key.`,
		Example: `  keytray env work > .env && chmod 600 .env
  eval "$(keytray env work --export)"`,
		Args:              exactly("NAME"),
		ValidArgsFunction: c.completeStoredNames(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.env(args[0], export) },
	}
	cmd.Flags().BoolVar(&export, "export", false, "print shell export lines with quoted values")
	return cmd
}

func (c *cli) env(name string, export bool) error {
	e, key, err := c.keyFor(name)
	if err != nil {
		return err
	}
	vars := [][2]string{{"OPENAI_API_KEY", key}, {"OPENAI_BASE_URL", keys.BaseURL(e)}}
	var b strings.Builder
	for _, v := range vars {
		if export {
			fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
		} else {
			fmt.Fprintf(&b, "%s=%s\n", v[0], v[1])
		}
	}
	_, err = fmt.Fprint(c.stdout, b.String())
	return err
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
