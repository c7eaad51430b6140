package owuifake

// Open WebUI 0.12: two-step sign-in, session stamps and the new rate limits
// (openwebui-api.md §9). Everything here applies to profiles 0.12.0 and
// newer; with MFA off (the default) a 0.12 fake answers like 0.11, except
// that its JWTs carry the 0.12 claims and die when the account's session
// stamp rotates.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// 0.12 detail texts (openwebui-api.md §3, §9.3).
const (
	DetailInvalidAuthRequest = "Invalid authentication request."
	DetailCodeInvalid        = "Invalid or already used code."
	DetailStepExpired        = "This authentication step expired. Please start again."
	DetailAwaitingApproval   = "Account is awaiting approval."
	DetailMFADisabledAgain   = "MFA is disabled. Please sign in again."
	DetailTooManyCodes       = "Too many codes. Please sign in again."
	DetailTooManyAttempts    = "Too many attempts. Please try again later."
	DetailIncorrectPassword  = "The password provided is incorrect. Please check for typos and try again."
)

// ChallengeLifetime is how long a sign-in challenge lives.
const ChallengeLifetime = 300 * time.Second

// Limits of §9.8 that the fake enforces while MFA is on.
const (
	codesPerChallenge   = 5
	signinsPerAccount   = 10
	codesPerAccount     = 10
	accountLimitWindow  = 15 * time.Minute
	totpStep            = 30
	recoveryCodesOnEach = 10
)

// TOTP is the RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) of secret at t,
// as an authenticator app shows it. Tests compute codes with it.
func TOTP(secret []byte, t time.Time) string {
	return hotp(secret, t.Unix()/totpStep)
}

// hotp is RFC 4226 with 6 digits.
func hotp(secret []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

// mfaState is one account's authenticator.
type mfaState struct {
	secret   []byte          // nil: not enrolled
	recovery map[string]bool // unused recovery codes (lower-case hex)
	lastStep int64           // the last TOTP step accepted: a code is never taken twice
	reset    bool            // an operator reset it: the next sign-in answers "recover"
}

// challenge is a live sign-in challenge.
type challenge struct {
	userID  string
	step    string
	expires time.Time
	stamp   string
	codes   int
	method  string
}

// counter is a fixed-window count for the per-account limits.
type counter struct {
	start time.Time
	n     int
}

// hit counts one event and reports, when over limit, how long until the
// window ends.
func (s *Server) hit(m map[string]*counter, key string, limit int) (wait time.Duration, over bool) {
	now := s.now()
	c := m[key]
	if c == nil || now.Sub(c.start) >= accountLimitWindow {
		c = &counter{start: now}
		m[key] = c
	}
	c.n++
	if c.n > limit {
		return c.start.Add(accountLimitWindow).Sub(now), true
	}
	return 0, false
}

func (s *Server) mfa012() bool { return s.v.atLeast(0, 12, 0) }

// SetMFA is the admin switch ENABLE_MFA (0.12+). Changing it rotates every
// account's session stamp (every JWT dies) and drops every challenge, as the
// server does (§9.5, §9.7).
func (s *Server) SetMFA(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.mfa012() {
		panic("owuifake: MFA needs a 0.12+ profile")
	}
	if s.mfaOn != on {
		for _, u := range s.users {
			u.stamp = newUUID()
		}
		clear(s.challenges)
	}
	s.mfaOn = on
}

// EnrollMFA gives the account an authenticator, as finishing the web UI's
// set-up would, and returns its TOTP secret and its 10 recovery codes
// (32 hex digits each). Like the server, it signs the account out everywhere.
func (s *Server) EnrollMFA(email string) (secret []byte, recovery []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(email)
	secret = make([]byte, 20)
	rand.Read(secret)
	st := &mfaState{secret: secret, recovery: map[string]bool{}}
	for range recoveryCodesOnEach {
		b := make([]byte, 16)
		rand.Read(b)
		c := hex.EncodeToString(b)
		st.recovery[c] = true
		recovery = append(recovery, c)
	}
	s.mfa[u.id] = st
	u.stamp = newUUID()
	return secret, recovery
}

// ResetMFA is the operator's `open-webui mfa reset`: the authenticator and
// recovery codes are gone, sessions revoked, the next sign-in answers "recover".
func (s *Server) ResetMFA(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(email)
	s.mfa[u.id] = &mfaState{reset: true}
	u.stamp = newUUID()
}

// RevokeSessions is an admin's "sign out everywhere" for the account
// (POST /api/v1/users/{id}/sessions/revoke): every JWT of it dies on 0.12+.
func (s *Server) RevokeSessions(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeLocked(s.mustUser(email))
}

func (s *Server) revokeLocked(u *user) {
	u.stamp = newUUID()
	for tok, ch := range s.challenges {
		if ch.userID == u.id {
			delete(s.challenges, tok)
		}
	}
}

// ChallengeToken returns the account's live challenge token ("" = none), for
// tests that check it never leaks.
func (s *Server) ChallengeToken(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(email)
	for tok, ch := range s.challenges {
		if ch.userID == u.id {
			return tok
		}
	}
	return ""
}

// secondStepLocked answers a correct password while MFA is on; it reports
// whether it answered (false: MFA is off, sign in as before).
func (s *Server) secondStepLocked(c *call, u *user, method string) bool {
	if !s.mfa012() || !s.mfaOn {
		return false
	}
	if u.role == "pending" {
		c.json(http.StatusOK, map[string]any{"next_step": "pending"})
		return true
	}
	step := "verify"
	switch st := s.mfa[u.id]; {
	case st == nil:
		step = "enroll"
	case st.reset:
		step = "recover"
	case st.secret == nil:
		step = "enroll"
	}
	// One live challenge per account: a new sign-in replaces the old one.
	for tok, ch := range s.challenges {
		if ch.userID == u.id {
			delete(s.challenges, tok)
		}
	}
	b := make([]byte, 32)
	rand.Read(b)
	tok := u.id + "." + base64.RawURLEncoding.EncodeToString(b)[:43]
	s.challenges[tok] = &challenge{userID: u.id, step: step, expires: s.now().Add(ChallengeLifetime), stamp: u.stamp, method: method}
	c.json(http.StatusOK, map[string]any{"next_step": step, "challenge_token": tok, "expires_in": int(ChallengeLifetime / time.Second)})
	return true
}

// accountSigninLimited is the 0.12 per-account limit on password/LDAP
// sign-ins while MFA is on; it has answered when it returns true.
func (s *Server) accountSigninLimited(c *call, u *user) bool {
	if !s.mfa012() || !s.mfaOn || u == nil {
		return false
	}
	if wait, over := s.hit(s.signinCount, u.id, signinsPerAccount); over {
		tooMany(c, DetailTooManyAttempts, wait)
		return true
	}
	return false
}

func tooMany(c *call, text string, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	c.w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	c.detail(http.StatusTooManyRequests, text)
}

// handleMFAVerify is POST /api/v1/auths/mfa/verify.
func (s *Server) handleMFAVerify(c *call) {
	c.w.Header().Set("Cache-Control", "no-store")
	var in struct {
		ChallengeToken *string `json:"challenge_token"`
		Code           *string `json:"code"`
		Recovery       *bool   `json:"recovery"`
	}
	dec := json.NewDecoder(strings.NewReader(string(c.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || in.ChallengeToken == nil || in.Code == nil ||
		len(*in.ChallengeToken) < 20 || len(*in.ChallengeToken) > 160 || len(*in.Code) < 1 || len(*in.Code) > 128 {
		c.detail(http.StatusUnprocessableEntity, DetailInvalidAuthRequest)
		return
	}
	ch := s.challenges[*in.ChallengeToken]
	if ch == nil || ch.step != "verify" || !s.now().Before(ch.expires) {
		c.detail(http.StatusUnauthorized, DetailStepExpired)
		return
	}
	u := s.users[ch.userID]
	if u == nil {
		c.detail(http.StatusUnauthorized, DetailInvalidAuthRequest)
		return
	}
	if ch.stamp != u.stamp {
		delete(s.challenges, *in.ChallengeToken)
		c.detail(http.StatusUnauthorized, DetailStepExpired)
		return
	}
	if !s.mfaOn {
		c.detail(http.StatusForbidden, DetailMFADisabledAgain)
		return
	}
	if ch.codes >= codesPerChallenge {
		tooMany(c, DetailTooManyCodes, ch.expires.Sub(s.now()))
		return
	}
	if wait, over := s.hit(s.codeCount, u.id, codesPerAccount); over {
		tooMany(c, DetailTooManyAttempts, wait)
		return
	}
	ch.codes++
	if !s.checkCodeLocked(u, *in.Code, in.Recovery != nil && *in.Recovery) {
		c.detail(http.StatusUnauthorized, DetailCodeInvalid)
		return
	}
	if u.role == "pending" {
		c.detail(http.StatusForbidden, DetailAwaitingApproval)
		return
	}
	delete(s.challenges, *in.ChallengeToken)
	tok, exp := s.mintSessionLocked(u, ch.method, true)
	http.SetCookie(c.w, &http.Cookie{Name: "token", Value: tok, HttpOnly: true, MaxAge: 3600})
	c.json(http.StatusOK, s.sessionBody(u, tok, exp, false))
}

// checkCodeLocked checks a TOTP code (previous, current or next step, later
// than the last one accepted) or, with recovery, an unused recovery code.
func (s *Server) checkCodeLocked(u *user, code string, recovery bool) bool {
	st := s.mfa[u.id]
	if st == nil || st.secret == nil {
		return false
	}
	if recovery {
		k := strings.ToLower(strings.TrimSpace(code))
		if st.recovery[k] {
			delete(st.recovery, k)
			return true
		}
		return false
	}
	now := s.now().Unix() / totpStep
	for _, step := range []int64{now - 1, now, now + 1} {
		if step > st.lastStep && hmac.Equal([]byte(hotp(st.secret, step)), []byte(code)) {
			st.lastStep = step
			return true
		}
	}
	return false
}

// handleUpdatePassword is POST /api/v1/auths/update/password; on 0.12+ it
// signs the account out everywhere, the caller's own JWT included.
func (s *Server) handleUpdatePassword(c *call) {
	u, _ := s.currentUser(c)
	if u == nil {
		return
	}
	var in struct {
		Password    string `json:"password"`
		NewPassword string `json:"new_password"`
	}
	if json.Unmarshal(c.body, &in) != nil || in.NewPassword == "" {
		badBody(c, "new_password")
		return
	}
	if in.Password != u.password {
		c.detail(http.StatusBadRequest, DetailIncorrectPassword)
		return
	}
	u.password = in.NewPassword
	if s.mfa012() {
		s.revokeLocked(u)
	}
	c.json(http.StatusOK, true)
}

// checkSessionClaims applies the 0.12 checks on a JWT of an existing
// account: the session stamp, the typ, and the code step while MFA is on.
// It has answered when it returns false.
func (s *Server) checkSessionClaims(c *call, u *user, claims map[string]any) bool {
	if !s.mfa012() {
		return true
	}
	if stamp, _ := claims["session_stamp"].(string); stamp != u.stamp {
		c.detail(http.StatusUnauthorized, DetailRevokedToken)
		return false
	}
	typ, _ := claims["typ"].(string)
	if typ != "" && typ != "session" {
		c.detail(http.StatusUnauthorized, DetailRevokedToken)
		return false
	}
	method, _ := claims["auth_method"].(string)
	verified, _ := claims["mfa_verified"].(bool)
	if st := s.mfa[u.id]; s.mfaOn && (method == "password" || method == "ldap") && !verified && st != nil && st.secret != nil && !st.reset {
		c.detail(http.StatusUnauthorized, DetailRevokedToken)
		return false
	}
	return true
}
