package cli

import (
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/ref"
)

// maxTemplate bounds a template (config files, not data).
const maxTemplate = 16 << 20

func (c *cli) newInjectCmd() *cobra.Command {
	var in, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "inject [-i FILE] [-o FILE] [--force]",
		Short: "fill keytray:// references into a template",
		Long: `Copies a template (stdin, or the file -i names) to stdout (or the file -o
names), replacing each {{ keytray://NAME }} with the key stored as NAME and
each {{ keytray://NAME/url }} with its base URL, <server>/api. Names that need
it are percent-encoded.

If any reference cannot be resolved, keytray inject names every one of them
and writes nothing at all. An output file is created with mode 0600 and
written atomically (a reader never sees half of it); an existing file is
replaced only with --force.`,
		Example: `  keytray inject -i config.yaml.tpl -o config.yaml
  echo 'api_key: {{ keytray://work }}' | keytray inject`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(*cobra.Command, []string) error { return c.inject(in, out, force) },
	}
	cmd.Flags().StringVarP(&in, "in-file", "i", "", "read the template from FILE (default stdin)")
	cmd.Flags().StringVarP(&out, "out-file", "o", "", "write to FILE, mode 0600 (default stdout)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the output file if it exists")
	return cmd
}

func (c *cli) inject(in, out string, force bool) error {
	var src io.Reader = c.stdin
	if in != "" {
		f, err := os.Open(in)
		if err != nil {
			return errtext.WithPath(err, in)
		}
		defer f.Close()
		src = f
	}
	if out != "" && !force {
		// Fail before reading any key, not after.
		if _, err := os.Lstat(out); err == nil {
			return usagef("%s exists; pass --force to replace it.", out)
		}
	}
	tmpl, err := io.ReadAll(io.LimitReader(src, maxTemplate+1))
	if err != nil {
		return errtext.WithPath(err, orDefault(in, "stdin"))
	}
	if len(tmpl) > maxTemplate {
		return usagef("the template is larger than %d bytes.", maxTemplate)
	}
	// Every reference is tried, so that all that fail are named at once.
	refs, _ := ref.TemplateRefs(tmpl) // Render names the malformed ones
	values, causes := map[ref.Ref]string{}, map[string]error{}
	for _, r := range refs {
		v, err := c.resolve([]ref.Ref{r})
		var re *ref.Error
		switch {
		case errors.As(err, &re):
			causes[r.String()] = re.Err
		case err != nil:
			return err // the profile itself: no use going on
		default:
			values[r] = v[r]
		}
	}
	data, err := ref.Render(tmpl, values)
	if err != nil {
		return c.templateErrors(err, causes)
	}
	if out == "" {
		_, err = c.stdout.Write(data)
		return err
	}
	if err := backup.WriteFileAtomic(out, data, force); err != nil {
		if errors.Is(err, backup.ErrExists) {
			return usagef("%s exists; pass --force to replace it.", out)
		}
		return errtext.WithPath(err, out)
	}
	return nil
}

// templateErrors prints one line per reference that failed, and ends the
// command with status 1 (nothing was written).
func (c *cli) templateErrors(err error, causes map[string]error) error {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var re *ref.Error
		if errors.As(e, &re) {
			if r, _, perr := ref.Parse(re.Ref); perr == nil && causes[r.String()] != nil {
				re.Err = causes[r.String()]
			}
		}
		if c.refFailure(e) == e {
			c.errorf("%s", fixSentence(e.Error()))
		}
	}
	c.errorf("nothing was written.")
	return exitStatus(exitFailure)
}
