//go:build !headless

package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/keytray/keytray/app"
)

func runDesktop(args []string) int {
	if !hasDisplay() {
		// Without this, GLFW panics with a stack trace before Keytray can say anything.
		fmt.Fprintln(os.Stderr, "keytray: the desktop app needs a graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"+
			"Run it from your desktop, or use the commands (`keytray --help`), which need no display.")
		return 1
	}
	hidden := len(args) > 0
	if err := app.Run(app.Options{Hidden: hidden}); err != nil {
		fmt.Fprintln(os.Stderr, "keytray:", err)
		return 1
	}
	return 0
}

// hasDisplay reports whether a window can be opened: on X11/Wayland systems
// only with DISPLAY or WAYLAND_DISPLAY set; Windows and macOS always have one.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
