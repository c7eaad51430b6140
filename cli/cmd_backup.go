package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
)

// errPassphraseMismatch: the two typed passphrases differ.
var errPassphraseMismatch = errors.New("the two passphrases differ; nothing was written")

func (c *cli) export(args []string) error {
	fs := newFlags("export")
	var out, passphraseFile, format string
	var recipients stringList
	var armor, force, plaintext bool
	fs.StringVar(&out, "out", "", "")
	fs.StringVar(&passphraseFile, "passphrase-file", "", "")
	fs.Var(&recipients, "recipient", "")
	fs.BoolVar(&armor, "armor", false, "")
	fs.BoolVar(&force, "force", false, "")
	fs.BoolVar(&plaintext, "plaintext", false, "")
	fs.StringVar(&format, "format", "", "")
	names, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
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
	c.errorf("wrote %s to %s, encrypted to %s. Restore with `keytray import %s`; `age -d` reads it too.", countKeys(n), out, to, out)
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

func (c *cli) importCmd(args []string) error {
	fs := newFlags("import")
	var passphraseFile, identity string
	var replace bool
	fs.StringVar(&passphraseFile, "passphrase-file", "", "")
	fs.StringVar(&identity, "identity", "", "")
	fs.BoolVar(&replace, "replace", false, "")
	pos, err := parseExact(fs, args, "FILE")
	if err != nil {
		return err
	}
	file := pos[0]
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
		c.errorf("not restored, because a different key is stored under the same name: %s. Run the import again with --replace to overwrite them.",
			strings.Join(res.Refused, ", "))
		return exitStatus(exitFailure)
	}
	if len(res.Restored)+len(res.Skipped) == 0 {
		c.errorf("the backup holds no keys.")
	}
	return nil
}
