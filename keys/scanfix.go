package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/scan"
	"github.com/keytray/keytray/keys/vault"
)

// ErrTokenUnusable: a session token found in a file that no stored server
// accepts (it expired, was signed out, its server's secret changed, or its
// server is not stored), so it cannot be turned into a key.
var ErrTokenUnusable = errors.New("no stored server accepts this session token")

// tokenCheckTimeout bounds asking one server whose a found token is.
const tokenCheckTimeout = 10 * time.Second

// Found is a secret found in a file, identified against the profile.
type Found struct {
	scan.Finding
	Account string // the account's email, "" when unknown
	Server  string // the server it belongs to, "" when unknown
	// Entry is the stored entry a reference can stand for: the stored key
	// itself (an sk- key), or the account's stored key (a session token).
	// nil when nothing stored fits yet.
	Entry *vault.Entry
	// Accepted: a stored server accepted the session token just now (asked
	// only for tokens whose account is not stored).
	Accepted bool
}

// Expired reports whether the finding is a session token past its expiry.
func (f Found) Expired(now time.Time) bool {
	return f.Kind == credential.SessionJWT && f.JWT.Expired(now)
}

// Identify says whose each secret is. Keys are matched by fingerprint, tokens
// by the account's user id; with askServers, a token of an account not stored
// (and not expired) is shown to the stored servers until one accepts it: only
// to those whose address the token's file names (a .env's base URL, say),
// when it names any, so that a token is not shown to servers it cannot be
// for. It never stores anything.
func (s *Service) Identify(ctx context.Context, found []scan.Finding, askServers bool) ([]Found, error) {
	out := make([]Found, 0, len(found))
	if len(found) == 0 {
		return out, nil
	}
	idx, _, err := s.Vault.Load()
	if err != nil {
		return nil, err
	}
	asked := map[string]Found{}            // token and servers asked → what they said
	named := map[string][]vault.Instance{} // file → the stored servers it names
	for _, f := range found {
		r := Found{Finding: f}
		switch f.Kind {
		case credential.APIKey:
			if e := StoredKeyEntry(idx, f.Secret()); e != nil {
				r.Entry, r.Account, r.Server = e, e.Email, e.Instance
			}
		case credential.SessionJWT:
			if id := f.JWT.UserID; id != "" {
				if e, ok := findEntry(idx.Entries, func(e vault.Entry) bool { return e.UserID == id }); ok {
					r.Entry, r.Account, r.Server = &e, e.Email, e.Instance
					break
				}
			}
			if !askServers || f.JWT.Expired(s.Now()) {
				break
			}
			servers, ok := named[f.Path]
			if !ok {
				servers = serversNamedIn(f.Path, idx.Instances)
				named[f.Path] = servers
			}
			if len(servers) == 0 {
				servers = idx.Instances
			}
			key := f.Secret()
			for _, in := range servers {
				key += "\x00" + in.URL
			}
			if a, ok := asked[key]; ok {
				r.Account, r.Server, r.Accepted = a.Account, a.Server, a.Accepted
				break
			}
			r.Account, r.Server, r.Accepted = s.whoseToken(ctx, servers, f.Secret())
			asked[key] = r
		}
		out = append(out, r)
	}
	return out, nil
}

// serversNamedIn is the stored servers whose address (host, with the port
// when the URL has one) appears in the file at path; nil when it names none
// or cannot be read. The scan read the file already; it is at most 8 MiB.
func serversNamedIn(path string, instances []vault.Instance) []vault.Instance {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []vault.Instance
	for _, in := range instances {
		if u, err := url.Parse(in.URL); err == nil && u.Host != "" && bytes.Contains(data, []byte(u.Host)) {
			out = append(out, in)
		}
	}
	return out
}

// whoseToken asks each stored server who token belongs to (GET
// /api/v1/auths/), and stops at the first that accepts it.
func (s *Service) whoseToken(ctx context.Context, instances []vault.Instance, token string) (email, server string, ok bool) {
	for _, inst := range instances {
		c, err := s.client(Server{URL: inst.URL, AllowHTTP: inst.AllowHTTP, CAFile: inst.CAFile})
		if err != nil {
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, tokenCheckTimeout)
		sess, err := c.SessionFromToken(tctx, token)
		cancel()
		if err == nil {
			return sess.Email, c.URL(), true
		}
	}
	return "", "", false
}

// KeyForFound is the stored entry whose reference replaces a found secret.
// A stored key is its own entry. A session token becomes its account's key:
// when the account is stored already, that entry; otherwise Keytray uses the
// token once, as the clipboard guard's swap does (read the key, create one
// only when there is none, store it) on the server that accepted it. A token
// no stored server accepts is ErrTokenUnusable; an sk- key that is not stored
// is vault.ErrNotFound.
func (s *Service) KeyForFound(ctx context.Context, f Found) (vault.Entry, error) {
	if f.Entry != nil {
		return *f.Entry, nil
	}
	switch {
	case f.Kind == credential.APIKey:
		return vault.Entry{}, fmt.Errorf("the key found is not stored: %w", vault.ErrNotFound)
	case !f.Accepted || f.Server == "":
		return vault.Entry{}, ErrTokenUnusable
	}
	res, err := s.FromToken(ctx, s.serverOf(f.Server), f.Secret(), "", false)
	var unsaved *UnsavedKeyError
	if err != nil && !errors.As(err, &unsaved) {
		var owe *openwebui.Error
		if errors.As(err, &owe) && errors.Is(err, openwebui.ErrSessionInvalid) {
			return vault.Entry{}, fmt.Errorf("%w: %w", ErrTokenUnusable, err)
		}
	}
	if err != nil {
		return vault.Entry{}, err
	}
	return res.Entry, nil
}
