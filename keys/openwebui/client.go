// Package openwebui is an HTTP client for one Open WebUI server: it probes the
// server, signs in (password, LDAP, or a pasted session JWT), reads, creates and
// deletes the account's API key, and verifies a key. It knows the differences
// between server versions 0.4 to 0.12 (see the fake server in owuifake),
// including 0.12's two-step sign-in (SignIn returns a *CodeChallenge; VerifyCode).
//
// Promises: responses are size-capped, every request has a timeout, TLS is
// verified (optionally against a per-server CA file), and no password, token or
// key is sent over plain http:// to a host that is not loopback unless the
// caller allowed it. Errors never contain a secret.
package openwebui

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Options configure a Client.
type Options struct {
	CAFile    string        // PEM file of extra trusted CAs for this server ("" = system roots)
	AllowHTTP bool          // allow sending secrets over http:// to a non-loopback host
	Timeout   time.Duration // per request; 0 = 20 s
	MaxBody   int64         // cap on a response body; 0 = 4 MiB
	// Transport replaces the HTTP transport (tests only; CAFile is then ignored).
	Transport http.RoundTripper
}

// Client talks to one server. Safe for concurrent use.
type Client struct {
	base      string
	hc        *http.Client
	timeout   time.Duration
	maxBody   int64
	allowHTTP bool
	caFile    string

	mu      sync.Mutex
	version string // learnt from /api/version; "" = not yet
}

// New makes a client for baseURL (normalised by NormalizeURL).
func New(baseURL string, opts Options) (*Client, error) {
	base, err := NormalizeURL(baseURL)
	if err != nil {
		return nil, err
	}
	hc, err := newHTTPClient(opts)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.URL = base
		}
		return nil, err
	}
	c := &Client{base: base, hc: hc, timeout: opts.Timeout, maxBody: opts.MaxBody, allowHTTP: opts.AllowHTTP, caFile: opts.CAFile}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = defaultMaxBody
	}
	return c, nil
}

// URL is the client's normalised base URL.
func (c *Client) URL() string { return c.base }

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
func (s ServerInfo) SSOOnly() bool {
	return s.Auth && !s.PasswordAuth && !s.LDAP && (len(s.OAuthProviders) > 0 || s.TrustedHeader)
}

// Probe checks that the server is Open WebUI and reads its version and sign-in
// methods, sending no credentials. Anything else (an HTML page, a proxy's error
// page, a 200 that is not JSON) is refused with ErrNotOpenWebUI.
func (c *Client) Probe(ctx context.Context) (ServerInfo, error) {
	const op = "probing the server"
	info := ServerInfo{URL: c.base}
	q := request{op: op, method: http.MethodGet, path: "/api/version"}
	r, err := c.send(ctx, q)
	if err != nil {
		return info, err
	}
	if !r.ok() {
		return info, c.notOpenWebUI(q, r)
	}
	var v struct {
		Version *string `json:"version"`
	}
	if decode(r, &v) != nil || v.Version == nil || *v.Version == "" {
		return info, c.notOpenWebUIBecause(q, r, "/api/version answered JSON without a version")
	}
	info.Version = clip(*v.Version)
	c.setVersion(info.Version)

	q = request{op: op, method: http.MethodGet, path: "/api/config"}
	if r, err = c.send(ctx, q); err != nil {
		return info, err
	}
	if !r.ok() {
		return info, c.notOpenWebUI(q, r)
	}
	cfg, ok := parseConfig(r)
	if !ok {
		return info, c.notOpenWebUIBecause(q, r, "/api/config is not Open WebUI's (no status, name or features)")
	}
	info.Name = clip(cfg.name)
	info.Auth = cfg.flag("auth", true)
	info.PasswordAuth = cfg.flag("enable_login_form", true)
	info.LDAP = cfg.flag("enable_ldap", false)
	info.TrustedHeader = cfg.flag("auth_trusted_header", false)
	info.OAuthProviders = cfg.providers
	info.APIKeysEnabled = cfg.keysSwitch()
	return info, nil
}

// notOpenWebUI explains why an answer during Probe rules the server out,
// unless a proxy or the server itself failed (then those kinds are kept).
func (c *Client) notOpenWebUI(q request, r *reply) error {
	e := c.errorFor(q, r, nil)
	switch {
	case e.Kind == ErrProxy || e.Kind == ErrServer:
		return e
	case r.status >= 300 && r.status < 400:
		return c.notOpenWebUIBecause(q, r, e.Detail)
	case r.status == http.StatusOK && r.isHTML():
		return c.notOpenWebUIBecause(q, r, q.path+" answered with a web page")
	case r.status == http.StatusOK:
		return c.notOpenWebUIBecause(q, r, q.path+" answered "+orUnknown(r.ctype)+" instead of JSON")
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		return c.notOpenWebUIBecause(q, r, q.path+" asks for credentials (an authenticating proxy in front?)")
	default:
		return c.notOpenWebUIBecause(q, r, q.path+" answered HTTP "+http.StatusText(r.status))
	}
}

func (c *Client) notOpenWebUIBecause(q request, r *reply, why string) error {
	return &Error{Kind: ErrNotOpenWebUI, Op: q.op, URL: c.base, Status: r.status, Detail: why}
}

// config is the part of /api/config the client reads.
type config struct {
	name      string
	features  map[string]any
	providers []string
}

func parseConfig(r *reply) (config, bool) {
	var raw struct {
		Status   *bool          `json:"status"`
		Name     *string        `json:"name"`
		Features map[string]any `json:"features"`
		OAuth    struct {
			Providers map[string]any `json:"providers"`
		} `json:"oauth"`
	}
	if decode(r, &raw) != nil || raw.Status == nil || raw.Name == nil || raw.Features == nil {
		return config{}, false
	}
	cfg := config{name: clip(*raw.Name), features: raw.Features}
	keys := make([]string, 0, len(raw.OAuth.Providers))
	for k := range raw.OAuth.Providers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name, _ := raw.OAuth.Providers[k].(string)
		if name == "" {
			name = k
		}
		cfg.providers = append(cfg.providers, clip(name))
	}
	return cfg, true
}

func (cfg config) flag(name string, dflt bool) bool {
	if b, ok := cfg.features[name].(bool); ok {
		return b
	}
	return dflt
}

// keysSwitch reads the API-key switch: enable_api_keys (0.6.37+) or
// enable_api_key (≤0.6.36); nil when the server did not show it.
func (cfg config) keysSwitch() *bool {
	for _, name := range []string{"enable_api_keys", "enable_api_key"} {
		if b, ok := cfg.features[name].(bool); ok {
			return &b
		}
	}
	return nil
}

func (c *Client) setVersion(v string) {
	c.mu.Lock()
	c.version = v
	c.mu.Unlock()
}

// serverVersion is the server's version, asked (without credentials) the
// first time it is needed; "" when it cannot be learnt.
func (c *Client) serverVersion(ctx context.Context) string {
	c.mu.Lock()
	v := c.version
	c.mu.Unlock()
	if v != "" {
		return v
	}
	r, err := c.send(ctx, request{op: "reading the server version", method: http.MethodGet, path: "/api/version"})
	if err != nil || !r.ok() {
		return ""
	}
	var body struct {
		Version string `json:"version"`
	}
	if decode(r, &body) != nil || body.Version == "" {
		return ""
	}
	c.setVersion(clip(body.Version))
	return body.Version
}

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
