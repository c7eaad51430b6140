package clip

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/app/internal/langtest"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/vault"
)

// makeJWT builds an HS256 token with the given claims. The signature is not
// valid (nothing here verifies it): the guard only reads claims.
func makeJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + enc(claims) + "." +
		base64.RawURLEncoding.EncodeToString([]byte("not-a-real-signature-0123456789ab"))
}

func TestMayBeCredential(t *testing.T) {
	jwt := makeJWT(t, map[string]any{"id": "u1"})
	for s, want := range map[string]bool{
		secretA:                    true,
		"  " + secretA + "\n":      true,
		jwt:                        true,
		"\n" + jwt + " ":           true,
		"sk-":                      false, // too short to be anything
		"sk-abc def ghi jkl":       false,
		"hello world":              false,
		"e.g. this is a sentence.": false,
		"eyJhbGciOi.eyJpZCI6.":     false, // empty signature
		"eyJhbGciOi..eyJpZCI6":     false,
		"eyJ.a.b.c":                false, // four parts
		"https://example.com/a.b":  false,
		strings.Repeat("a", 20):    false,
		"sk-" + strings.Repeat("a", maxCredential): false, // too long
	} {
		if got := mayBeCredential(s); got != want {
			t.Errorf("mayBeCredential(%.30q) = %v, want %v", s, got, want)
		}
	}
}

func TestDecide(t *testing.T) {
	entry := &vault.Entry{Name: "alice"}
	for _, c := range []struct {
		name string
		in   keys.Inspection
		want offer
	}{
		{"jwt", keys.Inspection{Result: credential.Result{Kind: credential.SessionJWT, JWT: &credential.JWTInfo{}}}, offerWarnToken},
		{"jwt with owner", keys.Inspection{Result: credential.Result{Kind: credential.SessionJWT, JWT: &credential.JWTInfo{}}, Owner: entry}, offerWarnToken},
		{"unknown key", keys.Inspection{Result: credential.Result{Kind: credential.APIKey}}, offerSaveKey},
		{"known key", keys.Inspection{Result: credential.Result{Kind: credential.APIKey}, Known: entry}, offerNothing},
		{"other", keys.Inspection{Result: credential.Result{Kind: credential.Other}}, offerNothing},
	} {
		if got := decide(c.in); got != c.want {
			t.Errorf("%s: decide = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOwnerPhrase(t *testing.T) {
	jwt := &credential.JWTInfo{UserID: "3f2a-77"}
	for _, c := range []struct {
		in   keys.Inspection
		want string
	}{
		{keys.Inspection{Owner: &vault.Entry{Name: "Alice", Email: "alice@chat.example.com", Instance: "https://chat.example.com"}},
			"Alice (alice@chat.example.com) on chat.example.com"},
		{keys.Inspection{Owner: &vault.Entry{Name: "alice@chat.example.com", Email: "alice@chat.example.com", Instance: "http://127.0.0.1:8080/webui"}},
			"alice@chat.example.com on 127.0.0.1:8080"},
		{keys.Inspection{Result: credential.Result{JWT: jwt}}, "an unknown account (user id 3f2a-77)"},
		{keys.Inspection{Result: credential.Result{JWT: &credential.JWTInfo{}}}, "an unknown account"},
	} {
		if got := ownerPhrase(c.in); got != c.want {
			t.Errorf("ownerPhrase = %q, want %q", got, c.want)
		}
	}
}

func TestExpirySentence(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.Local)
	for _, c := range []struct {
		exp  time.Time
		want string
	}{
		{time.Time{}, "It never expires."},
		{now.Add(21 * 24 * time.Hour), "It expires in 3 weeks, on 2026-12-18."},
		{now.Add(-48 * time.Hour), "It expired 2 days ago."},
		{now.Add(90 * time.Minute), "It expires in 2 hours, on 2026-11-27."},
	} {
		if got := expirySentence(c.exp, now); got != c.want {
			t.Errorf("expirySentence(%v) = %q, want %q", c.exp, got, c.want)
		}
	}
}

func TestWarnTokenWording(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.Local)
	in := keys.Inspection{
		Result: credential.Result{Kind: credential.SessionJWT, JWT: &credential.JWTInfo{UserID: "u1", ExpiresAt: now.Add(21 * 24 * time.Hour)}},
		Owner:  &vault.Entry{Name: "Alice", Email: "alice@chat.example.com", Instance: "https://chat.example.com"},
	}
	w := warnToken(in, now, "")
	if w.Title != "You copied a session token, not an API key" {
		t.Errorf("title %q", w.Title)
	}
	want := "It belongs to Alice (alice@chat.example.com) on chat.example.com. It expires in 3 weeks, on 2026-12-18. " +
		"It stops working when it expires, when the server's secret key changes (for example a recreated container), and on newer servers " +
		"when the account is signed out everywhere or its password changes; signing in again does not end it. An API key keeps working through all of that."
	if got := w.Body(); got != want {
		t.Errorf("body\n got %q\nwant %q", got, want)
	}
	// A 0.12 token says how it was signed in; an internal one says what it is.
	yes, no := true, false
	for _, c := range []struct {
		j    credential.JWTInfo
		want string
	}{
		{credential.JWTInfo{Type: "session", AuthMethod: "password", MFAVerified: &yes}, "It was signed in with a password and the code step."},
		{credential.JWTInfo{Type: "session", AuthMethod: "ldap", MFAVerified: &no}, "It was signed in with LDAP, without a code step."},
		{credential.JWTInfo{AuthMethod: "oauth"}, "It was signed in with single sign-on."},
		{credential.JWTInfo{Type: "automation", AuthMethod: "system"}, "It is Open WebUI's internal “automation” token: short-lived, and not a sign-in session."},
	} {
		in.JWT = &c.j
		if got := warnToken(in, now, "").How; got != c.want || !strings.Contains(warnToken(in, now, "").Body(), c.want) {
			t.Errorf("%+v: %q, want %q", c.j, got, c.want)
		}
	}
	w = warnToken(in, now, "The keyring is locked.")
	if !strings.HasPrefix(w.Body(), "Keytray could not look up whose it is: The keyring is locked.") {
		t.Errorf("lookup failure not said: %q", w.Body())
	}
}

func TestSeenSetIsBoundedAndOnce(t *testing.T) {
	s := newSeenSet(2)
	a, b, c := hashOf("a"), hashOf("b"), hashOf("c")
	if !s.add(a) || s.add(a) {
		t.Fatal("a is not new exactly once")
	}
	s.add(b)
	s.add(c) // forgets a, the oldest
	if s.add(b) || s.add(c) {
		t.Error("b or c forgotten too early")
	}
	if !s.add(a) {
		t.Error("a still remembered beyond the limit")
	}
	if len(s.set) != 2 || len(s.order) != 2 {
		t.Errorf("set grew beyond its limit: %d/%d", len(s.set), len(s.order))
	}
}

func TestClipboardHidden(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if !clipboardHidden(env(map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})) {
		t.Error("a Wayland session is not detected")
	}
	if clipboardHidden(env(map[string]string{"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"})) {
		t.Error("an X11 session counts as hidden")
	}
	if clipboardHidden(env(map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"})) {
		t.Error("an X11 session with a nested Wayland display counts as hidden")
	}
	// GNOME's Mutter shows Xwayland clients every copy (sysclip.IsGNOME).
	if clipboardHidden(env(map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"})) {
		t.Error("GNOME on Wayland counts as hidden")
	}
}

func TestTranslations(t *testing.T) {
	langtest.Check(t, ".", Translations, "translations", "en.json", "zh_Hans.json")
}
