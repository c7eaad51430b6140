// Package langtest checks a package's translations in its tests: every
// message the package's Go files pass to lang.L, lang.N, lang.X or lang.XN as
// a string literal must be in each translation file, and the files must
// hold the same messages. It reads source, so it catches a message added in
// code and forgotten in a translation.
package langtest

import (
	"embed"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Check compares the messages used by the Go files in srcDir (tests
// excluded) with the translation files under dir in fsys: each must hold
// exactly the messages the code uses.
func Check(t *testing.T, srcDir string, fsys embed.FS, dir string, files ...string) {
	t.Helper()
	CheckWithKeys(t, srcDir, fsys, dir, nil, files...)
}

// CheckWithKeys is Check for a package that also passes message keys to lang
// through variables (such as the keys of errtext.Keys): those keys count as
// used, and a lang call whose message is not a literal is allowed only when
// there are such keys.
func CheckWithKeys(t *testing.T, srcDir string, fsys embed.FS, dir string, keys []string, files ...string) {
	t.Helper()
	used := usedMessages(t, srcDir, len(keys) > 0)
	for _, k := range keys {
		if _, seen := used[k]; !seen {
			used[k] = "a key passed to lang indirectly"
		}
	}
	if len(used) == 0 {
		t.Fatalf("no lang.L/N/X/XN messages found in %s", srcDir)
	}
	for _, name := range files {
		b, err := fsys.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		var msgs map[string]json.RawMessage
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s is not valid JSON: %v", name, err)
		}
		for _, id := range sortedKeys(used) {
			if _, ok := msgs[id]; !ok {
				t.Errorf("%s lacks %q (used at %s)", name, id, used[id])
			}
		}
		for id := range msgs {
			if _, ok := used[id]; !ok {
				t.Errorf("%s has %q, which no code uses", name, id)
			}
		}
	}
}

// usedMessages maps each message ID to where it is first used.
// Non-literal messages are an error unless dynamic is set.
func usedMessages(t *testing.T, srcDir string, dynamic bool) map[string]string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(srcDir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := map[string]string{}
	for _, path := range matches {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
				return true
			}
			switch sel.Sel.Name {
			case "L", "N", "X", "XN", "Localize", "LocalizePlural", "LocalizeKey", "LocalizePluralKey":
			default:
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if (!ok || lit.Kind != token.STRING) && dynamic {
				return true
			}
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: lang.%s with a non-literal message cannot be checked", fset.Position(call.Pos()), sel.Sel.Name)
				return true
			}
			id, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			if _, seen := used[id]; !seen {
				used[id] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	return used
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
