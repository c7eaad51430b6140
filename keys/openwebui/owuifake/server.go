// Package owuifake is an in-process fake Open WebUI server (net/http/httptest)
// for tests of any package that talks to Open WebUI. It follows the server
// behaviour of openwebui-api.md version by version: status codes, detail
// texts, JWT claims, key gating, the web-app page served for unmatched GETs.
// Tests configure it through the methods of Server (all safe for concurrent
// use), inject faults (proxy error pages, dropped connections, slow answers,
// huge bodies), and read back what was sent to it with Requests.
//
// Defaults follow a fresh install of the profile's version: the API-key switch
// is on up to 0.6.36 and off from 0.6.37, the per-user api_keys permission is
// off, no users exist. Call SetAPIKeysEnabled(true) and SetPermission(true) for
// a server where every account may use keys.
//
// Files: server.go holds the state and the knobs, routes.go the routing and
// every version rule, texts.go the detail texts.
package owuifake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Profile selects the server version the fake behaves as.
type Profile struct {
	Version string // "0.6.41"; any x.y.z from 0.4.0 to 0.12.x, or a fork's "0.12.4.12"
	// JWTExpiresIn is the JWT_EXPIRES_IN setting: "" = the version's default
	// ("-1" up to 0.6.33, "4w" from 0.6.34); "-1" or "0" = tokens without exp;
	// otherwise number+unit groups such as "4w", "1h30m", "90s".
	JWTExpiresIn string
}

// Profiles is the list of versions tests should cover; loop over it.
func Profiles() []Profile {
	return []Profile{
		{Version: "0.5.20"},
		{Version: "0.6.5"},
		{Version: "0.6.36"},
		{Version: "0.6.41"},
		{Version: "0.9.6"},
		{Version: "0.11.0"},
		{Version: "0.12.4"}, // MFA off: as 0.11, with session stamps and the 0.12 claims
	}
}

// Option changes a setting at construction.
type Option func(*Server)

// WithName sets the instance name shown by /api/config (default "Open WebUI").
func WithName(name string) Option { return func(s *Server) { s.name = name } }

// WithRedis makes the server behave as if Redis were configured: on 0.6.37+
// signout revokes the presented JWT (401 "Invalid token" afterwards), and
// 0.6.37–0.6.x answer a signout carrying an sk- key with a 500.
func WithRedis() Option { return func(s *Server) { s.redis = true } }

// WithClock replaces time.Now for token minting, expiry checks and the
// sign-in rate limiter.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// CredKind is the kind of credential a request carried.
type CredKind string

const (
	CredNone   CredKind = ""        // no Authorization header, token cookie or x-api-key
	CredJWT    CredKind = "jwt"     // three dot-separated parts
	CredAPIKey CredKind = "api-key" // starts with "sk-"
	CredOther  CredKind = "other"   // something else
)

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	Host   string   // Host header (what the client thought it was talking to)
	Auth   CredKind // credential in Authorization, the token cookie or x-api-key
	// Password: the body of a sign-in (signin or ldap) carried a non-empty password.
	Password bool
}

// HasSecret reports whether the request carried a password, token or key.
func (r Request) HasSecret() bool { return r.Auth != CredNone || r.Password }

// Fault makes the server misbehave; see SetFault.
type Fault struct {
	kind  faultKind
	delay time.Duration
}

type faultKind int

const (
	faultNone faultKind = iota
	fault500
	faultProxy502
	faultDrop
	faultSlow
	faultHugeBody
	faultHTMLEverywhere
	faultLoseAnswer
	faultCutAnswer
)

var (
	// Fault500 answers 500 "Internal Server Error" as text/plain, as Open WebUI
	// does when a handler raises.
	Fault500 = Fault{kind: fault500}
	// FaultProxy502 answers nginx's 502 Bad Gateway page (text/html).
	FaultProxy502 = Fault{kind: faultProxy502}
	// FaultDrop hijacks the connection and closes it without answering.
	FaultDrop = Fault{kind: faultDrop}
	// FaultHugeBody answers 200 application/json with a 64 MiB body.
	FaultHugeBody = Fault{kind: faultHugeBody}
	// FaultHTMLEverywhere answers every request with an ordinary web site's
	// page (200 text/html): a plain web server, not Open WebUI.
	FaultHTMLEverywhere = Fault{kind: faultHTMLEverywhere}
	// FaultLoseAnswer handles the request as usual (a key is created,
	// rotated or deleted) and then closes the connection without answering:
	// the answer is lost on the way.
	FaultLoseAnswer = Fault{kind: faultLoseAnswer}
	// FaultCutAnswer handles the request as usual and sends the status line,
	// headers and half of the body, then closes the connection.
	FaultCutAnswer = Fault{kind: faultCutAnswer}
)

// FaultSlow waits d before answering normally; it gives up early when the
// client goes away.
func FaultSlow(d time.Duration) Fault { return Fault{kind: faultSlow, delay: d} }

// HugeBodySize is the size of FaultHugeBody's body.
const HugeBodySize = 64 << 20

type user struct {
	id, email, name, password, role string
	key                             string // "" = none
	stamp                           string // 0.12 session stamp: rotating it ends every JWT
}

type ldapAccount struct{ password, email string }

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	ts    *httptest.Server
	p     Profile
	v     version
	name  string
	redis bool
	now   func() time.Time

	mu          sync.Mutex
	secret      []byte
	users       map[string]*user // by id
	byEmail     map[string]*user // by lower-cased email
	keysEnabled bool
	permAPIKeys bool
	restrict    bool
	allowed     []string
	ldapOn      bool
	ldap        map[string]ldapAccount
	passwordOff bool
	noAuth      bool   // WEBUI_AUTH=False
	trusted     string // WEBUI_AUTH_TRUSTED_EMAIL_HEADER; "" = off
	oauth       []string
	keyHidden   bool
	faults      map[string]Fault // by path; "" = every path
	revoked     map[string]bool  // JWT ids revoked by signout (WithRedis)
	attempts    map[string]map[int64]int
	mfaOn       bool                  // 0.12 ENABLE_MFA
	mfa         map[string]*mfaState  // by user id
	challenges  map[string]*challenge // by challenge token
	signinCount map[string]*counter   // 0.12 per-account sign-ins while MFA is on
	codeCount   map[string]*counter   // 0.12 per-account codes
	log         []Request
	routes      map[string]map[string]handler
}

// New starts a fake over plain http on a loopback port. It panics on a
// Profile whose Version does not parse (a mistake in the test).
func New(p Profile, opts ...Option) *Server {
	s := newServer(p, opts)
	s.ts = httptest.NewServer(s)
	return s
}

// NewTLS starts a fake over https with httptest's self-signed certificate
// (valid for 127.0.0.1, ::1 and example.com). Clients must trust CertPEM.
func NewTLS(p Profile, opts ...Option) *Server {
	s := newServer(p, opts)
	s.ts = httptest.NewUnstartedServer(s)
	// Handshakes refused by clients that do not trust the certificate are
	// what certificate tests provoke; keep them out of the test output.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.ts.StartTLS()
	return s
}

func newServer(p Profile, opts []Option) *Server {
	v, ok := parseVersion(p.Version)
	if !ok {
		panic("owuifake: bad profile version " + strconv.Quote(p.Version))
	}
	s := &Server{
		p:           p,
		v:           v,
		name:        "Open WebUI",
		now:         time.Now,
		secret:      newSecret(),
		users:       map[string]*user{},
		byEmail:     map[string]*user{},
		ldap:        map[string]ldapAccount{},
		faults:      map[string]Fault{},
		revoked:     map[string]bool{},
		attempts:    map[string]map[int64]int{},
		mfa:         map[string]*mfaState{},
		challenges:  map[string]*challenge{},
		signinCount: map[string]*counter{},
		codeCount:   map[string]*counter{},
		// ENABLE_API_KEY defaulted to True up to 0.6.36; ENABLE_API_KEYS is False from 0.6.37.
		keysEnabled: !v.atLeast(0, 6, 37),
	}
	for _, o := range opts {
		o(s)
	}
	s.routes = s.routeTable()
	return s
}

// URL is the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.ts.URL }

// Addr is the listener's "host:port", for tests that dial it under another name.
func (s *Server) Addr() string { return s.ts.Listener.Addr().String() }

// Version is the profile's version.
func (s *Server) Version() string { return s.p.Version }

// Close shuts the server down and waits for running requests.
func (s *Server) Close() { s.ts.Close() }

// CertPEM is the TLS certificate in PEM form (nil for a plain-http fake), for
// writing a CA file that makes a client trust the server.
func (s *Server) CertPEM() []byte {
	c := s.ts.Certificate()
	if c == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// AddUser creates an account and returns its id. role is "admin", "user" or
// "pending". The email is stored lower-cased, as the server does.
func (s *Server) AddUser(email, password, role string) string {
	switch role {
	case "admin", "user", "pending":
	default:
		panic("owuifake: bad role " + strconv.Quote(role))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(email, password, role).id
}

func (s *Server) addUserLocked(email, password, role string) *user {
	email = strings.ToLower(email)
	name, _, _ := strings.Cut(email, "@")
	u := &user{id: newUUID(), email: email, name: name, password: password, role: role, stamp: newUUID()}
	s.users[u.id] = u
	s.byEmail[email] = u
	return u
}

// SetRole changes an account's role (for example approving a pending user).
func (s *Server) SetRole(email, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(email).role = role
}

// SetPermission sets the default permission features.api_keys
// (USER_PERMISSIONS_FEATURES_API_KEYS). It exists from 0.6.37; older versions
// ignore it.
func (s *Server) SetPermission(apiKeys bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.permAPIKeys = apiKeys
}

// SetAPIKeysEnabled sets the global switch (ENABLE_API_KEY ≤0.6.36,
// ENABLE_API_KEYS 0.6.37+).
func (s *Server) SetAPIKeysEnabled(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keysEnabled = on
}

// SetRestrictions sets ENABLE_API_KEY[S]_ENDPOINT_RESTRICTIONS and the
// allow-list API_KEY[S]_ALLOWED_ENDPOINTS (entries are trimmed).
func (s *Server) SetRestrictions(on bool, allowed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restrict = on
	s.allowed = s.allowed[:0]
	for _, a := range allowed {
		if a = strings.TrimSpace(a); a != "" {
			s.allowed = append(s.allowed, a)
		}
	}
}

// EnableLDAP turns LDAP sign-in on and adds a directory entry: user signs in
// with password and maps to the account email (created with role "user" on
// first sign-in when it does not exist).
func (s *Server) EnableLDAP(user, password, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ldapOn = true
	s.ldap[user] = ldapAccount{password: password, email: strings.ToLower(email)}
}

// DisablePasswordAuth hides the login form (features.enable_login_form false)
// and, from 0.6.37 (ENABLE_PASSWORD_AUTH=false), makes signin and ldap answer
// 403 ACTION_PROHIBITED. Before 0.6.37 the API sign-in keeps working.
func (s *Server) DisablePasswordAuth() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passwordOff = true
}

// DisableAuth is WEBUI_AUTH=False: /api/config says auth false, and a
// sign-in, whatever its body, is the one account admin@localhost, made at the
// first sign-in; while that account does not exist and others do, a sign-in
// is refused with 400 EXISTING_USERS.
func (s *Server) DisableAuth() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noAuth = true
}

// newAccountRole is the role of an account the server makes itself: admin
// for the first, else DEFAULT_USER_ROLE (pending).
func (s *Server) newAccountRole() string {
	if len(s.users) == 0 {
		return "admin"
	}
	return "pending"
}

// NoAuthEmail is the account a server with sign-in turned off signs everyone in as.
const NoAuthEmail = "admin@localhost"

// SetTrustedEmailHeader is WEBUI_AUTH_TRUSTED_EMAIL_HEADER=header (behind an
// SSO proxy): /api/config says auth_trusted_header true, and a sign-in
// without that header is refused with 400 INVALID_TRUSTED_HEADER; with it,
// the header's account is signed in (made first if new: admin when it is the
// first account, else pending), whatever the body says.
func (s *Server) SetTrustedEmailHeader(header string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trusted = header
}

// SetOAuthProviders lists the SSO providers /api/config offers (display names).
func (s *Server) SetOAuthProviders(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth = append([]string(nil), names...)
}

// SetServerKeyUnreadable simulates a future server that no longer shows a key
// after creation (openwebui-api.md §9): GET /api/v1/auths/api_key answers
// 200 {"api_key": null, "exists": true} when the account has a key (404 as
// before when it has none). POST still returns the new key once.
func (s *Server) SetServerKeyUnreadable(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyHidden = on
}

// GiveKey makes a new key for the account server-side (as if made in the web
// UI) and returns it; any previous key stops working.
func (s *Server) GiveKey(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(email)
	u.key = newKey()
	return u.key
}

// DropKey deletes the account's key server-side (as if deleted in the web UI).
func (s *Server) DropKey(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(email).key = ""
}

// SetKey makes key the account's key on the server again (as if an admin
// restored it): a key that DropKey deleted works again.
func (s *Server) SetKey(email, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(email).key = key
}

// KeyOf is the account's current key on the server ("" = none).
func (s *Server) KeyOf(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustUser(email).key
}

// TokenFor mints a session JWT for the account, as a sign-in would (for tests
// that paste a token).
func (s *Server) TokenFor(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, _ := s.mintSessionLocked(s.mustUser(email), "password", s.mfaOn) // a browser session: the code step was done
	return tok
}

// RotateSecret replaces WEBUI_SECRET_KEY (a recreated container): every JWT
// minted before answers 401 "401 Unauthorized"; sk- keys keep working.
func (s *Server) RotateSecret() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = newSecret()
}

// SetFault makes requests to the given paths (every path when none is given)
// fail with f; a path may name its method too ("POST /api/v1/auths/api_key")
// to fail only that one. A zero Fault clears the fault for those paths.
func (s *Server) SetFault(f Fault, paths ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(paths) == 0 {
		paths = []string{""}
	}
	for _, p := range paths {
		if f.kind == faultNone {
			delete(s.faults, p)
		} else {
			s.faults[p] = f
		}
	}
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// ResetRateLimit forgets every sign-in attempt.
func (s *Server) ResetRateLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.attempts)
	clear(s.signinCount)
	clear(s.codeCount)
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Calls counts the recorded requests with this method and path.
func (s *Server) Calls(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func (s *Server) mustUser(email string) *user {
	u := s.byEmail[strings.ToLower(email)]
	if u == nil {
		panic("owuifake: no user " + strconv.Quote(email))
	}
	return u
}

func (s *Server) userByKey(key string) *user {
	for _, u := range s.users {
		if u.key != "" && u.key == key {
			return u
		}
	}
	return nil
}

func (s *Server) faultFor(method, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.faults[method+" "+path]; ok {
		return f, true
	}
	if f, ok := s.faults[path]; ok {
		return f, true
	}
	f, ok := s.faults[""]
	return f, ok
}

// signinAttempt counts a sign-in attempt for email and reports whether it is
// over the limit: 15 attempts in the current 60 s bucket plus the 3 before it
// (utils/rate_limit.py; every attempt counts, successful or not).
func (s *Server) signinAttempt(email string) (limited bool) {
	const limit, buckets, width = 15, 3, 60
	b := s.now().Unix() / width
	m := s.attempts[email]
	if m == nil {
		m = map[int64]int{}
		s.attempts[email] = m
	}
	m[b]++
	total := 0
	for k, n := range m {
		if k < b-buckets {
			delete(m, k)
			continue
		}
		total += n
	}
	return total > limit
}

// jwtLifetime parses JWT_EXPIRES_IN like utils/misc.py parse_duration:
// "-1" or "0" mean no expiry; otherwise number+unit groups (ms s m h d w).
func (s *Server) jwtLifetime() (time.Duration, bool) {
	v := s.p.JWTExpiresIn
	if v == "" {
		v = "-1"
		if s.v.atLeast(0, 6, 34) {
			v = "4w"
		}
	}
	if v == "-1" || v == "0" {
		return 0, false
	}
	units := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute,
		"h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}
	var total time.Duration
	rest := v
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		j := i
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		unit, ok := units[rest[i:j]]
		if err != nil || !ok {
			panic("owuifake: bad JWTExpiresIn " + strconv.Quote(s.p.JWTExpiresIn))
		}
		total += time.Duration(n * float64(unit))
		rest = rest[j:]
	}
	return total, true
}

func newSecret() []byte {
	b := make([]byte, 12)
	rand.Read(b)
	return []byte(base64.StdEncoding.EncodeToString(b))
}

func uuid4() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b
}

func newUUID() string {
	h := hex.EncodeToString(uuid4())
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:])
}

// newKey makes an Open WebUI key: "sk-" + a UUID4 as 32 hex digits.
func newKey() string { return "sk-" + hex.EncodeToString(uuid4()) }

// hijackClose drops the connection without an answer.
func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
