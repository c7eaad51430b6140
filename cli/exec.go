package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
)

// Exit statuses of exec when the child never ran (as POSIX shells use them).
const (
	exitNotFound      = 127
	exitCannotExecute = 126
)

func (c *cli) newExecCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exec NAME -- CMD [ARGS...]",
		Short: "run a command with OPENAI_API_KEY and OPENAI_BASE_URL set",
		Long: `Runs CMD with OPENAI_API_KEY and OPENAI_BASE_URL (<server>/api) set in its
environment only (never on its command line), passes SIGINT and SIGTERM on to
it, and exits with its exit status. If NAME is not stored, CMD is not run.
If the last check found the key rejected, CMD still runs, with a warning.`,
		Example: `  keytray exec work -- python agent.py
  keytray exec work -- sh -c 'curl -s -H "Authorization: Bearer $OPENAI_API_KEY" "$OPENAI_BASE_URL/models"'`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return c.completeStoredNames(1)(cmd, args, toComplete)
			}
			return nil, cobra.ShellCompDirectiveDefault // the command and its arguments
		},
		RunE: func(_ *cobra.Command, args []string) error { return c.exec(args) },
	}
	// Flags end at NAME: everything after it belongs to the command.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

func (c *cli) exec(rest []string) error {
	if len(rest) > 0 && rest[0] == "--" {
		rest = rest[1:] // keytray exec -- NAME CMD
	}
	if len(rest) == 0 {
		return usagef("missing NAME and the command to run.")
	}
	name, argv := rest[0], rest[1:]
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return usagef("missing the command to run after `keytray exec %s --`.", errtext.ShellQuote(name))
	}

	e, key, err := c.keyFor(name)
	if err != nil {
		return err // the command is not run without its key
	}
	// The key goes in the child's environment only, never its argv.
	env := childEnv(c.environ(), map[string]string{
		"OPENAI_API_KEY":  key,
		"OPENAI_BASE_URL": keys.BaseURL(e),
	})
	return c.runChild(argv, env, c.stdout, c.stderr)
}

// runChild runs argv with env and the given output streams (stdin is
// Keytray's), passes SIGINT and SIGTERM on to it, and ends with its exit
// status (127 when the command is not found, 126 when it cannot be started).
// exec and run share it.
func (c *cli) runChild(argv, env []string, stdout, stderr io.Writer) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		c.errorf("cannot run %q: %s.", argv[0], lookPathReason(argv[0], err))
		// As shells do: 127 for a program that is not there (by name or
		// by path), 126 for one that is there but cannot be run.
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return exitStatus(exitNotFound)
		}
		return exitStatus(exitCannotExecute)
	}

	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, stdout, stderr
	cmd.Env = env

	// Catch the signals before the child exists, so none is lost, and pass
	// them on: the child decides what an interrupt means.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, forwardedSignals...)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		c.errorf("cannot run %q: %v.", argv[0], err)
		if errors.Is(err, fs.ErrNotExist) {
			return exitStatus(exitNotFound) // gone meanwhile, or a missing interpreter
		}
		return exitStatus(exitCannotExecute)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-signals:
				_ = cmd.Process.Signal(sig) // it may have just exited
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	return exitStatus(childStatus(cmd.ProcessState, err))
}

// forwardedSignals are passed on to an exec child.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// childEnv is env with vars set (replacing any earlier values).
func childEnv(env []string, vars map[string]string) []string {
	out := make([]string, 0, len(env)+len(vars))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if _, replaced := vars[name]; !replaced {
			out = append(out, kv)
		}
	}
	for name, value := range vars {
		out = append(out, name+"="+value)
	}
	return out
}

// childStatus is the exit status to pass through: the child's own, or
// 128+N when signal N ended it (the shells' convention).
func childStatus(state *os.ProcessState, waitErr error) int {
	if state == nil {
		if waitErr != nil {
			return exitFailure
		}
		return exitOK
	}
	if ws, ok := state.Sys().(interface {
		Signaled() bool
		Signal() syscall.Signal
	}); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return state.ExitCode()
}

// lookPathReason says why a command could not be found or started.
func lookPathReason(command string, err error) string {
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return "no such command (not found in $PATH)"
	case errors.Is(err, os.ErrPermission):
		return "it is not executable"
	case errors.Is(err, exec.ErrDot):
		return "it is in the current directory; write ./" + command + " to run it from there"
	}
	return fmt.Sprint(err)
}
