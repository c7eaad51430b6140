package app

import (
	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/internal/errtext"
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
