// Package openwebui is an HTTP client for one Open WebUI server: it probes the
// server, signs in (password, LDAP, or a pasted session JWT), reads, creates and
// deletes the account's API key, and verifies a key. It knows the differences
// between server versions 0.4 to 0.11 (see the package tests' fake server).
//
// Promises: responses are size-capped, every request has a timeout, TLS is
// verified (optionally against a per-server CA file), and no password, token or
// key is sent over plain http:// to a host that is not loopback unless the
// caller allowed it. Errors never contain a secret.
package openwebui

import (
	"context"
	"net/http"
	"time"
)

// Options configure a Client.
type Options struct {
	CAFile    string        // PEM file of extra trusted CAs for this server ("" = system roots)
	AllowHTTP bool          // allow sending secrets over http:// to a non-loopback host
	Timeout   time.Duration // per request; 0 = 20 s
	MaxBody   int64         // cap on a response body; 0 = 4 MiB
	// Transport replaces the HTTP transport (tests only).
	Transport http.RoundTripper
}

// NormalizeURL turns "host", "host:port", "http(s)://host[:port][/prefix]" with or
// without a trailing "/" or "/api" into the canonical base URL
// "scheme://host[:port][/prefix]" (no trailing slash). No scheme means https,
// except for loopback hosts, which get http.
func NormalizeURL(raw string) (string, error) { panic("contract") }

// Host is the URL's host name without port, for default entry names.
func Host(baseURL string) string { panic("contract") }

// IsLoopback reports whether the base URL's host is localhost or a loopback address.
func IsLoopback(baseURL string) bool { panic("contract") }

// Client talks to one server. Safe for concurrent use.
type Client struct { /* … */
}

// New makes a client for baseURL (normalised by NormalizeURL).
func New(baseURL string, opts Options) (*Client, error) { panic("contract") }

// URL is the client's normalised base URL.
func (c *Client) URL() string { panic("contract") }

// ServerInfo is what Probe learnt. It holds nothing secret.
type ServerInfo struct {
	URL            string
	Name           string   // instance name from /api/config ("Open WebUI" by default)
	Version        string   // from /api/version
	Auth           bool     // features.auth (false: WEBUI_AUTH=false, no sign-in)
	PasswordAuth   bool     // features.enable_login_form
	LDAP           bool     // features.enable_ldap
	TrustedHeader  bool     // features.auth_trusted_header
	OAuthProviders []string // display names; non-empty = SSO offered
	// APIKeysEnabled is the server-wide switch when visible; nil when the server
	// hides it from anonymous callers (0.9.6+) or the probe had no session.
	APIKeysEnabled *bool
}

// SSOOnly reports that the only way to sign in is SSO (so the user must paste a session token).
func (s ServerInfo) SSOOnly() bool { panic("contract") }

// Probe checks that the server is Open WebUI and reads its version and sign-in
// methods, sending no credentials. Anything else (an HTML page, a proxy's error
// page, a 200 that is not JSON) is refused with ErrNotOpenWebUI.
func (c *Client) Probe(ctx context.Context) (ServerInfo, error) { panic("contract") }

// Session is a signed-in session. Its Token is a JWT kept in memory only;
// callers must not store or log it, and should call SignOut when done.
type Session struct {
	Token     string
	UserID    string
	Email     string
	Name      string
	Role      string    // admin | user | pending
	ExpiresAt time.Time // zero = never
	// MayUseAPIKeys: role admin, or permissions.features.api_keys true, or the
	// server predates per-user permissions (< 0.6.37). Nil when unknown.
	MayUseAPIKeys *bool
	// APIKeysEnabled is the server-wide switch read from /api/config with the
	// session (0.9.6+ hides it from anonymous callers); nil when unknown.
	APIKeysEnabled *bool
}

// SignIn signs in with email and password (POST /api/v1/auths/signin).
func (c *Client) SignIn(ctx context.Context, email, password string) (*Session, error) {
	panic("contract")
}

// SignInLDAP signs in with an LDAP user name and password (POST /api/v1/auths/ldap).
func (c *Client) SignInLDAP(ctx context.Context, user, password string) (*Session, error) {
	panic("contract")
}

// SessionFromToken turns a pasted session JWT into a Session (GET /api/v1/auths/).
// The token is used as is; on servers ≤ 0.6.5 that endpoint returns a fresh JWT,
// which replaces it in the Session.
func (c *Client) SessionFromToken(ctx context.Context, token string) (*Session, error) {
	panic("contract")
}

// SignOut ends the session (GET ≤ 0.9.2, POST ≥ 0.9.3; falls back on 405).
// Never call it with an sk- key.
func (c *Client) SignOut(ctx context.Context, s *Session) error { panic("contract") }

// GetKey reads the account's API key. ErrNoKey when the account has none
// (404); ErrKeyUnreadable when the server says a key exists but will not show it.
func (c *Client) GetKey(ctx context.Context, s *Session) (string, error) { panic("contract") }

// CreateKey makes a new key for the account; any previous key stops working at once.
func (c *Client) CreateKey(ctx context.Context, s *Session) (string, error) { panic("contract") }

// DeleteKey deletes the account's key on the server.
func (c *Client) DeleteKey(ctx context.Context, s *Session) error { panic("contract") }

// Bearer makes a Session that authenticates with an API key itself, for
// CreateKey/DeleteKey where the server lets a key manage itself.
func Bearer(key string) *Session { panic("contract") }

// Verification is the result of checking an API key against the server.
type Verification struct {
	Status Status
	Detail string // the server's own words, when it gave any
	// Owner, when the server told (GET /api/v1/auths/ on 0.6.7+).
	UserID, Email, Name, Role string
}

// Status of a verified key.
type Status string

const (
	StatusValid      Status = "valid"      // the key works
	StatusRejected   Status = "rejected"   // 401: unknown, revoked or replaced key
	StatusDisabled   Status = "disabled"   // 403: API keys off, no permission, or the account is pending
	StatusRestricted Status = "restricted" // 403: the endpoint allow-list blocks the check, key may still work elsewhere
)

// Verify checks a key (GET /api/models, falling back as needed). A network or
// protocol failure is an error; a clear answer from the server is a Verification.
func (c *Client) Verify(ctx context.Context, key string) (Verification, error) { panic("contract") }
