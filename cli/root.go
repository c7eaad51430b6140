package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys/credential"
	"github.com/spf13/pflag"
)

func init() {
	// `keytray help` lists the commands in the order they are added (by
	// use), not alphabetically.
	cobra.EnableCommandSorting = false
	// A double-clicked keytray.exe starts the desktop app before cobra is
	// reached; any other start from Explorer is a command line on purpose.
	cobra.MousetrapHelpText = ""
}

// synopsisAnnotation holds a command's further usage lines (one per line),
// for commands with more than one form.
const synopsisAnnotation = "keytray:synopsis"

// commandMakers are the commands in the order `keytray help` lists them,
// each defined in its own file. help is added by newRoot.
func (c *cli) commandMakers() []commandMaker {
	return []commandMaker{
		{"login", c.newLoginCmd},
		{"add", c.newAddCmd},
		{"list", c.newListCmd},
		{"get", c.newGetCmd},
		{"env", c.newEnvCmd},
		{"exec", c.newExecCmd},
		{"run", c.newRunCmd},
		{"inject", c.newInjectCmd},
		{"scan", c.newScanCmd},
		{"check", c.newCheckCmd},
		{"rotate", c.newRotateCmd},
		{"revoke", c.newRevokeCmd},
		{"remove", c.newRemoveCmd},
		{"rename", c.newRenameCmd},
		{"inspect", c.newInspectCmd},
		{"export", c.newExportCmd},
		{"import", c.newImportCmd},
		{"config", c.newConfigCmd},
		{"doctor", c.newDoctorCmd},
		{"completion", c.newCompletionCmd},
		{"version", c.newVersionCmd},
	}
}

// commandMaker builds one command.
type commandMaker struct {
	name string
	make func() *cobra.Command
}

// commands builds every command, or only the one named only: a script's
// `keytray get` needs no other, and building all of them (with their flags)
// is most of what cobra adds to a command's start-up.
func (c *cli) commands(only string) []*cobra.Command {
	var cmds []*cobra.Command
	for _, m := range c.commandMakers() {
		if only == "" || m.name == only {
			cmds = append(cmds, m.make())
		}
	}
	return cmds
}

// isCommandName reports whether name is one of the commands (help included).
func (c *cli) isCommandName(name string) bool {
	for _, m := range c.commandMakers() {
		if m.name == name {
			return true
		}
	}
	return name == "help"
}

// newRoot builds the command tree: every command when only is "", else the
// root with just that one (and help).
func (c *cli) newRoot(only ...string) *cobra.Command {
	var one string
	if len(only) > 0 {
		one = only[0]
	}
	root := &cobra.Command{
		Use:   "keytray [--hidden] [COMMAND]",
		Short: "keep Open WebUI API keys in your operating system's keyring",
		Long: `Keytray keeps Open WebUI API keys in your operating system's keyring. With no
arguments it starts the desktop app (window and tray); with a command it is
the command line, which never starts the GUI.`,
		SilenceErrors:         true,
		SilenceUsage:          true,
		DisableAutoGenTag:     true,
		DisableFlagsInUseLine: true,
		CompletionOptions:     cobra.CompletionOptions{DisableDefaultCmd: true},
		// A mistyped command is at most two edits from the one meant (or a
		// prefix of it): "did you mean list?".
		SuggestionsMinimumDistance: 2,
	}
	root.SetIn(c.stdin)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usagef("%s", flagErrorSentence(err))
	})
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) {
		if cmd == root {
			c.printOverview(c.stdout, root)
			return
		}
		printCommandHelp(c.stdout, cmd)
	})
	root.AddCommand(c.commands(one)...)
	root.SetHelpCommand(c.newHelpCmd(root))
	root.InitDefaultHelpCmd() // adds it now, so that it is found and listed like the others
	for _, cmd := range root.Commands() {
		cmd.DisableAutoGenTag = true
		cmd.DisableFlagsInUseLine = true // Use already names the flags
		cmd.Flags().SortFlags = false    // in the order each command defines them
		// -h works everywhere; it is not listed among each command's flags.
		cmd.InitDefaultHelpFlag()
		_ = cmd.Flags().MarkHidden("help")
	}
	return root
}

// NewDocsCommand is the command tree, for generating documentation (man
// pages) from the same definitions the program runs. Its commands must not
// be executed. The texts are written for a terminal; here they are made
// Markdown, which is what cobra's man page generator reads.
func NewDocsCommand() *cobra.Command {
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	root := c.newRoot()
	root.Long += "\n\n" + exitStatusText
	root.Flags().Bool("hidden", false, "start the desktop app in the tray only, without opening the window")
	root.InitDefaultHelpFlag()
	_ = root.Flags().MarkHidden("help")
	for _, cmd := range append(root.Commands(), root) {
		cmd.Long = markdown(cmd.Long)
	}
	return root
}

// exitStatusText is the exit status part of `keytray help`.
const exitStatusText = `Exit status: 0 success, 1 failure, 2 usage error, 3 a session token (JWT) was
given where an API key was expected.`

// markdown turns a help text into Markdown that says the same: angle
// brackets are escaped (not HTML), and indented lines (lists of settings,
// examples) become code blocks, which keep their lines.
func markdown(text string) string {
	text = strings.NewReplacer("<", "\\<", ">", "\\>").Replace(text)
	lines := strings.Split(text, "\n")
	var b strings.Builder
	inBlock := false
	for i, line := range lines {
		indented := strings.HasPrefix(line, "  ")
		if indented && !inBlock && i > 0 && lines[i-1] != "" {
			b.WriteString("\n") // a code block cannot interrupt a paragraph
		}
		if indented {
			line = "  " + line
		}
		inBlock = indented
		b.WriteString(line)
		if i < len(lines)-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// printOverview is `keytray help`: what Keytray is and every command.
func (c *cli) printOverview(w io.Writer, root *cobra.Command) {
	fmt.Fprint(w, `Keytray keeps Open WebUI API keys in your operating system's keyring.

Usage:
  keytray                  start the desktop app (window and tray)
  keytray --hidden         start the desktop app in the tray only
  keytray COMMAND [ARGS]   run a command

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, cmd := range root.Commands() {
		if cmd.IsAvailableCommand() || cmd.Name() == "help" {
			fmt.Fprintf(tw, "  %s\t%s\n", cmd.Name(), cmd.Short)
		}
	}
	tw.Flush()
	fmt.Fprint(w, `
Run `+"`keytray help COMMAND`"+` (or `+"`keytray COMMAND -h`"+`) for details and examples.

`+exitStatusText+"\n")
}

// printCommandHelp is `keytray help NAME` and `keytray NAME -h`.
func printCommandHelp(w io.Writer, cmd *cobra.Command) {
	fmt.Fprintf(w, "keytray %s: %s\n\nUsage: keytray %s\n", cmd.Name(), cmd.Short, cmd.Use)
	if more := cmd.Annotations[synopsisAnnotation]; more != "" {
		for _, line := range strings.Split(more, "\n") {
			fmt.Fprintf(w, "       keytray %s\n", line)
		}
	}
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.Long))
	}
	if flags := cmd.LocalFlags().FlagUsagesWrapped(100); flags != "" {
		fmt.Fprintf(w, "\nFlags:\n%s", flags)
	}
	if cmd.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(cmd.Example, "\n"))
	}
}

// findCommand is the command named name (or one of its aliases), or nil.
func findCommand(root *cobra.Command, name string) *cobra.Command {
	for _, cmd := range root.Commands() {
		if cmd.Name() == name || cmd.HasAlias(name) {
			return cmd
		}
	}
	return nil
}

// isCompletionRequest: the shell completion scripts call the program with
// cobra's hidden __complete command.
func isCompletionRequest(name string) bool {
	return name == cobra.ShellCompRequestCmd || name == cobra.ShellCompNoDescRequestCmd
}

// suggest returns the command closest to a mistyped one, or "" (cobra's
// suggestions: a prefix, or at most two edits away).
func suggest(root *cobra.Command, name string) string {
	typed := strings.ToLower(strings.TrimLeft(name, "-"))
	if typed == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, s := range root.SuggestionsFor(typed) {
		if d := editDistance(typed, s); bestDist < 0 || d < bestDist {
			best, bestDist = s, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, to rank cobra's
// suggestions (which come in the order the commands were added).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// flagErrorSentence rewords pflag's errors as Keytray's sentences.
func flagErrorSentence(err error) string {
	var notExist *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &notExist) && notExist.GetSpecifiedName() != "":
		return fmt.Sprintf("unknown flag --%s.", notExist.GetSpecifiedName())
	case errors.As(err, &notExist):
		// pflag names the unknown letter only in its message: "unknown
		// shorthand flag: 'x' in -xy".
		if _, quoted, ok := strings.Cut(err.Error(), ": "); ok {
			letter, _, _ := strings.Cut(quoted, " in ")
			return fmt.Sprintf("unknown flag -%s.", strings.Trim(letter, "'"))
		}
	case errors.As(err, &needsValue):
		return fmt.Sprintf("--%s needs a value.", needsValue.GetFlag().Name)
	case errors.As(err, &invalid):
		return fmt.Sprintf("%q is not a valid value for --%s.", invalid.GetValue(), invalid.GetFlag().Name)
	}
	return fixSentence(err.Error())
}

// exactly checks that a command got exactly the named positional arguments.
func exactly(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error { return exactArgs(args, names...) }
}

// exactArgs checks the number of positional arguments.
func exactArgs(got []string, names ...string) error {
	switch {
	case len(got) < len(names):
		return usagef("missing %s.", strings.Join(names[len(got):], " and "))
	case len(got) > len(names) && credential.Classify(got[len(names)]).Kind != credential.Other:
		// Never echoed: it is a secret (and is now in the shell's history).
		return usagef("unexpected argument: it looks like an API key or a session token, so it is not repeated here. " +
			"Keytray never takes a secret as an argument (other programs can read arguments): pass it on stdin " +
			"(--key-stdin, --token-stdin) or type it when asked. Consider it exposed, and remove it from your shell history.")
	case len(got) > len(names):
		return usagef("unexpected argument %q.", got[len(names)])
	}
	return nil
}
