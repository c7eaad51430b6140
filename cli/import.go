package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/backup"
)

// importOptions are import's flags.
type importOptions struct {
	passphraseFile, identity string
	replace                  bool
}

func (c *cli) newImportCmd() *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE [--passphrase-file F | --identity FILE] [--replace]",
		Short: "restore keys from a backup",
		Long: `Restores the keys in a backup made by ` + "`keytray export`" + `, all or nothing. The
passphrase comes from --passphrase-file or is asked without echo in a
terminal; a backup made for recipients needs --identity FILE (an age identity
file or an unencrypted OpenSSH private key).

A stored key with the same name and a different key is left alone (and the
command exits 1) unless --replace.`,
		Example: `  keytray import keys.age
  keytray import keys.age --identity ~/.config/age/keys.txt --replace`,
		Args: exactly("FILE"),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveDefault // a file
		},
		RunE: func(_ *cobra.Command, args []string) error { return c.importBackup(o, args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&o.passphraseFile, "passphrase-file", "", "read the passphrase from `F` (one trailing newline is dropped)")
	f.StringVar(&o.identity, "identity", "", "decrypt with the age identity or OpenSSH private key in `FILE`")
	f.BoolVar(&o.replace, "replace", false, "overwrite stored keys that differ from the backup's")
	_ = cmd.MarkFlagFilename("passphrase-file")
	_ = cmd.MarkFlagFilename("identity")
	return cmd
}

func (c *cli) importBackup(o importOptions, file string) error {
	passphraseFile, identity, replace := o.passphraseFile, o.identity, o.replace
	var err error
	if passphraseFile != "" && identity != "" {
		return usagef("a backup is decrypted with a passphrase (--passphrase-file) or an identity (--identity), not both.")
	}
	var dec backup.Decryption
	switch {
	case identity != "":
		if dec.Identities, err = os.ReadFile(identity); err != nil {
			return errtext.WithPath(fmt.Errorf("reading identity file: %w", err), identity)
		}
	case passphraseFile != "":
		if dec.Passphrase, err = readSecretFile(passphraseFile); err != nil {
			return err
		}
	case isTerminal(c.stdin):
		if dec.Passphrase, err = c.promptSecret("Passphrase of " + file + ": "); err != nil {
			return err
		}
	default:
		return usagef("no passphrase: stdin is not a terminal, so Keytray cannot ask for one. Use --passphrase-file F (or --identity FILE for a backup made for recipients).")
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	res, err := svc.Import(file, dec, replace)
	if err != nil {
		return errtext.WithPath(err, file)
	}
	if len(res.Restored) > 0 {
		c.errorf("restored %s: %s.", countKeys(len(res.Restored)), strings.Join(res.Restored, ", "))
	}
	if len(res.Skipped) > 0 {
		c.errorf("already stored with the same key: %s.", strings.Join(res.Skipped, ", "))
	}
	if len(res.Refused) > 0 {
		var listed []string
		for _, n := range res.Refused {
			if !slices.Contains(res.Orphans, n) {
				listed = append(listed, n)
			}
		}
		if len(listed) > 0 {
			c.errorf("not restored, because a different key is stored under the same name: %s. Run the import again with --replace to overwrite them.",
				strings.Join(listed, ", "))
		}
		if len(res.Orphans) > 0 {
			c.errorf("not restored, because the keyring already holds a different key under the same name, which the index does not list "+
				"(left by a moved-aside index or a crash; it may be the one that works): %s. "+
				"Take those keys back with `keytray doctor --adopt`, or run the import again with --replace to overwrite them.",
				strings.Join(res.Orphans, ", "))
		}
		return exitStatus(exitFailure)
	}
	if len(res.Restored)+len(res.Skipped) == 0 {
		c.errorf("the backup holds no keys.")
	}
	return nil
}
