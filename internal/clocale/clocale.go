// Package clocale keeps Fyne from logging "Error parsing user locale C" at
// every start of the desktop binary (a `keytray get` in a script included)
// when the locale is C.UTF-8, the default of many Debian and Ubuntu
// installs and containers.
//
// Fyne's lang package reads the locale in its package initialisation, through
// go-locale, which knows "C" and "POSIX" but reads "C.UTF-8" as a language
// named "C". This package's init, which runs first (see below), shows the
// plain "C" to that reading; Restore, the first thing main does, puts the
// variable back, so commands and the programs `keytray exec` starts see the
// environment as it was. For messages, C.UTF-8 and C are the same locale.
//
// Why first: since Go 1.21 the spec initialises, at each step, the package
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

var (
	changed  string // the variable set to "C" by init; "" when none
	original string // its value before
)

func init() { hide() }

// hide sets the variable go-locale reads to "C" when it names C with a codeset.
func hide() {
	name, value := effective()
	if name == "" || !isCWithCodeset(value) {
		return
	}
	changed, original = name, value
	_ = os.Setenv(name, "C")
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

// Restore puts back the variable init changed. Call it first in main.
func Restore() {
	if changed != "" {
		_ = os.Setenv(changed, original)
		changed = ""
	}
}
