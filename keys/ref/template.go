package ref

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// placeholder is {{ keytray://… }} in a template, spaces inside the braces
// optional. Compiled at first use, not at start-up: every command (`keytray
// get` included) would pay for it otherwise.
var placeholder = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\{\{[ \t]*(keytray://[^\s{}]*)[ \t]*\}\}`)
})

// TemplateRefs lists the references a template uses, in order, each once.
// A malformed one is an error naming its line.
func TemplateRefs(tmpl []byte) ([]Ref, error) {
	var refs []Ref
	seen := map[Ref]bool{}
	var errs []error
	for _, loc := range placeholder().FindAllSubmatchIndex(tmpl, -1) {
		text := string(tmpl[loc[2]:loc[3]])
		r, _, err := Parse(text)
		if err != nil {
			errs = append(errs, &Error{Ref: text, Where: lineOf(tmpl, loc[0]), Err: err})
			continue
		}
		if !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	return refs, errors.Join(errs...)
}

// Render replaces every {{ keytray://… }} in tmpl with its value from
// values. A reference values lacks is an error (naming each such reference
// and its line), and then there is no output at all.
func Render(tmpl []byte, values map[Ref]string) ([]byte, error) {
	var out bytes.Buffer
	var errs []error
	last := 0
	for _, loc := range placeholder().FindAllSubmatchIndex(tmpl, -1) {
		text := string(tmpl[loc[2]:loc[3]])
		r, _, err := Parse(text)
		if err == nil {
			v, ok := values[r]
			if !ok {
				err = errors.New("not resolved")
			}
			out.Write(tmpl[last:loc[0]])
			out.WriteString(v)
		}
		if err != nil {
			errs = append(errs, &Error{Ref: text, Where: lineOf(tmpl, loc[0]), Err: err})
		}
		last = loc[1]
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out.Write(tmpl[last:])
	return out.Bytes(), nil
}

func lineOf(b []byte, off int) string {
	return fmt.Sprintf("line %d", 1+strings.Count(string(b[:off]), "\n"))
}
