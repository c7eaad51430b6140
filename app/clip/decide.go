package clip

import (
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/internal/clipboard/sysclip"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
)

// maxCredential is longer than any sk- key or Open WebUI JWT; longer text is
// not looked at.
const maxCredential = 8 << 10

// mayBeCredential is the guard's cheap first look, so that ordinary copied
// text never reaches the classifier or the index: one word (no white space
// inside), either "sk-…" or three dot-separated base64url parts starting
// like a JSON header ("e…", which is how base64 of "{" begins).
func mayBeCredential(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > maxCredential {
		return false
	}
	if strings.HasPrefix(s, "sk-") {
		return !strings.ContainsAny(s, " \t\r\n")
	}
	if s[0] != 'e' || strings.Count(s, ".") != 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '=') {
			return false
		}
	}
	return !strings.Contains(s, "..") && !strings.HasSuffix(s, ".")
}

// offer is what the guard does about one clipboard content.
type offer int

const (
	offerNothing   offer = iota
	offerWarnToken       // a session JWT: notification + banner + "Use it to get an API key"
	offerSaveKey         // an sk- key Keytray does not know: quiet banner + "Save this key"
)

// decide turns a classification into what to show. Any JWT is warned about
// (Open WebUI's or not: none belongs where an API key goes); a known key,
// such as one Keytray copied itself, gets nothing.
func decide(in keys.Inspection) offer {
	switch in.Kind {
	case credential.SessionJWT:
		return offerWarnToken
	case credential.APIKey:
		if in.Known == nil {
			return offerSaveKey
		}
	}
	return offerNothing
}

// tokenWarning is the wording of a JWT warning.
type tokenWarning struct {
	Title  string // "You copied a session token, not an API key"
	Owner  string // "It belongs to …"
	Expiry string // "It expires in 3 weeks, on 2026-12-18."
	How    string // 0.12 tokens: how it was signed in, or that it is an internal token
	Why    string // why it will break, and what keeps working
}

// Body is the notification text, and the banner's text under the title.
func (w tokenWarning) Body() string {
	var parts []string
	for _, p := range []string{w.Owner, w.Expiry, w.How, w.Why} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// warnToken words the warning for a classified JWT at now. lookupErr, when
// not nil, is why the owner could not be looked up (already in words).
func warnToken(in keys.Inspection, now time.Time, lookupErr string) tokenWarning {
	w := tokenWarning{
		Title: lang.L("You copied a session token, not an API key"),
		Why:   lang.L("It stops working when it expires, when the server's secret key changes (for example a recreated container), and on newer servers when the account is signed out everywhere or its password changes; signing in again does not end it. An API key keeps working through all of that."),
	}
	w.Owner = lang.L("It belongs to {{.Owner}}.", map[string]any{"Owner": ownerPhrase(in)})
	if lookupErr != "" {
		w.Owner = lang.L("Keytray could not look up whose it is: {{.Reason}}", map[string]any{"Reason": lookupErr})
	}
	if in.JWT != nil {
		w.Expiry = expirySentence(in.JWT.ExpiresAt, now)
		w.How = howSignedIn(in.JWT)
	}
	return w
}

// howSignedIn says what a 0.12 token carries: an internal token's type, or
// how the session was signed in and whether the code step was done; "" for
// older tokens, which say neither.
func howSignedIn(j *credential.JWTInfo) string {
	if j.Internal() {
		return lang.L("It is Open WebUI's internal “{{.Type}}” token: short-lived, and not a sign-in session.", map[string]any{"Type": j.Type})
	}
	if j.AuthMethod == "" {
		return ""
	}
	method := authMethodName(j.AuthMethod)
	switch {
	case j.MFAVerified != nil && *j.MFAVerified:
		return lang.L("It was signed in with {{.Method}} and the code step.", map[string]any{"Method": method})
	case j.MFAVerified != nil:
		return lang.L("It was signed in with {{.Method}}, without a code step.", map[string]any{"Method": method})
	}
	return lang.L("It was signed in with {{.Method}}.", map[string]any{"Method": method})
}

// authMethodName names an auth_method claim for people.
func authMethodName(m string) string {
	switch m {
	case "password":
		return lang.L("a password")
	case "ldap":
		return lang.L("LDAP")
	case "oauth":
		return lang.L("single sign-on")
	case "trusted_header":
		return lang.L("the sign-in proxy")
	}
	return m
}

// ownerPhrase: "Alice (alice@chat.example.com) on chat.example.com" for a
// matched entry, else "an unknown account (user id …)"; the user id is not
// secret (it is in every URL of the user's profile).
func ownerPhrase(in keys.Inspection) string {
	if e := in.Owner; e != nil {
		who := e.Name
		if e.Email != "" && e.Email != e.Name {
			who = e.Name + " (" + e.Email + ")"
		}
		return lang.L("{{.Who}} on {{.Server}}", map[string]any{"Who": who, "Server": serverHost(e.Instance)})
	}
	if in.JWT != nil && in.JWT.UserID != "" {
		return lang.L("an unknown account (user id {{.ID}})", map[string]any{"ID": in.JWT.UserID})
	}
	return lang.L("an unknown account")
}

// serverHost shows a server by host (and port, when there is one).
func serverHost(instanceURL string) string {
	u, err := url.Parse(instanceURL)
	if err != nil || u.Host == "" {
		return instanceURL
	}
	return u.Host
}

// expirySentence: "It expires in 3 weeks, on 2026-12-18." / "It never
// expires." / "It expired 2 days ago."
func expirySentence(exp, now time.Time) string {
	switch {
	case exp.IsZero():
		return lang.L("It never expires.")
	case exp.After(now):
		return lang.L("It expires in {{.In}}, on {{.Date}}.", map[string]any{
			"In": humanDuration(exp.Sub(now)), "Date": exp.Local().Format("2006-01-02"),
		})
	default:
		return lang.L("It expired {{.Ago}} ago.", map[string]any{"Ago": humanDuration(now.Sub(exp))})
	}
}

// seenSet remembers the hashes of contents already dealt with, so each token
// is warned about once. It is bounded: the oldest are forgotten first.
type seenSet struct {
	limit int
	order []digest
	set   map[digest]struct{}
}

func newSeenSet(limit int) *seenSet {
	return &seenSet{limit: limit, set: make(map[digest]struct{}, limit)}
}

// add records h and reports whether it was new.
func (s *seenSet) add(h digest) bool {
	if _, ok := s.set[h]; ok {
		return false
	}
	if len(s.order) == s.limit {
		delete(s.set, s.order[0])
		s.order = s.order[1:]
	}
	s.order = append(s.order, h)
	s.set[h] = struct{}{}
	return true
}

// clipboardHidden reports whether the platform keeps the clipboard from an
// app in the background: on a Wayland session, Fyne (through XWayland or
// GLFW) sees the clipboard only while one of its windows has focus.
// GNOME's Mutter is the exception: it shows Xwayland clients every copy
// (sysclip.IsGNOME).
func clipboardHidden(getenv func(string) string) bool {
	return getenv("WAYLAND_DISPLAY") != "" && strings.EqualFold(getenv("XDG_SESSION_TYPE"), "wayland") &&
		!sysclip.IsGNOME(getenv)
}
