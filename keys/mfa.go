package keys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keytray/keytray/keys/openwebui"
)

// Two-step sign-in (Open WebUI 0.12+ with ENABLE_MFA, openwebui-api.md §9).
//
// A sign-in whose password was right may be asked for an authenticator code.
// The code comes from the caller's CodeSource, called from inside the sign-in
// so that the server's challenge never leaves it: nothing outside this file
// sees, stores or logs the challenge, and the code is sent once and dropped.

// SecondFactor is what the person typed for the code step: a 6-digit
// authenticator (TOTP) code, or a recovery code (32 hex digits) with
// Recovery set. Its String never shows the code.
type SecondFactor struct {
	Code     string
	Recovery bool
}

func (f SecondFactor) String() string {
	if f.Recovery {
		return "recovery code"
	}
	return "authenticator code"
}

// GoString keeps the code out of %#v too.
func (f SecondFactor) GoString() string { return "keys.SecondFactor{" + f.String() + "}" }

// CodeSource asks for the second factor of a sign-in. attempt counts from 1;
// prev is nil on the first call and, on a later one, the error the previous
// code got (errors.Is(prev, openwebui.ErrCodeInvalid)): show it and ask again.
// An error from the source (context.Canceled when the person gave up) ends
// the sign-in with that error.
type CodeSource func(ctx context.Context, attempt int, prev error) (SecondFactor, error)

// MaxCodeAttempts is how many codes one sign-in challenge takes (§9.2); after
// that many wrong codes the sign-in fails with the last code's error.
const MaxCodeAttempts = 5

// Errors of the code step.
var (
	// ErrCodeNeeded: the server asks for an authenticator code and the
	// Credentials have no Code source (the command line without --code and
	// without a terminal). Nothing was created or stored.
	ErrCodeNeeded = errors.New("the server asks for an authenticator code, and none was given")
	// ErrBadCodeFormat: ParseSecondFactor was given neither 6 digits nor 32 hex digits.
	ErrBadCodeFormat = errors.New("not an authenticator code (6 digits) or a recovery code (32 hex digits)")
)

// CodeNeededError is ErrCodeNeeded with the server that asked.
type CodeNeededError struct{ URL string }

func (e *CodeNeededError) Error() string {
	return "signing in at " + e.URL + ": " + ErrCodeNeeded.Error()
}

func (e *CodeNeededError) Unwrap() error { return ErrCodeNeeded }

// ParseSecondFactor tells the two kinds of code apart by their shape: 6
// digits is an authenticator code, 32 hex digits (upper or lower case) a
// recovery code. Spaces and dashes between groups are allowed and dropped
// (people copy recovery codes in groups). Anything else is ErrBadCodeFormat,
// whose text does not repeat the input.
func ParseSecondFactor(s string) (SecondFactor, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '\u00a0', '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case len(clean) == 6 && allDigits(clean):
		return SecondFactor{Code: clean}, nil
	case len(clean) == 32 && allHex(clean):
		return SecondFactor{Code: strings.ToLower(clean), Recovery: true}, nil
	}
	return SecondFactor{}, ErrBadCodeFormat
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// OneCode is the CodeSource for a code given up front (the command line's
// --code): it is tried once; a wrong code is the sign-in's error, not a
// reason to ask again.
func OneCode(f SecondFactor) CodeSource {
	return func(_ context.Context, attempt int, prev error) (SecondFactor, error) {
		if attempt > 1 {
			return SecondFactor{}, prev
		}
		return f, nil
	}
}

// RetryAfter is how long the server asked to wait before signing in again
// (a throttled or locked sign-in, a spent challenge); ok is false when err
// carries no such time.
func RetryAfter(err error) (wait time.Duration, ok bool) {
	var oe *openwebui.Error
	if errors.As(err, &oe) && oe.RetryAfter > 0 {
		return oe.RetryAfter, true
	}
	return 0, false
}

// secondStep finishes a sign-in that the server answered with a code
// challenge, asking cr.Code for codes while the challenge takes them.
func secondStep(ctx context.Context, c *openwebui.Client, cr Credentials, ch *openwebui.CodeChallenge) (*openwebui.Session, error) {
	if cr.Code == nil {
		return nil, &CodeNeededError{URL: c.URL()}
	}
	var prev error
	for attempt := 1; ; attempt++ {
		f, err := cr.Code(ctx, attempt, prev)
		if err != nil {
			return nil, err
		}
		if f.Code == "" {
			return nil, fmt.Errorf("signing in at %s: %w", c.URL(), ErrBadCodeFormat)
		}
		sess, err := c.VerifyCode(ctx, ch, f.Code, f.Recovery)
		if err == nil {
			return sess, nil
		}
		if !errors.Is(err, openwebui.ErrCodeInvalid) || attempt >= MaxCodeAttempts {
			return nil, err
		}
		prev = err
	}
}
