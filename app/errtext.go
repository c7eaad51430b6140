package app

import (
	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/vault"
)

// describeError turns an error into a sentence for people, in the user's
// language. The wording lives in package errtext, shared with the command
// line; its window keys are in translations/window (the tests check them).
func describeError(err error) string {
	s := errtext.ExplainFor(errtext.Window, err)
	if s.Key == "" {
		return ""
	}
	return lang.X(s.Key, s.Template, s.Data)
}

// describeErrorOf is describeError for an error about entry e: where e's
// account is an admin of its server, the sentence says what the admin can
// do rather than what to ask an admin.
func describeErrorOf(e vault.Entry, err error) string {
	if err != nil && e.Role == "admin" {
		err = errtext.ForAdmin(err)
	}
	return describeError(err)
}
