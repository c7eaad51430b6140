package keys

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// Method is how to sign in.
type Method int

const (
	Password Method = iota // Email + Secret
	LDAP                   // User + Secret
	Token                  // Secret is a session JWT, used once and never kept
	NoSignIn               // the server has sign-in turned off (WEBUI_AUTH=False): its one account
)

// Credentials sign in to a server. Secret is a password or a JWT.
type Credentials struct {
	Method Method
	Email  string // Password
	User   string // LDAP
	Secret string
	// Code gives the authenticator code when a Password or LDAP sign-in is
	// asked for one (Open WebUI 0.12+ two-step sign-in). nil: such a sign-in
	// fails with ErrCodeNeeded (a *CodeNeededError) before anything is made
	// or stored. A session token never needs a code.
	Code CodeSource
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
	// RenamedFrom is the entry's previous name when the account was already
	// stored under another name and LoginRequest.Name asked for a new one:
	// the entry was renamed (and its key updated as Outcome says). "" = no rename.
	RenamedFrom string
}

// Outcome of Login / FromToken.
type Outcome string

const (
	KeptExisting  Outcome = "kept"           // the server's existing key was read and stored
	CreatedNew    Outcome = "created"        // the account had no key; one was created
	Rotated       Outcome = "rotated"        // Rotate was asked: the old key stopped working
	AlreadyStored Outcome = "already-stored" // the same key was already stored under Entry.Name
)

// signOutTimeout bounds the best-effort sign-out after a login.
const signOutTimeout = 5 * time.Second

// Login signs in, reads or creates the key, stores it and signs out. It never
// rotates unless asked: if the account has a key the server will not show, it
// returns ErrKeyExistsUnreadable and stores nothing. If the same account on the
// same server is already stored, that entry is updated rather than duplicated.
func (s *Service) Login(ctx context.Context, req LoginRequest) (LoginResult, error) {
	c, err := s.client(req.Server)
	if err != nil {
		return LoginResult{}, err
	}
	info, err := c.Probe(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	if req.Creds.Method == NoSignIn && info.Auth {
		return LoginResult{}, &SignInRequiredError{Server: info}
	}
	sess, err := signIn(ctx, c, req.Creds)
	if err != nil {
		return LoginResult{}, err
	}
	// A session Keytray opened is closed again; a pasted token is the user's
	// own (often their browser session), so signing it out would log them out.
	if req.Creds.Method != Token {
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), signOutTimeout)
			defer cancel()
			_ = c.SignOut(sctx, sess) // best effort: the JWT is dropped from memory either way
		}()
	}
	if err := keysUsable(c.URL(), sess); err != nil {
		return LoginResult{}, err
	}

	// A taken name must fail before the server makes a key, not after.
	if err := s.nameAvailableFor(req.Name, c.URL(), sess.UserID); err != nil {
		return LoginResult{}, err
	}
	// No other login of this account may run between reading (or making)
	// the server's key and storing it, nor, once the account is stored, a
	// rotation of it: the key stored could be one the other just replaced.
	var stored vault.Entry
	if sess.UserID != "" {
		unlock, err := s.Vault.LockAccount(ctx, c.URL(), sess.UserID)
		if err != nil {
			return LoginResult{}, err
		}
		defer unlock()
	}
	if entries, err := s.Vault.Entries(); err == nil && sess.UserID != "" {
		if prev, ok := findEntry(entries, func(e vault.Entry) bool { return e.Instance == c.URL() && e.UserID == sess.UserID }); ok {
			unlock, err := s.Vault.LockEntry(ctx, prev.Name)
			if err != nil {
				return LoginResult{}, err
			}
			defer unlock()
			stored = prev
		}
	}
	key, outcome, err := s.obtainKey(ctx, c, sess, req.Rotate, stored)
	if err != nil {
		return LoginResult{}, err
	}
	inst := vault.Instance{
		URL: c.URL(), Name: info.Name, Version: info.Version,
		CAFile: req.Server.CAFile, AllowHTTP: req.Server.AllowHTTP, LastSeen: s.Now(),
	}
	entry := vault.Entry{
		Instance: c.URL(), Email: sess.Email, UserID: sess.UserID, Role: sess.Role,
		Created: s.Now(), Fingerprint: credential.Fingerprint(key), Source: "login",
		LastChecked: s.Now(), LastStatus: string(openwebui.StatusValid),
	}
	if outcome == Rotated {
		entry.Source = "rotate"
	}
	stored, already, renamedFrom, err := s.storeAccountKey(inst, entry, key, req.Name)
	if err != nil {
		if outcome == KeptExisting {
			return LoginResult{}, err // the key is still on the server: nothing is lost
		}
		return LoginResult{}, &UnsavedKeyError{Name: entry.Name, Server: c.URL(), Key: key, Err: err}
	}
	if already {
		outcome = AlreadyStored
	}
	return LoginResult{Entry: stored, Key: key, Outcome: outcome, Server: info, RenamedFrom: renamedFrom}, nil
}

// FromToken uses a session JWT once against a server to fetch or create the
// account's key, stores it, and returns the key (the clipboard guard's "Use it
// to get an API key"). It never rotates unless rotate is set.
func (s *Service) FromToken(ctx context.Context, srv Server, jwt string, name string, rotate bool) (LoginResult, error) {
	return s.Login(ctx, LoginRequest{
		Server: srv,
		Creds:  Credentials{Method: Token, Secret: jwt},
		Name:   name,
		Rotate: rotate,
	})
}

// signIn is every sign-in Keytray makes: the password (or LDAP, or open)
// step, then the code step when the server asks for one.
func signIn(ctx context.Context, c *openwebui.Client, cr Credentials) (*openwebui.Session, error) {
	sess, err := firstStep(ctx, c, cr)
	var ch *openwebui.CodeChallenge
	if errors.As(err, &ch) {
		return secondStep(ctx, c, cr, ch)
	}
	return sess, err
}

func firstStep(ctx context.Context, c *openwebui.Client, cr Credentials) (*openwebui.Session, error) {
	switch cr.Method {
	case Password:
		return c.SignIn(ctx, cr.Email, cr.Secret)
	case LDAP:
		return c.SignInLDAP(ctx, cr.User, cr.Secret)
	case Token:
		tok := trimSecret(cr.Secret)
		if r := credential.Classify(tok); r.Kind != credential.SessionJWT {
			return nil, fmt.Errorf("reading the session token: it is %s, not a session token", r.Kind)
		}
		return c.SessionFromToken(ctx, tok)
	case NoSignIn:
		return c.SignInOpen(ctx)
	}
	return nil, fmt.Errorf("unknown sign-in method %d", cr.Method)
}

// keysUsable refuses early when the session shows that keys cannot work for
// this account: a key read back from a server with keys switched off would be
// stored and then fail everywhere.
func keysUsable(url string, sess *openwebui.Session) error {
	if sess.APIKeysEnabled != nil && !*sess.APIKeysEnabled {
		return &openwebui.Error{Kind: openwebui.ErrKeysDisabled, Op: "checking API keys", URL: url}
	}
	if sess.MayUseAPIKeys != nil && !*sess.MayUseAPIKeys {
		return &openwebui.Error{Kind: openwebui.ErrNoKeyPermission, Op: "checking API keys", URL: url}
	}
	return nil
}

// obtainKey reads the account's key, or creates one where there is none, or
// replaces it when rotate is set. Before the server makes a key, the keyring
// must be writable: a key made and then lost would force another rotation.
//
// A rotation of an account that is stored already (stored.Name != "") is
// recorded in its entry before the server is asked, as Rotate records it:
// an answer lost on the way leaves the entry marked "rotation interrupted".
func (s *Service) obtainKey(ctx context.Context, c *openwebui.Client, sess *openwebui.Session, rotate bool, stored vault.Entry) (string, Outcome, error) {
	existing, err := c.GetKey(ctx, sess)
	hasKey := err == nil || errors.Is(err, openwebui.ErrKeyUnreadable)
	switch {
	case err == nil && !rotate:
		return existing, KeptExisting, nil
	case errors.Is(err, openwebui.ErrKeyUnreadable) && !rotate:
		return "", "", fmt.Errorf("%w: %w", ErrKeyExistsUnreadable, err)
	case err != nil && !hasKey && !errors.Is(err, openwebui.ErrNoKey):
		return "", "", err
	}
	if err := s.Vault.Ready(); err != nil {
		return "", "", fmt.Errorf("checking that a new key can be stored, before making one: %w", err)
	}
	marked := hasKey && stored.Name != ""
	if marked {
		started := s.Now().UTC()
		if err := s.Vault.Update(stored.Name, func(e *vault.Entry) { e.RotatingSince = started }); err != nil {
			return "", "", fmt.Errorf("recording the rotation before asking the server: %w", err)
		}
	}
	key, err := c.CreateKey(ctx, sess)
	if err != nil {
		if marked && answerLost(err) {
			return "", "", &RotationInterruptedError{Name: stored.Name, Server: c.URL(), Email: stored.Email, Err: err}
		}
		if marked { // a definite refusal: the stored key is still the server's
			_ = s.Vault.Update(stored.Name, func(e *vault.Entry) { e.RotatingSince = time.Time{} })
		}
		return "", "", err
	}
	if hasKey {
		return key, Rotated, nil
	}
	return key, CreatedNew, nil
}

// storeAccountKey stores key for the account in entry. An entry for the same
// account on the same server is updated in place (renamed when a different
// name was asked for: renamedFrom is then the old name); otherwise a new entry
// is made. already reports that the identical key was stored before.
func (s *Service) storeAccountKey(inst vault.Instance, entry vault.Entry, key, name string) (stored vault.Entry, already bool, renamedFrom string, err error) {
	err = whileAccountStored(func() (err error) {
		stored, already, renamedFrom, err = s.storeAccountKeyOnce(inst, entry, key, name)
		return err
	})
	return stored, already, renamedFrom, err
}

// whileAccountStored runs store, and again (twice at most) while it finds
// that another process stored the same account meanwhile
// (vault.ErrAccountStored): the next attempt finds that entry and updates it.
func whileAccountStored(store func() error) error {
	err := store()
	for attempt := 1; errors.Is(err, vault.ErrAccountStored) && attempt < 3; attempt++ {
		err = store()
	}
	return err
}

// storeAccountKeyOnce is one attempt of storeAccountKey.
func (s *Service) storeAccountKeyOnce(inst vault.Instance, entry vault.Entry, key, name string) (stored vault.Entry, already bool, renamedFrom string, err error) {
	entries, err := s.Vault.Entries()
	if err != nil {
		return vault.Entry{}, false, "", err
	}
	prev, found := findEntry(entries, func(e vault.Entry) bool {
		return e.Instance == entry.Instance && entry.UserID != "" && e.UserID == entry.UserID
	})
	if !found {
		if name != "" {
			entry.Name = name
			err = s.Vault.Put(inst, entry, key)
		} else {
			// The free name is chosen under the index lock: parallel logins
			// never pick the same one, nor an orphaned item's.
			entry.Name = defaultName(entry.Email, entry.Instance)
			entry, err = s.Vault.PutUnique(inst, entry, key)
		}
		if err != nil {
			return vault.Entry{}, false, "", err
		}
		return entry, false, "", nil
	}
	if err := s.Vault.UpsertInstance(inst); err != nil {
		return vault.Entry{}, false, "", err
	}
	refresh := func(e *vault.Entry) {
		e.Email, e.Role = entry.Email, entry.Role
		e.LastChecked, e.LastStatus, e.LastDetail = entry.LastChecked, entry.LastStatus, ""
	}
	already = prev.Fingerprint == entry.Fingerprint
	if already {
		err = s.Vault.Update(prev.Name, refresh)
	} else {
		err = s.Vault.ReplaceKey(prev.Name, key, func(e *vault.Entry) {
			refresh(e)
			e.Source, e.Created = entry.Source, entry.Created // ReplaceKey sets the fingerprint
		})
	}
	if err != nil {
		return vault.Entry{}, false, "", err
	}
	if name != "" && name != prev.Name {
		if err := s.Vault.Rename(prev.Name, name); err != nil {
			return vault.Entry{}, false, "", err
		}
		renamedFrom, prev.Name = prev.Name, name
	}
	stored, err = s.Vault.Entry(prev.Name)
	return stored, already, renamedFrom, err
}

// nameAvailableFor checks that name is free or already belongs to the same
// account on the same server (whose entry a login updates).
func (s *Service) nameAvailableFor(name, url, userID string) error {
	if name == "" {
		return nil
	}
	e, err := s.Vault.Entry(name)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		// An item the index does not list holds the name: storing would
		// be refused after the server made a key, so refuse now.
		if _, oerr := s.Vault.OrphanKey(name); oerr == nil {
			return fmt.Errorf("name %s: %w", quote(name), vault.ErrOrphan)
		}
		return nil
	case err != nil:
		return err
	case e.Instance == url && userID != "" && e.UserID == userID:
		return nil
	}
	return fmt.Errorf("name %s: %w", quote(name), vault.ErrExists)
}

// defaultName is <email local part>@<host>, or key@<host> without an email.
func defaultName(email, url string) string {
	local := "key"
	if i := strings.LastIndex(email, "@"); i > 0 {
		local = email[:i]
	} else if email != "" {
		local = email
	}
	return local + "@" + openwebui.Host(url)
}

// trimSecret drops the white space a paste or a file adds around a secret.
func trimSecret(s string) string { return strings.TrimSpace(s) }

func quote(s string) string { return strconv.Quote(s) }
