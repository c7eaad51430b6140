package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/version"
)

func (c *cli) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Long: `Prints Keytray's version, the build number and kind (desktop or headless), the
Go version, the commit it was built from, and where the documentation is.
Also: keytray --version.`,
		Example:           `  keytray --version`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprint(c.stdout, versionText())
			return err
		},
	}
}

// versionText is `keytray version`: release, build, Go version, commit and
// links, from the one place the About dialog reads too.
func versionText() string {
	return version.Read().String()
}
