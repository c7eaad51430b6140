package cli

import (
	"io"
	"strings"
	"testing"
)

// What cobra adds to a command's start-up, before any work is done:
// building the command tree and finding the command. `keytray get` (and
// every other command named on the command line) builds only its own
// command; help, completion and suggestions build them all.
func BenchmarkCommandTree(b *testing.B) {
	for _, bc := range []struct{ name, only string }{{"get", "get"}, {"all", ""}} {
		b.Run(bc.name, func(b *testing.B) {
			c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
			b.ReportAllocs()
			for b.Loop() {
				if findCommand(c.newRoot(bc.only), "get") == nil {
					b.Fatal("no get command")
				}
			}
		})
	}
}
