package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
)

// errPassphraseMismatch: the two typed passphrases differ.
var errPassphraseMismatch = errors.New("the two passphrases differ; nothing was written")

// exportOptions are export's flags.
type exportOptions struct {
	out, passphraseFile, format string
	recipients                  []string
	armor, force, plaintext     bool
}

func (c *cli) newExportCmd() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export --out FILE (--passphrase-file F | --recipient R...) [--armor] [--force] [NAME...]",
		Short: "write keys to an encrypted backup (or, on request, plain text)",
		Annotations: map[string]string{
			synopsisAnnotation: "export --out FILE --plaintext --format env|json [--force] [NAME...]",
		},
		Long: `Writes the selected keys (all when no NAME is given) to FILE, encrypted with
age to a passphrase (--passphrase-file, or asked twice without echo in a
terminal) or to recipients (--recipient, repeatable: age1…, ssh-ed25519 …,
ssh-rsa …). The stock ` + "`age -d`" + ` command decrypts it. FILE is written with
mode 0600 and never replaced unless --force.

With --plaintext, --format env (one key: OPENAI_API_KEY / OPENAI_BASE_URL
lines) or --format json writes the keys unencrypted. Anyone who can read that
file can use the keys.`,
		Example: `  keytray export --out keys.age
  keytray export --out keys.age --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
  keytray export --out work.env --plaintext --format env work`,
		ValidArgsFunction: c.completeStoredNames(-1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.export(o, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "where to write (required)")
	f.StringVar(&o.passphraseFile, "passphrase-file", "", "read the passphrase from `F` (one trailing newline is dropped)")
	f.StringArrayVar(&o.recipients, "recipient", nil, "encrypt to `R`, an age or SSH public key (repeatable)")
	f.BoolVar(&o.armor, "armor", false, "write ASCII-armored (PEM-like) output")
	f.BoolVar(&o.force, "force", false, "replace FILE if it exists")
	f.BoolVar(&o.plaintext, "plaintext", false, "write unencrypted (needs --format)")
	f.StringVar(&o.format, "format", "", "plaintext format: env or json")
	_ = cmd.MarkFlagFilename("out")
	_ = cmd.MarkFlagFilename("passphrase-file")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"env", "json"}, cobra.ShellCompDirectiveNoFileComp))
	noCompletion(cmd, "recipient")
	return cmd
}

func (c *cli) export(o exportOptions, names []string) error {
	out, passphraseFile, format, recipients := o.out, o.passphraseFile, o.format, o.recipients
	armor, force, plaintext := o.armor, o.force, o.plaintext
	var err error
	if out == "" {
		return usagef("missing --out FILE.")
	}
	if plaintext {
		return c.exportPlain(out, format, names, force, passphraseFile != "" || len(recipients) > 0 || armor)
	}
	if format != "" {
		return usagef("--format is for unencrypted exports: add --plaintext if that is what you want.")
	}
	if passphraseFile != "" && len(recipients) > 0 {
		return usagef("encrypt to a passphrase (--passphrase-file) or to recipients (--recipient), not both.")
	}

	enc := backup.Encryption{Recipients: recipients, Armor: armor}
	switch {
	case len(recipients) > 0:
	case passphraseFile != "":
		if enc.Passphrase, err = readSecretFile(passphraseFile); err != nil {
			return err
		}
	case isTerminal(c.stdin):
		if enc.Passphrase, err = c.newPassphrase(); err != nil {
			return err
		}
	default:
		return usagef("no passphrase: stdin is not a terminal, so Keytray cannot ask for one. Use --passphrase-file F, or --recipient R to encrypt to a public key.")
	}
	svc, err := c.serviceFor(names)
	if err != nil {
		return err
	}
	n, err := svc.Export(out, keys.ExportRequest{Names: names, Encryption: enc}, force)
	if err != nil {
		return errtext.WithPath(err, out)
	}
	to := "a passphrase"
	if len(recipients) > 0 {
		to = fmt.Sprintf("%d recipient(s)", len(recipients))
	}
	c.errorf("wrote %s to %s, encrypted to %s. Restore with `keytray import %s`; `age -d` reads it too.", countKeys(n), out, to, errtext.ShellQuote(out))
	return nil
}

func (c *cli) exportPlain(out, format string, names []string, force, encryptionFlags bool) error {
	switch {
	case encryptionFlags:
		return usagef("--plaintext writes the keys unencrypted: drop --passphrase-file, --recipient and --armor (or drop --plaintext).")
	case format != "env" && format != "json":
		return usagef("--plaintext needs --format env or --format json.")
	case format == "env" && len(names) > 1:
		return usagef("--format env holds one key: name one (or use --format json).")
	}
	svc, err := c.serviceFor(names)
	if err != nil {
		return err
	}
	data, err := svc.ExportPlain(names, format)
	if err != nil {
		return err
	}
	if err := backup.WriteFileAtomic(out, data, force); err != nil {
		return errtext.WithPath(err, out)
	}
	c.warnf("wrote the keys to %s in plain text: anyone who can read that file can use them. Delete it when you no longer need it.", out)
	return nil
}

// newPassphrase asks for a new passphrase twice, without echo.
func (c *cli) newPassphrase() (string, error) {
	p1, err := c.promptSecret("Passphrase for the backup: ")
	if err != nil {
		return "", err
	}
	if len([]rune(p1)) < backup.MinPassphrase {
		return "", fmt.Errorf("checking the passphrase: %w", backup.ErrWeakPassphrase)
	}
	p2, err := c.promptSecret("The same passphrase again: ")
	if err != nil {
		return "", err
	}
	if p1 != p2 {
		return "", errPassphraseMismatch
	}
	return p1, nil
}

func countKeys(n int) string {
	if n == 1 {
		return "1 key"
	}
	return fmt.Sprintf("%d keys", n)
}
