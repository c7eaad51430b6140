package owuifake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// version is a parsed x.y.z; a fork's further components ("0.12.4.12") are
// accepted and ignored.
type version [3]int

func parseVersion(s string) (version, bool) {
	var v version
	parts := strings.Split(s, ".")
	if len(parts) < 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		if i < len(v) {
			v[i] = n
		}
	}
	return v, true
}

func (v version) atLeast(major, minor, patch int) bool {
	o := version{major, minor, patch}
	for i := range v {
		if v[i] != o[i] {
			return v[i] > o[i]
		}
	}
	return true
}

// call is one request being handled.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
}

type handler func(s *Server, c *call)

// routeTable lists the API routes this version serves, by path and method.
func (s *Server) routeTable() map[string]map[string]handler {
	signout := "GET" // 0.9.3+: POST (CHANGELOG 0.9.3, #24420)
	if s.v.atLeast(0, 9, 3) {
		signout = "POST"
	}
	t := map[string]map[string]handler{
		"/api/version":                  {"GET": (*Server).handleVersion},
		"/api/config":                   {"GET": (*Server).handleConfig},
		"/api/models":                   {"GET": (*Server).handleModels},
		"/api/v1/auths/signin":          {"POST": (*Server).handleSignin},
		"/api/v1/auths/ldap":            {"POST": (*Server).handleLDAP},
		"/api/v1/auths/signout":         {signout: (*Server).handleSignout},
		"/api/v1/auths/":                {"GET": (*Server).handleSessionUser},
		"/api/v1/auths/api_key":         {"GET": (*Server).handleGetKey, "POST": (*Server).handleCreateKey, "DELETE": (*Server).handleDeleteKey},
		"/api/v1/auths/update/password": {"POST": (*Server).handleUpdatePassword},
	}
	if s.mfa012() {
		t["/api/v1/auths/mfa/verify"] = map[string]handler{"POST": (*Server).handleMFAVerify}
	}
	if s.v.atLeast(0, 6, 22) {
		t["/api/v1/models"] = t["/api/models"]
	}
	return t
}

// ServeHTTP records the request, applies faults and middlewares, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.record(r, body)
	f, faulty := s.faultFor(r.Method, r.URL.Path)
	if faulty && (f.kind == faultLoseAnswer || f.kind == faultCutAnswer) {
		s.loseAnswer(w, r, body, f.kind == faultCutAnswer)
		return
	}
	if faulty && !s.applyFault(w, r, f) {
		return
	}
	s.serve(w, r, body)
}

// loseAnswer serves the request into a buffer, then drops the connection
// (cut: after the headers and half the body).
func (s *Server) loseAnswer(w http.ResponseWriter, r *http.Request, body []byte, cut bool) {
	rec := httptest.NewRecorder()
	s.serve(rec, r, body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	if !cut {
		return
	}
	res := rec.Result()
	b := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		res.StatusCode, http.StatusText(res.StatusCode), res.Header.Get("Content-Type"), len(b))
	buf.Write(b[:len(b)/2])
	buf.Flush()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	c := &call{w: w, r: r, body: body}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.v.atLeast(0, 6, 37) && !s.v.atLeast(0, 9, 0) {
		// 0.6.37–0.8.x: a malformed Authorization header crashes the
		// restriction middleware (plain-text 500) on every route.
		if h, ok := r.Header["Authorization"]; ok && !wellFormedAuth(h[0]) {
			c.plain(http.StatusInternalServerError, internalServerError)
			return
		}
		// The restriction middleware inspects only the Authorization header,
		// before routing and before the key is looked up.
		if tok := bearerHeader(r); strings.HasPrefix(tok, "sk-") && s.restrict && s.keyPathBlocked(r.URL.Path) {
			c.detail(http.StatusForbidden, DetailEndpointNotAllowed)
			return
		}
	}
	if h := s.routes[r.URL.Path][r.Method]; h != nil {
		h(s, c)
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		// The frontend is mounted at "/": any other GET gets the web app.
		c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
		c.w.WriteHeader(http.StatusOK)
		io.WriteString(c.w, WebAppHTML)
		return
	}
	c.plain(http.StatusMethodNotAllowed, DetailMethodNotAllowed)
}

func (s *Server) record(r *http.Request, body []byte) {
	rec := Request{Method: r.Method, Path: r.URL.Path, Host: r.Host}
	tok := bearerHeader(r)
	if tok == "" {
		if ck, err := r.Cookie("token"); err == nil {
			tok = ck.Value
		}
	}
	if tok == "" {
		tok = r.Header.Get("X-Api-Key")
	}
	switch {
	case tok == "":
	case strings.HasPrefix(tok, "sk-"):
		rec.Auth = CredAPIKey
	case strings.Count(tok, ".") == 2:
		rec.Auth = CredJWT
	default:
		rec.Auth = CredOther
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		var b struct{ Password string }
		if json.Unmarshal(body, &b) == nil && b.Password != "" {
			rec.Password = true
		}
	}
	s.mu.Lock()
	s.log = append(s.log, rec)
	s.mu.Unlock()
}

// applyFault misbehaves as f says; it reports whether to go on and answer normally.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.kind {
	case fault500:
		(&call{w: w}).plain(http.StatusInternalServerError, internalServerError)
	case faultProxy502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, proxy502HTML)
	case faultDrop:
		hijackClose(w)
	case faultSlow:
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
		}
	case faultHugeBody:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"version":"`)
		chunk := []byte(strings.Repeat("0", 64<<10))
		for n := 0; n < HugeBodySize; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return false
			}
		}
		io.WriteString(w, `"}`)
	case faultHTMLEverywhere:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, plainSiteHTML)
	default:
		return true
	}
	return false
}

// --- answers ---

func (c *call) json(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	json.NewEncoder(c.w).Encode(v)
}

func (c *call) detail(status int, text string) { c.json(status, map[string]any{"detail": text}) }

func (c *call) plain(status int, text string) {
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.WriteHeader(status)
	io.WriteString(c.w, text)
}

// --- credentials ---

// bearerHeader is the value of "Authorization: <scheme> <value>"; "" if absent.
func bearerHeader(r *http.Request) string {
	_, v, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return v
}

// wellFormedAuth: exactly "scheme value" with one space and no empty part.
func wellFormedAuth(h string) bool {
	scheme, v, ok := strings.Cut(h, " ")
	return ok && scheme != "" && v != "" && !strings.ContainsAny(v, " ")
}

// credential finds the caller's token as get_current_user does: Authorization
// (Bearer only before 0.9.0, any scheme after), then the token cookie, then
// (0.9.0+) the x-api-key header.
func (s *Server) credential(r *http.Request) string {
	if scheme, v, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && v != "" {
		if strings.EqualFold(scheme, "bearer") || s.v.atLeast(0, 9, 0) {
			return v
		}
	}
	if ck, err := r.Cookie("token"); err == nil && ck.Value != "" {
		return ck.Value
	}
	if s.v.atLeast(0, 9, 0) {
		return r.Header.Get("X-Api-Key")
	}
	return ""
}

// currentUser is get_current_user: any role, JWT or sk- key. On failure it
// has answered and returns nil.
func (s *Server) currentUser(c *call) (*user, string) {
	tok := s.credential(c.r)
	if tok == "" {
		// 403 up to 0.6.18, 401 from 0.6.19 (commit 4485c7a5d).
		status := http.StatusUnauthorized
		if !s.v.atLeast(0, 6, 19) {
			status = http.StatusForbidden
		}
		c.detail(status, DetailNotAuthenticated)
		return nil, ""
	}
	if strings.HasPrefix(tok, "sk-") {
		return s.keyUser(c, tok), tok
	}
	claims, err := s.parseJWT(tok)
	if err != nil {
		c.detail(http.StatusUnauthorized, DetailUnauthorized)
		return nil, ""
	}
	if jti, _ := claims["jti"].(string); s.redis && s.v.atLeast(0, 6, 37) && s.revoked[jti] {
		c.detail(http.StatusUnauthorized, DetailRevokedToken)
		return nil, ""
	}
	id, _ := claims["id"].(string)
	u := s.users[id]
	if u == nil {
		text := DetailInvalidToken
		if s.mfa012() {
			text = DetailInvalidAuthRequest
		}
		c.detail(http.StatusUnauthorized, text)
		return nil, ""
	}
	if !s.checkSessionClaims(c, u, claims) {
		return nil, ""
	}
	return u, tok
}

// keyUser is the API-key path of get_current_user, with each version's order
// of checks (openwebui-api.md §1.3).
func (s *Server) keyUser(c *call, key string) *user {
	path := c.r.URL.Path
	if !s.v.atLeast(0, 6, 37) {
		// The switch is checked before the key is looked up: an unknown key gets 403 too.
		if !s.keysEnabled || s.keyPathBlocked(path) {
			c.detail(http.StatusForbidden, DetailAPIKeyNotAllowed)
			return nil
		}
		u := s.userByKey(key)
		if u == nil {
			c.detail(http.StatusUnauthorized, DetailInvalidToken)
		}
		return u
	}
	u := s.userByKey(key)
	if u == nil {
		c.detail(http.StatusUnauthorized, DetailInvalidToken)
		return nil
	}
	if !s.keysEnabled || (u.role != "admin" && !s.permAPIKeys) {
		c.detail(http.StatusForbidden, DetailAPIKeyNotAllowed)
		return nil
	}
	// 0.9.0+: the restriction is checked here for every transport (before,
	// the middleware in ServeHTTP did it for the Authorization header only).
	if s.v.atLeast(0, 9, 0) && s.restrict && s.keyPathBlocked(path) {
		c.detail(http.StatusForbidden, DetailAccessProhibited)
		return nil
	}
	return u
}

// keyPathBlocked applies the endpoint allow-list to an sk- request.
func (s *Server) keyPathBlocked(path string) bool {
	hardcoded := path == "/api/models" || path == "/api/chat/completions"
	switch {
	case !s.v.atLeast(0, 5, 0):
		return false
	case !s.v.atLeast(0, 5, 2):
		return !hardcoded // 0.5.0–0.5.1 hard-coded restriction (#8100)
	case !s.restrict:
		return false
	case !s.v.atLeast(0, 6, 1):
		// 0.5.2–0.6.0: exact match; the two hard-coded paths stay open.
		if hardcoded {
			return false
		}
		for _, a := range s.allowed {
			if path == a {
				return false
			}
		}
		return true
	case !s.v.atLeast(0, 6, 37) && len(s.allowed) == 0:
		return false // 0.6.1–0.6.36: an empty list allows everything
	}
	for _, a := range s.allowed {
		if path == a || strings.HasPrefix(path, a+"/") {
			return false
		}
	}
	return true
}

// verifiedUser is get_verified_user: role user or admin.
func (s *Server) verifiedUser(c *call) *user {
	u, _ := s.currentUser(c)
	if u == nil {
		return nil
	}
	if u.role != "user" && u.role != "admin" {
		c.detail(http.StatusUnauthorized, DetailAccessProhibited)
		return nil
	}
	return u
}

// mayManageKey is the creation gate (and, 0.10.0+, the GET/DELETE gate).
func (s *Server) mayManageKey(u *user) bool {
	switch {
	case !s.keysEnabled:
		return false
	case !s.v.atLeast(0, 6, 37):
		return true // only the global switch
	case !s.v.atLeast(0, 8, 11):
		return s.permAPIKeys // no admin bypass (#19420)
	default:
		return u.role == "admin" || s.permAPIKeys // admin bypass (PR #22960)
	}
}

// --- JWT ---

// mintLocked signs a password sign-in's session JWT.
func (s *Server) mintLocked(u *user) (string, any) { return s.mintSessionLocked(u, "password", false) }

// mintSessionLocked signs a session JWT with the version's claims: id; exp
// when JWT_EXPIRES_IN is a duration; jti 0.6.37+; iat 0.9.0+; 0.12+ typ,
// auth_method, auth_time, session_stamp, mfa_verified. It returns the token
// and expires_at (nil when no expiry).
func (s *Server) mintSessionLocked(u *user, method string, mfaVerified bool) (string, any) {
	now := s.now()
	claims := jwt.MapClaims{"id": u.id}
	if s.mfa012() {
		claims["typ"], claims["auth_method"], claims["auth_time"] = "session", method, now.Unix()
		claims["session_stamp"], claims["mfa_verified"] = u.stamp, mfaVerified
	}
	var expiresAt any
	if d, ok := s.jwtLifetime(); ok {
		exp := now.Add(d).Unix()
		claims["exp"] = exp
		expiresAt = exp
	}
	if s.v.atLeast(0, 6, 37) {
		claims["jti"] = newUUID()
	}
	if s.v.atLeast(0, 9, 0) {
		claims["iat"] = now.Unix()
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
	if err != nil {
		panic("owuifake: signing: " + err.Error())
	}
	return tok, expiresAt
}

func (s *Server) parseJWT(tok string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.now))
	return claims, err
}

// --- handlers ---

func (s *Server) handleVersion(c *call) {
	body := map[string]any{"version": s.p.Version}
	if s.v.atLeast(0, 6, 37) {
		body["deployment_id"] = ""
	}
	c.json(http.StatusOK, body)
}

// configUser identifies the /api/config caller: only a JWT, from the
// Authorization header (0.6.27+) or the token cookie; failures are silent and
// revocation is not checked.
func (s *Server) configUser(r *http.Request) *user {
	tok := ""
	if s.v.atLeast(0, 6, 27) {
		if scheme, v, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "bearer") {
			tok = v
		}
	}
	if tok == "" {
		if ck, err := r.Cookie("token"); err == nil {
			tok = ck.Value
		}
	}
	if tok == "" || strings.HasPrefix(tok, "sk-") {
		return nil
	}
	claims, err := s.parseJWT(tok)
	if err != nil {
		return nil
	}
	id, _ := claims["id"].(string)
	return s.users[id]
}

func (s *Server) handleConfig(c *call) {
	u := s.configUser(c.r)
	providers := map[string]string{}
	for _, p := range s.oauth {
		providers[strings.ToLower(p)] = p
	}
	features := map[string]any{
		"auth":                                !s.noAuth,
		"auth_trusted_header":                 s.trusted != "",
		"enable_signup_password_confirmation": false,
		"enable_ldap":                         s.ldapOn,
		"enable_signup":                       false,
		"enable_login_form":                   !s.passwordOff,
		"enable_websocket":                    true,
	}
	flag := "enable_api_keys"
	if !s.v.atLeast(0, 6, 37) {
		flag = "enable_api_key"
	}
	// Public up to 0.9.5; 0.9.6+ only for signed-in callers.
	if u != nil || !s.v.atLeast(0, 9, 6) {
		features[flag] = s.keysEnabled
	}
	body := map[string]any{
		"status":         true,
		"name":           s.name,
		"version":        s.p.Version,
		"default_locale": "",
		"oauth":          map[string]any{"providers": providers, "auto_redirect": false},
		"features":       features,
	}
	if len(s.users) == 0 {
		body["onboarding"] = true
	}
	if u != nil {
		for _, f := range []string{"enable_web_search", "enable_image_generation", "enable_community_sharing",
			"enable_message_rating", "enable_admin_export", "enable_channels"} {
			features[f] = true
		}
		if u.role == "pending" {
			body["ui"] = map[string]any{"pending_user_overlay_title": "", "pending_user_overlay_content": ""}
		} else {
			body["default_models"] = ""
			body["default_prompt_suggestions"] = []any{}
			body["permissions"] = s.permissions()
			body["file"] = map[string]any{"max_size": nil, "max_count": nil}
			body["audio"] = map[string]any{"tts": map[string]any{}, "stt": map[string]any{}}
			body["ui"] = map[string]any{"pending_user_overlay_title": "", "pending_user_overlay_content": ""}
		}
	}
	c.json(http.StatusOK, body)
}

// permissions is the default permission tree (features.api_keys from 0.6.37).
func (s *Server) permissions() map[string]any {
	features := map[string]any{"web_search": true, "image_generation": true, "code_interpreter": true}
	if s.v.atLeast(0, 6, 37) {
		features["api_keys"] = s.permAPIKeys
	}
	return map[string]any{
		"workspace": map[string]any{"models": false, "knowledge": false, "prompts": false, "tools": false},
		"chat":      map[string]any{"controls": true, "file_upload": true, "delete": true, "edit": true, "temporary": true},
		"features":  features,
	}
}

// sessionBody is the signin / ldap / GET /api/v1/auths/ answer.
func (s *Server) sessionBody(u *user, token string, expiresAt any, full bool) map[string]any {
	img := "/user.png"
	if s.v.atLeast(0, 8, 1) {
		img = "/api/v1/users/" + u.id + "/profile/image"
	}
	b := map[string]any{
		"token": token, "token_type": "Bearer", "expires_at": expiresAt,
		"id": u.id, "email": u.email, "name": u.name, "role": u.role,
		"profile_image_url": img, "permissions": s.permissions(),
	}
	if full && s.v.atLeast(0, 6, 23) {
		b["bio"], b["gender"], b["date_of_birth"] = nil, nil, nil
	}
	if full && s.v.atLeast(0, 6, 41) {
		b["status_emoji"], b["status_message"], b["status_expires_at"] = nil, nil, nil
	}
	return b
}

func (s *Server) signedIn(c *call, u *user) {
	tok, exp := s.mintLocked(u)
	http.SetCookie(c.w, &http.Cookie{Name: "token", Value: tok, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	c.json(http.StatusOK, s.sessionBody(u, tok, exp, false))
}

// badBody answers FastAPI's 422 for a missing field.
func badBody(c *call, field string) {
	c.json(http.StatusUnprocessableEntity, map[string]any{"detail": []any{map[string]any{
		"type": "missing", "loc": []any{"body", field}, "msg": "Field required", "input": nil,
	}}})
}

func (s *Server) handleSignin(c *call) {
	if s.passwordOff && s.v.atLeast(0, 6, 37) {
		c.detail(http.StatusForbidden, DetailActionProhibited)
		return
	}
	var in struct {
		Email    *string `json:"email"`
		Password *string `json:"password"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || in.Email == nil {
		badBody(c, "email")
		return
	}
	if in.Password == nil {
		badBody(c, "password")
		return
	}
	switch {
	case s.trusted != "":
		email := strings.ToLower(strings.TrimSpace(c.r.Header.Get(s.trusted)))
		if email == "" {
			c.detail(http.StatusBadRequest, DetailInvalidTrustedHeader)
			return
		}
		u := s.byEmail[email]
		if u == nil {
			u = s.addUserLocked(email, newUUID(), s.newAccountRole()) // a password nobody knows, as signup(uuid4())
		}
		s.signedIn(c, u)
		return
	case s.noAuth:
		u := s.byEmail[NoAuthEmail]
		if u == nil {
			if len(s.users) > 0 {
				c.detail(http.StatusBadRequest, DetailExistingUsers)
				return
			}
			u = s.addUserLocked(NoAuthEmail, "admin", "admin")
		}
		s.signedIn(c, u)
		return
	}
	email := strings.ToLower(*in.Email)
	if s.v.atLeast(0, 6, 41) && s.signinAttempt(email) {
		c.detail(http.StatusTooManyRequests, DetailRateLimitExceeded)
		return
	}
	u := s.byEmail[email]
	if s.accountSigninLimited(c, u) {
		return
	}
	if u == nil || u.password != *in.Password {
		c.detail(http.StatusBadRequest, DetailInvalidCred)
		return
	}
	if s.secondStepLocked(c, u, "password") {
		return
	}
	s.signedIn(c, u)
}

func (s *Server) handleLDAP(c *call) {
	if !s.ldapOn {
		c.detail(http.StatusBadRequest, DetailLDAPNotEnabled)
		return
	}
	if s.passwordOff && s.v.atLeast(0, 6, 37) {
		c.detail(http.StatusForbidden, DetailActionProhibited)
		return
	}
	var in struct {
		User     *string `json:"user"`
		Password *string `json:"password"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || in.User == nil {
		badBody(c, "user")
		return
	}
	if in.Password == nil {
		badBody(c, "password")
		return
	}
	if strings.TrimSpace(*in.Password) == "" && s.v.atLeast(0, 9, 0) {
		c.detail(http.StatusBadRequest, DetailInvalidCred)
		return
	}
	acct, ok := s.ldap[*in.User]
	if !ok || acct.password != *in.Password {
		text := DetailLDAPFailed
		if !ok && !s.v.atLeast(0, 6, 1) {
			text = DetailLDAPUserNotFoundBefore0_6_1 // the inner exception, stringified
		}
		c.detail(http.StatusBadRequest, text)
		return
	}
	u := s.byEmail[acct.email]
	if u == nil {
		u = s.addUserLocked(acct.email, "", "user")
	}
	if s.accountSigninLimited(c, u) || s.secondStepLocked(c, u, "ldap") {
		return
	}
	s.signedIn(c, u)
}

func (s *Server) handleSignout(c *call) {
	tok := bearerHeader(c.r)
	if tok == "" {
		if ck, err := c.r.Cookie("token"); err == nil {
			tok = ck.Value
		}
	}
	if s.redis && s.v.atLeast(0, 6, 37) && tok != "" {
		if strings.HasPrefix(tok, "sk-") {
			if !s.v.atLeast(0, 7, 0) {
				// 0.6.37–0.6.x read claims from the non-JWT [inferred].
				c.plain(http.StatusInternalServerError, internalServerError)
				return
			}
		} else if claims, err := s.parseJWT(tok); err == nil {
			if jti, _ := claims["jti"].(string); jti != "" {
				s.revoked[jti] = true
			}
		}
	}
	for _, name := range []string{"token", "oui-session", "oauth_id_token", "oauth_session_id"} {
		http.SetCookie(c.w, &http.Cookie{Name: name, MaxAge: -1})
	}
	c.json(http.StatusOK, map[string]any{"status": true})
}

func (s *Server) handleSessionUser(c *call) {
	u, tok := s.currentUser(c)
	if u == nil {
		return
	}
	switch {
	case !s.v.atLeast(0, 6, 6):
		// ≤0.6.5: a brand-new JWT, even for an sk- caller.
		nt, exp := s.mintLocked(u)
		c.json(http.StatusOK, s.sessionBody(u, nt, exp, true))
	case strings.HasPrefix(tok, "sk-") && !s.v.atLeast(0, 6, 7):
		// 0.6.6 dereferences the absent JWT payload [inferred].
		c.plain(http.StatusInternalServerError, internalServerError)
	case strings.HasPrefix(tok, "sk-"):
		c.json(http.StatusOK, s.sessionBody(u, tok, nil, true))
	default:
		var exp any
		if claims, err := s.parseJWT(tok); err == nil {
			if e, ok := claims["exp"].(float64); ok {
				exp = int64(e)
			}
		}
		c.json(http.StatusOK, s.sessionBody(u, tok, exp, true))
	}
}

func (s *Server) handleGetKey(c *call) {
	u, _ := s.currentUser(c)
	if u == nil {
		return
	}
	if s.v.atLeast(0, 10, 0) && !s.mayManageKey(u) {
		c.detail(http.StatusForbidden, DetailAPIKeyCreationNotAllowed) // #25992
		return
	}
	switch {
	case u.key == "":
		c.detail(http.StatusNotFound, DetailAPIKeyNotFound)
	case s.keyHidden:
		c.json(http.StatusOK, map[string]any{"api_key": nil, "exists": true})
	default:
		c.json(http.StatusOK, map[string]any{"api_key": u.key})
	}
}

func (s *Server) handleCreateKey(c *call) {
	u, _ := s.currentUser(c)
	if u == nil {
		return
	}
	if !s.mayManageKey(u) {
		c.detail(http.StatusForbidden, DetailAPIKeyCreationNotAllowed)
		return
	}
	u.key = newKey() // replaces: the old key stops working at once
	c.json(http.StatusOK, map[string]any{"api_key": u.key})
}

func (s *Server) handleDeleteKey(c *call) {
	u, _ := s.currentUser(c)
	if u == nil {
		return
	}
	if s.v.atLeast(0, 10, 0) && !s.mayManageKey(u) {
		c.detail(http.StatusForbidden, DetailAPIKeyCreationNotAllowed)
		return
	}
	u.key = ""
	c.json(http.StatusOK, true)
}

func (s *Server) handleModels(c *call) {
	if s.verifiedUser(c) == nil {
		return
	}
	c.json(http.StatusOK, map[string]any{"data": []any{
		map[string]any{"id": "llama3.2:3b", "name": "llama3.2:3b", "object": "model", "owned_by": "ollama"},
	}})
}
