package vault

import (
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"
)

// The index is read at every command, and with 1,000 keys encoding/json's
// reflection and its separate validation pass were two thirds of
// `keytray list` (1.9 ms of 2.8 ms in process). scanIndex decodes the shape
// marshalIndex writes in one pass, taking strings as substrings of one copy
// of the file instead of allocating each one.
//
// It is a fast path, not a second parser: anything it does not expect (an
// unknown or differently cased key, null, an escaped string, a number that
// is not a plain integer, invalid UTF-8, an error of any kind) makes it
// answer errSlowPath, and parseIndex then uses encoding/json, which decides
// what the file means and words the errors. FuzzScanIndex checks that
// whenever the fast path answers, encoding/json answers the same.

var errSlowPath = errors.New("index: not in the fast path's shape")

// scanIndex fills idx (whose Settings hold the defaults and whose slices may
// have capacity) from data, or returns errSlowPath.
func scanIndex(data []byte, idx *Index) error {
	if !utf8.Valid(data) {
		return errSlowPath
	}
	s := &scanner{src: string(data)}
	seen := make(map[string]bool, 5)
	err := s.object(func(key string) error {
		// encoding/json decodes a repeated list into the elements of the
		// first; rare enough to leave to it.
		if seen[key] {
			return errSlowPath
		}
		seen[key] = true
		switch key {
		case "format":
			return s.str(&idx.Format)
		case "version":
			return s.int(&idx.Version)
		case "settings":
			raw, err := s.rawObject()
			if err != nil {
				return err
			}
			// One small object with custom-decoded fields: encoding/json.
			if json.Unmarshal([]byte(raw), &idx.Settings) != nil {
				return errSlowPath
			}
			return nil
		case "instances":
			return scanList(s, &idx.Instances, s.instance)
		case "entries":
			return scanList(s, &idx.Entries, s.entry)
		}
		return errSlowPath
	})
	if err != nil {
		return err
	}
	s.space()
	if s.pos != len(s.src) {
		return errSlowPath
	}
	return nil
}

// scanner reads JSON values from src, a string so that values can be
// substrings of it.
type scanner struct {
	src string
	pos int
}

func (s *scanner) space() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// consume skips white space and then c, or fails.
func (s *scanner) consume(c byte) error {
	s.space()
	if s.pos < len(s.src) && s.src[s.pos] == c {
		s.pos++
		return nil
	}
	return errSlowPath
}

// peek skips white space and says whether the next byte is c (and takes it).
func (s *scanner) peek(c byte) bool {
	s.space()
	if s.pos < len(s.src) && s.src[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// object reads {"key": value, …}, calling field for each key with the
// scanner positioned before the value.
func (s *scanner) object(field func(key string) error) error {
	if err := s.consume('{'); err != nil {
		return err
	}
	if s.peek('}') {
		return nil
	}
	for {
		var key string
		if err := s.str(&key); err != nil {
			return err
		}
		if err := s.consume(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		if s.peek(',') {
			continue
		}
		return s.consume('}')
	}
}

// scanList reads [item, …] into *list, appending as encoding/json does.
func scanList[T any](s *scanner, list *[]T, item func(*T) error) error {
	if err := s.consume('['); err != nil {
		return err
	}
	*list = (*list)[:0]
	if s.peek(']') {
		if *list == nil {
			*list = []T{} // as encoding/json leaves it
		}
		return nil
	}
	for {
		var zero T
		*list = append(*list, zero)
		if err := item(&(*list)[len(*list)-1]); err != nil {
			return err
		}
		if s.peek(',') {
			continue
		}
		return s.consume(']')
	}
}

// str reads a string without escapes or control characters (the file is
// known to be valid UTF-8).
func (s *scanner) str(dst *string) error {
	if err := s.consume('"'); err != nil {
		return err
	}
	start := s.pos
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '"':
			*dst = s.src[start:s.pos]
			s.pos++
			return nil
		case c == '\\' || c < 0x20:
			return errSlowPath
		}
		s.pos++
	}
	return errSlowPath
}

// int reads a non-negative integer without leading zeros, sign or fraction.
func (s *scanner) int(dst *int) error {
	s.space()
	start, n := s.pos, 0
	for s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
		if s.pos-start >= 9 {
			return errSlowPath
		}
		n = n*10 + int(s.src[s.pos]-'0')
		s.pos++
	}
	digits := s.pos - start
	if digits == 0 || (digits > 1 && s.src[start] == '0') || s.pos < len(s.src) && isNumberTail(s.src[s.pos]) {
		return errSlowPath
	}
	*dst = n
	return nil
}

func isNumberTail(c byte) bool {
	return c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
}

func (s *scanner) bool(dst *bool) error {
	s.space()
	rest := s.src[s.pos:]
	switch {
	case len(rest) >= 4 && rest[:4] == "true":
		*dst = true
		s.pos += 4
	case len(rest) >= 5 && rest[:5] == "false":
		*dst = false
		s.pos += 5
	default:
		return errSlowPath
	}
	if s.pos < len(s.src) && isLetter(s.src[s.pos]) {
		return errSlowPath // "truex"
	}
	return nil
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// time reads a string with time.Time's own JSON decoding (RFC 3339).
func (s *scanner) time(dst *time.Time) error {
	var v string
	if err := s.str(&v); err != nil {
		return err
	}
	if dst.UnmarshalText([]byte(v)) != nil {
		return errSlowPath
	}
	return nil
}

// rawObject returns the next value, which must be an object of strings,
// numbers, booleans and null, without reading its fields.
func (s *scanner) rawObject() (string, error) {
	s.space()
	start := s.pos
	if err := s.consume('{'); err != nil {
		return "", err
	}
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; c {
		case '}':
			s.pos++
			return s.src[start:s.pos], nil
		case '"':
			var skip string
			if err := s.str(&skip); err != nil {
				return "", err
			}
		case '{', '[':
			return "", errSlowPath
		default:
			s.pos++
		}
	}
	return "", errSlowPath
}

func (s *scanner) instance(in *Instance) error {
	return s.object(func(key string) error {
		switch key {
		case "url":
			return s.str(&in.URL)
		case "name":
			return s.str(&in.Name)
		case "version":
			return s.str(&in.Version)
		case "ca_file":
			return s.str(&in.CAFile)
		case "allow_http":
			return s.bool(&in.AllowHTTP)
		case "last_seen":
			return s.time(&in.LastSeen)
		}
		return errSlowPath
	})
}

func (s *scanner) entry(e *Entry) error {
	return s.object(func(key string) error {
		switch key {
		case "name":
			return s.str(&e.Name)
		case "instance":
			return s.str(&e.Instance)
		case "email":
			return s.str(&e.Email)
		case "user_id":
			return s.str(&e.UserID)
		case "role":
			return s.str(&e.Role)
		case "created":
			return s.time(&e.Created)
		case "last_checked":
			return s.time(&e.LastChecked)
		case "last_status":
			return s.str(&e.LastStatus)
		case "last_detail":
			return s.str(&e.LastDetail)
		case "fingerprint":
			return s.str(&e.Fingerprint)
		case "hint":
			return s.str(&e.Hint)
		case "source":
			return s.str(&e.Source)
		}
		return errSlowPath
	})
}
