// Package backup writes and reads Keytray backups: a versioned JSON document
// ("format": "keytray-backup", "version": 1) encrypted with age, to a
// passphrase (scrypt) or to recipients (age1… X25519, age1pq1… hybrid,
// ssh-ed25519, ssh-rsa). The stock `age -d` command decrypts them. Plaintext
// exports (.env, JSON) exist only for callers that ask for them explicitly.
//
// # The backup format
//
// A backup file is an age v1 file (https://age-encryption.org/v1), binary or
// ASCII-armored ("-----BEGIN AGE ENCRYPTED FILE-----"). Its plaintext is one
// UTF-8 JSON object, written indented with two spaces:
//
//	{
//	  "format": "keytray-backup",
//	  "version": 1,
//	  "created": "2025-03-01T12:00:00Z",
//	  "keys": [
//	    {
//	      "name": "alice@chat.example.com",
//	      "server_url": "https://chat.example.com",
//	      "email": "alice@example.com",
//	      "user_id": "8c0fd7b0-5f0e-4b7a-9d55-0f2c1b7e8a11",
//	      "key": "sk-…",
//	      "stored_at": "2025-02-20T09:30:00Z",
//	      "server_name": "Open WebUI",
//	      "role": "user"
//	    }
//	  ]
//	}
//
// Top-level fields:
//
//   - format (string, required): always "keytray-backup". Anything else is
//     not a Keytray backup (ErrNotKeytray).
//   - version (integer, required): the format version, 1 for this format.
//     Readers accept every version up to the one they know and refuse a
//     higher one (ErrNewerFormat, *FormatError): a new version is made only
//     for a change that old readers would get wrong. Fields added within a
//     version are optional, and readers ignore fields they do not know.
//   - created (string, RFC 3339 date-time): when the backup was made.
//   - keys (array of objects; may be empty): the stored keys, in no promised order.
//
// Fields of each key:
//
//   - name (string, required): the entry's name, unique within the backup
//     (compared exactly), without control characters.
//   - server_url (string, required): the Open WebUI base URL, absolute http
//     or https, with a host, without user info, query or fragment, and
//     without the "/api" suffix (OPENAI_BASE_URL is server_url + "/api").
//   - key (string, required): the secret, normally "sk-" + 32 lowercase hex
//     digits; any non-empty string without white space or control characters.
//   - stored_at (string, RFC 3339 date-time): when Keytray stored the key.
//   - email, user_id, server_name, role (strings, optional): non-secret
//     context about the account and server, omitted when unknown.
//
// Decoding validates all of the above; Encode and PlainJSON refuse to write
// a document that would not decode.
package backup

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// Sentinel errors; test with errors.Is.
var (
	ErrWrongPassphrase = errors.New("wrong passphrase")
	ErrWrongIdentity   = errors.New("no identity matches this backup")
	ErrCorrupt         = errors.New("backup is damaged or was changed") // tampered / truncated
	ErrNotAge          = errors.New("not an age-encrypted file")
	ErrNotKeytray      = errors.New("not a Keytray backup")
	ErrNewerFormat     = errors.New("backup was made by a newer Keytray") // *FormatError says which version
	ErrInvalid         = errors.New("backup content is invalid")          // bad URL, empty key, duplicate name…
	ErrWeakPassphrase  = errors.New("passphrase too short")               // < 12 characters, or empty
	ErrBadRecipient    = errors.New("not a usable recipient")

	// ErrNeedsIdentity: a passphrase was given, but the backup is encrypted
	// to recipients (public keys); it needs the matching identity file.
	ErrNeedsIdentity = errors.New("backup is encrypted to a key, not a passphrase")
	// ErrNeedsPassphrase: an identity was given, but the backup is
	// encrypted with a passphrase.
	ErrNeedsPassphrase = errors.New("backup is encrypted with a passphrase, not to a key")
	// ErrBadIdentity: the identity file is neither age identities nor an
	// unencrypted OpenSSH private key.
	ErrBadIdentity = errors.New("not a usable identity file")
	// ErrProtectedIdentity: the SSH private key is itself encrypted; Keytray
	// does not ask for SSH key passphrases (`age -d -i` does).
	ErrProtectedIdentity = errors.New("ssh private key is protected by a passphrase")
	// ErrExists: WriteFileAtomic will not replace a file without force.
	// It also matches fs.ErrExist.
	ErrExists = fmt.Errorf("%w; not replacing it", fs.ErrExist)
)

// FormatError reports a backup made by a newer Keytray. It matches ErrNewerFormat.
type FormatError struct {
	Version int // the version the backup declares
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%v (backup format version %d; this Keytray reads version %d)", ErrNewerFormat, e.Version, Version)
}

func (e *FormatError) Unwrap() error { return ErrNewerFormat }

const (
	// Format is the "format" value of every Keytray backup.
	Format = "keytray-backup"
	// Version is the newest format version this package reads and the one it writes.
	Version = 1
	// MinPassphrase is the shortest passphrase accepted for export.
	MinPassphrase = 12
	// MaxDocument caps the decrypted size Decode reads (and ParseDocument
	// accepts): a backup of 1,000 keys is about 400 KiB, so anything near
	// this is not ours, and reading it all would only waste memory.
	MaxDocument = 64 << 20
)

// Scrypt work factors (log2 of N). Encode uses age's own default (about a
// second and 256 MiB); Decode accepts what `age -d` accepts, so that files
// from `age -p` and rage decode too.
const (
	defaultScryptLogN = 18
	maxScryptLogN     = 22
)

// scryptLogN and scryptMaxLogN are changed only by SetScryptWorkFactorForTest;
// zero means the defaults. Atomics keep parallel tests race-free.
var scryptLogN, scryptMaxLogN atomic.Int32

// Document is the plaintext inside the encryption.
type Document struct {
	Format  string    `json:"format"`  // "keytray-backup"
	Version int       `json:"version"` // 1
	Created time.Time `json:"created"`
	Keys    []Key     `json:"keys"`
}

// Key is one stored key in a backup.
type Key struct {
	Name      string    `json:"name"`
	ServerURL string    `json:"server_url"`
	Email     string    `json:"email,omitempty"`
	UserID    string    `json:"user_id,omitempty"`
	Key       string    `json:"key"`
	StoredAt  time.Time `json:"stored_at"`
	// Non-secret context, restored into the index when present.
	ServerName string `json:"server_name,omitempty"`
	Role       string `json:"role,omitempty"`
}

// Encryption is how to encrypt: exactly one of Passphrase or Recipients.
type Encryption struct {
	Passphrase string
	// Recipients are "age1…", "age1pq1…", "ssh-ed25519 …" or "ssh-rsa …"
	// lines, as in an age recipients file: an element may hold several lines,
	// and blank lines and lines starting with "#" are skipped.
	Recipients []string
	Armor      bool
}

// Decryption is how to decrypt: a passphrase, or identity file contents
// (age identities or an unencrypted OpenSSH private key).
type Decryption struct {
	Passphrase string
	Identities []byte
}

// Encode validates doc and writes it encrypted to w. An empty Format or a
// zero Version is filled in; anything else must already be valid.
func Encode(w io.Writer, doc Document, enc Encryption) error {
	plain, err := PlainJSON(doc)
	if err != nil {
		return err
	}
	recipients, err := enc.recipients()
	if err != nil {
		return err
	}
	out := w
	var armored io.WriteCloser
	if enc.Armor {
		armored = armor.NewWriter(w)
		out = armored
	}
	ew, err := age.Encrypt(out, recipients...)
	if err != nil {
		return fmt.Errorf("encrypting backup: %w", err)
	}
	if _, err := ew.Write(plain); err != nil {
		return fmt.Errorf("writing backup: %w", err)
	}
	if err := ew.Close(); err != nil {
		return fmt.Errorf("writing backup: %w", err)
	}
	if armored != nil {
		if err := armored.Close(); err != nil {
			return fmt.Errorf("writing backup: %w", err)
		}
	}
	return nil
}

func (enc Encryption) recipients() ([]age.Recipient, error) {
	switch {
	case enc.Passphrase != "" && len(enc.Recipients) > 0:
		return nil, errors.New("give a passphrase or recipients, not both")
	case len(enc.Recipients) > 0:
		return parseRecipients(enc.Recipients)
	}
	if utf8.RuneCountInString(enc.Passphrase) < MinPassphrase {
		return nil, fmt.Errorf("%w: it needs at least %d characters", ErrWeakPassphrase, MinPassphrase)
	}
	r, err := age.NewScryptRecipient(enc.Passphrase)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWeakPassphrase, err)
	}
	r.SetWorkFactor(workFactor(&scryptLogN, defaultScryptLogN))
	return []age.Recipient{r}, nil
}

// parseRecipients reads recipient lines. Errors name the line by its number
// and never quote it: a private key pasted by mistake must not end up in a
// message.
func parseRecipients(elems []string) ([]age.Recipient, error) {
	var out []age.Recipient
	var hybrid, classic bool
	n := 0
	for _, elem := range elems {
		for line := range strings.Lines(elem) {
			n++
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			r, isHybrid, reason := parseRecipient(line)
			if reason != "" {
				return nil, fmt.Errorf("recipient line %d: %w: %s", n, ErrBadRecipient, reason)
			}
			hybrid = hybrid || isHybrid
			classic = classic || !isHybrid
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no recipients given", ErrBadRecipient)
	}
	if hybrid && classic {
		// age refuses the mix too: the post-quantum protection would be lost.
		return nil, fmt.Errorf("%w: age1pq1… recipients cannot be mixed with other kinds", ErrBadRecipient)
	}
	return out, nil
}

func parseRecipient(line string) (r age.Recipient, hybrid bool, reason string) {
	var err error
	switch {
	case strings.HasPrefix(line, "AGE-SECRET-KEY-"), strings.HasPrefix(line, "AGE-PLUGIN-"),
		strings.HasPrefix(line, "-----BEGIN"):
		return nil, false, "this is a private key; give its public recipient instead"
	case strings.HasPrefix(line, "age1pq1"):
		if r, err = age.ParseHybridRecipient(line); err != nil {
			return nil, false, "malformed age1pq1… recipient"
		}
		return r, true, ""
	case strings.HasPrefix(line, "age1"):
		if r, err = age.ParseX25519Recipient(line); err != nil {
			return nil, false, "malformed age1… recipient, or a plugin recipient (plugins are not supported)"
		}
		return r, false, ""
	case strings.HasPrefix(line, "ssh-ed25519 "), strings.HasPrefix(line, "ssh-rsa "):
		if r, err = agessh.ParseRecipient(line); err != nil {
			return nil, false, "malformed SSH public key (RSA keys need at least 2048 bits)"
		}
		return r, false, ""
	case strings.HasPrefix(line, "ssh-"), strings.HasPrefix(line, "ecdsa-"), strings.HasPrefix(line, "sk-ssh-"):
		return nil, false, "unsupported SSH key type; age uses ssh-ed25519 and ssh-rsa keys"
	}
	return nil, false, "not an age1…, ssh-ed25519 or ssh-rsa recipient"
}

// Decode reads an encrypted backup (armored or binary) and returns its document,
// validated: format, version (ErrNewerFormat), URLs, names, keys.
func Decode(r io.Reader, dec Decryption) (Document, error) {
	ids, passphrase, err := dec.identities()
	if err != nil {
		return Document{}, err
	}
	src := &recordingReader{r: r}
	in, err := openAge(bufio.NewReader(src))
	if err != nil {
		return Document{}, src.or(err)
	}
	plain, err := age.Decrypt(in, ids...)
	if err != nil {
		return Document{}, src.or(decryptError(err, passphrase))
	}
	data, err := io.ReadAll(io.LimitReader(plain, MaxDocument+1))
	if err != nil {
		return Document{}, src.or(fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	if len(data) > MaxDocument {
		return Document{}, fmt.Errorf("%w: content is larger than %d MiB", ErrNotKeytray, MaxDocument>>20)
	}
	return ParseDocument(data)
}

func (dec Decryption) identities() (ids []age.Identity, passphrase bool, err error) {
	switch {
	case dec.Passphrase != "" && len(dec.Identities) > 0:
		return nil, false, errors.New("give a passphrase or identities, not both")
	case dec.Passphrase != "":
		id, err := age.NewScryptIdentity(dec.Passphrase)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrWrongPassphrase, err)
		}
		id.SetMaxWorkFactor(workFactor(&scryptMaxLogN, maxScryptLogN))
		return []age.Identity{id}, true, nil
	case len(dec.Identities) > 0:
		if ids, err := age.ParseIdentities(bytes.NewReader(dec.Identities)); err == nil {
			return ids, false, nil
		}
		id, err := agessh.ParseIdentity(dec.Identities)
		if err == nil {
			return []age.Identity{id}, false, nil
		}
		if _, ok := errors.AsType[*ssh.PassphraseMissingError](err); ok {
			return nil, false, ErrProtectedIdentity
		}
		// Neither parser's message is passed on: both may quote the input.
		return nil, false, fmt.Errorf("%w: neither age identities (AGE-SECRET-KEY-1…) nor an unencrypted OpenSSH private key", ErrBadIdentity)
	}
	return nil, false, errors.New("give a passphrase or identities")
}

// ageIntro is the first line of every age file.
const ageIntro = "age-encryption.org/v1\n"

// openAge tells armored from binary input and checks the age intro line, so
// that a file that is not age at all is reported as such before age parses
// it, and every later header failure means a damaged age file.
func openAge(br *bufio.Reader) (io.Reader, error) {
	// Armor may be preceded by up to 1 KiB of white space.
	head, _ := br.Peek(1024 + len(armor.Header))
	in := br
	if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte(armor.Header)) {
		in = bufio.NewReader(armor.NewReader(br))
		var err error
		head, err = in.Peek(len(ageIntro))
		if _, ok := errors.AsType[*armor.Error](err); ok {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
	}
	switch {
	case bytes.HasPrefix(head, []byte(ageIntro)):
		return in, nil
	case len(head) > 0 && len(head) < len(ageIntro) && strings.HasPrefix(ageIntro, string(head)):
		return nil, fmt.Errorf("%w: file ends inside the age header", ErrCorrupt)
	}
	return nil, ErrNotAge
}

// decryptError maps age's errors to this package's sentinels. The intro line
// was checked, so a header that does not parse is a damaged one.
func decryptError(err error, passphrase bool) error {
	if e, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
		scrypt := slices.Contains(e.StanzaTypes, "scrypt")
		switch {
		case passphrase && scrypt:
			return ErrWrongPassphrase
		case passphrase:
			return ErrNeedsIdentity
		case scrypt:
			return ErrNeedsPassphrase
		}
		return ErrWrongIdentity
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// recordingReader remembers the first error of the underlying reader other
// than EOF, so that a failing disk or network is reported as itself and not
// as a damaged backup.
type recordingReader struct {
	r   io.Reader
	err error
}

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

func (r *recordingReader) or(err error) error {
	if r.err != nil {
		return fmt.Errorf("reading backup: %w", r.err)
	}
	return err
}

// ParseDocument validates decrypted JSON. Exposed for fuzzing and for tests.
func ParseDocument(data []byte) (Document, error) {
	if len(data) > MaxDocument {
		return Document{}, fmt.Errorf("%w: content is larger than %d MiB", ErrNotKeytray, MaxDocument>>20)
	}
	// Format and version first: a newer version may change what the rest means.
	var head struct {
		Format  *string         `json:"format"`
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Document{}, fmt.Errorf("%w: content is not a JSON object with a format", ErrNotKeytray)
	}
	if head.Format == nil || *head.Format != Format {
		return Document{}, fmt.Errorf("%w: format is not %q", ErrNotKeytray, Format)
	}
	if err := checkVersion(head.Version); err != nil {
		return Document{}, err
	}
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return Document{}, fmt.Errorf("%w: %s", ErrInvalid, describeJSONError(err))
	}
	if doc.Keys == nil {
		doc.Keys = []Key{}
	}
	if err := doc.validate(); err != nil {
		return Document{}, err
	}
	return doc, nil
}

func checkVersion(raw json.RawMessage) error {
	var n json.Number
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &n) != nil {
		return fmt.Errorf("%w: version is missing or not a number", ErrInvalid)
	}
	v, err := strconv.ParseInt(string(n), 10, 0)
	switch {
	case err != nil:
		return fmt.Errorf("%w: version is not a whole number", ErrInvalid)
	case v < 1:
		return fmt.Errorf("%w: version %d does not exist", ErrInvalid, v)
	case v > Version:
		return &FormatError{Version: int(v)}
	}
	return nil
}

// describeJSONError says what is wrong without quoting the content (it may
// hold a key).
func describeJSONError(err error) string {
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && e.Field != "" {
		return fmt.Sprintf("field %s has the wrong type", e.Field)
	}
	if _, ok := errors.AsType[*time.ParseError](err); ok {
		return "a date is not in RFC 3339 form"
	}
	return "malformed JSON"
}

// validate checks what Decode promises about a document. Entries are named
// in errors by name (never secret) or, when the name is unusable, by position.
func (doc *Document) validate() error {
	if doc.Format != Format {
		return fmt.Errorf("%w: format is not %q", ErrNotKeytray, Format)
	}
	switch {
	case doc.Version > Version:
		return &FormatError{Version: doc.Version}
	case doc.Version < 1:
		return fmt.Errorf("%w: version %d does not exist", ErrInvalid, doc.Version)
	}
	seen := make(map[string]bool, len(doc.Keys))
	for i, k := range doc.Keys {
		switch {
		case strings.TrimSpace(k.Name) == "":
			return fmt.Errorf("%w: entry %d has no name", ErrInvalid, i+1)
		case strings.IndexFunc(k.Name, unicode.IsControl) >= 0 || !utf8.ValidString(k.Name):
			return fmt.Errorf("%w: the name of entry %d has control characters", ErrInvalid, i+1)
		case seen[k.Name]:
			return fmt.Errorf("%w: the name %q appears twice", ErrInvalid, k.Name)
		}
		seen[k.Name] = true
		if reason := checkServerURL(k.ServerURL); reason != "" {
			return fmt.Errorf("%w: %q: server_url %s", ErrInvalid, k.Name, reason)
		}
		switch {
		case k.Key == "":
			return fmt.Errorf("%w: %q has an empty key", ErrInvalid, k.Name)
		case strings.IndexFunc(k.Key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || !utf8.ValidString(k.Key):
			// A key with a line break would also break the .env export.
			return fmt.Errorf("%w: %q has white space or control characters in its key", ErrInvalid, k.Name)
		}
	}
	return nil
}

// checkServerURL returns why s is not a usable Open WebUI base URL, or "".
// The URL itself is not quoted: it could carry a password.
func checkServerURL(s string) string {
	if s == "" {
		return "is empty"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must start with http:// or https://"
	case u.Host == "" || u.Hostname() == "":
		return "has no host"
	case u.User != nil:
		return "must not hold a user name or password"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "must not have a query or fragment"
	}
	return ""
}

// EnvFile is the plaintext .env form of one key: OPENAI_API_KEY and OPENAI_BASE_URL (<server>/api).
func EnvFile(k Key) []byte {
	base := strings.TrimRight(k.ServerURL, "/")
	return fmt.Appendf(nil, "OPENAI_API_KEY=%s\nOPENAI_BASE_URL=%s/api\n", k.Key, base)
}

// PlainJSON is the plaintext JSON form (the same Document, unencrypted),
// exactly what Encode encrypts. Like Encode it fills in an empty Format and
// a zero Version and refuses an invalid document.
func PlainJSON(doc Document) ([]byte, error) {
	if doc.Format == "" {
		doc.Format = Format
	}
	if doc.Version == 0 {
		doc.Version = Version
	}
	if doc.Keys == nil {
		doc.Keys = []Key{} // "keys": [] rather than null
	}
	if err := doc.validate(); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return append(data, '\n'), nil
}

// WriteFileAtomic writes data to path with mode 0600 via a temporary file in the
// same folder and a rename; it refuses to replace an existing file unless force
// (the error matches ErrExists and fs.ErrExist). Without force the final step is
// a hard link, which fails rather than replaces if the file appeared meanwhile;
// where links are not supported it falls back to a check and a rename.
func WriteFileAtomic(path string, data []byte, force bool) (err error) {
	if !force {
		if err := refuseExisting(path); err != nil {
			return err
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating temporary file: %w", err)
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if !closed {
			f.Close()
		}
		// After a successful link the temporary name is removed too.
		if rmErr := os.Remove(tmp); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("removing temporary file: %w", rmErr)
		}
	}()
	// CreateTemp already uses 0600; Chmod makes it explicit before any byte is written.
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("setting file mode: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if force {
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("replacing %s: %w", path, err)
		}
	} else if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		// No hard links here (FAT, some network file systems): check again
		// and rename; a file created in between would be replaced.
		if err := refuseExisting(path); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

func refuseExisting(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return fmt.Errorf("%s: %w", path, ErrExists)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("checking %s: %w", path, err)
	}
	return nil
}

// syncDir makes the new directory entry durable. It is best effort: the file
// itself is already synced, and some systems (Windows) cannot sync a folder.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// SetScryptWorkFactorForTest lowers scrypt's cost so tests run fast. Test-only.
// It sets the work factor (log2 of N, 1–30) Encode uses and caps the one Decode
// accepts at the same value, so fuzzed headers cannot ask for gigabytes.
func SetScryptWorkFactorForTest(logN int) (restore func()) {
	if logN < 1 || logN > 30 {
		panic(fmt.Sprintf("backup: scrypt work factor %d out of range 1–30", logN))
	}
	oldN := scryptLogN.Swap(int32(logN))
	oldMax := scryptMaxLogN.Swap(int32(logN))
	return func() {
		scryptLogN.Store(oldN)
		scryptMaxLogN.Store(oldMax)
	}
}

func workFactor(v *atomic.Int32, def int) int {
	if n := v.Load(); n != 0 {
		return int(n)
	}
	return def
}
