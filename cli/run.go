package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/ref"
)

// maxEnvFile bounds an env file (they are a few lines).
const maxEnvFile = 1 << 20

func (c *cli) newRunCmd() *cobra.Command {
	var envFiles []string
	var noMasking bool
	cmd := &cobra.Command{
		Use:   "run [--env-file FILE]... [--no-masking] -- CMD [ARGS...]",
		Short: "run a command with keytray:// references in its environment resolved",
		Long: `Runs CMD with every environment variable whose value is a reference resolved:
  keytray://NAME       the key stored as NAME
  keytray://NAME/url   its base URL, <server>/api (as ` + "`keytray env`" + ` prints it)
The variables come from Keytray's own environment and from each --env-file
(read as Docker Compose and python-dotenv read them: comments, "export",
quotes; later files win over earlier ones and over the environment). A
reference that is not stored or cannot be read is an error before CMD starts,
naming the reference. SIGINT and SIGTERM are passed on to CMD, and keytray run
exits with CMD's exit status, as ` + "`keytray exec`" + ` does.

Every resolved key that appears in CMD's output (stdout and stderr) is
replaced by "` + ref.Concealed + `", also when it is split across writes. For that,
CMD's stdout and stderr are pipes, not the terminal: --no-masking passes the
output through untouched and keeps a terminal a terminal (colours, progress
bars, prompts).`,
		Example: `  OPENAI_API_KEY=keytray://work keytray run -- python agent.py
  keytray run --env-file .env -- docker compose up
  keytray run --no-masking --env-file .env -- aider`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveDefault // the command and its arguments
		},
		RunE: func(_ *cobra.Command, args []string) error { return c.runWithRefs(envFiles, !noMasking, args) },
	}
	cmd.Flags().StringArrayVar(&envFiles, "env-file", nil, "read variables from FILE (may be repeated; later files win)")
	cmd.Flags().BoolVar(&noMasking, "no-masking", false, "pass CMD's output through untouched (keeps the terminal)")
	// Flags end at the command: everything after it is the command's.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// envVar is a variable of the child's environment and where it came from.
type envVar struct{ value, from string }

func (c *cli) runWithRefs(envFiles []string, masking bool, argv []string) error {
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return usagef("missing the command to run after `keytray run --`.")
	}
	vars, order := map[string]envVar{}, []string{}
	set := func(name, value, from string) {
		if _, ok := vars[name]; !ok {
			order = append(order, name)
		}
		vars[name] = envVar{value, from}
	}
	for _, kv := range c.environ() {
		if name, value, ok := strings.Cut(kv, "="); ok {
			set(name, value, "the environment")
		}
	}
	for _, file := range envFiles {
		fileVars, err := readEnvFile(file)
		if err != nil {
			return err
		}
		for _, v := range fileVars {
			set(v.Name, v.Value, fmt.Sprintf("%s line %d", file, v.Line))
		}
	}

	// Every reference is read before the command starts: all or nothing.
	var refs []ref.Ref
	for _, name := range order {
		v := vars[name]
		r, ok, err := ref.Parse(v.value)
		if err != nil {
			c.errorf("%s in %s: %s.", name, v.from, strings.TrimSuffix(err.Error(), "."))
			return exitStatus(exitFailure)
		}
		if ok {
			refs = append(refs, r)
		}
	}
	values, err := c.resolve(refs)
	if err != nil {
		var re *ref.Error
		if errors.As(err, &re) {
			for _, name := range order {
				if vars[name].value == re.Ref {
					re.Where = name + " in " + vars[name].from
					break
				}
			}
		}
		return c.refFailure(err)
	}

	env := make([]string, 0, len(order))
	var secrets []string
	for _, name := range order {
		value := vars[name].value
		if r, ok, _ := ref.Parse(value); ok {
			value = values[r]
			if r.Secret() && !slices.Contains(secrets, value) {
				secrets = append(secrets, value)
			}
		}
		env = append(env, name+"="+value)
	}
	if !masking || len(secrets) == 0 {
		return c.runChild(argv, env, c.stdout, c.stderr)
	}
	stdout, stderr := ref.NewMasker(c.stdout, secrets), ref.NewMasker(c.stderr, secrets)
	err = c.runChild(argv, env, stdout, stderr)
	// What was held back (a possible start of a secret) goes out last.
	_ = stdout.Close()
	_ = stderr.Close()
	return err
}

// resolve resolves references through the service (nothing when there are none).
func (c *cli) resolve(refs []ref.Ref) (map[ref.Ref]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	svc, err := c.service()
	if err != nil {
		return nil, err
	}
	return svc.Resolve(refs)
}

// refFailure prints why a reference could not be resolved, naming it, and
// ends the command with status 1.
func (c *cli) refFailure(err error) error {
	var re *ref.Error
	if !errors.As(err, &re) {
		return err
	}
	name := ""
	if r, _, perr := ref.Parse(re.Ref); perr == nil {
		name = r.Name
	}
	where := ""
	if re.Where != "" {
		where = " (" + re.Where + ")"
	}
	c.errorf("cannot resolve %s%s: %s", re.Ref, where, errtext.Explain(errtext.WithName(re.Err, name)).String())
	return exitStatus(exitFailure)
}

// readEnvFile reads and parses one --env-file.
func readEnvFile(file string) ([]ref.Var, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, errtext.WithPath(err, file)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEnvFile+1))
	if err != nil {
		return nil, errtext.WithPath(err, file)
	}
	if len(data) > maxEnvFile {
		return nil, usagef("%s is larger than an env file can be (%d bytes at most).", file, maxEnvFile)
	}
	vars, err := ref.ParseEnvFile(string(data))
	if err != nil {
		return nil, usagef("%s: %s.", file, err)
	}
	return vars, nil
}
