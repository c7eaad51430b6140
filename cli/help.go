package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newHelpCmd is `keytray help [COMMAND]`, which replaces cobra's own so that
// a mistyped name is a usage error with a suggestion.
func (c *cli) newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "show help for a command",
		Long:  `Shows the list of commands, or the details and examples of one.`,
		Example: `  keytray help
  keytray help login`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, cmd := range root.Commands() {
				if cmd.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(cmd.Name(), cmd.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				c.printOverview(c.stdout, root)
				return nil
			case 1:
				cmd := findCommand(root, args[0])
				if cmd == nil {
					msg := fmt.Sprintf("there is no command %q.", args[0])
					if s := suggest(root, args[0]); s != "" {
						msg += fmt.Sprintf(" Did you mean %q?", s)
					}
					return usagef("%s", msg)
				}
				printCommandHelp(c.stdout, cmd)
				return nil
			}
			return usagef("help takes one command name.")
		},
	}
}
