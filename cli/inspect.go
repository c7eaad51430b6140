package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
)

// errNothingToInspect: stdin or the clipboard held no text.
var errNothingToInspect = errors.New("nothing to inspect: the input is empty")

func (c *cli) newInspectCmd() *cobra.Command {
	var fromClipboard bool
	cmd := &cobra.Command{
		Use:   "inspect [--clipboard]",
		Short: "tell whether text is an API key, a session token (JWT) or neither",
		Long: `Reads text from stdin (asked without echo in a terminal) or, with
--clipboard, from the clipboard, and says what it is: an Open WebUI API key
(and whether it is stored), a session token (JWT: whose it is, when it was
issued and expires, and why it will break), or neither. It never prints the
text itself and never stores anything.

The clipboard is read with wl-paste, xclip, xsel, pbpaste or PowerShell,
whichever exists. Exit status 0 means the text was classified, whatever it is.`,
		Example: `  keytray inspect --clipboard
  keytray inspect < token.txt`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(*cobra.Command, []string) error { return c.inspect(fromClipboard) },
	}
	cmd.Flags().BoolVar(&fromClipboard, "clipboard", false, "read the clipboard instead of stdin")
	return cmd
}

func (c *cli) inspect(fromClipboard bool) error {
	var text string
	var err error
	switch {
	case fromClipboard:
		text, err = readClipboard(context.Background())
	case isTerminal(c.stdin):
		text, err = c.promptSecret("Paste the text to inspect (it is not shown): ")
	default:
		text, err = readAllTrimmed(c.stdin)
	}
	if err != nil {
		return err
	}
	if text = strings.TrimSpace(text); text == "" {
		return errNothingToInspect
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	ins, err := svc.Inspect(text)
	if err != nil {
		return err
	}
	return writeInspection(c.stdout, ins, svc.Now())
}

// writeInspection prints what inspect learnt. It shows a key only masked and
// never any part of a JWT.
func writeInspection(w io.Writer, ins keys.Inspection, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	switch ins.Kind {
	case credential.APIKey:
		fmt.Fprintln(tw, "Open WebUI API key (sk-…): this is what scripts and integrations should use.")
		if ins.Known != nil {
			fmt.Fprintf(tw, "Stored as:\t%s (%s)\n", ins.Known.Name, ins.Known.Instance)
		} else {
			fmt.Fprintln(tw, "Stored as:\tnot stored in Keytray; store it with `keytray add URL --key-stdin`")
		}
		if ins.Unusual {
			fmt.Fprintf(tw, "Note:\t%s\n", fixSentence(orDefault(ins.Note, "it is not in the usual form of sk- and 32 hex digits")))
		}
	case credential.SessionJWT:
		writeJWT(tw, ins, now)
	default:
		fmt.Fprintln(tw, "Neither an Open WebUI API key (sk-…) nor a session token (JWT).")
	}
	return tw.Flush()
}

func writeJWT(w io.Writer, ins keys.Inspection, now time.Time) {
	j := ins.JWT
	if j == nil || !j.OpenWebUI {
		fmt.Fprintln(w, "A JWT, but not the kind Open WebUI issues (no HS256 signature with a user id); it is not an API key.")
	} else {
		fmt.Fprintln(w, "Open WebUI session token (JWT), NOT an API key.")
	}
	if j == nil {
		return
	}
	server := "URL"
	switch {
	case ins.Owner != nil:
		server = ins.Owner.Instance
		fmt.Fprintf(w, "Account:\t%s (%s on %s)\n", ins.Owner.Name, orDefault(ins.Owner.Email, "unknown email"), ins.Owner.Instance)
	case j.UserID != "":
		fmt.Fprintf(w, "Account:\tuser id %s (not an account stored in Keytray)\n", j.UserID)
	}
	if !j.IssuedAt.IsZero() {
		fmt.Fprintf(w, "Issued:\t%s (%s)\n", formatTime(j.IssuedAt), relativeTime(j.IssuedAt, now))
	}
	switch {
	case j.ExpiresAt.IsZero():
		fmt.Fprintln(w, "Expires:\tnever (the server sets no expiry)")
	case j.Expired(now):
		fmt.Fprintf(w, "Expires:\t%s: EXPIRED %s\n", formatTime(j.ExpiresAt), relativeTime(j.ExpiresAt, now))
	default:
		fmt.Fprintf(w, "Expires:\t%s (in %s)\n", formatTime(j.ExpiresAt), untilText(now, j.ExpiresAt))
	}
	// What an Open WebUI 0.12 token carries besides.
	if j.Internal() {
		fmt.Fprintf(w, "Kind:\t%s token: made by the server for its own internal use, short-lived; not a sign-in\n", j.Type)
	}
	if j.AuthMethod != "" {
		fmt.Fprintf(w, "Signed in with:\t%s\n", authMethodText(j.AuthMethod))
	}
	if j.MFAVerified != nil {
		if *j.MFAVerified {
			fmt.Fprintln(w, "Two-step:\tthe authenticator code step was done")
		} else {
			fmt.Fprintln(w, "Two-step:\tno authenticator code step")
		}
	}
	fmt.Fprintln(w, "Why it breaks:\tit is one browser session, not a key. A new sign-in makes another token (this one")
	fmt.Fprintln(w, "\tkeeps working), but it ends when it expires, when the server's WEBUI_SECRET_KEY changes")
	fmt.Fprintln(w, "\t(e.g. a recreated container), on sign-out where the server tracks sign-outs, and from")
	fmt.Fprintln(w, "\tOpen WebUI 0.11.1/0.12 on a password change, \"sign out everywhere\" or a two-step change.")
	fmt.Fprintf(w, "Instead:\trun `keytray login %s --token-stdin` with it to get a lasting API key,\n", errtext.ShellQuote(server))
	fmt.Fprintln(w, "\tor copy the API key from Settings › Account › API keys.")
}

// authMethodText names a 0.12 token's auth_method for people.
func authMethodText(m string) string {
	switch m {
	case "password":
		return "a password"
	case "ldap":
		return "LDAP"
	case "oauth":
		return "single sign-on (OAuth/OIDC)"
	case "trusted_header":
		return "a trusted header from a proxy"
	case "system":
		return "the server itself"
	case "api":
		return "the API"
	}
	return m
}

func formatTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04 MST") }

// untilText says how long from now until t, briefly.
func untilText(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
