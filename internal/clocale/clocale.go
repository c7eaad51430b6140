// Package clocale keeps Fyne from logging "Error parsing user locale C" when
// the locale is C.UTF-8, the default of many Debian and Ubuntu installs and
// containers: at every start of the desktop binary (a `keytray get` in a
// script included) and when the app loads its translations.
//
// Fyne's lang package reads the locale through go-locale, which knows "C"
// and "POSIX" but reads "C.UTF-8" as a language named "C". It does so in its
// package initialisation and again whenever translations are added. Hide
// shows the plain "C" to those readings and gives back a function that puts
// the variable back; for messages, C.UTF-8 and C are the same locale. This
// package's init hides it for Fyne's initialisation, which comes later (see
// below), and Restore, the first thing main does, puts it back, so commands
// and the programs `keytray exec` starts see the environment as it was.
//
// Why later: since Go 1.21 the spec initialises, at each step, the package
// first by import path among those whose imports are all initialised. This
// package imports only os and strings, which every package in fyne/lang's
// chain (go-i18n, go-locale) imports too, and its path sorts before
// github.com/nicksnyder/go-i18n, without which fyne.io/fyne/v2/lang cannot
// initialise. The integration tests check the result on the built binary.
package clocale

import (
	"os"
	"strings"
)

// The variables go-locale reads for the locale, in its order.
var localeVars = [...]string{"LC_ALL", "LC_MESSAGES", "LANG"}

var restoreInit = func() {}

func init() { restoreInit = Hide() }

// Restore puts back what this package's init hid. Call it first in main.
func Restore() {
	restoreInit()
	restoreInit = func() {}
}

// Hide sets the variable go-locale reads to "C" when it names C or POSIX
// with a codeset, and returns what puts it back (a no-op when nothing was
// changed). Not for concurrent use with other changes to the environment.
func Hide() (restore func()) {
	name, value := effective()
	if name == "" || !isCWithCodeset(value) {
		return func() {}
	}
	_ = os.Setenv(name, "C")
	return func() { _ = os.Setenv(name, value) }
}

// effective is the first of localeVars that is set, as go-locale takes it.
func effective() (name, value string) {
	for _, n := range localeVars {
		if v := os.Getenv(n); v != "" {
			return n, v
		}
	}
	return "", ""
}

// isCWithCodeset reports whether v names the C or POSIX locale with a
// codeset or modifier ("C.UTF-8", "C.utf8", "POSIX.UTF-8@x"): the spellings
// go-locale does not recognise.
func isCWithCodeset(v string) bool {
	for _, base := range []string{"C", "POSIX"} {
		if rest, ok := strings.CutPrefix(v, base); ok && rest != "" && (rest[0] == '.' || rest[0] == '@') {
			return true
		}
	}
	return false
}
