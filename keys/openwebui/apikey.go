package openwebui

import (
	"context"
	"net/http"
	"strings"

	"github.com/keytray/keytray/internal/safetext"
)

const keyPath = "/api/v1/auths/api_key"

// Bearer makes a Session that authenticates with an API key itself, for
// CreateKey/DeleteKey where the server lets a key manage itself.
func Bearer(key string) *Session { return &Session{Token: strings.TrimSpace(key)} }

// keyRequest checks the session and builds a request on the key endpoint.
func (c *Client) keyRequest(op, method string, s *Session) (request, error) {
	if s == nil || s.Token == "" {
		return request{}, &Error{Kind: ErrSessionInvalid, Op: op, URL: c.base, Detail: "no session"}
	}
	if err := c.requireSecure(op); err != nil {
		return request{}, err
	}
	return request{op: op, method: method, path: keyPath, token: s.Token}, nil
}

// keysDenied tells "API keys switched off" from "this account may not"
// for a 403 API_KEY_NOT_ALLOWED / API_KEY_CREATION_NOT_ALLOWED, using what
// the session learnt at sign-in. With nothing known it says disabled.
func keysDenied(s *Session) error {
	switch {
	case s.APIKeysEnabled != nil && !*s.APIKeysEnabled:
		return ErrKeysDisabled
	case s.MayUseAPIKeys != nil && !*s.MayUseAPIKeys:
		return ErrNoKeyPermission
	case s.APIKeysEnabled != nil:
		return ErrNoKeyPermission // the switch is on, so it is the account
	default:
		return ErrKeysDisabled
	}
}

// GetKey reads the account's API key. ErrNoKey when the account has none
// (404); ErrKeyUnreadable when the server says a key exists but will not show it.
//
// A 200 whose api_key is null, empty or masked (anything that is not a whole
// sk- key) is ErrKeyUnreadable unless it also says "exists": false; a future
// server that hides keys is expected to answer that way (owuifake's
// SetServerKeyUnreadable sends {"api_key": null, "exists": true}). On 0.10.0+
// a 403 here means keys are off or not permitted, never "no key".
func (c *Client) GetKey(ctx context.Context, s *Session) (string, error) {
	q, err := c.keyRequest("reading the API key", http.MethodGet, s)
	if err != nil {
		return "", err
	}
	r, err := c.send(ctx, q)
	if err != nil {
		return "", err
	}
	switch {
	case r.status == http.StatusNotFound && r.isJSON():
		return "", &Error{Kind: ErrNoKey, Op: q.op, URL: c.base, Status: r.status}
	case !r.ok():
		return "", c.errorFor(q, r, keysDenied(s))
	}
	var b struct {
		APIKey *string `json:"api_key"`
		Exists *bool   `json:"exists"`
	}
	if err := decode(r, &b); err != nil {
		return "", c.badAnswer(q.op, "the key answer is not what Open WebUI sends", err)
	}
	switch {
	case b.APIKey != nil && LooksLikeKey(*b.APIKey):
		return *b.APIKey, nil
	case b.Exists != nil && !*b.Exists:
		return "", &Error{Kind: ErrNoKey, Op: q.op, URL: c.base, Status: r.status}
	default:
		return "", &Error{Kind: ErrKeyUnreadable, Op: q.op, URL: c.base, Status: r.status}
	}
}

// CreateKey makes a new key for the account; any previous key stops working at once.
func (c *Client) CreateKey(ctx context.Context, s *Session) (string, error) {
	q, err := c.keyRequest("creating an API key", http.MethodPost, s)
	if err != nil {
		return "", err
	}
	r, err := c.send(ctx, q)
	if err != nil {
		return "", err
	}
	if !r.ok() {
		return "", c.errorFor(q, r, keysDenied(s))
	}
	var b struct {
		APIKey string `json:"api_key"`
	}
	if err := decode(r, &b); err != nil || !LooksLikeKey(b.APIKey) {
		return "", c.badAnswer(q.op, "the server's answer holds no sk- key", err)
	}
	return b.APIKey, nil
}

// DeleteKey deletes the account's key on the server.
func (c *Client) DeleteKey(ctx context.Context, s *Session) error {
	q, err := c.keyRequest("deleting the API key", http.MethodDelete, s)
	if err != nil {
		return err
	}
	r, err := c.send(ctx, q)
	if err != nil {
		return err
	}
	if !r.ok() {
		return c.errorFor(q, r, keysDenied(s))
	}
	var done bool
	if err := decode(r, &done); err != nil || !done {
		return c.badAnswer(q.op, "the server did not confirm the deletion", err)
	}
	return nil
}

// LooksLikeKey reports whether s is a whole sk- key as a server hands it out
// ("sk-" and at least 16 letters, digits, '-' or '_'), not a masked one.
// Open WebUI's own keys are "sk-" + 32 hex digits; the check is looser so
// that a server with longer keys still works.
func LooksLikeKey(s string) bool {
	rest, ok := strings.CutPrefix(s, "sk-")
	if !ok || len(rest) < 16 || len(rest) > 256 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Verify checks a key (GET /api/models, falling back as needed). A network or
// protocol failure is an error; a clear answer from the server is a Verification.
//
// 401 is StatusRejected, except ACCESS_PROHIBITED (a pending account:
// StatusDisabled). 403 is read by its text: "API key not allowed to access
// this endpoint." (0.6.37–0.8.x) and ACCESS_PROHIBITED (0.9.0+) are the
// endpoint allow-list, StatusRestricted; API_KEY_NOT_ALLOWED is
// StatusDisabled — except up to 0.6.36, where the allow-list used the same
// text: there the anonymous /api/config (which shows enable_api_key on those
// versions) decides: switch on means restricted, off or unknown means disabled.
// On 0.6.37–0.8.x the allow-list is checked before the key is looked up, so
// an unknown key on a blocked path is StatusRestricted there, not rejected.
// A restricted /api/models is retried on GET /api/v1/auths/ (0.6.7+), which
// may be on the allow-list. When the key is valid, GET /api/v1/auths/ (0.6.7+
// only: 0.6.6 answers a key there with a 500 and older versions mint a JWT)
// names its owner; a failure there is ignored.
func (c *Client) Verify(ctx context.Context, key string) (Verification, error) {
	const op = "checking the API key"
	key = strings.TrimSpace(key)
	if !strings.HasPrefix(key, "sk-") {
		return Verification{}, &Error{Kind: ErrKeyRejected, Op: op, URL: c.base, Detail: "not an sk- API key"}
	}
	if err := c.requireSecure(op); err != nil {
		return Verification{}, err
	}
	version := c.serverVersion(ctx)
	q := request{op: op, method: http.MethodGet, path: "/api/models", token: key}
	r, err := c.send(ctx, q)
	if err != nil {
		return Verification{}, err
	}
	v, err := c.judge(ctx, q, r, version)
	if err != nil {
		return v, err
	}
	ownerKnown := VersionAtLeast(version, "0.6.7")
	if v.Status == StatusRestricted && ownerKnown {
		if owner, ok := c.keyOwner(ctx, key); ok {
			owner.Status, owner.Detail = StatusValid, ""
			return owner, nil
		}
	}
	if v.Status == StatusValid && ownerKnown {
		if owner, ok := c.keyOwner(ctx, key); ok {
			return owner, nil
		}
	}
	return v, nil
}

// judge reads the answer to GET /api/models with a key.
func (c *Client) judge(ctx context.Context, q request, r *reply, version string) (Verification, error) {
	if r.ok() {
		return Verification{Status: StatusValid}, nil
	}
	e := c.errorFor(q, r, ErrKeysDisabled)
	if !r.isJSON() || (r.status != http.StatusUnauthorized && r.status != http.StatusForbidden) {
		return Verification{}, e
	}
	v := Verification{Detail: e.Detail}
	switch {
	case r.status == http.StatusUnauthorized && e.Detail == textAccessProhibited:
		v.Status = StatusDisabled // pending account (role too low)
	case r.status == http.StatusUnauthorized:
		v.Status = StatusRejected
	case e.Detail == textEndpointNotAllowed || e.Detail == textAccessProhibited:
		v.Status = StatusRestricted
	case e.Detail == textAPIKeyNotAllowed && version != "" && !VersionAtLeast(version, "0.6.37"):
		v.Status = StatusDisabled
		if on := c.keysSwitch(ctx, ""); on != nil && *on {
			v.Status = StatusRestricted
		}
	default:
		v.Status = StatusDisabled
	}
	return v, nil
}

// keyOwner asks GET /api/v1/auths/ who owns the key (0.6.7+ echoes it).
func (c *Client) keyOwner(ctx context.Context, key string) (Verification, bool) {
	r, err := c.send(ctx, request{op: "reading the key's owner", method: http.MethodGet, path: "/api/v1/auths/", token: key})
	if err != nil || !r.ok() {
		return Verification{}, false
	}
	var b struct {
		ID, Email, Name, Role string
	}
	if decode(r, &b) != nil || b.ID == "" {
		return Verification{}, false
	}
	return Verification{Status: StatusValid, UserID: safetext.Clean(b.ID), Email: safetext.Clean(b.Email), Name: clip(b.Name), Role: safetext.Clean(b.Role)}, true
}
