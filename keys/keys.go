// Package keys is Keytray's GUI-free core: the operations the command line and
// the desktop app share (sign in and store a key, add, check, rotate, revoke,
// remove, rename, export, import, settings, doctor), built on credential,
// openwebui, vault and backup. It never imports fyne.io (a test enforces it).
//
// Errors are wrapped with context and keep their sentinel kinds from the
// subpackages, so errors.Is works on them; turning them into sentences is the
// caller's job. No error carries a secret.
package keys

import (
	"context"
	"errors"
	"fmt"
	"time"

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
	// ErrWrongAccount: the sign-in was for another account than the stored key's.
	ErrWrongAccount = errors.New("signed in as a different account than the key's owner")
	// ErrKeyMismatch: the account's key on the server is not the stored one, so nothing was deleted.
	ErrKeyMismatch = errors.New("the server's key for this account is not the stored key")
	// ErrAlreadyStored: the same key is already stored (under another name).
	ErrAlreadyStored = errors.New("this key is already stored")
	// ErrSignInRequired: NoSignIn was asked of a server that has sign-in on.
	ErrSignInRequired = errors.New("this server asks for a sign-in")
)

// SignInRequiredError is ErrSignInRequired with what the server offers
// instead, as Login's probe found it.
type SignInRequiredError struct{ Server openwebui.ServerInfo }

func (e *SignInRequiredError) Error() string {
	return fmt.Sprintf("signing in to %s: %v", e.Server.URL, ErrSignInRequired)
}

func (e *SignInRequiredError) Unwrap() error { return ErrSignInRequired }

// UnsavedKeyError is returned when the server made a new key (created or
// rotated) but it could not be stored. The key exists nowhere else, so the
// caller must show it to the user rather than lose it. Error() never contains it.
type UnsavedKeyError struct {
	Name   string
	Server string // the server's URL
	Key    string
	Err    error
}

func (e *UnsavedKeyError) Error() string {
	return "the server made a new key for " + quote(e.Name) + " but it could not be stored: " + e.Err.Error()
}

func (e *UnsavedKeyError) Unwrap() error { return e.Err }

// Service is the shared core. Create with New or Open. Safe for concurrent use.
type Service struct {
	Vault *vault.Vault
	// NewClient makes a server client (tests replace it).
	NewClient func(url string, opts openwebui.Options) (*openwebui.Client, error)
	Now       func() time.Time
}

// Open opens the default profile: the index under vault.DefaultDir() and the OS keyring.
func Open() (*Service, error) {
	v, err := vault.Open(vault.DefaultDir(), vault.NewKeyring(0))
	if err != nil {
		return nil, err
	}
	return New(v), nil
}

// New wires a Service over a vault (tests pass a vault on a memory store).
func New(v *vault.Vault) *Service {
	return &Service{Vault: v, NewClient: openwebui.New, Now: time.Now}
}

// Server describes where to connect.
type Server struct {
	URL       string // any accepted form; normalised
	AllowHTTP bool
	CAFile    string
}

// client makes a client for srv with its URL normalised.
func (s *Service) client(srv Server) (*openwebui.Client, error) {
	u, err := openwebui.NormalizeURL(srv.URL)
	if err != nil {
		return nil, err
	}
	return s.NewClient(u, openwebui.Options{AllowHTTP: srv.AllowHTTP, CAFile: srv.CAFile})
}

// serverOf is the Server of a stored instance, with the options saved for it.
func (s *Service) serverOf(url string) Server {
	inst, err := s.Vault.Instance(url)
	if err != nil {
		return Server{URL: url}
	}
	return Server{URL: inst.URL, AllowHTTP: inst.AllowHTTP, CAFile: inst.CAFile}
}

// Probe normalises the URL and probes the server (no credentials sent).
func (s *Service) Probe(ctx context.Context, srv Server) (openwebui.ServerInfo, error) {
	c, err := s.client(srv)
	if err != nil {
		return openwebui.ServerInfo{}, err
	}
	return c.Probe(ctx)
}

// List returns every entry (sorted by server, then name) and the instances.
func (s *Service) List() ([]vault.Entry, []vault.Instance, error) {
	idx, _, err := s.Vault.Load() // one read: both lists come sorted
	if err != nil {
		return nil, nil, err
	}
	return idx.Entries, idx.Instances, nil
}

// Key returns the secret stored for name.
func (s *Service) Key(name string) (string, error) {
	return s.Vault.Key(name)
}

// BaseURL is what OPENAI_BASE_URL should be for an entry: <server>/api.
func BaseURL(e vault.Entry) string {
	return e.Instance + "/api"
}

// Remove forgets the key locally; the server key keeps working. It waits
// for a rotation of the entry in another process to finish first.
func (s *Service) Remove(name string) error {
	unlock, err := s.lockEntry(context.Background(), name)
	if err != nil {
		return err
	}
	defer unlock()
	return s.Vault.Remove(name)
}

// Rename renames an entry (and its keyring item), after a rotation of it in
// another process has finished.
func (s *Service) Rename(oldName, newName string) error {
	unlock, err := s.lockEntry(context.Background(), oldName)
	if err != nil {
		return err
	}
	defer unlock()
	return s.Vault.Rename(oldName, newName)
}

// Inspection is what a credential string is, with its owner when known.
type Inspection struct {
	credential.Result
	Owner *vault.Entry // the stored entry whose UserID matches the JWT's id claim
	Known *vault.Entry // for an sk- key: the stored entry with the same fingerprint
}

// Inspect classifies secret and matches it against stored entries. It never
// stores or sends anything.
func (s *Service) Inspect(secret string) (Inspection, error) {
	in := Inspection{Result: credential.Classify(secret)}
	if in.Kind == credential.Other {
		return in, nil
	}
	entries, err := s.Vault.Entries()
	if err != nil {
		return in, err
	}
	switch in.Kind {
	case credential.SessionJWT:
		if id := in.JWT.UserID; id != "" {
			if e, ok := findEntry(entries, func(e vault.Entry) bool { return e.UserID == id }); ok {
				in.Owner = &e
			}
		}
	case credential.APIKey:
		fp := credential.Fingerprint(trimSecret(secret))
		if e, ok := findEntry(entries, func(e vault.Entry) bool { return e.Fingerprint == fp }); ok {
			in.Known = &e
		}
	}
	return in, nil
}

func findEntry(entries []vault.Entry, match func(vault.Entry) bool) (vault.Entry, bool) {
	for _, e := range entries {
		if match(e) {
			return e, true
		}
	}
	return vault.Entry{}, false
}
