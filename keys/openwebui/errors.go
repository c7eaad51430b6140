package openwebui

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel kinds; test with errors.Is. The concrete error is *Error.
var (
	ErrNotOpenWebUI       = errors.New("not an Open WebUI server")
	ErrUnreachable        = errors.New("server unreachable") // DNS, refused, reset, dropped
	ErrTimeout            = errors.New("server did not answer in time")
	ErrTLS                = errors.New("TLS certificate not trusted")
	ErrInsecureHTTP       = errors.New("refusing to send a secret over plain http")
	ErrProxy              = errors.New("the proxy in front of the server failed")         // 502/503/504/413 HTML
	ErrServer             = errors.New("server error")                                    // 5xx from Open WebUI itself
	ErrWrongCredentials   = errors.New("wrong email or password")                         // 400 INVALID_CRED / LDAP failed
	ErrRateLimited        = errors.New("sign-in throttled")                               // 429; Error.RetryAfter
	ErrPasswordAuthOff    = errors.New("password sign-in disabled")                       // 403 ACTION_PROHIBITED
	ErrAuthOffWithUsers   = errors.New("sign-in turned off, but the server has accounts") // 400 EXISTING_USERS (WEBUI_AUTH=False)
	ErrLDAPDisabled       = errors.New("LDAP sign-in not enabled")
	ErrSessionInvalid     = errors.New("session token invalid or expired") // 401 on a JWT
	ErrAccessProhibited   = errors.New("account not allowed")              // 401/403 ACCESS_PROHIBITED (pending, role)
	ErrKeysDisabled       = errors.New("API keys disabled on the server")
	ErrNoKeyPermission    = errors.New("account lacks the API-keys permission")
	ErrNoKey              = errors.New("account has no API key")
	ErrKeyUnreadable      = errors.New("server will not show the existing key")
	ErrKeyRejected        = errors.New("API key rejected")
	ErrBadURL             = errors.New("not a usable server address")
	ErrUnexpectedResponse = errors.New("unexpected response")

	// Two-step sign-in (Open WebUI 0.12+ with ENABLE_MFA, openwebui-api.md §9).

	// ErrCodeRequired: the password was right and the server asks for an
	// authenticator code (next_step "verify"); the error is a *CodeChallenge.
	ErrCodeRequired = errors.New("the server asks for an authenticator code")
	// ErrMFASetupRequired: next_step "enroll", the account has no authenticator yet;
	// setting one up belongs in the browser.
	ErrMFASetupRequired = errors.New("the account must set up two-step sign-in in the browser first")
	// ErrMFARecoveryRequired: next_step "recover", an operator reset the
	// account's authenticator; recovery belongs in the browser.
	ErrMFARecoveryRequired = errors.New("the account must finish two-step recovery in the browser first")
	// ErrAccountPending: {"next_step": "pending"} or 403 "Account is awaiting approval.".
	ErrAccountPending = errors.New("the account is waiting for an admin's approval")
	// ErrCodeInvalid: 401 "Invalid or already used code." (the challenge may take another).
	ErrCodeInvalid = errors.New("wrong or already used code")
	// ErrChallengeExpired: the sign-in step ended (300 s passed, a newer sign-in
	// replaced it, MFA was switched, the account changed): sign in again.
	ErrChallengeExpired = errors.New("the sign-in step expired")
	// ErrTooManyCodes: 429 "Too many codes. Please sign in again." (5 per challenge).
	ErrTooManyCodes = errors.New("too many codes for this sign-in")
	// ErrAccountLocked: 429 "Too many attempts. Please try again later." with
	// Retry-After (Error.RetryAfter): the per-account or per-address limit.
	ErrAccountLocked = errors.New("sign-ins locked for a while after too many attempts")
	// ErrSessionRevoked: a session JWT answered 401 "Invalid token": the server
	// ended the session (signed out; on 0.12 also a password change, "sign out
	// everywhere" or a two-step policy change). It is also ErrSessionInvalid.
	ErrSessionRevoked error = &subKind{"session ended by the server (signed out)", ErrSessionInvalid}

	// ErrDropped: the connection was reset or closed before the whole answer
	// arrived (a reset, an empty or a cut-short answer). The server may have
	// done what was asked. It is also ErrUnreachable.
	ErrDropped error = &subKind{"the connection was dropped before the answer was complete", ErrUnreachable}
	// ErrSpeaksTLS: an http:// URL reached a port that speaks TLS (https).
	ErrSpeaksTLS = errors.New("the server speaks https on this port")

	// Kinds of ErrTLS, each with its own advice.
	ErrCAFileUnreadable error = &subKind{"the CA file cannot be read", ErrTLS}
	ErrCAFileNoPEM      error = &subKind{"the CA file holds no PEM certificate", ErrTLS}
	ErrTLSHostname      error = &subKind{"the certificate is for another host name", ErrTLS}
	ErrTLSExpired       error = &subKind{"the certificate has expired or is not yet valid", ErrTLS}
	ErrTLSNotSignedByCA error = &subKind{"the certificate is not signed by the given CA", ErrTLS}
	ErrNoTLS            error = &subKind{"the server does not speak TLS on this port", ErrTLS}
)

// subKind is a sentinel that is also a broader one, so errors.Is matches both.
type subKind struct {
	msg    string
	parent error
}

func (k *subKind) Error() string { return k.msg }
func (k *subKind) Unwrap() error { return k.parent }

// Error is what every Client method returns on failure.
//
// Kind is one of the sentinels above, or context.Canceled when the caller
// cancelled the request's context (a deadline, ours or the caller's, is
// ErrTimeout). Redirects are never followed: a 30x answer is
// ErrUnexpectedResponse (ErrNotOpenWebUI from Probe) whose Detail names
// where it pointed, so nothing secret can be forwarded to another host.
type Error struct {
	Kind       error         // one of the sentinels above
	Op         string        // e.g. "signing in", "creating API key"
	URL        string        // base URL (never a secret)
	Status     int           // HTTP status, 0 if none
	Detail     string        // server's "detail" text, if any (never contains a secret we sent)
	RetryAfter time.Duration // for ErrRateLimited: how long to wait
	Err        error         // underlying cause
}

// Error reads "<op> at <url>: <kind>[ (HTTP <status>)][: <detail>][: <cause>]".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.URL != "" {
		b.WriteString(" at ")
		b.WriteString(e.URL)
	}
	b.WriteString(": ")
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("failed")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil && e.Err != e.Kind {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }
