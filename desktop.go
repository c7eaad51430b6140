//go:build !headless

package main

import (
	"fmt"
	"os"

	"github.com/keytray/keytray/app"
)

func runDesktop(args []string) int {
	hidden := len(args) > 0
	if err := app.Run(app.Options{Hidden: hidden}); err != nil {
		fmt.Fprintln(os.Stderr, "keytray:", err)
		return 1
	}
	return 0
}
