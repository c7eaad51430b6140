package keys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// AddRequest stores an existing key.
type AddRequest struct {
	Server   Server
	Key      string
	Name     string // "" = from the key's owner (when verified) or the host
	NoVerify bool   // store without asking the server
}

// Add stores an existing sk- key after verifying it (unless NoVerify). A JWT
// gives ErrJWTNotKey; anything else that is not sk- gives ErrNotAKey.
func (s *Service) Add(ctx context.Context, req AddRequest) (vault.Entry, error) {
	key := trimSecret(req.Key)
	switch r := credential.Classify(key); r.Kind {
	case credential.SessionJWT:
		return vault.Entry{}, ErrJWTNotKey
	case credential.Other:
		return vault.Entry{}, ErrNotAKey
	}
	url, err := openwebui.NormalizeURL(req.Server.URL)
	if err != nil {
		return vault.Entry{}, err
	}
	fp := credential.Fingerprint(key)
	entries, err := s.Vault.Entries()
	if err != nil {
		return vault.Entry{}, err
	}
	if e, ok := findEntry(entries, func(e vault.Entry) bool { return e.Fingerprint == fp }); ok {
		return vault.Entry{}, fmt.Errorf("adding key: stored as %s: %w", quote(e.Name), ErrAlreadyStored)
	}

	inst := vault.Instance{URL: url, CAFile: req.Server.CAFile, AllowHTTP: req.Server.AllowHTTP}
	entry := vault.Entry{Instance: url, Created: s.Now(), Fingerprint: fp, Source: "add"}
	if !req.NoVerify {
		c, err := s.client(req.Server)
		if err != nil {
			return vault.Entry{}, err
		}
		info, err := c.Probe(ctx)
		if err != nil {
			return vault.Entry{}, err
		}
		inst.Name, inst.Version, inst.LastSeen = info.Name, info.Version, s.Now()
		v, err := c.Verify(ctx, key)
		if err != nil {
			return vault.Entry{}, err
		}
		if err := verificationError(c.URL(), v); err != nil {
			return vault.Entry{}, err
		}
		entry.Email, entry.UserID, entry.Role = v.Email, v.UserID, v.Role
		entry.LastChecked, entry.LastStatus, entry.LastDetail = s.Now(), string(v.Status), v.Detail
	}
	var stored vault.Entry
	err = whileAccountStored(func() (err error) {
		stored, err = s.storeAdded(req, inst, entry, key)
		return err
	})
	return stored, err
}

// storeAdded stores Add's verified key: in the entry that holds the
// account's key already, or in a new one. It reads the entries as they are
// now: the server was asked since Add read them.
func (s *Service) storeAdded(req AddRequest, inst vault.Instance, entry vault.Entry, key string) (vault.Entry, error) {
	entries, err := s.Vault.Entries()
	if err != nil {
		return vault.Entry{}, err
	}
	url := entry.Instance
	// The account's key is stored already under another entry (a rotation
	// whose new key could not be stored, say): that entry gets the new key
	// rather than a second entry being made.
	if prev, ok := findEntry(entries, func(e vault.Entry) bool {
		return !req.NoVerify && e.Instance == url && entry.UserID != "" && e.UserID == entry.UserID
	}); ok && (req.Name == "" || strings.EqualFold(req.Name, prev.Name)) {
		if err := s.Vault.UpsertInstance(inst); err != nil {
			return vault.Entry{}, err
		}
		err := s.Vault.ReplaceKey(prev.Name, key, func(e *vault.Entry) {
			e.Email, e.Role, e.Source, e.Created = entry.Email, entry.Role, entry.Source, entry.Created
			e.LastChecked, e.LastStatus, e.LastDetail = entry.LastChecked, entry.LastStatus, entry.LastDetail
		})
		if err != nil {
			return vault.Entry{}, err
		}
		return s.Vault.Entry(prev.Name)
	}
	if existing, err := s.Vault.Instance(url); err == nil && inst.Name == "" {
		inst.Name, inst.Version, inst.LastSeen = existing.Name, existing.Version, existing.LastSeen
	}
	if req.Name != "" {
		entry.Name = req.Name
		if err := s.Vault.Put(inst, entry, key); err != nil {
			return vault.Entry{}, err
		}
		return entry, nil
	}
	entry.Name = defaultName(entry.Email, url)
	return s.Vault.PutUnique(inst, entry, key)
}

// verificationError refuses to store a key the server says cannot be used.
// A restricted key (the check's endpoint is not on the allow-list) may still
// work where it is meant to, so it is accepted.
func verificationError(url string, v openwebui.Verification) error {
	var kind error
	switch v.Status {
	case openwebui.StatusRejected:
		kind = openwebui.ErrKeyRejected
	case openwebui.StatusDisabled:
		kind = openwebui.ErrKeysDisabled
	default:
		return nil
	}
	return &openwebui.Error{Kind: kind, Op: "verifying key", URL: url, Detail: v.Detail}
}

// CheckResult is one key's verification.
type CheckResult struct {
	Entry  vault.Entry      // with LastChecked/LastStatus/LastDetail updated
	Status openwebui.Status // "" when Err is set
	Err    error            // network or keyring failure: the status is unknown
	// Interrupted: a rotation of this entry was interrupted and the stored
	// key does not work (or could not be checked): the server may hold a
	// newer one. Entry.RotatingSince stays set.
	Interrupted bool
}

// OK reports whether the key is known to work.
func (r CheckResult) OK() bool {
	return !r.Interrupted && r.Err == nil && (r.Status == openwebui.StatusValid || r.Status == openwebui.StatusRestricted)
}

// InterruptedError is the *RotationInterruptedError for a result with
// Interrupted set (nil otherwise), to explain how to recover.
func (r CheckResult) InterruptedError() error {
	if !r.Interrupted {
		return nil
	}
	return &RotationInterruptedError{Name: r.Entry.Name, Server: r.Entry.Instance, Email: r.Entry.Email,
		Err: errors.New("the stored key may be the one the server replaced")}
}

// StatusUnknown is recorded when a check could not reach a verdict.
const StatusUnknown = "unknown"

// checkParallel bounds how many servers are asked at once.
const checkParallel = 4

// Check verifies the named keys (all when names is empty) and records the
// results in the index. Results keep the order of names (or of the list).
func (s *Service) Check(ctx context.Context, names ...string) ([]CheckResult, error) {
	entries, _, err := s.selectEntries(names)
	if err != nil {
		return nil, err
	}
	results := make([]CheckResult, len(entries))
	sem := make(chan struct{}, checkParallel)
	// The first key of each server is checked first. If the server could not
	// be reached at all, its other keys get the same answer without reading
	// them from the keyring or asking again: one DNS failure, refusal or
	// timeout per server and check, not one per key.
	type serverGate struct {
		done chan struct{} // closed when the server's first key is checked
		down error         // why the server could not be reached, if so
	}
	gates := map[string]*serverGate{}
	var wg sync.WaitGroup
	for i, e := range entries {
		g, seen := gates[e.Instance]
		if !seen {
			g = &serverGate{done: make(chan struct{})}
			gates[e.Instance] = g
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if seen {
				<-g.done
				if g.down != nil {
					results[i] = CheckResult{Entry: e, Err: g.down}
					return
				}
			}
			sem <- struct{}{}
			results[i] = s.checkOne(ctx, e)
			<-sem
			if !seen {
				if serverDown(results[i].Err) {
					g.down = results[i].Err
				}
				close(g.done)
			}
		}()
	}
	wg.Wait()
	now := s.Now()
	updates := make(map[string]func(*vault.Entry), len(results))
	for i, r := range results {
		marked := r.Entry.RotationInterrupted()
		if marked {
			if r.OK() && s.notRotating(ctx, r.Entry.Name) {
				// The server still accepts the stored key: the interrupted
				// rotation never replaced it.
				results[i].Entry.RotatingSince = time.Time{}
			} else {
				results[i].Interrupted = true
			}
		}
		r := results[i]
		clear := marked && !r.Entry.RotationInterrupted() // only a marker this check saw
		status, detail := string(r.Status), ""
		if r.Err != nil {
			status, detail = StatusUnknown, r.Err.Error()
		} else if r.Entry.LastDetail != "" {
			detail = r.Entry.LastDetail
		}
		updates[r.Entry.Name] = func(e *vault.Entry) {
			e.LastChecked, e.LastStatus, e.LastDetail = now, status, detail
			if clear {
				e.RotatingSince = time.Time{}
			}
		}
		results[i].Entry.LastChecked, results[i].Entry.LastStatus, results[i].Entry.LastDetail = now, status, detail
	}
	if err := s.Vault.UpdateEach(updates); err != nil {
		return results, fmt.Errorf("recording the checks: %w", err)
	}
	return results, nil
}

// serverDown reports whether err says the server could not be reached or
// is not the server at all, which holds for every key on it: not found by
// name, refused, no answer in time, a certificate or protocol mismatch, a
// failing proxy. A connection dropped after it was made is not: the next
// request may well be answered.
func serverDown(err error) bool {
	if err == nil || errors.Is(err, openwebui.ErrDropped) {
		return false
	}
	for _, kind := range []error{openwebui.ErrUnreachable, openwebui.ErrTimeout, openwebui.ErrTLS,
		openwebui.ErrNotOpenWebUI, openwebui.ErrSpeaksTLS, openwebui.ErrBadURL, openwebui.ErrProxy} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}

func (s *Service) checkOne(ctx context.Context, e vault.Entry) CheckResult {
	key, err := s.Vault.Key(e.Name)
	if err != nil {
		return CheckResult{Entry: e, Err: err}
	}
	c, err := s.client(s.serverOf(e.Instance))
	if err != nil {
		return CheckResult{Entry: e, Err: err}
	}
	v, err := c.Verify(ctx, key)
	if err != nil {
		return CheckResult{Entry: e, Err: err}
	}
	e.LastDetail = v.Detail
	return CheckResult{Entry: e, Status: v.Status}
}

// notRotating reports that no process is rotating name right now (its
// entry lock is free), without waiting.
func (s *Service) notRotating(ctx context.Context, name string) bool {
	now, cancel := context.WithCancel(ctx)
	cancel()
	unlock, err := s.Vault.LockEntry(now, name)
	if err != nil {
		return false
	}
	unlock()
	return true
}

// selectEntries returns the named entries in the given order, or all of
// them, from one read of the index (returned too, for its instances).
func (s *Service) selectEntries(names []string) ([]vault.Entry, *vault.Index, error) {
	idx, _, err := s.Vault.Load()
	if err != nil {
		return nil, nil, err
	}
	if len(names) == 0 {
		return idx.Entries, idx, nil
	}
	out := make([]vault.Entry, 0, len(names))
	for _, n := range names {
		e, err := idx.Entry(n)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", quote(n), err)
		}
		out = append(out, e)
	}
	return out, idx, nil
}

// managed is what Rotate and Revoke need about a stored key.
type managed struct {
	entry vault.Entry
	key   string
	c     *openwebui.Client
}

// Manage are the options of RotateWith and RevokeWith.
type Manage struct {
	// AllowHTTP lets this operation send the key or password over plain
	// http:// to a server that is not on this machine. It is recorded for the
	// server (as login --allow-http records it) only once the operation worked.
	AllowHTTP bool
}

func (s *Service) managedKey(name string, opt Manage) (managed, error) {
	e, err := s.Vault.Entry(name)
	if err != nil {
		return managed{}, err
	}
	key, err := s.Vault.Key(name)
	if err != nil {
		return managed{}, err
	}
	srv := s.serverOf(e.Instance)
	srv.AllowHTTP = srv.AllowHTTP || opt.AllowHTTP
	c, err := s.client(srv)
	if err != nil {
		return managed{}, err
	}
	return managed{entry: e, key: key, c: c}, nil
}

// lockEntry serialises rotations and revocations of one entry across
// processes; name may be spelt in any case.
func (s *Service) lockEntry(ctx context.Context, name string) (func(), error) {
	e, err := s.Vault.Entry(name)
	if err != nil {
		return nil, err
	}
	return s.Vault.LockEntry(ctx, e.Name)
}

// session is the session to manage m's key with: the key itself when creds is
// nil, else a sign-in that must be the key owner's. done signs it out.
func (s *Service) session(ctx context.Context, m managed, creds *Credentials) (sess *openwebui.Session, done func(), err error) {
	if creds == nil {
		return openwebui.Bearer(m.key), func() {}, nil
	}
	sess, err = signIn(ctx, m.c, *creds)
	if err != nil {
		return nil, nil, err
	}
	done = func() {}
	if creds.Method != Token {
		done = func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), signOutTimeout)
			defer cancel()
			_ = m.c.SignOut(sctx, sess)
		}
	}
	if m.entry.UserID != "" && sess.UserID != m.entry.UserID {
		done()
		return nil, nil, fmt.Errorf("signed in as %s, but %s belongs to another account: %w",
			sess.Email, quote(m.entry.Name), ErrWrongAccount)
	}
	return sess, done, nil
}

// refusedKeyAuth reports that the server would not let the key manage itself
// (endpoint restrictions, or the key path refused), which a sign-in may fix.
func refusedKeyAuth(err error) bool {
	var oe *openwebui.Error
	if !errors.As(err, &oe) {
		return false
	}
	return oe.Status == 401 || oe.Status == 403
}

// ErrRotationInterrupted: the server was asked for a new key and its answer
// never arrived (a dropped connection, a cut-short answer, a timeout, the
// process stopped): the server may have replaced the key, so the stored one
// may no longer work. The entry shows "rotation interrupted" until a login
// fetches the current key, or a check finds the stored key still works.
var ErrRotationInterrupted = errors.New("the rotation was interrupted: the server may have replaced the key")

// RotationInterruptedError is ErrRotationInterrupted with how to recover.
type RotationInterruptedError struct {
	Name   string // the entry
	Server string // its server's URL
	Email  string // the account's email, "" when unknown
	Err    error  // what was lost
}

func (e *RotationInterruptedError) Error() string {
	return fmt.Sprintf("rotating %s: %v: %v", quote(e.Name), ErrRotationInterrupted, e.Err)
}

func (e *RotationInterruptedError) Unwrap() []error { return []error{ErrRotationInterrupted, e.Err} }

// answerLost reports whether a failed request may still have been carried
// out by the server: anything but a definite answer from it (an HTTP error
// status), or a connection that was never made.
func answerLost(err error) bool {
	var oe *openwebui.Error
	if !errors.As(err, &oe) {
		return true
	}
	switch {
	case errors.Is(err, openwebui.ErrProxy):
		return true // a gateway timeout: the server behind may have done it
	case oe.Status >= 300:
		return false
	case errors.Is(err, openwebui.ErrDropped), errors.Is(err, openwebui.ErrTimeout),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return true
	case oe.Status == 200:
		return true // an answer that could not be read
	}
	return false // refused, no such host, TLS: the request never reached it
}

// Rotate makes a new key on the server and stores it. With creds nil it first
// tries to manage the key with the key itself; if the server refuses that, it
// returns ErrNeedsSignIn and the caller asks for credentials and calls again.
func (s *Service) Rotate(ctx context.Context, name string, creds *Credentials) (vault.Entry, error) {
	return s.RotateWith(ctx, name, creds, Manage{})
}

// RotateWith is Rotate with options. A rotation is a transaction that can
// always be finished: rotations of one entry are serialised across
// processes (the stored key is the one the server holds last); before the
// server is asked, Keytray makes sure the new key can be stored (the index
// folder and the keyring take a write) and records in the index that a
// rotation is in flight; if the answer is lost, the error is a
// *RotationInterruptedError saying how to fetch the current key, and the
// entry stays marked until that is done.
func (s *Service) RotateWith(ctx context.Context, name string, creds *Credentials, opt Manage) (vault.Entry, error) {
	unlock, err := s.lockEntry(ctx, name)
	if err != nil {
		return vault.Entry{}, err
	}
	defer unlock()
	// Read under the lock: a rotation that just finished stored a new key.
	m, err := s.managedKey(name, opt)
	if err != nil {
		return vault.Entry{}, err
	}
	sess, done, err := s.session(ctx, m, creds)
	if err != nil {
		return vault.Entry{}, err
	}
	defer done()
	if creds != nil {
		if err := keysUsable(m.c.URL(), sess); err != nil {
			return vault.Entry{}, err
		}
	}
	if err := s.Vault.Ready(); err != nil {
		return vault.Entry{}, fmt.Errorf("checking that a new key can be stored, before rotating: %w", err)
	}
	name = m.entry.Name
	started := s.Now().UTC()
	if err := s.Vault.Update(name, func(e *vault.Entry) { e.RotatingSince = started }); err != nil {
		return vault.Entry{}, fmt.Errorf("recording the rotation before asking the server: %w", err)
	}
	key, err := m.c.CreateKey(ctx, sess)
	if err != nil {
		if answerLost(err) {
			return vault.Entry{}, &RotationInterruptedError{Name: name, Server: m.c.URL(), Email: m.entry.Email, Err: err}
		}
		// A definite refusal: the key on the server is the stored one still.
		_ = s.Vault.Update(name, func(e *vault.Entry) { e.RotatingSince = time.Time{} })
		if creds == nil && refusedKeyAuth(err) {
			return vault.Entry{}, fmt.Errorf("rotating %s: %w: %w", quote(name), ErrNeedsSignIn, err)
		}
		return vault.Entry{}, err
	}
	now := s.Now()
	err = s.Vault.ReplaceKey(name, key, func(e *vault.Entry) {
		e.Source, e.Created = "rotate", now
		e.LastChecked, e.LastStatus, e.LastDetail = now, string(openwebui.StatusValid), ""
		if creds != nil {
			e.Email, e.UserID, e.Role = sess.Email, sess.UserID, sess.Role
		}
	})
	if err != nil {
		return vault.Entry{}, &UnsavedKeyError{Name: name, Server: m.c.URL(), Key: key, Err: err}
	}
	if opt.AllowHTTP {
		if err := s.AllowHTTP(m.c.URL()); err != nil {
			return vault.Entry{}, err
		}
	}
	return s.Vault.Entry(name)
}

// RevokeOutcome says what Revoke did.
type RevokeOutcome string

const (
	// Deleted: the server deleted the key; it was forgotten locally.
	Deleted RevokeOutcome = "deleted"
	// AlreadyGone: the server had no such key (never had it, or it was
	// already revoked or replaced); it was forgotten locally only.
	AlreadyGone RevokeOutcome = "already-gone"
)

// Revoke deletes the key on the server, then forgets it locally. Same
// credential rule as Rotate. A key the server already rejects is forgotten
// locally without asking the server to delete anything.
func (s *Service) Revoke(ctx context.Context, name string, creds *Credentials) error {
	_, err := s.RevokeWith(ctx, name, creds, Manage{})
	return err
}

// RevokeWith is Revoke with options, and says whether the server deleted a
// key or had none to delete.
func (s *Service) RevokeWith(ctx context.Context, name string, creds *Credentials, opt Manage) (RevokeOutcome, error) {
	unlock, err := s.lockEntry(ctx, name)
	if err != nil {
		return "", err
	}
	defer unlock()
	m, err := s.managedKey(name, opt)
	if err != nil {
		return "", err
	}
	out, err := s.revoke(ctx, m, creds)
	if err == nil && opt.AllowHTTP {
		err = s.AllowHTTPIfKnown(m.c.URL())
	}
	return out, err
}

func (s *Service) revoke(ctx context.Context, m managed, creds *Credentials) (RevokeOutcome, error) {
	name := m.entry.Name
	sess, done, err := s.session(ctx, m, creds)
	if err != nil {
		return "", err
	}
	defer done()
	if creds != nil {
		// Signed in, DELETE removes the account's *current* key: make sure it
		// is the stored one, or the user's other integrations would break.
		cur, err := m.c.GetKey(ctx, sess)
		switch {
		case errors.Is(err, openwebui.ErrNoKey):
			return AlreadyGone, s.Vault.Remove(name)
		case err == nil && cur != m.key:
			return "", fmt.Errorf("revoking %s: %w; nothing was deleted", quote(name), ErrKeyMismatch)
		case err != nil && !errors.Is(err, openwebui.ErrKeyUnreadable):
			return "", err
		}
	}
	if err := m.c.DeleteKey(ctx, sess); err != nil {
		if creds != nil || !refusedKeyAuth(err) {
			return "", err
		}
		if v, verr := m.c.Verify(ctx, m.key); verr == nil && v.Status == openwebui.StatusRejected {
			return AlreadyGone, s.Vault.Remove(name) // already dead on the server
		}
		return "", fmt.Errorf("revoking %s: %w: %w", quote(name), ErrNeedsSignIn, err)
	}
	return Deleted, s.Vault.Remove(name)
}
