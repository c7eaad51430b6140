package openwebui

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestVersions(t *testing.T) {
	for _, tc := range []struct {
		v, min string
		want   bool
	}{
		{"0.6.41", "0.6.37", true}, {"0.6.36", "0.6.37", false}, {"0.6.37", "0.6.37", true},
		{"v0.9.3", "0.9.3", true}, {"0.9.3-dev", "0.9.3", true}, {"0.10.0", "0.9.6", true},
		{"1.0", "0.11.0", true}, {"0.6", "0.6.1", false}, {"", "0.1.0", false}, {"dev", "0.0.0", false},
		{"0.6.x", "0.6.0", false}, {"0.6.41+git.abc", "0.6.41", true}, {"0.6.41", "garbage", false},
	} {
		if got := VersionAtLeast(tc.v, tc.min); got != tc.want {
			t.Errorf("VersionAtLeast(%q, %q) = %v", tc.v, tc.min, got)
		}
	}
}

func TestParseDetail(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"detail":"401 Unauthorized"}`, "401 Unauthorized"},
		{`{"detail":[{"loc":["body","email"],"msg":"Field required","input":"hunter2"}]}`, "body.email: Field required"},
		{`{"detail":[{"loc":["body",0],"msg":"a"},{"msg":"b"}]}`, "body.0: a; b"},
		{`{"detail":{"message":"x"}}`, "x"},
		{`{"detail":"line1\nline2\t\u0000end"}`, "line1 line2 end"},
		{`{"detail":null}`, ""}, {`{"error":"x"}`, ""}, {`not json`, ""}, {`[]`, ""}, {`{"detail":42}`, ""},
	} {
		if got := parseDetail([]byte(tc.body)); got != tc.want {
			t.Errorf("parseDetail(%s) = %q, want %q", tc.body, got, tc.want)
		}
	}
	long := `{"detail":"` + strings.Repeat("é", 1000) + `"}`
	if got := parseDetail([]byte(long)); utf8.RuneCountInString(got) != maxDetail+1 {
		t.Errorf("long detail not clipped: %d runes", utf8.RuneCountInString(got))
	}
}

func FuzzParseDetail(f *testing.F) {
	for _, s := range []string{`{"detail":"x"}`, `{"detail":[{"loc":["body"],"msg":"m","input":"secret"}]}`,
		`{"detail":{"message":"m"}}`, `{"detail":["a",1,null]}`, "{\"detail\":\"\xff\"}", `{"detail":[{"loc":[1.5e300]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := parseDetail(body)
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\t\x00") || utf8.RuneCountInString(got) > maxDetail+1 {
			t.Fatalf("unsafe detail %q", got)
		}
		_ = htmlTitle(body)
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"": defaultRetryAfter, "120": 2 * time.Minute, "junk": defaultRetryAfter, "-5": defaultRetryAfter,
		"Thu, 01 Jan 2026 12:01:30 GMT": 90 * time.Second, "99999999999999": 24 * time.Hour,
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Kind: ErrProxy, Op: "signing in", URL: "https://chat.example.com", Status: 502, Detail: "502 Bad Gateway"}
	if got := e.Error(); got != "signing in at https://chat.example.com: the proxy in front of the server failed (HTTP 502): 502 Bad Gateway" {
		t.Errorf("Error() = %q", got)
	}
	cause := errors.New("dial tcp: connection refused")
	e = &Error{Kind: ErrUnreachable, Op: "probing the server", URL: "http://localhost:3000", Err: cause}
	if got := e.Error(); got != "probing the server at http://localhost:3000: server unreachable: dial tcp: connection refused" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(e, cause) || !errors.Is(e, ErrUnreachable) {
		t.Errorf("Unwrap does not reach kind and cause")
	}
	q := request{token: "eyJhbGciOi.xyz.abc", secrets: []string{"hunter2"}}
	if got := redact("token eyJhbGciOi.xyz.abc and hunter2", q); strings.Contains(got, "hunter2") || strings.Contains(got, "eyJ") {
		t.Errorf("redact = %q", got)
	}
}

func TestMayUseKeys(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		version, role string
		perm          *bool
		want          string
	}{
		{"0.6.36", "user", nil, "true"}, {"0.6.41", "user", &no, "false"}, {"0.6.41", "user", &yes, "true"},
		{"0.6.41", "admin", &no, "false"}, {"0.8.11", "admin", &no, "true"}, {"0.11.0", "pending", &yes, "false"},
		{"", "admin", nil, "nil"}, {"", "user", &yes, "true"},
	} {
		got := mayUseKeys(tc.version, tc.role, tc.perm)
		s := "nil"
		if got != nil {
			s = map[bool]string{true: "true", false: "false"}[*got]
		}
		if s != tc.want {
			t.Errorf("mayUseKeys(%q, %q, %v) = %s, want %s", tc.version, tc.role, tc.perm, s, tc.want)
		}
	}
}

func TestLooksLikeKey(t *testing.T) {
	for s, want := range map[string]bool{
		"sk-0123456789abcdef0123456789abcdef": true, "sk-****************************abcd": false,
		"sk-…abcd": false, "sk-": false, "": false, "pk-0123456789abcdef0123456789abcdef": false,
		"sk-0123456789abcdef0123456789abcdef\n": false, "sk-proj_ABCdef0123456789-xyz": true,
	} {
		if LooksLikeKey(s) != want {
			t.Errorf("LooksLikeKey(%q) != %v", s, want)
		}
	}
}
