// Package backup writes and reads Keytray backups: a versioned JSON document
// ("format": "keytray-backup", "version": 1) encrypted with age, to a
// passphrase (scrypt) or to recipients (age1… X25519, ssh-ed25519, ssh-rsa).
// The stock `age -d` command decrypts them. Plaintext exports (.env, JSON)
// exist only for callers that ask for them explicitly.
package backup

import (
	"errors"
	"io"
	"time"
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
)

// MinPassphrase is the shortest passphrase accepted for export.
const MinPassphrase = 12

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
	Recipients []string // "age1…", "ssh-ed25519 …", "ssh-rsa …" lines
	Armor      bool
}

// Decryption is how to decrypt: a passphrase, or identity file contents
// (age identities or an unencrypted OpenSSH private key).
type Decryption struct {
	Passphrase string
	Identities []byte
}

// Encode validates doc and writes it encrypted to w.
func Encode(w io.Writer, doc Document, enc Encryption) error { panic("contract") }

// Decode reads an encrypted backup (armored or binary) and returns its document,
// validated: format, version (ErrNewerFormat), URLs, names, keys.
func Decode(r io.Reader, dec Decryption) (Document, error) { panic("contract") }

// ParseDocument validates decrypted JSON. Exposed for fuzzing and for tests.
func ParseDocument(data []byte) (Document, error) { panic("contract") }

// EnvFile is the plaintext .env form of one key: OPENAI_API_KEY and OPENAI_BASE_URL (<server>/api).
func EnvFile(k Key) []byte { panic("contract") }

// PlainJSON is the plaintext JSON form (the same Document, unencrypted).
func PlainJSON(doc Document) ([]byte, error) { panic("contract") }

// WriteFileAtomic writes data to path with mode 0600 via a temporary file in the
// same folder and a rename; it refuses to replace an existing file unless force.
func WriteFileAtomic(path string, data []byte, force bool) error { panic("contract") }

// SetScryptWorkFactorForTest lowers scrypt's cost so tests run fast. Test-only.
func SetScryptWorkFactorForTest(logN int) (restore func()) { panic("contract") }
