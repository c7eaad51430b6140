package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/keytray/keytray/keys/credential"
)

// token is a made-up Open WebUI session token (HS256, an id claim).
func token(t testing.TB, id string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"id": id, "exp": time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC).Unix(),
	}).SignedString([]byte("made-up secret"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const key = "sk-0123456789abcdef0123456789abcdef"

func TestFind(t *testing.T) {
	tok := token(t, "user-1")
	other, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"sub": "x"}).SigningString() // unsigned: not Open WebUI's
	text := "A=" + key + "\nB=\"" + tok + "\"\nauth: Bearer " + tok + "\n" +
		"openai=sk-proj-" + strings.Repeat("a", 40) + "\n" + // another vendor's key
		"long=" + key + "0\nupper=sk-0123456789ABCDEF0123456789abcdef\n" +
		"word=x" + key + "\n" + "other=" + other + ".sig\n" + "eyJ.eyJ.\n"
	ms := Find([]byte(text))
	if len(ms) != 3 {
		t.Fatalf("found %d secrets, want 3: %+v", len(ms), ms)
	}
	wants := []struct {
		kind credential.Kind
		s    string
	}{{credential.APIKey, key}, {credential.SessionJWT, tok}, {credential.SessionJWT, tok}}
	for i, w := range wants {
		m := ms[i]
		if m.Kind != w.kind || text[m.Offset:m.Offset+m.Len] != w.s {
			t.Errorf("match %d: kind %v at %d+%d", i, m.Kind, m.Offset, m.Len)
		}
	}
	if ms[1].JWT.UserID != "user-1" {
		t.Errorf("claims not read: %+v", ms[1].JWT)
	}
}

func FuzzFind(f *testing.F) {
	tok := token(f, "u")
	f.Add("x=" + key + " y=" + tok)
	f.Add("eyJ" + tok)
	f.Add(tok[:40])
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, m := range Find([]byte(s)) {
			if m.Offset <= last || m.Offset+m.Len > len(s) {
				t.Fatalf("bad match %+v in %d bytes", m, len(s))
			}
			last = m.Offset
			r := credential.Classify(s[m.Offset : m.Offset+m.Len])
			if r.Kind != m.Kind {
				t.Fatalf("match %+v classifies as %v", m, r.Kind)
			}
		}
	})
}

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWalkRespectsGitignoreAndSkips(t *testing.T) {
	root := t.TempDir()
	secret := "K=" + key + "\n"
	write(t, root, ".gitignore", "# build output\n*.log\n!keep.log\n/build/\nnode_modules/\ndocs/**/gen\n/anchored.txt\n")
	for _, rel := range []string{".env", "keep.log", "sub/anchored.txt", "src/a.py", "docs/x/y.md", "deep/.env",
		"sub/.gitignore-less/x"} {
		write(t, root, rel, secret)
	}
	for _, rel := range []string{"app.log", "build/out.txt", "sub/node_modules/m.js", "node_modules/m.js",
		"docs/a/b/gen/x", "anchored.txt", ".git/config", ".hg/x", "ignored-by-sub/x"} {
		write(t, root, rel, secret)
	}
	write(t, root, "deep/.gitignore", "*.txt\n!wanted.txt\n")
	write(t, root, "deep/no.txt", secret)
	write(t, root, "deep/wanted.txt", secret)
	write(t, root, "ignored-by-sub/.gitignore", "*\n")
	write(t, root, "bin.dat", "\x00\x01"+secret)
	big := strings.Repeat("x", MaxFileSize) + secret
	write(t, root, "big.txt", big)
	if err := os.Symlink(filepath.Join(root, ".env"), filepath.Join(root, "link.env")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "src"), filepath.Join(root, "linkdir")); err != nil {
		t.Fatal(err)
	}

	res, err := Walk([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, filepath.ToSlash(rel))
		if f.Line != 1 || f.Column != 3 || f.Secret() != key {
			t.Errorf("%s: line %d column %d", rel, f.Line, f.Column)
		}
	}
	want := []string{".env", "deep/.env", "deep/wanted.txt", "docs/x/y.md", "keep.log", "src/a.py", "sub/.gitignore-less/x", "sub/anchored.txt"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("found in\n %v\nwant\n %v", got, want)
	}
	if res.Skipped != 2 {
		t.Errorf("skipped %d files, want 2 (binary, too large)", res.Skipped)
	}
}

func TestIgnorePatterns(t *testing.T) {
	f := parseIgnore("", "a/**/b\n**/c\nd/**\n*.tmp\n\\#hash\ntrailing   \n")
	cases := map[string]bool{
		"a/b": true, "a/x/y/b": true, "x/a/b": false, "c": true, "x/y/c": true, "d/e": true, "d": false,
		"x/y.tmp": true, "#hash": true, "trailing": true, "e": false,
	}
	for p, want := range cases {
		if got := ignored([]*ignoreFile{f}, p, false); got != want {
			t.Errorf("%s ignored = %v, want %v", p, got, want)
		}
	}
}

func TestRewriteChangesOnlyTheSecretAndKeepsTheMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "compose.yaml")
	tok := token(t, "u")
	old := "services:\n  app:\n    environment:\n      OPENAI_API_KEY: " + key + "\n      TOKEN: \"" + tok + "\"\n    image: x\n"
	if err := os.WriteFile(p, []byte(old), 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := Walk([]string{dir})
	if err != nil || len(res.Findings) != 2 {
		t.Fatalf("Walk: %v, %+v", err, res)
	}
	edits := []Edit{
		{Offset: res.Findings[0].Offset, Old: key, New: "keytray://work", Shown: "sk-…cdef"},
		{Offset: res.Findings[1].Offset, Old: tok, New: "keytray://bob", Shown: credential.Mask(tok)},
	}
	diff, err := Diff(p, []byte(old), edits)
	if err != nil {
		t.Fatal(err)
	}
	sp := filepath.ToSlash(p)
	wantDiff := "--- a/" + sp + "\n+++ b/" + sp + "\n@@ -1,6 +1,6 @@\n services:\n   app:\n     environment:\n" +
		"-      OPENAI_API_KEY: sk-…cdef\n+      OPENAI_API_KEY: keytray://work\n" +
		"-      TOKEN: \"" + credential.Mask(tok) + "\"\n+      TOKEN: \"keytray://bob\"\n     image: x\n"
	if diff != wantDiff {
		t.Errorf("diff:\n%s\nwant:\n%s", diff, wantDiff)
	}
	if strings.Contains(diff, key) || strings.Contains(diff, tok) {
		t.Error("the diff shows a secret")
	}
	if err := Rewrite(p, edits); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want := strings.NewReplacer(key, "keytray://work", tok, "keytray://bob").Replace(old)
	if string(got) != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", got, want)
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	// The same edits again: the file has changed, nothing is written.
	if err := Rewrite(p, edits); err == nil {
		t.Error("a file that no longer holds the secret was rewritten")
	}
}

func TestDiffHunksAndNoNewlineAtEnd(t *testing.T) {
	lines := make([]string, 20)
	for i := range lines {
		lines[i] = fmt.Sprintf("l%d", i+1)
	}
	lines[1] = "a=" + key
	lines[19] = "z=" + key
	data := strings.Join(lines, "\n") // no final newline
	edits := []Edit{
		{Offset: strings.Index(data, key), Old: key, New: "R", Shown: "M"},
		{Offset: strings.LastIndex(data, key), Old: key, New: "R", Shown: "M"},
	}
	d, err := Diff("f", []byte(data), edits)
	if err != nil {
		t.Fatal(err)
	}
	want := "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n l1\n-a=M\n+a=R\n l3\n l4\n l5\n" +
		"@@ -17,4 +17,4 @@\n l17\n l18\n l19\n-z=M\n\\ No newline at end of file\n+z=R\n\\ No newline at end of file\n"
	if d != want {
		t.Errorf("diff:\n%s\nwant:\n%s", d, want)
	}
}
