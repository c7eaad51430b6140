// Command keytray keeps Open WebUI API keys in the OS keyring: with no
// arguments it starts the desktop app (window and tray); with a subcommand it
// is the command line, which never starts the GUI driver.
package main

import (
	"os"

	"github.com/keytray/keytray/cli"
	"github.com/keytray/keytray/internal/clocale"
)

func main() {
	clocale.Restore() // the locale as it was before Fyne's initialisation read it
	args := os.Args[1:]
	if wantsDesktop(args) {
		os.Exit(runDesktop(args))
	}
	os.Exit(cli.Main(args, os.Stdin, os.Stdout, os.Stderr))
}

// wantsDesktop: no arguments, or only desktop flags.
func wantsDesktop(args []string) bool {
	for _, a := range args {
		if a != "--hidden" {
			return false
		}
	}
	return true
}
