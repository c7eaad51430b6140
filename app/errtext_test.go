package app

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"unicode"

	"github.com/keytray/keytray/internal/errtext"
)

// The window shows errtext's sentences through lang.X, whose fallback is the
// Go template: the English file must say the same, and the Chinese one must
// translate it with the same template fields.
func TestErrorSentencesAreTranslated(t *testing.T) {
	files := map[string]map[string]json.RawMessage{}
	for _, name := range []string{"en.json", "zh_Hans.json"} {
		b, err := translations.ReadFile("translations/window/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = m
	}
	keys := errtext.Keys()
	if len(keys) < 50 {
		t.Fatalf("errtext.Keys() lists only %d keys", len(keys))
	}
	field := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	fields := func(s string) []string {
		var fs []string
		for _, m := range field.FindAllStringSubmatch(s, -1) {
			fs = append(fs, m[1])
		}
		slices.Sort(fs)
		return fs
	}
	for _, key := range keys {
		english := errtext.Template(errtext.Window, key)
		for name, m := range files {
			raw, ok := m[key]
			if !ok {
				t.Errorf("%s lacks %q", name, key)
				continue
			}
			var got string
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Errorf("%s: %q is not a plain string: %v", name, key, err)
				continue
			}
			if name == "en.json" && got != english {
				t.Errorf("en.json: %q is\n%q, but errtext says\n%q", key, got, english)
			}
			if name == "zh_Hans.json" && !slices.ContainsFunc([]rune(got), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("zh_Hans.json: %q is not translated: %q", key, got)
			}
			if !slices.Equal(fields(got), fields(english)) {
				t.Errorf("%s: %q uses fields %v, the English template %v", name, key, fields(got), fields(english))
			}
		}
	}
}
