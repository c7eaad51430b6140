package app

import (
	"encoding/json"
	"strings"
	"unicode"
)

// Fyne wraps a line only at spaces (unicode.IsSpace), and breaks a "word"
// that does not fit wherever the width runs out. A Chinese sentence has no
// spaces, so it was all one word: lines broke inside Latin words
// ("Keytra/y", "age/-d") and left a lone "。" on a line. breakOpportunities
// puts a hair space (U+200A: a space to Fyne, barely any width on screen)
// where Chinese text may break: between two Han characters, and between Han
// and Latin text; never inside a Latin word or a {{.Template}}, never before
// closing punctuation (。，、：；！？）” …) nor after opening punctuation (（“).
// It runs over the window's Chinese translations as they are loaded.

const breakMark = '\u200A'

// withBreakOpportunities applies breakOpportunities to every message of a
// translation file (a string, or plural forms).
func withBreakOpportunities(data []byte) ([]byte, error) {
	var msgs map[string]any
	if err := json.Unmarshal(data, &msgs); err != nil {
		return nil, err
	}
	for k, v := range msgs {
		switch v := v.(type) {
		case string:
			msgs[k] = breakOpportunities(v)
		case map[string]any:
			for form, s := range v {
				if s, ok := s.(string); ok {
					v[form] = breakOpportunities(s)
				}
			}
		}
	}
	return json.Marshal(msgs)
}

// breakOpportunities returns s with break marks added (see above).
func breakOpportunities(s string) string {
	var b strings.Builder
	var prev rune // the last rune outside a template; 0 at the start
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '{' && i+1 < len(rs) && rs[i+1] == '{' {
			end := strings.Index(string(rs[i:]), "}}")
			if end >= 0 {
				tmpl := []rune(string(rs[i:])[:end+2])
				if prev != 0 && mayBreakBetween(prev, 'A') {
					b.WriteRune(breakMark)
				}
				b.WriteString(string(tmpl))
				i += len(tmpl) - 1
				prev = 'A' // what a template puts there is Latin text, as a rule
				continue
			}
		}
		if prev != 0 && mayBreakBetween(prev, r) {
			b.WriteRune(breakMark)
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// mayBreakBetween reports whether a line may break between a and b.
func mayBreakBetween(a, b rune) bool {
	if unicode.IsSpace(a) || unicode.IsSpace(b) || closesCJK(b) || opensCJK(a) {
		return false
	}
	return isCJK(a) || isCJK(b)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || closesCJK(r) || opensCJK(r) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func closesCJK(r rune) bool {
	return strings.ContainsRune("。，、：；！？）」』”’》〉】…·", r)
}

func opensCJK(r rune) bool { return strings.ContainsRune("（「『“‘《〈【", r) }
