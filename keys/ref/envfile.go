package ref

import (
	"errors"
	"fmt"
	"strings"
)

// Var is one variable from an env file.
type Var struct {
	Name, Value string
	Line        int // 1-based line where it starts
}

// ErrEnvSyntax: an env file line that is not NAME=VALUE, a comment or blank.
var ErrEnvSyntax = errors.New("not an env file line")

// ParseEnvFile reads an env file the way Docker Compose and python-dotenv
// read them: blank lines and lines starting with # are skipped; a line may
// start with "export "; NAME=VALUE with the value unquoted (trimmed, and cut
// at " #", an inline comment), 'single-quoted' (taken literally) or
// "double-quoted" (with \n, \t, \r, \\, \" and \$ escapes); quoted values may
// span lines. A line holding only NAME (no =) is skipped: Compose takes such
// a variable from the environment, which is already there. ${VAR}
// interpolation is not done: a reference is the whole value. Errors name the
// line, never its value.
func ParseEnvFile(data string) ([]Var, error) {
	data = strings.TrimPrefix(data, "\ufeff")
	data = strings.ReplaceAll(data, "\r\n", "\n")
	var vars []Var
	line := 1
	for len(data) > 0 {
		l, rest, _ := strings.Cut(data, "\n")
		start := line
		data = rest
		line++
		t := strings.TrimLeft(l, " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		if after, ok := strings.CutPrefix(t, "export"); ok && after != "" && (after[0] == ' ' || after[0] == '\t') {
			t = strings.TrimLeft(after, " \t")
		}
		name, value, hasValue := strings.Cut(t, "=")
		name = strings.TrimRight(name, " \t")
		if !validVarName(name) {
			return nil, fmt.Errorf("%w (line %d): a variable name must be letters, digits, _ . or - and not start with a digit", ErrEnvSyntax, start)
		}
		if !hasValue {
			continue
		}
		value = strings.TrimLeft(value, " \t")
		switch {
		case value != "" && (value[0] == '\'' || value[0] == '"'):
			q := value[0]
			body := value[1:]
			// A quoted value may go on over the next lines.
			for !closes(body, q) {
				if data == "" {
					return nil, fmt.Errorf("%w (line %d): the %c quote is never closed", ErrEnvSyntax, start, q)
				}
				next, after, _ := strings.Cut(data, "\n")
				body += "\n" + next
				data = after
				line++
			}
			end := closing(body, q)
			trail := strings.TrimLeft(body[end+1:], " \t")
			if trail != "" && trail[0] != '#' {
				return nil, fmt.Errorf("%w (line %d): text after the closing quote", ErrEnvSyntax, start)
			}
			body = body[:end]
			if q == '"' {
				body = unescapeDouble(body)
			}
			vars = append(vars, Var{Name: name, Value: body, Line: start})
		default:
			if i := strings.Index(value, " #"); i >= 0 {
				value = value[:i]
			} else if i := strings.Index(value, "\t#"); i >= 0 {
				value = value[:i]
			}
			vars = append(vars, Var{Name: name, Value: strings.TrimRight(value, " \t"), Line: start})
		}
	}
	return vars, nil
}

func validVarName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// closing is the index of the quote q that ends body, or -1. In double
// quotes a backslash escapes the next character.
func closing(body string, q byte) int {
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			if q == '"' {
				i++
			}
		case q:
			return i
		}
	}
	return -1
}

func closes(body string, q byte) bool { return closing(body, q) >= 0 }

func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '"', '$', '\'':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
