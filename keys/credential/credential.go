// Package credential tells what a string is: an Open WebUI API key (sk-…),
// a session JWT (whose claims it reads without verifying them), or neither.
// It never panics, whatever the input.
package credential

import "time"

// Kind is what a credential string is.
type Kind int

const (
	Other      Kind = iota // neither an sk- key nor a JWT
	APIKey                 // "sk-" followed by something
	SessionJWT             // three base64url parts whose header says JWT
)

// Result is the classification of one string.
type Result struct {
	Kind Kind
	// Unusual is set for an sk- key that is not Open WebUI's 35-character form
	// ("sk-" + 32 lowercase hex); Note says how it differs.
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
}

// Classify tells what s is. Surrounding white space is ignored.
func Classify(s string) Result { panic("contract") }

// Expired reports whether the token had expired at now. A token without exp never expires.
func (j *JWTInfo) Expired(now time.Time) bool { panic("contract") }

// Fingerprint is a short, non-reversible tag for a key ("sha256:" + 12 hex digits)
// that lets the index and the UI tell keys apart without holding them.
func Fingerprint(key string) string { panic("contract") }

// Mask shows the first 6 and the last 4 characters of a key: "sk-1a2…9f0e".
// Strings of 12 characters or fewer are masked entirely.
func Mask(key string) string { panic("contract") }
