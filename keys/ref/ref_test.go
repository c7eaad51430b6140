package ref

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseAndString(t *testing.T) {
	cases := []struct {
		in   string
		want Ref
	}{
		{"keytray://work", Ref{Name: "work"}},
		{"keytray://alice@chat.example.com", Ref{Name: "alice@chat.example.com"}},
		{"keytray://alice@chat.example.com/url", Ref{Name: "alice@chat.example.com", Part: URL}},
		{"keytray://my%20key", Ref{Name: "my key"}},
		{"keytray://a%2Fb/url", Ref{Name: "a/b", Part: URL}},
		{"keytray://caf%C3%A9", Ref{Name: "café"}},
		{"keytray://café", Ref{Name: "café"}},
	}
	for _, c := range cases {
		got, ok, err := Parse(c.in)
		if err != nil || !ok || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v, %v; want %+v", c.in, got, ok, err, c.want)
		}
		back, _, err := Parse(got.String())
		if err != nil || back != got {
			t.Errorf("Parse(%q.String() = %q) = %+v, %v", c.in, got.String(), back, err)
		}
	}
	if got := (Ref{Name: "my key/x"}).String(); got != "keytray://my%20key%2Fx" {
		t.Errorf("String = %q", got)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"keytray://", "keytray:///url", "keytray://a/key", "keytray://a/url/x",
		"keytray://a b", "keytray://a%2", "keytray://a%zz", "keytray://a?b"} {
		if _, ok, err := Parse(in); !ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) = ok %v, err %v; want ErrMalformed", in, ok, err)
		}
	}
	for _, in := range []string{"", "sk-123", "http://x", "KEYTRAY://a", " keytray://a"} {
		if _, ok, err := Parse(in); ok || err != nil {
			t.Errorf("Parse(%q) = ok %v, err %v; want not a reference", in, ok, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"keytray://work", "keytray://a%20b/url", "keytray://", "keytray://%", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok, err := Parse(s)
		if !ok || err != nil {
			return
		}
		back, ok, err := Parse(r.String())
		if !ok || err != nil || back != r {
			t.Fatalf("%q parsed as %+v, which writes as %q, which parses as %+v, %v", s, r, r.String(), back, err)
		}
		if strings.ContainsAny(r.String()[len(Scheme):], " \t\n\"'{}") {
			t.Fatalf("%q is not one word", r.String())
		}
	})
}

func TestParseEnvFile(t *testing.T) {
	in := "# comment\n\n" +
		"PLAIN=value\n" +
		"export EXPORTED=keytray://work\n" +
		"  SPACED = spaced value  \n" +
		"COMMENTED=abc # a comment\n" +
		"HASH=abc#def\n" +
		"SINGLE='it is' \n" +
		"SINGLE2='a \\n $b # c'\n" +
		"DOUBLE=\"a\\nb \\\"q\\\" \\$x\" # c\n" +
		"MULTI=\"line1\nline2\"\n" +
		"EMPTY=\n" +
		"ONLYNAME\n" +
		"CRLF=x\r\n" +
		"LAST=keytray://work/url"
	got, err := ParseEnvFile(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Var{
		{"PLAIN", "value", 3}, {"EXPORTED", "keytray://work", 4}, {"SPACED", "spaced value", 5},
		{"COMMENTED", "abc", 6}, {"HASH", "abc#def", 7},
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("var %d = %+v, want %+v", i, got[i], w)
		}
	}
	byName := map[string]string{}
	for _, v := range got {
		byName[v.Name] = v.Value
	}
	for name, value := range map[string]string{
		"SINGLE2": `a \n $b # c`, "DOUBLE": "a\nb \"q\" $x", "MULTI": "line1\nline2",
		"EMPTY": "", "CRLF": "x", "LAST": "keytray://work/url",
	} {
		if v, ok := byName[name]; !ok || v != value {
			t.Errorf("%s = %q (present %v), want %q", name, v, ok, value)
		}
	}
	if _, ok := byName["ONLYNAME"]; ok {
		t.Error("a line with only a name became a variable")
	}
	if byName["SINGLE"] != "it is" {
		t.Error("'it is' was not read")
	}
}

func TestParseEnvFileErrorsNameTheLineNotTheValue(t *testing.T) {
	for _, in := range []string{"A=1\nB=\"sk-secret-never-closed\n", "1X=2", "A B=3", "A='x' y"} {
		_, err := ParseEnvFile(in)
		if !errors.Is(err, ErrEnvSyntax) || !strings.Contains(err.Error(), "line") || strings.Contains(err.Error(), "sk-secret") {
			t.Errorf("ParseEnvFile(%q) error = %v", in, err)
		}
	}
}

func FuzzParseEnvFile(f *testing.F) {
	f.Add("A=1\nexport B='x'\nC=\"y\\n\" # z\n")
	f.Add("A=\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		vars, err := ParseEnvFile(s)
		if err != nil {
			return
		}
		for _, v := range vars {
			if v.Line < 1 || v.Line > strings.Count(s, "\n")+1 || !validVarName(v.Name) {
				t.Fatalf("bad var %+v", v)
			}
		}
	})
}

// chunks writes s to a Masker in pieces of the given sizes (cycled).
func masked(secrets []string, s string, sizes ...int) string {
	var out bytes.Buffer
	m := NewMasker(&out, secrets)
	for i, k := 0, 0; i < len(s); k++ {
		n := min(sizes[k%len(sizes)], len(s)-i)
		m.Write([]byte(s[i : i+n]))
		i += n
	}
	m.Close()
	return out.String()
}

func TestMaskerAcrossWriteBoundaries(t *testing.T) {
	key := "sk-0123456789abcdef0123456789abcdef"
	in := "key=" + key + "\nagain:" + key + key + " sk-0123 partial\nend sk-"
	want := "key=" + Concealed + "\nagain:" + Concealed + Concealed + " sk-0123 partial\nend sk-"
	for size := 1; size <= len(in); size++ {
		if got := masked([]string{key}, in, size); got != want {
			t.Fatalf("written %d bytes at a time: %q", size, got)
		}
	}
	for _, sizes := range [][]int{{1, 7}, {3, 30, 2}, {34, 1}, {35}} {
		if got := masked([]string{key}, in, sizes...); got != want {
			t.Errorf("written in sizes %v: %q", sizes, got)
		}
	}
	if got := masked(nil, in, 5); got != in {
		t.Errorf("no secrets: %q", got)
	}
	// A secret that is the start of a longer one: the longer is masked whole.
	if got := masked([]string{"abc", "abcdef"}, "xabcdefy abcz", 1); got != "x"+Concealed+"y "+Concealed+"z" {
		t.Errorf("overlapping secrets: %q", got)
	}
}

func TestMaskerHoldsBackLessThanASecret(t *testing.T) {
	var out bytes.Buffer
	key := "sk-0123456789abcdef0123456789abcdef"
	m := NewMasker(&out, []string{key})
	m.Write([]byte("hello " + key[:20]))
	if out.String() != "hello " {
		t.Errorf("after a partial secret: %q", out.String())
	}
	m.Write([]byte("zzz"))
	if out.String() != "hello "+key[:20]+"zzz" {
		t.Errorf("a prefix that did not become a secret was not passed on: %q", out.String())
	}
}

func FuzzMasker(f *testing.F) {
	f.Add("sk-abc", "x sk-abc y sk-ab", 3)
	// The text before a secret can join the marker into the secret again
	// ("0" + "<concealed…" holds "0<"): that is not a leak, the oracle
	// below knows it.
	f.Add("0<", "00<", 1)
	f.Fuzz(func(t *testing.T, secret, text string, size int) {
		if secret == "" || size <= 0 || size > 64 {
			return
		}
		got := masked([]string{secret}, text, size)
		// One secret: every occurrence, left to right, is replaced, which is
		// exactly what strings.ReplaceAll does.
		if want := strings.ReplaceAll(text, secret, Concealed); got != want {
			t.Fatalf("secret %q in %q: masked to %q, want %q", secret, text, got, want)
		}
		// And what the masker passed through holds no secret: the marker,
		// taken out, cannot have hidden one (it is not part of the secret).
		if !overlapsMarker(secret) && strings.Contains(got, secret) {
			t.Fatalf("secret %q visible in %q", secret, got)
		}
		if whole := masked([]string{secret}, text, len(text)+1); got != whole {
			t.Fatalf("split writes give %q, one write %q", got, whole)
		}
	})
}

// overlapsMarker reports whether secret and Concealed can share bytes where
// they meet, or one holds the other: then the secret can show up in masked
// output made of text and markers without any of it having leaked.
func overlapsMarker(secret string) bool {
	if strings.Contains(Concealed, secret) || strings.Contains(secret, Concealed) {
		return true
	}
	for n := 1; n < len(secret) && n < len(Concealed); n++ {
		if strings.HasSuffix(secret, Concealed[:n]) || strings.HasPrefix(secret, Concealed[len(Concealed)-n:]) {
			return true
		}
	}
	return false
}

func TestOverlapsMarker(t *testing.T) {
	for secret, want := range map[string]bool{
		"sk-0123": false, "0<": true, "q>": false, ">y": true, "concealed": true, "a<concealed by keytray>b": true, "e": true,
	} {
		if got := overlapsMarker(secret); got != want {
			t.Errorf("overlapsMarker(%q) = %v, want %v", secret, got, want)
		}
	}
}

func TestRender(t *testing.T) {
	values := map[Ref]string{{Name: "work"}: "sk-x", {Name: "work", Part: URL}: "https://h/api"}
	got, err := Render([]byte("key: {{ keytray://work }}\nurl: {{keytray://work/url}}\nother: {{ .Name }}\n"), values)
	if err != nil || string(got) != "key: sk-x\nurl: https://h/api\nother: {{ .Name }}\n" {
		t.Fatalf("Render = %q, %v", got, err)
	}
	_, err = Render([]byte("a {{ keytray://gone }}\nb {{ keytray://work }}\nc {{ keytray://bad/x }}\nd {{ keytray://gone }}"), values)
	if err == nil {
		t.Fatal("unresolved references rendered")
	}
	for _, want := range []string{"keytray://gone (line 1)", "keytray://bad/x (line 3)", "keytray://gone (line 4)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	refs, err := TemplateRefs([]byte("{{ keytray://a }} {{ keytray://a }} {{ keytray://b/url }}"))
	if err != nil || len(refs) != 2 || refs[1] != (Ref{Name: "b", Part: URL}) {
		t.Errorf("TemplateRefs = %v, %v", refs, err)
	}
}
