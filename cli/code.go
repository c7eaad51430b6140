package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/openwebui"
)

// codeFlag is --code, the second step of a sign-in on servers that ask for
// an authenticator code (Open WebUI 0.12 with two-step sign-in). A one-time
// code may sit on the command line, as `aws sts --token-code` takes it: it is
// spent once used, and a recovery code once used is gone too.
type codeFlag struct{ code string }

func (f *codeFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.code, "code", "", "the authenticator `CODE` (6 digits) or a recovery code, for servers with two-step sign-in")
}

// source is where the sign-in's code comes from: --code (tried once); else,
// on a terminal, a prompt without echo that asks again after a wrong code;
// else none, and a server that asks for one gets "--code is needed" before
// anything is created or stored.
func (c *cli) codeSource(f codeFlag, account, url string) (keys.CodeSource, error) {
	if f.code != "" {
		sf, err := keys.ParseSecondFactor(f.code)
		if err != nil {
			return nil, usagef("--code takes the 6-digit code from your authenticator app or a recovery code (32 letters and digits).")
		}
		return keys.OneCode(sf), nil
	}
	if !isTerminal(c.stdin) {
		return nil, nil
	}
	return func(_ context.Context, attempt int, prev error) (keys.SecondFactor, error) {
		switch {
		case errors.Is(prev, openwebui.ErrCodeInvalid):
			c.errorf("the server refused that code: it is wrong or was already used (each code works once); type the next code (try %d of %d).",
				attempt, keys.MaxCodeAttempts)
		case prev != nil:
			c.errorf("%s", errtext.Explain(errtext.WithServer(prev, url)).String())
		}
		for {
			text, err := c.promptSecret(fmt.Sprintf("Authenticator code for %s at %s (or a recovery code): ", account, url))
			if err != nil {
				return keys.SecondFactor{}, err
			}
			sf, err := keys.ParseSecondFactor(text)
			if errors.Is(err, keys.ErrBadCodeFormat) {
				c.errorf("that is neither a 6-digit code nor a recovery code (32 letters and digits); try again.")
				continue
			}
			return sf, err
		}
	}, nil
}
