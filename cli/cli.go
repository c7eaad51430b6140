package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/vault"
)

// Exit statuses (see the package doc).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitJWT     = 3
)

// Main runs one command line (args without the program name) and returns the
// exit status. It never starts the GUI.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{
		stdin:       stdin,
		stdout:      stdout,
		stderr:      stderr,
		openService: openProfile,
		environ:     os.Environ,
	}
	return c.run(args)
}

// openProfile opens the user's profile; a failure names its folder.
func openProfile() (*keys.Service, error) {
	svc, err := keys.Open()
	if err != nil {
		return nil, errtext.WithPath(err, vault.DefaultDir())
	}
	return svc, nil
}

// cli is one invocation: its streams and, once a command needs it, the service.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// openService opens the profile (keys.Open; tests pass one over a memory store).
	openService func() (*keys.Service, error)
	// environ is the environment handed to `exec` children (os.Environ).
	environ func() []string

	svc   *keys.Service
	index *vault.Index // as loaded by service(), for lookups without a second read
}

// command is one subcommand.
type command struct {
	name     string
	synopsis string // arguments, as in the usage line
	short    string // one line for `keytray help`
	long     string // details and examples for `keytray help NAME`
	run      func(c *cli, args []string) error
}

// commands in the order `keytray help` lists them. A function, not a
// package-level variable, so that nothing is built at init.
func commands() []command {
	return []command{
		{"login", loginSynopsis, "sign in to a server and store the account's API key", loginHelp, (*cli).login},
		{"add", addSynopsis, "store an existing sk- API key", addHelp, (*cli).add},
		{"list", "[--json]", "list stored keys (masked) and their last status", listHelp, (*cli).list},
		{"get", "NAME", "print a key alone on stdout", getHelp, (*cli).get},
		{"env", "NAME [--export]", "print OPENAI_API_KEY and OPENAI_BASE_URL lines", envHelp, (*cli).env},
		{"exec", "NAME -- CMD [ARGS...]", "run a command with OPENAI_API_KEY and OPENAI_BASE_URL set", execHelp, (*cli).exec},
		{"check", "[NAME...] [--json]", "verify keys against their servers", checkHelp, (*cli).check},
		{"rotate", rotateSynopsis, "replace a key with a new one on the server", rotateHelp, (*cli).rotate},
		{"revoke", revokeSynopsis, "delete a key on the server, then locally", revokeHelp, (*cli).revoke},
		{"remove", "NAME", "forget a key locally (it keeps working on the server)", removeHelp, (*cli).remove},
		{"rename", "OLD NEW", "rename a stored key", renameHelp, (*cli).rename},
		{"inspect", "[--clipboard]", "tell whether text is an API key, a session token (JWT) or neither", inspectHelp, (*cli).inspect},
		{"export", exportSynopsis, "write keys to an encrypted backup (or, on request, plain text)", exportHelp, (*cli).export},
		{"import", importSynopsis, "restore keys from a backup", importHelp, (*cli).importCmd},
		{"config", "[KEY [VALUE]]", "show or change settings", configHelp, (*cli).config},
		{"doctor", "", "check the keyring, the index and every server", doctorHelp, (*cli).doctor},
		{"version", "", "print the version", versionHelp, (*cli).version},
		{"help", "[COMMAND]", "show help for a command", helpHelp, (*cli).help},
	}
}

func lookupCommand(name string) (command, bool) {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

func (c *cli) run(args []string) int {
	if len(args) == 0 {
		c.errorf("no command given.")
		c.printOverview(c.stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "-help":
		name = "help"
	case "--version", "-version", "-v":
		name = "version"
	}
	cmd, ok := lookupCommand(name)
	if !ok {
		msg := fmt.Sprintf("unknown command %q.", name)
		if strings.HasPrefix(name, "-") {
			msg = fmt.Sprintf("unknown option %q.", name)
		}
		if s := suggest(name); s != "" {
			msg += fmt.Sprintf(" Did you mean `keytray %s`?", s)
		}
		c.errorf("%s Run `keytray help` for the list of commands.", msg)
		return exitUsage
	}
	err := cmd.run(c, rest)
	return c.finish(cmd, err)
}

// finish turns a command's error into its message and exit status.
func (c *cli) finish(cmd command, err error) int {
	var status exitStatus
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		c.printCommandHelp(c.stdout, cmd)
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.As(err, &usage):
		c.errorf("%s", usage.msg)
		fmt.Fprintf(c.stderr, "Usage: keytray %s %s\nRun `keytray %s -h` for details and examples.\n", cmd.name, cmd.synopsis, cmd.name)
		return exitUsage
	}
	var unsaved *keys.UnsavedKeyError
	if errors.As(err, &unsaved) {
		// The server made a key that could not be stored: it exists nowhere
		// else, so it is shown rather than lost (stdout: it is the data).
		fmt.Fprintln(c.stdout, unsaved.Key)
	}
	c.errorf("%s", errtext.Explain(err).String())
	if errors.Is(err, keys.ErrJWTNotKey) {
		return exitJWT
	}
	return exitFailure
}

// exitStatus ends a command with this status and no further message (the
// command has said what there was to say, or passes a child's status through).
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// usageError is a mistake in the command line itself (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// errorf writes one "keytray: …" message to stderr.
func (c *cli) errorf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "keytray: "+format+"\n", a...)
}

// warnf writes one "keytray: warning: …" message to stderr.
func (c *cli) warnf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "keytray: warning: "+format+"\n", a...)
}

// service opens the profile once per invocation and warns when the index had
// to be recovered from its last-good copy.
func (c *cli) service() (*keys.Service, error) {
	if c.svc != nil {
		return c.svc, nil
	}
	svc, err := c.openService()
	if err != nil {
		return nil, err
	}
	idx, rec, err := svc.Vault.Load()
	if rec != nil {
		c.warnf("%s", errtext.RecoveryNotice(rec).String())
	}
	if err != nil {
		return nil, errtext.WithPath(err, svc.Vault.IndexPath())
	}
	c.svc, c.index = svc, idx
	return svc, nil
}

// entry finds a stored entry in the index service() loaded.
func (c *cli) entry(name string) (vault.Entry, error) {
	if _, err := c.service(); err != nil {
		return vault.Entry{}, err
	}
	e, err := c.index.Entry(name) // names compare as the vault compares them
	if err != nil {
		return vault.Entry{}, errtext.WithName(fmt.Errorf("looking up %q: %w", name, err), name)
	}
	return e, nil
}

// serviceFor is service, after checking that every one of names is stored:
// a mistyped name fails before anything is read, sent or written.
func (c *cli) serviceFor(names []string) (*keys.Service, error) {
	svc, err := c.service()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := c.entry(name); err != nil {
			return nil, err
		}
	}
	return svc, nil
}

// online runs a network operation with the service and a context that
// Ctrl-C cancels.
func (c *cli) online(op func(context.Context, *keys.Service) error) error {
	svc, err := c.service()
	if err != nil {
		return err
	}
	ctx, stop := interruptible()
	defer stop()
	return op(ctx, svc)
}

// interruptible is a context cancelled by Ctrl-C, for network operations.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// newFlags makes a command's flag set; errors and help are reported by finish.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags anywhere among args (as gh and git do) and returns
// the positional arguments; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s", flagErrorSentence(err))
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagErrorSentence rewords the flag package's errors.
func flagErrorSentence(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Sprintf("unknown flag --%s.", strings.TrimPrefix(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("--%s needs a value.", strings.TrimPrefix(name, "-"))
	}
	return fixSentence(strings.TrimPrefix(msg, "flag: "))
}

// parseExact parses args and checks that exactly the named positional
// arguments were given.
func parseExact(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	return pos, exactArgs(pos, names...)
}

// exactArgs checks the number of positional arguments.
func exactArgs(got []string, names ...string) error {
	switch {
	case len(got) < len(names):
		return usagef("missing %s.", strings.Join(names[len(got):], " and "))
	case len(got) > len(names):
		return usagef("unexpected argument %q.", got[len(names)])
	}
	return nil
}

// stringList is a repeatable string flag (--recipient R --recipient R2).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// suggest returns the command closest to a mistyped one, or "".
func suggest(name string) string {
	best, bestDist := "", 3
	for _, cmd := range commands() {
		if d := editDistance(strings.ToLower(strings.TrimLeft(name, "-")), cmd.name); d < bestDist {
			best, bestDist = cmd.name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
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

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fixSentence makes sure a sentence coming from elsewhere ends like one.
func fixSentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
