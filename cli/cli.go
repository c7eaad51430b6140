package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/autostart"
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
		loginItem:   systemLoginItem{},
	}
	return c.run(args)
}

// loginItem is what `config start-at-login` changes besides the setting.
type loginItem interface {
	apply(on bool) error
}

// systemLoginItem is the real one: an XDG autostart entry, the Windows Run
// key or a macOS launch agent, the same the window's settings make.
type systemLoginItem struct{}

func (systemLoginItem) apply(on bool) error { return autostart.Apply(on) }

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
	// loginItem is the start-at-login item (tests pass a fake).
	loginItem loginItem

	svc   *keys.Service
	index *vault.Index // as loaded by service(), for lookups without a second read
}

func (c *cli) run(args []string) int {
	if len(args) == 0 {
		c.errorf("no command given.")
		c.printOverview(c.stderr, c.newRoot())
		return exitUsage
	}
	// The spellings people type for help and version, as flags of the
	// program rather than of a command.
	switch args[0] {
	case "-h", "--help", "-help":
		args = append([]string{"help"}, args[1:]...)
	case "--version", "-version", "-v":
		args = append([]string{"version"}, args[1:]...)
	}
	name := args[0]
	var root *cobra.Command
	switch {
	case c.isCommandName(name) && name != "help" && name != "completion":
		root = c.newRoot(name) // the one command asked for: the fast path for scripts
	default:
		root = c.newRoot() // help, completion and suggestions need them all
	}
	if !isCompletionRequest(name) && findCommand(root, name) == nil {
		msg := fmt.Sprintf("unknown command %q.", name)
		if strings.HasPrefix(name, "-") {
			msg = fmt.Sprintf("unknown option %q.", name)
		}
		if s := suggest(root, name); s != "" {
			msg += fmt.Sprintf(" Did you mean `keytray %s`?", s)
		}
		c.errorf("%s Run `keytray help` for the list of commands.", msg)
		return exitUsage
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	return c.finish(cmd, err)
}

// finish turns a command's error into its message and exit status.
func (c *cli) finish(cmd *cobra.Command, err error) int {
	var status exitStatus
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.As(err, &usage):
		c.errorf("%s", usage.msg)
		fmt.Fprintf(c.stderr, "Usage: keytray %s\nRun `keytray %s -h` for details and examples.\n", cmd.Use, cmd.Name())
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
	idx, rec, err := svc.Index()
	if rec != nil {
		c.warnf("%s", errtext.RecoveryNotice(rec).String())
	}
	if err != nil {
		return nil, errtext.WithPath(err, svc.IndexPath())
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
	ctx, cancel := c.withDeadline(ctx)
	defer cancel()
	return op(ctx, svc)
}

// Overall deadlines of one network operation (every request in it, however
// many, and any wait for another process working on the same key): a
// server that answers each request just before its own timeout cannot
// stretch one command to minutes. Where stdin is a terminal the operation
// may wait for the user (a code prompt), so it gets longer.
const (
	operationDeadline            = 45 * time.Second
	operationDeadlineInteractive = 3 * time.Minute
)

func (c *cli) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	d := operationDeadline
	if isTerminal(c.stdin) {
		d = operationDeadlineInteractive
	}
	return context.WithTimeout(ctx, d)
}

// interruptible is a context cancelled by Ctrl-C, for network operations.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
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
