// Package errtext is the one place where errors become sentences for people:
// what happened and what to do about it. It classifies errors from keys (and
// its subpackages) by kind with errors.Is/As, and returns a Sentence: a stable
// message key, an English template and the template's data.
//
// The command line prints Sentence.String (English); the desktop app
// translates the same Sentence with fyne's lang.X(s.Key, s.Template, s.Data),
// so its translation files hold the keys listed by Keys. The two front ends
// get their own wording where their advice differs (a flag to pass, a button
// to press), chosen by Audience.
//
// This package must never import fyne.io: the command line uses it.
//
// A Sentence never holds a secret: only kinds, server URLs, entry names,
// paths, HTTP statuses and the server's own "detail" text (which never holds
// what was sent).
package errtext

import (
	"errors"
	"slices"
	"strings"
	"text/template"

	"github.com/keytray/keytray/keys/vault"
)

// Audience is the front end a Sentence is for.
type Audience uint8

const (
	// CLI sentences start in lower case (they follow "keytray: ") and name
	// commands and flags. They are English only.
	CLI Audience = iota
	// Window sentences are whole sentences that name buttons and screens;
	// each key has a translation in the desktop app.
	Window
)

// Sentence is an explanation of an error, ready to render or translate.
type Sentence struct {
	Key      string         // stable message ID, e.g. "error.keyring.locked"
	Template string         // English, Go text/template syntax ({{.Name}}), as go-i18n uses
	Data     map[string]any // the template's data; nil when it needs none
}

// String renders the English sentence.
func (s Sentence) String() string {
	if s.Key == "" {
		return ""
	}
	if !strings.Contains(s.Template, "{{") {
		return s.Template
	}
	t, err := template.New(s.Key).Option("missingkey=zero").Parse(s.Template)
	if err != nil { // the templates are constants, checked by the tests
		return s.Template
	}
	var b strings.Builder
	if err := t.Execute(&b, s.Data); err != nil {
		return s.Template
	}
	return b.String()
}

// message is one situation's wording for each front end. An empty window
// template means the situation only arises on the command line.
type message struct {
	cli, window string
}

// Keys lists every key a Window sentence can have, sorted: each must be in
// every translation file of the desktop app.
func Keys() []string {
	var ks []string
	for k, m := range messages {
		if m.window != "" {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// Template returns key's English template for a, or "" if there is none.
func Template(a Audience, key string) string {
	m := messages[key]
	if a == Window {
		return m.window
	}
	return m.cli
}

// Explain explains err for the command line; see ExplainFor.
func Explain(err error) Sentence { return ExplainFor(CLI, err) }

// ExplainFor turns err into a sentence for a. A nil error has the zero
// Sentence, which renders as "".
func ExplainFor(a Audience, err error) Sentence {
	if err == nil {
		return Sentence{}
	}
	key, data := classify(a, err)
	if a == Window && messages[key].window == "" {
		key = keyUnknown
	}
	return Sentence{Key: key, Template: Template(a, key), Data: data}
}

// Errors that the front ends themselves produce (not keys/), so that their
// sentences live here too.
var (
	// ErrNoClipboardTool: none of the clipboard programs is installed.
	ErrNoClipboardTool = errors.New("no clipboard tool found")
	// ErrInputTooLong: stdin or a secret file held far more than any secret.
	ErrInputTooLong = errors.New("input too long for a secret")
)

// ClipboardError is a clipboard tool that ran and failed (no display, empty
// clipboard…).
type ClipboardError struct {
	Tool string
	Err  error
}

func (e *ClipboardError) Error() string {
	return "reading the clipboard with " + e.Tool + ": " + e.Err.Error()
}
func (e *ClipboardError) Unwrap() error { return e.Err }

// RecoveryNotice says what happened when the index could not be used as it
// was: replaced by its last-good copy, and/or repaired. It is a notice, not
// an error: the command line prints it as a warning.
func RecoveryNotice(r *vault.Recovery) Sentence {
	key := "notice.index.restored"
	switch {
	case r.Cause == nil && r.Journal != nil && len(r.Repairs) == 0:
		return JournalNotice(r.Journal)
	case r.Cause == nil:
		key = "notice.index.repaired"
	}
	return Sentence{Key: key, Template: Template(CLI, key), Data: map[string]any{
		"Repairs":     strings.Join(r.Repairs, "; "),
		"CorruptCopy": r.CorruptCopy,
	}}
}

// ShellQuote quotes s for a POSIX shell when it needs it, so that a command
// a sentence suggests can be pasted as it is: a name like `a;rm -rf ~`
// becomes 'a;rm -rf ~'. "" stays "" (templates then show a placeholder).
func ShellQuote(s string) string {
	if s == "" {
		return ""
	}
	if strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// JournalNotice says how a change interrupted by a crash or a keyring that
// stopped answering was finished or undone.
func JournalNotice(j *vault.JournalRecovery) Sentence {
	key := "notice.journal.mixed"
	switch {
	case len(j.Undone) == 0:
		key = "notice.journal.finished"
	case len(j.Finished) == 0:
		key = "notice.journal.undone"
	}
	return Sentence{Key: key, Template: Template(CLI, key), Data: map[string]any{
		"Op":        j.Op,
		"Finished":  strings.Join(j.Finished, ", "),
		"Undone":    strings.Join(j.Undone, ", "),
		"NFinished": len(j.Finished),
		"NUndone":   len(j.Undone),
	}}
}
