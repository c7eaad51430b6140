// Package safetext makes text that came from elsewhere (a server's account
// email, role, name or error detail, a backup's fields) safe to store and to
// show: control and invisible format characters are written out as escapes
// (ESC becomes `\x1b`), so that such text is data and never drives a
// terminal, a notification or a window.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with invalid UTF-8 replaced by U+FFFD and every control or
// format character (C0, DEL, C1, bidirectional overrides, zero-width
// characters, line and paragraph separators) written as a Go-style escape.
// Text without such characters is returned as it is, without copying.
func Clean(s string) string {
	if IsClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		if !unsafe(r) {
			b.WriteRune(r)
			continue
		}
		if r < 0x100 {
			fmt.Fprintf(&b, `\x%02x`, r)
		} else {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// IsClean reports whether Clean would leave s as it is.
func IsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			goto slow
		}
	}
	return true
slow:
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unsafe) < 0
}

func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
