package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/keytray/keytray/keys"
)

// The README is the reference users read first: a command, a flag or a
// setting added without documenting it there fails here.
func TestREADMEDocumentsEveryCommandFlagAndSetting(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	c := &cli{stdin: strings.NewReader(""), stdout: os.Stderr, stderr: os.Stderr}
	root := c.newRoot()
	checked := 0
	for _, name := range commandNames() {
		if !regexp.MustCompile(`(?m)^keytray ` + regexp.QuoteMeta(name) + `\b`).MatchString(readme) {
			t.Errorf("README.md's command list has no line for `keytray %s`", name)
		}
		findCommand(root, name).LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			checked++
			if !strings.Contains(readme, "--"+f.Name) {
				t.Errorf("README.md never mentions `keytray %s --%s`", name, f.Name)
			}
		})
	}
	for _, name := range keys.SettingNames() {
		checked++
		if !strings.Contains(readme, "| `"+name+"` |") {
			t.Errorf("README.md's settings table has no row for %s", name)
		}
	}
	if checked < 30 {
		t.Fatalf("only %d flags and settings were checked; the walk over the commands is broken", checked)
	}
}
