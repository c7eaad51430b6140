//go:build headless

package main

import (
	"fmt"
	"os"
)

// runDesktop in the headless build: there is no desktop app to start.
func runDesktop([]string) int {
	fmt.Fprintln(os.Stderr, "keytray: this is the headless build of Keytray, which has every command but no desktop app.\n"+
		"Run `keytray --help` for the commands, or install the desktop build to get the window and tray.")
	return 2
}
