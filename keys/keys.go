// Package keys is Keytray's GUI-free core: the operations the command line and
// the desktop app share (sign in and store a key, add, check, rotate, revoke,
// remove, rename, export, import, settings, doctor), built on credential,
// openwebui, vault and backup. It never imports fyne.io (a test enforces it).
//
// Errors are wrapped with context and keep their sentinel kinds from the
// subpackages (errors.Is works); turning them into sentences is the caller's job.
package keys

import (
	"context"
	"errors"
	"time"

	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// Sentinel errors of this package.
var (
	// ErrJWTNotKey: a session JWT was given where an API key was expected (CLI exit 3).
	ErrJWTNotKey = errors.New("a session token (JWT) was given where an API key was expected")
	// ErrNotAKey: the string is neither an sk- key nor a JWT.
	ErrNotAKey = errors.New("not an Open WebUI API key")
	// ErrNeedsSignIn: the operation needs a signed-in session (the key alone was refused).
	ErrNeedsSignIn = errors.New("this needs a sign-in")
	// ErrKeyExistsUnreadable: the account has a key the server will not show; only rotation gets a usable one.
	ErrKeyExistsUnreadable = errors.New("the account already has a key the server will not show again")
)

// Service is the shared core. Create with New or Open.
type Service struct {
	Vault *vault.Vault
	// NewClient makes a server client for an instance (tests replace it).
	NewClient func(url string, opts openwebui.Options) (*openwebui.Client, error)
	Now       func() time.Time
}

// Open opens the default profile: index under vault.DefaultDir(), the OS keyring.
func Open() (*Service, error) { panic("contract") }

// New wires a Service over a vault (tests pass a vault on a memory store).
func New(v *vault.Vault) *Service { panic("contract") }

// Server describes where to connect.
type Server struct {
	URL       string // any accepted form; normalised
	AllowHTTP bool
	CAFile    string
}

// Probe normalises the URL and probes the server (no credentials sent).
func (s *Service) Probe(ctx context.Context, srv Server) (openwebui.ServerInfo, error) {
	panic("contract")
}

// Method is how to sign in.
type Method int

const (
	Password Method = iota // Email + Secret
	LDAP                   // User + Secret
	Token                  // Secret is a session JWT, used once and never kept
)

// Credentials sign in to a server. Secret is a password or a JWT.
type Credentials struct {
	Method Method
	Email  string // Password
	User   string // LDAP
	Secret string
}

// LoginRequest: sign in, then fetch the account's key or create one.
type LoginRequest struct {
	Server Server
	Creds  Credentials
	Name   string // "" = <email local part>@<host>, with -2, -3… if taken
	Rotate bool   // replace the server key (the old one stops working)
}

// LoginResult says what Login did.
type LoginResult struct {
	Entry   vault.Entry
	Key     string // the stored key, for the caller to copy if asked; never log it
	Outcome Outcome
	Server  openwebui.ServerInfo
}

// Outcome of Login / FromToken.
type Outcome string

const (
	KeptExisting  Outcome = "kept"           // the server's existing key was read and stored
	CreatedNew    Outcome = "created"        // the account had no key; one was created
	Rotated       Outcome = "rotated"        // Rotate was asked: the old key stopped working
	AlreadyStored Outcome = "already-stored" // the same key was already stored under Entry.Name
)

// Login signs in, reads or creates the key, stores it and signs out. It never
// rotates unless asked: if the account has a key the server will not show,
// it returns ErrKeyExistsUnreadable and stores nothing.
// If the same account on the same server is already stored, its entry is
// updated (name kept) rather than duplicated.
func (s *Service) Login(ctx context.Context, req LoginRequest) (LoginResult, error) {
	panic("contract")
}

// AddRequest stores an existing key.
type AddRequest struct {
	Server   Server
	Key      string
	Name     string // "" = from the key's owner (when verified) or the host
	NoVerify bool   // store without asking the server
}

// Add stores an existing sk- key after verifying it (unless NoVerify).
// A JWT gives ErrJWTNotKey; anything else that is not sk- gives ErrNotAKey.
func (s *Service) Add(ctx context.Context, req AddRequest) (vault.Entry, error) { panic("contract") }

// List returns every entry (sorted by server, then name) and the instances.
func (s *Service) List() ([]vault.Entry, []vault.Instance, error) { panic("contract") }

// Key returns the secret for name.
func (s *Service) Key(name string) (string, error) { panic("contract") }

// BaseURL is what OPENAI_BASE_URL should be for an entry: <server>/api.
func BaseURL(e vault.Entry) string { panic("contract") }

// CheckResult is one key's verification.
type CheckResult struct {
	Entry  vault.Entry      // with LastChecked/LastStatus/LastDetail updated
	Status openwebui.Status // "" when Err is set
	Err    error            // network/keyring failure: status unknown
}

// OK reports whether the key is known to work.
func (r CheckResult) OK() bool { panic("contract") }

// Check verifies the named keys (all when names is empty) and records the results in the index.
func (s *Service) Check(ctx context.Context, names ...string) ([]CheckResult, error) {
	panic("contract")
}

// Rotate makes a new key on the server and stores it. With creds nil it first
// tries to manage the key with the key itself; if the server refuses that, it
// returns ErrNeedsSignIn and the caller asks for credentials and calls again.
func (s *Service) Rotate(ctx context.Context, name string, creds *Credentials) (vault.Entry, error) {
	panic("contract")
}

// Revoke deletes the key on the server, then forgets it locally. Same
// credential rule as Rotate.
func (s *Service) Revoke(ctx context.Context, name string, creds *Credentials) error {
	panic("contract")
}

// Remove forgets the key locally; the server key keeps working.
func (s *Service) Remove(name string) error { panic("contract") }

// Rename renames an entry (and its keyring item).
func (s *Service) Rename(oldName, newName string) error { panic("contract") }

// Inspection is what a credential string is, with its owner when known.
type Inspection struct {
	credential.Result
	Owner *vault.Entry // the stored entry whose UserID matches the JWT's id claim
	Known *vault.Entry // for an sk- key: the stored entry with the same fingerprint
}

// Inspect classifies s and matches it against stored entries. It never stores anything.
func (s *Service) Inspect(secret string) (Inspection, error) { panic("contract") }

// FromToken uses a session JWT once against a server to fetch or create the
// account's key, stores it, and returns the key (the clipboard guard's
// "Use it to get an API key"). Never rotates unless rotate.
func (s *Service) FromToken(ctx context.Context, srv Server, jwt string, name string, rotate bool) (LoginResult, error) {
	panic("contract")
}

// ExportRequest selects keys for a backup.
type ExportRequest struct {
	Names      []string // empty = all
	Encryption backup.Encryption
}

// Export writes an encrypted backup of the selected keys to path (0600, atomic,
// no overwrite unless force). It returns how many keys it wrote.
func (s *Service) Export(path string, req ExportRequest, force bool) (int, error) { panic("contract") }

// ExportPlain returns the selected keys in plaintext: format "env" (one key) or "json".
func (s *Service) ExportPlain(names []string, format string) ([]byte, error) { panic("contract") }

// Import restores a backup all-or-nothing.
func (s *Service) Import(path string, dec backup.Decryption, replace bool) (vault.PutAllResult, error) {
	panic("contract")
}

// Settings and SetSetting expose `keytray config`: keys "clipboard-clear"
// (duration, 0 = never), "clipboard-watch" (on/off), "start-at-login",
// "start-hidden" (on/off), "theme" (system/light/dark).
func (s *Service) Settings() (vault.Settings, error)            { panic("contract") }
func (s *Service) SaveSettings(vault.Settings) error            { panic("contract") }
func SettingNames() []string                                    { panic("contract") }
func GetSetting(st vault.Settings, name string) (string, error) { panic("contract") }
func SetSetting(st *vault.Settings, name, value string) error   { panic("contract") }

// DoctorReport is what `keytray doctor` prints.
type DoctorReport struct {
	IndexPath  string
	IndexErr   error
	Recovery   *vault.Recovery
	KeyringErr error // nil = a test item could be written, read and deleted
	Servers    []ServerReport
}

// ServerReport is one server's reachability.
type ServerReport struct {
	URL     string
	Info    openwebui.ServerInfo
	Err     error
	Entries int
}

// Doctor checks the keyring, the paths and every server.
func (s *Service) Doctor(ctx context.Context) DoctorReport { panic("contract") }
