// Package ref reads and writes Keytray's secret references, and what carries
// them: env files, templates and the output of a command that must not show
// the secrets a reference stood for.
//
// A reference stands for a stored key without holding it:
//
//	keytray://NAME       the key stored as NAME
//	keytray://NAME/url   its OpenAI-compatible base URL (<server>/api)
//
// NAME is percent-encoded where it needs to be (anything but letters, digits
// and - . _ ~ @ + is encoded), so that a reference is one word in a shell,
// an env file or YAML. Nothing in this package reads the keyring: resolving
// a reference is keys.Service's job, and a Resolver is passed in.
package ref

import (
	"errors"
	"fmt"
	"strings"
)

// Scheme starts every reference.
const Scheme = "keytray://"

// Part is what a reference stands for.
type Part uint8

const (
	Key Part = iota // the stored key
	URL             // the key's base URL, <server>/api
)

// urlSuffix selects the URL part.
const urlSuffix = "url"

// Ref is one parsed reference.
type Ref struct {
	Name string // the entry name, decoded
	Part Part
}

// ErrMalformed: the text starts like a reference but is not one.
var ErrMalformed = errors.New("malformed keytray:// reference")

// For is the reference to the key stored as name.
func For(name string) Ref { return Ref{Name: name} }

// String is the reference as written: keytray://NAME or keytray://NAME/url.
func (r Ref) String() string {
	s := Scheme + Escape(r.Name)
	if r.Part == URL {
		s += "/" + urlSuffix
	}
	return s
}

// Secret reports whether the reference stands for a secret (the key) rather
// than something that may be shown (the URL).
func (r Ref) Secret() bool { return r.Part == Key }

// IsRef reports whether s looks like a reference (starts with the scheme),
// well formed or not.
func IsRef(s string) bool { return strings.HasPrefix(s, Scheme) }

// Parse reads a whole string as a reference. A string that does not start
// with keytray:// is not one (ok false, no error); one that does but is not
// well formed is an error matching ErrMalformed.
func Parse(s string) (r Ref, ok bool, err error) {
	if !IsRef(s) {
		return Ref{}, false, nil
	}
	rest := s[len(Scheme):]
	name, part, hasPart := strings.Cut(rest, "/")
	if hasPart {
		if part != urlSuffix {
			return Ref{}, true, fmt.Errorf("%w: %q after the name (only /url may follow it)", ErrMalformed, part)
		}
		r.Part = URL
	}
	if name == "" {
		return Ref{}, true, fmt.Errorf("%w: no name after %s", ErrMalformed, Scheme)
	}
	r.Name, err = unescape(name)
	if err != nil {
		return Ref{}, true, err
	}
	return r, true, nil
}

// keep reports the bytes a name keeps as they are in a reference.
func keep(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-._~@+", c) >= 0
}

// Escape percent-encodes a name for a reference.
func Escape(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if c := name[i]; keep(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return "", fmt.Errorf("%w: a %% in the name is not followed by two hex digits", ErrMalformed)
			}
			b.WriteByte(byte(unhex(s[i+1])<<4 | unhex(s[i+2])))
			i += 2
		case keep(c) || c >= 0x80:
			b.WriteByte(c)
		default:
			return "", fmt.Errorf("%w: %q must be percent-encoded in a name", ErrMalformed, string(c))
		}
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// Resolver gives what a reference stands for. keys.Service implements it.
type Resolver interface {
	Resolve(refs []Ref) (map[Ref]string, error)
}

// Error is a reference that could not be resolved, with where it was met
// ("OPENAI_API_KEY in .env", "template line 3").
type Error struct {
	Ref   string // the reference as written
	Where string
	Err   error
}

func (e *Error) Error() string {
	s := e.Ref
	if e.Where != "" {
		s += " (" + e.Where + ")"
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
