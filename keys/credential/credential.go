// Package credential tells what a string is: an Open WebUI API key (sk-…),
// a session JWT (whose claims it reads without verifying them), or neither.
// It never panics, whatever the input, and it gives up early on text that
// cannot be a credential (white space inside, or more than MaxInput bytes),
// so a clipboard watcher can call it on everything that is copied.
package credential

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Kind is what a credential string is.
type Kind int

const (
	Other      Kind = iota // neither an sk- key nor a JWT
	APIKey                 // "sk-" followed by something
	SessionJWT             // three base64url parts whose header says JWT
)

// String names the kind for people: "API key", "session token (JWT)", "other".
func (k Kind) String() string {
	switch k {
	case APIKey:
		return "API key"
	case SessionJWT:
		return "session token (JWT)"
	default:
		return "other"
	}
}

// MaxInput is the longest string (before trimming) Classify looks at; anything
// longer is Other. Open WebUI's JWTs are about 200 bytes and its keys 35, so
// 16 KiB leaves room for unusual tokens while bounding the work per call.
const MaxInput = 16 << 10

// Open WebUI's key form: "sk-" + a UUID4 as 32 lowercase hex digits.
const (
	apiKeyPrefix = "sk-"
	apiKeyHexLen = 32
	fullMask     = "••••••••"
)

// Result is the classification of one string.
type Result struct {
	Kind Kind
	// Unusual is set for an sk- key that is not Open WebUI's 35-character form
	// ("sk-" + 32 lowercase hex); Note says how it differs. For a JWT whose
	// claims cannot be read, Note says so (and JWT holds only the algorithm).
	Unusual bool
	Note    string
	JWT     *JWTInfo // set when Kind == SessionJWT
}

// JWTInfo is what a JWT's header and claims say. Nothing is verified.
type JWTInfo struct {
	Algorithm string    // header "alg"
	UserID    string    // "id" claim (Open WebUI's user id)
	TokenID   string    // "jti" claim (0.6.37+)
	IssuedAt  time.Time // "iat"; zero when absent
	ExpiresAt time.Time // "exp"; zero when absent (never expires)
	// OpenWebUI is true when the token has the shape Open WebUI issues:
	// HS256 and an "id" claim.
	OpenWebUI bool

	// Open WebUI 0.12+ claims (openwebui-api.md §9.4); empty/nil when absent.
	Type       string    // "typ": "session" (also when absent), "automation", "subagent"…
	AuthMethod string    // "auth_method": password, ldap, oauth, trusted_header, system, api
	AuthTime   time.Time // "auth_time": when the password step was done
	// MFAVerified is "mfa_verified": whether the sign-in's code step was done;
	// nil when the claim is absent (servers before 0.12).
	MFAVerified *bool
}

// Internal reports a token that is not a sign-in session: Open WebUI's
// automation (0.10+) and subagent (0.11+) tokens, short-lived and internal.
func (j *JWTInfo) Internal() bool {
	return j != nil && j.Type != "" && j.Type != "session"
}

// Classify tells what s is. Surrounding white space is ignored.
func Classify(s string) Result {
	if len(s) > MaxInput {
		return Result{Kind: Other}
	}
	s = strings.TrimSpace(s)
	if s == "" || hasSpaceOrControl(s) {
		return Result{Kind: Other}
	}
	if strings.HasPrefix(s, apiKeyPrefix) {
		return classifyAPIKey(s)
	}
	if r, ok := classifyJWT(s); ok {
		return r
	}
	return Result{Kind: Other}
}

// hasSpaceOrControl reports white space, control characters or invalid UTF-8
// anywhere in s: credentials never contain them, and prose almost always has a
// space early on, so this is the cheap early exit for ordinary copied text.
func hasSpaceOrControl(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
			return true
		}
	}
	return false
}

func classifyAPIKey(s string) Result {
	rest := s[len(apiKeyPrefix):]
	var diffs []string
	if n := utf8.RuneCountInString(rest); n != apiKeyHexLen {
		diffs = append(diffs, fmt.Sprintf("%d characters after sk- (Open WebUI keys have %d)", n, apiKeyHexLen))
	}
	var upper, other bool
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			other = true
		}
	}
	switch {
	case other:
		diffs = append(diffs, "characters other than hex digits")
	case upper:
		diffs = append(diffs, "uppercase hex digits (Open WebUI uses lowercase)")
	}
	r := Result{Kind: APIKey}
	if len(diffs) > 0 {
		r.Unusual = true
		r.Note = "not Open WebUI's usual key form: " + strings.Join(diffs, "; ")
	}
	return r
}

// parser reads claims with numbers kept exact (json.Number), so an exp of
// 1e10 or an id that happens to be numeric is read as written.
var parser = jwt.NewParser(jwt.WithJSONNumber())

// classifyJWT returns ok when s is three base64url segments whose first
// decodes to a JSON object. The claims are read if they can be; a JWT whose
// claims are damaged is still a JWT (and still not an API key).
func classifyJWT(s string) (Result, bool) {
	if strings.Count(s, ".") != 2 {
		return Result{}, false
	}
	header, payload, sig := splitJWT(s)
	if header == "" || payload == "" || !isBase64URL(header) || !isBase64URL(payload) || !isBase64URL(sig) {
		return Result{}, false
	}
	// The signature is left out: nothing is verified, and a signature cut
	// short when copying must not stop us recognising the token.
	claims := jwt.MapClaims{}
	token, _, err := parser.ParseUnverified(header+"."+payload+".", claims)
	if token == nil || token.Header == nil {
		// The header is not a base64url-encoded JSON object: not a JWT.
		return Result{}, false
	}
	info := &JWTInfo{}
	info.Algorithm, _ = token.Header["alg"].(string)
	r := Result{Kind: SessionJWT, JWT: info}
	// With the header read, the only errors left are a claims segment that is
	// not base64url JSON (malformed) and an alg jwt does not know, which is
	// reported after the claims were read (unverifiable).
	if err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		r.Note = "the token's claims could not be read"
		return r, true
	}
	info.UserID, _ = claims["id"].(string)
	info.TokenID, _ = claims["jti"].(string)
	info.IssuedAt = numericDate(claims["iat"])
	info.ExpiresAt = numericDate(claims["exp"])
	info.OpenWebUI = info.Algorithm == "HS256" && info.UserID != ""
	info.Type = claimText(claims["typ"])
	info.AuthMethod = claimText(claims["auth_method"])
	info.AuthTime = numericDate(claims["auth_time"])
	if b, ok := claims["mfa_verified"].(bool); ok {
		info.MFAVerified = &b
	}
	return r, true
}

// claimText reads a short text claim made safe to show (one line, at most 40
// characters of letters, digits and _ - .); anything else reads as absent.
func claimText(v any) string {
	s, _ := v.(string)
	if len(s) > 40 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return ""
		}
	}
	return s
}

func splitJWT(s string) (header, payload, sig string) {
	header, rest, _ := strings.Cut(s, ".")
	payload, sig, _ = strings.Cut(rest, ".")
	return header, payload, sig
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// maxNumericDate bounds exp/iat to ±2^53 seconds, well past any real date and
// inside what float64 represents exactly, so garbage cannot overflow time.Unix.
const maxNumericDate = 1 << 53

// numericDate reads a JWT NumericDate (seconds since the epoch, possibly
// fractional). Anything else — a string, a bool, NaN, an absurd number — reads
// as absent, which is what RFC 7519 lets a reader do with a claim it cannot use.
func numericDate(v any) time.Time {
	var f float64
	switch n := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			if i > maxNumericDate || i < -maxNumericDate {
				return time.Time{}
			}
			return time.Unix(i, 0)
		}
		var err error
		if f, err = strconv.ParseFloat(string(n), 64); err != nil {
			return time.Time{}
		}
	case float64:
		f = n
	default:
		return time.Time{}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f > maxNumericDate || f < -maxNumericDate {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9))
}

// Expired reports whether the token had expired at now. A token without exp never expires.
func (j *JWTInfo) Expired(now time.Time) bool {
	if j == nil || j.ExpiresAt.IsZero() {
		return false
	}
	// RFC 7519 §4.1.4: the token must not be accepted on or after exp.
	return !now.Before(j.ExpiresAt)
}

// Fingerprint is a short, non-reversible tag for a key ("sha256:" + 12 hex digits)
// that lets the index and the UI tell keys apart without holding them.
func Fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// Mask shows a key the way OpenAI and Stripe show theirs: its first three
// characters (the "sk-" prefix) and its last four, "sk-…9f0e". Strings of 12
// characters or fewer are masked entirely, with a fixed number of bullets so
// the mask does not tell the length either. Mask(key) == MaskHint(Hint(key))
// for every sk- key.
func Mask(key string) string {
	r := []rune(key)
	if len(r) <= 12 {
		return fullMask
	}
	return string(r[:3]) + "…" + string(r[len(r)-4:])
}

// Hint is the part of a key that the index keeps so that listings can show
// a key without reading the keyring: its last four characters, which are
// 16 of a key's 122 random bits (the rest stays secret). Keys of 12
// characters or fewer get no hint.
func Hint(key string) string {
	r := []rune(key)
	if len(r) <= 12 {
		return ""
	}
	return string(r[len(r)-4:])
}

// MaskHint is the mask of an sk- key whose Hint is hint; without a hint, a
// full mask.
func MaskHint(hint string) string {
	if hint == "" {
		return fullMask
	}
	return "sk-…" + hint
}
