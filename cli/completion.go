package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys"
)

// shells are the shells `keytray completion` writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func (c *cli) newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "print the shell completion script",
		Long: `Prints a script that completes Keytray's commands, flags, stored key names
(keytray get <TAB>), settings and their values, and files where a file is
wanted. Completing reads only the index, never the keyring, so it works with
the keyring locked and never asks to unlock it.

Load it in your shell's start-up file:
  bash         echo 'source <(keytray completion bash)' >> ~/.bashrc
  zsh          echo 'source <(keytray completion zsh)' >> ~/.zshrc
               (with compinit loaded: autoload -U compinit && compinit)
  fish         keytray completion fish > ~/.config/fish/completions/keytray.fish
  PowerShell   keytray completion powershell | Out-String | Invoke-Expression
               (add that line to $PROFILE)`,
		Example: `  source <(keytray completion bash)
  keytray completion fish > ~/.config/fish/completions/keytray.fish`,
		Args:              exactly("SHELL"),
		ValidArgs:         shells,
		ValidArgsFunction: cobra.FixedCompletions(shells, cobra.ShellCompDirectiveNoFileComp),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(c.stdout, true)
			case "zsh":
				return root.GenZshCompletion(c.stdout)
			case "fish":
				return root.GenFishCompletion(c.stdout, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(c.stdout)
			}
			return usagef("there is no completion for %q; the shells are bash, zsh, fish and powershell.", args[0])
		},
	}
}

// completeStoredNames offers the names of stored keys for the first max
// positional arguments (all of them when max < 0), each described by its
// account and server. It reads the index only: never the keyring, never the
// network, and it prints nothing, so a damaged index completes nothing.
func (c *cli) completeStoredNames(max int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max >= 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		svc, err := c.openService()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		idx, _, err := svc.Index()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		given := make(map[string]bool, len(args))
		for _, a := range args {
			given[a] = true
		}
		names := make([]cobra.Completion, 0, len(idx.Entries))
		for _, e := range idx.Entries {
			if given[e.Name] {
				continue
			}
			names = append(names, cobra.CompletionWithDesc(e.Name, fmt.Sprintf("%s on %s", orDefault(e.Email, "key"), e.Instance)))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeServers offers the servers already known, for a URL argument.
func (c *cli) completeServers(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	svc, err := c.openService()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	idx, _, err := svc.Index()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	urls := make([]cobra.Completion, 0, len(idx.Instances))
	for _, inst := range idx.Instances {
		urls = append(urls, cobra.CompletionWithDesc(inst.URL, orDefault(inst.Name, "Open WebUI")))
	}
	return urls, cobra.ShellCompDirectiveNoFileComp
}

// completeConfig offers the settings, then the values the chosen one takes.
func completeConfig(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		var names []cobra.Completion
		for _, name := range keys.SettingNames() {
			names = append(names, cobra.CompletionWithDesc(name, keys.SettingHelp(name)))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	case 1:
		return keys.SettingValues(args[0]), cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// noCompletion says that these flags take a value no file name fits.
func noCompletion(cmd *cobra.Command, flags ...string) {
	for _, name := range flags {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
}
