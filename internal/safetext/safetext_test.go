package safetext

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com":  "alice@example.com",
		"日本語":                "日本語",
		"a\x1b]0;owned\x07b": `a\x1b]0;owned\x07b`,
		"\x1b[2J":            `\x1b[2J`,
		"x\u202ey":           `x\u202ey`,
		"c1\u009bz":          `c1\x9bz`,
		"bad\xffutf8":        "bad\uFFFDutf8",
		"line\nbreak\ttab\r": `line\x0abreak\x09tab\x0d`,
		"zero\u200bwidth":    `zero\u200bwidth`,
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
		if got := Clean(want); got != want {
			t.Errorf("Clean is not idempotent on %q: %q", want, got)
		}
	}
}
