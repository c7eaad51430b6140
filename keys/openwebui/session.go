package openwebui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keytray/keytray/internal/safetext"
)

// SignIn signs in with email and password (POST /api/v1/auths/signin).
func (c *Client) SignIn(ctx context.Context, email, password string) (*Session, error) {
	q := request{op: "signing in", method: http.MethodPost, path: "/api/v1/auths/signin",
		body: map[string]string{"email": email, "password": password}, secrets: []string{password}}
	return c.signIn(ctx, q, func(r *reply, detail string) error {
		switch {
		case r.status == http.StatusBadRequest && detail == textInvalidTrustedHeader:
			return ErrPasswordAuthOff // trusted-header mode: sign in through the proxy's SSO
		case r.status == http.StatusBadRequest && detail == textExistingUsers:
			return ErrAuthOffWithUsers
		case r.status == http.StatusBadRequest:
			return ErrWrongCredentials // INVALID_CRED: wrong email, password, unknown or deactivated
		case r.status == http.StatusForbidden && detail == textActionProhibited:
			return ErrPasswordAuthOff // ENABLE_PASSWORD_AUTH=false (0.6.37+)
		}
		return nil
	})
}

// SignInOpen signs in to a server that has sign-in turned off
// (WEBUI_AUTH=False, ServerInfo.Auth false): the body is required but
// ignored, and the session is the server's one account (admin@localhost).
// A server that still has other accounts refuses with ErrAuthOffWithUsers.
func (c *Client) SignInOpen(ctx context.Context) (*Session, error) {
	q := request{op: "signing in", method: http.MethodPost, path: "/api/v1/auths/signin",
		body: map[string]string{"email": "", "password": ""}}
	return c.signIn(ctx, q, func(r *reply, detail string) error {
		switch {
		case r.status == http.StatusBadRequest && detail == textExistingUsers:
			return ErrAuthOffWithUsers
		case r.status == http.StatusBadRequest && detail == textInvalidTrustedHeader:
			return ErrPasswordAuthOff
		case r.status == http.StatusBadRequest:
			return ErrWrongCredentials // sign-in is on after all
		case r.status == http.StatusForbidden && detail == textActionProhibited:
			return ErrPasswordAuthOff
		}
		return nil
	})
}

// SignInLDAP signs in with an LDAP user name and password (POST /api/v1/auths/ldap).
func (c *Client) SignInLDAP(ctx context.Context, user, password string) (*Session, error) {
	q := request{op: "signing in with LDAP", method: http.MethodPost, path: "/api/v1/auths/ldap",
		body: map[string]string{"user": user, "password": password}, secrets: []string{password}}
	return c.signIn(ctx, q, func(r *reply, detail string) error {
		switch {
		case r.status == http.StatusBadRequest && detail == textLDAPNotEnabled:
			return ErrLDAPDisabled
		case r.status == http.StatusBadRequest && detail == textLDAPTLS:
			return ErrServer // the server cannot reach its directory: not the user's fault
		case r.status == http.StatusBadRequest:
			// "LDAP authentication failed." (0.6.1+), the stringified inner
			// error (≤0.6.0), or INVALID_CRED for a blank password (0.9.0+).
			return ErrWrongCredentials
		case r.status == http.StatusForbidden && detail == textActionProhibited:
			return ErrPasswordAuthOff
		}
		return nil
	})
}

// signIn posts credentials; special maps the operation's own error answers
// (nil = the common mapping).
func (c *Client) signIn(ctx context.Context, q request, special func(*reply, string) error) (*Session, error) {
	if err := c.requireSecure(q.op); err != nil {
		return nil, err
	}
	r, err := c.send(ctx, q)
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		e := c.errorFor(q, r, nil)
		if r.isJSON() {
			if kind := special(r, e.Detail); kind != nil {
				e.Kind = kind
			}
		}
		return nil, e
	}
	if err := c.secondStep(q, r); err != nil {
		return nil, err
	}
	return c.session(ctx, q, r, "")
}

// CodeChallenge is the error a sign-in returns when the server asks for an
// authenticator code (Open WebUI 0.12+, next_step "verify"): pass it to
// VerifyCode with the code. It holds the server's challenge token, which is
// not a credential but is still never shown: Error, String and GoString
// leave it out, and it is unexported.
type CodeChallenge struct {
	URL     string    // the server's base URL
	Expires time.Time // when the server drops the challenge (300 s after the password step)
	op      string
	token   string
}

func (e *CodeChallenge) Error() string  { return e.op + " at " + e.URL + ": " + ErrCodeRequired.Error() }
func (e *CodeChallenge) Unwrap() error  { return ErrCodeRequired }
func (e *CodeChallenge) String() string { return e.Error() }
func (e *CodeChallenge) GoString() string {
	return "&openwebui.CodeChallenge{URL: " + strconv.Quote(e.URL) + "}"
}

// challengeLifetime is how long a 0.12 sign-in challenge lives when the
// answer does not say (expires_in).
const challengeLifetime = 300 * time.Second

// secondStep reads a 0.12 sign-in answer that holds a next step instead of a
// session (openwebui-api.md §9.2): nil when it has none (a session body).
// A 200 sign-in answer is never assumed to hold a token.
func (c *Client) secondStep(q request, r *reply) error {
	var b struct {
		NextStep       *string  `json:"next_step"`
		ChallengeToken string   `json:"challenge_token"`
		ExpiresIn      *float64 `json:"expires_in"`
	}
	if decode(r, &b) != nil || b.NextStep == nil {
		return nil
	}
	e := &Error{Op: q.op, URL: c.base}
	switch *b.NextStep {
	case "verify":
		if b.ChallengeToken == "" {
			return c.badAnswer(q.op, "the sign-in answer asks for a code but holds no challenge", nil)
		}
		life := challengeLifetime
		if b.ExpiresIn != nil && *b.ExpiresIn > 0 && *b.ExpiresIn < 24*3600 {
			life = time.Duration(*b.ExpiresIn * float64(time.Second))
		}
		return &CodeChallenge{URL: c.base, Expires: time.Now().Add(life), op: q.op, token: b.ChallengeToken}
	case "enroll":
		e.Kind = ErrMFASetupRequired
	case "recover":
		e.Kind = ErrMFARecoveryRequired
	case "pending":
		e.Kind = ErrAccountPending
	default:
		return c.badAnswer(q.op, "the sign-in answer asks for a step Keytray does not know ("+clip(*b.NextStep)+")", nil)
	}
	return e
}

// VerifyCode sends the second factor for a CodeChallenge
// (POST /api/v1/auths/mfa/verify): a 6-digit authenticator code, or a
// recovery code with recovery set. It returns the session, or an *Error of
// kind ErrCodeInvalid (the challenge may take another code),
// ErrChallengeExpired or ErrTooManyCodes (sign in again), ErrAccountLocked
// (wait Error.RetryAfter), ErrAccountPending, or a transport kind.
func (c *Client) VerifyCode(ctx context.Context, ch *CodeChallenge, code string, recovery bool) (*Session, error) {
	const op = "checking the authenticator code"
	if ch == nil || ch.token == "" {
		return nil, &Error{Kind: ErrChallengeExpired, Op: op, URL: c.base, Detail: "no sign-in challenge"}
	}
	body := map[string]any{"challenge_token": ch.token, "code": code}
	if recovery {
		body["recovery"] = true
	}
	q := request{op: op, method: http.MethodPost, path: "/api/v1/auths/mfa/verify", body: body,
		secrets: []string{ch.token, code}}
	r, err := c.send(ctx, q)
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		e := c.errorFor(q, r, nil)
		if r.isJSON() && r.status == http.StatusUnauthorized && e.Kind == ErrSessionInvalid {
			e.Kind = ErrChallengeExpired // "Invalid authentication request." (account gone) and the like: start again
		}
		return nil, e
	}
	if err := c.secondStep(q, r); err != nil {
		return nil, err
	}
	return c.session(ctx, q, r, "")
}

// SessionFromToken turns a pasted session JWT into a Session (GET /api/v1/auths/).
// The token is used as is; on servers ≤ 0.6.5 that endpoint returns a fresh JWT,
// which replaces it in the Session.
func (c *Client) SessionFromToken(ctx context.Context, token string) (*Session, error) {
	const op = "reading the session"
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return nil, &Error{Kind: ErrSessionInvalid, Op: op, URL: c.base, Detail: "the token is empty"}
	case strings.HasPrefix(token, "sk-"):
		// 0.6.6 answers 500 to a key here, ≤0.6.5 would mint a JWT from it.
		return nil, &Error{Kind: ErrSessionInvalid, Op: op, URL: c.base, Detail: "an API key is not a session token"}
	}
	if err := c.requireSecure(op); err != nil {
		return nil, err
	}
	q := request{op: op, method: http.MethodGet, path: "/api/v1/auths/", token: token}
	r, err := c.send(ctx, q)
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		return nil, c.errorFor(q, r, nil)
	}
	return c.session(ctx, q, r, token)
}

// session reads a signin / ldap / GET /api/v1/auths/ answer. presented is
// the token the caller sent, kept when the answer echoes it or has none.
func (c *Client) session(ctx context.Context, q request, r *reply, presented string) (*Session, error) {
	var b struct {
		Token       string   `json:"token"`
		ExpiresAt   *float64 `json:"expires_at"`
		ID          string   `json:"id"`
		Email       string   `json:"email"`
		Name        string   `json:"name"`
		Role        string   `json:"role"`
		Permissions struct {
			Features struct {
				APIKeys *bool `json:"api_keys"`
			} `json:"features"`
		} `json:"permissions"`
	}
	if err := decode(r, &b); err != nil {
		return nil, c.badAnswer(q.op, "the sign-in answer is not what Open WebUI sends", err)
	}
	token := b.Token
	if token == "" || strings.HasPrefix(token, "sk-") {
		token = presented
	}
	if token == "" || b.ID == "" || b.Role == "" {
		return nil, c.badAnswer(q.op, "the sign-in answer has no token, user id or role", nil)
	}
	s := &Session{Token: token, UserID: safetext.Clean(b.ID), Email: safetext.Clean(b.Email), Name: clip(b.Name), Role: safetext.Clean(b.Role)}
	if b.ExpiresAt != nil && *b.ExpiresAt > 0 {
		s.ExpiresAt = time.Unix(int64(*b.ExpiresAt), 0)
	}
	s.MayUseAPIKeys = mayUseKeys(c.serverVersion(ctx), b.Role, b.Permissions.Features.APIKeys)
	s.APIKeysEnabled = c.keysSwitch(ctx, token)
	return s, nil
}

// mayUseKeys decides Session.MayUseAPIKeys from the role, the merged
// permission and the version (openwebui-api.md §2.5 creation gating).
func mayUseKeys(version, role string, perm *bool) *bool {
	yes, no := true, false
	permitted := perm != nil && *perm
	switch {
	case role == "pending":
		return &no // a pending account can use nothing
	case version == "":
		if perm == nil {
			return nil
		}
		v := role == "admin" || permitted
		return &v
	case !VersionAtLeast(version, "0.6.37"):
		return &yes // only the global switch existed
	case !VersionAtLeast(version, "0.8.11"):
		return &permitted // no admin bypass: admins need the permission too
	default:
		v := role == "admin" || permitted
		return &v
	}
}

// keysSwitch reads the API-key switch from /api/config with the session
// token ("" = anonymously). 0.9.6+ shows it to signed-in callers only; before
// 0.6.27 the header is ignored, but the anonymous view carried the flag then.
// nil when unknown.
func (c *Client) keysSwitch(ctx context.Context, token string) *bool {
	r, err := c.send(ctx, request{op: "reading the server settings", method: http.MethodGet, path: "/api/config", token: token})
	if err != nil || !r.ok() {
		return nil
	}
	cfg, ok := parseConfig(r)
	if !ok {
		return nil
	}
	return cfg.keysSwitch()
}

// SignOut ends the session (GET ≤ 0.9.2, POST ≥ 0.9.3; falls back on 405).
// Never call it with an sk- key.
//
// Success needs a JSON {"status": true}: a real install answers a GET with
// the web app's page where signout is POST-only, and that is not a sign-out
// (ErrUnexpectedResponse). Callers may ignore the error but must not report
// the session as ended.
func (c *Client) SignOut(ctx context.Context, s *Session) error {
	const op = "signing out"
	switch {
	case s == nil || s.Token == "":
		return &Error{Kind: ErrSessionInvalid, Op: op, URL: c.base, Detail: "no session"}
	case strings.HasPrefix(s.Token, "sk-"):
		return &Error{Kind: ErrSessionInvalid, Op: op, URL: c.base, Detail: "an API key cannot be signed out"}
	}
	if err := c.requireSecure(op); err != nil {
		return err
	}
	methods := []string{http.MethodPost, http.MethodGet} // unknown version: POST first (spec §5.1)
	if v := c.serverVersion(ctx); v != "" && !VersionAtLeast(v, "0.9.3") {
		methods = []string{http.MethodGet, http.MethodPost}
	}
	for i, m := range methods {
		q := request{op: op, method: m, path: "/api/v1/auths/signout", token: s.Token}
		r, err := c.send(ctx, q)
		if err != nil {
			return err
		}
		if r.status == http.StatusMethodNotAllowed && i == 0 {
			continue
		}
		if !r.ok() {
			e := c.errorFor(q, r, nil)
			if r.status == http.StatusOK {
				e.Detail = "sign-out not confirmed: " + e.Detail
			}
			return e
		}
		var b struct {
			Status bool `json:"status"`
		}
		if decode(r, &b) != nil || !b.Status {
			return c.badAnswer(op, "sign-out not confirmed", nil)
		}
		return nil
	}
	return &Error{Kind: ErrUnexpectedResponse, Op: op, URL: c.base, Status: http.StatusMethodNotAllowed,
		Detail: "sign-out not confirmed: neither POST nor GET is allowed"}
}
