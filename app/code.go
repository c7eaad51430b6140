package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
)

// errLeftCodeStep ends a sign-in whose code step the person left (Back,
// Escape): the dialog shows the password step again, without an error.
var errLeftCodeStep = errors.New("back to the password step")

// codeStep is the second step of a sign-in (Open WebUI 0.12+ two-step
// sign-in): the 6-digit code from an authenticator app, or a recovery code.
// The sign-in runs off the UI goroutine and calls the step's source when the
// server asks for a code; the source shows the step and waits for the person's
// answer. The code is handed over once and the field emptied; nothing keeps it.
type codeStep struct {
	box      *fyne.Container
	intro    *widget.Label
	code     *formEntry
	form     *widget.Form
	toggle   *pushButton
	recovery bool
	pending  chan codeAnswer // non-nil while a sign-in waits for an answer
	onChange func()          // the wording changed (dialogs re-size)
}

type codeAnswer struct {
	f   keys.SecondFactor
	err error
}

func newCodeStep() *codeStep {
	c := &codeStep{intro: wrapped(""), code: newSecretEntry("")}
	c.code.Password = false // a one-time code: seeing it helps, and it dies in 30 s
	c.toggle = button("", theme.SearchReplaceIcon(), widget.LowImportance, func() {
		c.recovery = !c.recovery
		c.layout()
		if c.onChange != nil {
			c.onChange()
		}
	})
	c.form = widget.NewForm(widget.NewFormItem(lang.L("Code"), c.code))
	c.box = container.NewVBox(c.intro, c.form, container.NewHBox(c.toggle))
	c.layout()
	return c
}

func (c *codeStep) layout() {
	if c.recovery {
		c.intro.SetText(lang.L("Type one of your saved recovery codes (32 letters and digits). Each works once."))
		c.code.SetPlaceHolder(lang.L("recovery code"))
		c.toggle.SetText(lang.L("Use the authenticator code instead"))
	} else {
		c.intro.SetText(lang.L("This server asks for a second step: type the 6-digit code from your authenticator app."))
		c.code.SetPlaceHolder("123456")
		c.toggle.SetText(lang.L("Use a recovery code instead"))
	}
}

// source is the sign-in's keys.CodeSource: each call shows the step on the
// UI goroutine (show gets the previous code's error, nil at first) and waits
// for answer. It waits for a person, not for work, so it does not count as
// work in flight (tests wait for that); answer counts it again.
func (c *codeStep) source(show func(prev error)) keys.CodeSource {
	return func(ctx context.Context, attempt int, prev error) (keys.SecondFactor, error) {
		ch := make(chan codeAnswer, 1)
		toUI(func() {
			c.pending = ch
			c.code.SetText("")
			show(prev)
		})
		inflight.Done()
		a := <-ch // answer (or leave) sends exactly once
		return a.f, a.err
	}
}

// waiting reports that a sign-in waits for this step's answer.
func (c *codeStep) waiting() bool { return c.pending != nil }

// answer hands f (or err) to the waiting sign-in; it does nothing when none
// waits. UI goroutine only.
func (c *codeStep) answer(f keys.SecondFactor, err error) {
	if c.pending == nil {
		return
	}
	inflight.Add(1) // the sign-in is work again
	c.pending <- codeAnswer{f, err}
	c.pending = nil
}

// leave ends the waiting sign-in: back to the password step (or, with
// context.Canceled, the dialog closed).
func (c *codeStep) leave(err error) {
	c.code.SetText("")
	c.answer(keys.SecondFactor{}, err)
}

// submit reads the code: a sentence for errs when it is neither kind, else
// hands it over and reports true.
func (c *codeStep) submit(errs *errorLine) bool {
	f, err := keys.ParseSecondFactor(c.code.Text)
	if err != nil {
		errs.set(describeError(err))
		return false
	}
	c.code.SetText("")
	c.answer(f, nil)
	return true
}
