package openwebui_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

func TestVersionsWithMoreParts(t *testing.T) {
	for v, want := range map[string]bool{"0.12.4.12": true, "0.12.4.12-fork": true, "v0.12.4.1.2": true} {
		if got := openwebui.VersionAtLeast(v, "0.12.4"); got != want {
			t.Errorf("VersionAtLeast(%q, 0.12.4) = %v", v, got)
		}
	}
	if openwebui.VersionAtLeast("0.12.3.99", "0.12.4") {
		t.Error("0.12.3.99 counted as 0.12.4")
	}
	if a, b, c, ok := openwebui.ParseVersion("0.12.4.12"); !ok || a != 0 || b != 12 || c != 4 {
		t.Errorf("ParseVersion = %d.%d.%d %v", a, b, c, ok)
	}
}

func TestCodeChallengeAndItsLimits(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	srv, c := fake(t, owuifake.Profile{Version: "0.12.4"}, owuifake.WithClock(func() time.Time { return now }))
	srv.AddUser(userEmail, password, "user")
	srv.SetMFA(true)
	secret, _ := srv.EnrollMFA(userEmail)

	_, err := c.SignIn(context.Background(), userEmail, password)
	var ch *openwebui.CodeChallenge
	if !errors.As(err, &ch) || !errors.Is(err, openwebui.ErrCodeRequired) || ch.URL != srv.URL() {
		t.Fatalf("sign-in: %v, want a CodeChallenge", err)
	}
	token := srv.ChallengeToken(userEmail)
	for _, text := range []string{err.Error(), fmt.Sprintf("%v %+v %#v %s", ch, ch, ch, ch)} {
		if token == "" || strings.Contains(text, token) {
			t.Fatalf("the challenge token shows: %s", text)
		}
	}
	for i := range 5 {
		_, err = c.VerifyCode(context.Background(), ch, "000000", false)
		if owuifake.TOTP(secret, now) == "000000" {
			t.Skip("unlucky clock")
		}
		wantKind(t, err, openwebui.ErrCodeInvalid)
		_ = i
	}
	_, err = c.VerifyCode(context.Background(), ch, owuifake.TOTP(secret, now), false)
	e := wantKind(t, err, openwebui.ErrTooManyCodes)
	if e.RetryAfter <= 0 {
		t.Errorf("no Retry-After: %v", e.RetryAfter)
	}
	// A new sign-in, a right code.
	_, err = c.SignIn(context.Background(), userEmail, password)
	if !errors.As(err, &ch) {
		t.Fatal(err)
	}
	s, err := c.VerifyCode(context.Background(), ch, owuifake.TOTP(secret, now), false)
	if err != nil || s.Token == "" || s.Email != userEmail {
		t.Fatalf("verify: %v", err)
	}
	// The same code twice is refused (a code is never taken twice).
	_, err = c.SignIn(context.Background(), userEmail, password)
	errors.As(err, &ch)
	_, err = c.VerifyCode(context.Background(), ch, owuifake.TOTP(secret, now), false)
	wantKind(t, err, openwebui.ErrCodeInvalid)
	// MFA switched off meanwhile: start again.
	srv.SetMFA(false)
	_, err = c.VerifyCode(context.Background(), ch, owuifake.TOTP(secret, now.Add(30*time.Second)), false)
	wantKind(t, err, openwebui.ErrChallengeExpired)
}

func TestMFARoutesSayNoStore(t *testing.T) {
	srv, _ := fake(t, owuifake.Profile{Version: "0.12.4"})
	srv.SetMFA(true)
	a := post(t, srv.URL()+"/api/v1/auths/mfa/verify", `{"challenge_token":"x","code":"1","extra":1}`)
	if a.status != 422 || a.noStore != "no-store" || !strings.Contains(a.body, `"Invalid authentication request."`) {
		t.Errorf("verify with a bad body: %+v", a)
	}
}

type rawAnswer struct {
	status  int
	noStore string
	body    string
}

func post(t *testing.T, url, body string) rawAnswer {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rawAnswer{resp.StatusCode, resp.Header.Get("Cache-Control"), string(b)}
}
