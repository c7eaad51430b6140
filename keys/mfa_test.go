package keys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
	"github.com/keytray/keytray/keys/vault"
)

// fakeNow is a clock the test moves by hand (the fake server's and the codes').
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeNow) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeNow) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mfaFixture is a 0.12 server with MFA on and alice enrolled.
type mfaFixture struct {
	*fixture
	clock    *fakeNow
	secret   []byte
	recovery []string
}

func newMFAFixture(t *testing.T, version string) *mfaFixture {
	t.Helper()
	store := vault.NewMemoryStore()
	v, err := vault.Open(t.TempDir(), store)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeNow{t: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	srv := owuifake.New(owuifake.Profile{Version: version}, owuifake.WithClock(clock.now))
	t.Cleanup(srv.Close)
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
	uid := srv.AddUser(email, password, "user")
	srv.SetMFA(true)
	secret, recovery := srv.EnrollMFA(email)
	return &mfaFixture{fixture: &fixture{svc: New(v), store: store, srv: srv, uid: uid}, clock: clock, secret: secret, recovery: recovery}
}

// code is the authenticator's current code.
func (f *mfaFixture) code() string { return owuifake.TOTP(f.secret, f.clock.now()) }

func (f *mfaFixture) loginWith(src CodeSource) (LoginResult, error) {
	return f.svc.Login(context.Background(), LoginRequest{
		Server: Server{URL: f.srv.URL()},
		Creds:  Credentials{Method: Password, Email: email, Secret: password, Code: src},
	})
}

// recorder is a CodeSource that answers from a list and records its calls.
type recorder struct {
	answers []func() (SecondFactor, error)
	prevs   []error
}

func (r *recorder) source(_ context.Context, attempt int, prev error) (SecondFactor, error) {
	r.prevs = append(r.prevs, prev)
	if attempt > len(r.answers) {
		return SecondFactor{}, fmt.Errorf("asked %d times", attempt)
	}
	return r.answers[attempt-1]()
}

// noLeak fails when err's text or %#v holds a secret of the fixture.
func (f *mfaFixture) noLeak(t *testing.T, err error, extra ...string) {
	t.Helper()
	if err == nil {
		return
	}
	secrets := append([]string{password, f.srv.ChallengeToken(email), f.code()}, f.recovery...)
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", err)} {
		for _, s := range append(secrets, extra...) {
			if s != "" && strings.Contains(text, s) {
				t.Fatalf("error shows a secret: %s", text)
			}
		}
	}
}

func TestParseSecondFactor(t *testing.T) {
	for in, want := range map[string]SecondFactor{
		"123456":                                  {Code: "123456"},
		" 123 456 ":                               {Code: "123456"},
		"0123456789abcdef0123456789ABCDEF":        {Code: "0123456789abcdef0123456789abcdef", Recovery: true},
		"01234567 89abcdef 01234567 89abcdef":     {Code: "0123456789abcdef0123456789abcdef", Recovery: true},
		"0123-4567-89ab-cdef-0123-4567-89ab-cdef": {Code: "0123456789abcdef0123456789abcdef", Recovery: true},
	} {
		got, err := ParseSecondFactor(in)
		if err != nil || got != want {
			t.Errorf("ParseSecondFactor(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "12345", "1234567", "12a456", "0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcde"} {
		if _, err := ParseSecondFactor(in); !errors.Is(err, ErrBadCodeFormat) || (in != "" && strings.Contains(err.Error(), in)) {
			t.Errorf("ParseSecondFactor(%q): %v", in, err)
		}
	}
	f := SecondFactor{Code: "123456"}
	if s := fmt.Sprintf("%v %+v %#v %s", f, f, f, f); strings.Contains(s, "123456") {
		t.Errorf("a SecondFactor prints its code: %s", s)
	}
}

func TestLoginWithAuthenticatorCode(t *testing.T) {
	for _, version := range []string{"0.12.4", "0.12.4.12"} {
		t.Run(version, func(t *testing.T) {
			f := newMFAFixture(t, version)
			var attempts []int
			res, err := f.loginWith(func(_ context.Context, attempt int, prev error) (SecondFactor, error) {
				attempts = append(attempts, attempt)
				return ParseSecondFactor(f.code())
			})
			if err != nil {
				t.Fatalf("login: %v", err)
			}
			if res.Outcome != CreatedNew || f.stored(t, res.Entry.Name) != f.srv.KeyOf(email) {
				t.Errorf("outcome %s; the server's key was not stored", res.Outcome)
			}
			if len(attempts) != 1 || attempts[0] != 1 {
				t.Errorf("code source called %v", attempts)
			}
			if n := f.srv.Calls("POST", "/api/v1/auths/mfa/verify"); n != 1 {
				t.Errorf("%d verify calls", n)
			}
		})
	}
}

func TestLoginWithoutCodeSourceStoresNothing(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	_, err := f.loginWith(nil)
	var need *CodeNeededError
	if !errors.Is(err, ErrCodeNeeded) || !errors.As(err, &need) || need.URL != f.srv.URL() {
		t.Fatalf("err = %v, want ErrCodeNeeded naming the server", err)
	}
	f.noLeak(t, err)
	if entries, _, _ := f.svc.List(); len(entries) != 0 {
		t.Errorf("%d entries stored", len(entries))
	}
	if f.srv.KeyOf(email) != "" || f.srv.Calls("POST", "/api/v1/auths/api_key") != 0 {
		t.Errorf("a key was made")
	}
}

func TestWrongCodeIsAskedAgainThenAccepted(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	r := &recorder{answers: []func() (SecondFactor, error){
		func() (SecondFactor, error) { return SecondFactor{Code: "000000"}, nil },
		func() (SecondFactor, error) { return ParseSecondFactor(f.code()) },
	}}
	if f.code() == "000000" {
		f.clock.add(30 * time.Second)
	}
	if _, err := f.loginWith(r.source); err != nil {
		t.Fatalf("login: %v", err)
	}
	if len(r.prevs) != 2 || r.prevs[0] != nil || !errors.Is(r.prevs[1], openwebui.ErrCodeInvalid) {
		t.Errorf("prev errors = %v", r.prevs)
	}
	f.noLeak(t, r.prevs[1], "000000")
}

func TestFiveWrongCodesEndTheSignIn(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	calls := 0
	_, err := f.loginWith(func(context.Context, int, error) (SecondFactor, error) {
		calls++
		return SecondFactor{Code: "999999"}, nil
	})
	if !errors.Is(err, openwebui.ErrCodeInvalid) || calls != MaxCodeAttempts {
		t.Errorf("after %d codes: %v", calls, err)
	}
}

func TestOneCodeTriesOnce(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	_, err := f.loginWith(OneCode(SecondFactor{Code: "999999"}))
	if !errors.Is(err, openwebui.ErrCodeInvalid) || f.srv.Calls("POST", "/api/v1/auths/mfa/verify") != 1 {
		t.Errorf("err = %v after %d verify calls", err, f.srv.Calls("POST", "/api/v1/auths/mfa/verify"))
	}
	if _, err := f.loginWith(OneCode(SecondFactor{Code: f.code()})); err != nil {
		t.Errorf("a right code: %v", err)
	}
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	grouped := f.recovery[0][:16] + " " + strings.ToUpper(f.recovery[0][16:])
	sf, err := ParseSecondFactor(grouped)
	if err != nil || !sf.Recovery {
		t.Fatalf("parse: %v %v", sf, err)
	}
	if _, err := f.loginWith(OneCode(sf)); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	_, err = f.loginWith(OneCode(sf))
	if !errors.Is(err, openwebui.ErrCodeInvalid) {
		t.Errorf("a used recovery code: %v", err)
	}
	f.noLeak(t, err)
	// A recovery code sent as a TOTP code is refused.
	_, err = f.loginWith(OneCode(SecondFactor{Code: f.recovery[1]}))
	if !errors.Is(err, openwebui.ErrCodeInvalid) {
		t.Errorf("recovery code without recovery: %v", err)
	}
}

func TestExpiredChallenge(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	_, err := f.loginWith(func(context.Context, int, error) (SecondFactor, error) {
		f.clock.add(owuifake.ChallengeLifetime + time.Second) // the person went for coffee
		return ParseSecondFactor(f.code())
	})
	if !errors.Is(err, openwebui.ErrChallengeExpired) {
		t.Fatalf("err = %v, want ErrChallengeExpired", err)
	}
	f.noLeak(t, err)
	if entries, _, _ := f.svc.List(); len(entries) != 0 {
		t.Errorf("stored after an expired step")
	}
}

func TestSecondSignInReplacesTheChallenge(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	_, err := f.loginWith(func(ctx context.Context, _ int, _ error) (SecondFactor, error) {
		// Someone signs in again (another window) while this one waits.
		_, _ = f.svc.Login(ctx, LoginRequest{Server: Server{URL: f.srv.URL()},
			Creds: Credentials{Method: Password, Email: email, Secret: password}})
		return ParseSecondFactor(f.code())
	})
	if !errors.Is(err, openwebui.ErrChallengeExpired) {
		t.Errorf("err = %v, want ErrChallengeExpired", err)
	}
}

func TestAccountLockNamesTheWait(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	var err error
	for range 11 {
		_, err = f.loginWith(nil)
	}
	if !errors.Is(err, openwebui.ErrAccountLocked) {
		t.Fatalf("11th sign-in: %v", err)
	}
	if wait, ok := RetryAfter(err); !ok || wait <= 0 || wait > 15*time.Minute {
		t.Errorf("RetryAfter = %v, %v", wait, ok)
	}
}

func TestNextStepsThatBelongInTheBrowser(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	bob := "bob@example.com"
	f.srv.AddUser(bob, password, "user") // never enrolled
	carol := "carol@example.com"
	f.srv.AddUser(carol, password, "user")
	f.srv.EnrollMFA(carol)
	f.srv.ResetMFA(carol)
	dave := "dave@example.com"
	f.srv.AddUser(dave, password, "pending")
	for who, want := range map[string]error{bob: openwebui.ErrMFASetupRequired, carol: openwebui.ErrMFARecoveryRequired, dave: openwebui.ErrAccountPending} {
		_, err := f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()},
			Creds: Credentials{Method: Password, Email: who, Secret: password, Code: func(context.Context, int, error) (SecondFactor, error) {
				t.Errorf("%s: asked for a code", who)
				return SecondFactor{}, context.Canceled
			}}})
		var oe *openwebui.Error
		if !errors.Is(err, want) || !errors.As(err, &oe) || oe.URL != f.srv.URL() {
			t.Errorf("%s: %v, want %v with the URL", who, err, want)
		}
	}
	if f.srv.Calls("POST", "/api/v1/auths/mfa/verify") != 0 {
		t.Errorf("Keytray tried a second step")
	}
}

func TestCancelledCodeStep(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	_, err := f.loginWith(func(context.Context, int, error) (SecondFactor, error) { return SecondFactor{}, context.Canceled })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestRotateSignsInWithACode(t *testing.T) {
	f := newMFAFixture(t, "0.12.4")
	res, err := f.loginWith(OneCode(SecondFactor{Code: f.code()}))
	if err != nil {
		t.Fatal(err)
	}
	old := f.srv.KeyOf(email)
	f.srv.SetRestrictions(true, []string{"/api/models"}) // the key cannot manage itself
	if _, err := f.svc.Rotate(context.Background(), res.Entry.Name, nil); !errors.Is(err, ErrNeedsSignIn) {
		t.Fatalf("rotate with the key: %v", err)
	}
	f.clock.add(30 * time.Second) // the next code
	creds := &Credentials{Method: Password, Email: email, Secret: password}
	if _, err := f.svc.Rotate(context.Background(), res.Entry.Name, creds); !errors.Is(err, ErrCodeNeeded) {
		t.Fatalf("rotate without a code: %v", err)
	}
	if f.srv.KeyOf(email) != old {
		t.Fatal("rotated without the code step")
	}
	creds.Code = OneCode(SecondFactor{Code: f.code()})
	if _, err := f.svc.Rotate(context.Background(), res.Entry.Name, creds); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if nk := f.srv.KeyOf(email); nk == old || f.stored(t, res.Entry.Name) != nk {
		t.Errorf("the new key was not stored")
	}
}

// A password change, an admin's "sign out everywhere" and an MFA switch end
// every session token (named as a revoked session), never the sk- key.
func TestSessionRevocationsSpareTheKey(t *testing.T) {
	for _, how := range []string{"password change", "revoke", "mfa switch"} {
		t.Run(how, func(t *testing.T) {
			f := newFixture(t, owuifake.Profile{Version: "0.12.4"})
			res, err := f.login(t, false)
			if err != nil {
				t.Fatal(err)
			}
			jwt := f.srv.TokenFor(email)
			switch how {
			case "password change":
				ans := postJSON(t, f.srv.URL()+"/api/v1/auths/update/password", jwt, `{"password":"`+password+`","new_password":"another one"}`)
				if ans != 200 {
					t.Fatalf("password change: %d", ans)
				}
			case "revoke":
				f.srv.RevokeSessions(email)
			case "mfa switch":
				f.srv.SetMFA(true)
			}
			_, err = f.svc.FromToken(context.Background(), Server{URL: f.srv.URL()}, jwt, "", false)
			if !errors.Is(err, openwebui.ErrSessionRevoked) || !errors.Is(err, openwebui.ErrSessionInvalid) {
				t.Errorf("old session token: %v, want ErrSessionRevoked", err)
			}
			noSecrets(t, err, jwt)
			results, err := f.svc.Check(context.Background())
			if err != nil || len(results) != 1 || !results[0].OK() || results[0].Status != openwebui.StatusValid {
				t.Errorf("check after %s: %+v %v", how, results, err)
			}
			_ = res
		})
	}
}

func TestLoginWithAnotherNameRenamesAndSaysSo(t *testing.T) {
	f := newFixture(t, owuifake.Profile{Version: "0.12.4"})
	first, err := f.login(t, false)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()},
		Creds: Credentials{Method: Password, Email: email, Secret: password}, Name: "admin2"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Outcome != AlreadyStored || again.Entry.Name != "admin2" || again.RenamedFrom != first.Entry.Name {
		t.Errorf("outcome %s, name %q, renamed from %q", again.Outcome, again.Entry.Name, again.RenamedFrom)
	}
	same, err := f.svc.Login(context.Background(), LoginRequest{Server: Server{URL: f.srv.URL()},
		Creds: Credentials{Method: Password, Email: email, Secret: password}, Name: "admin2"})
	if err != nil || same.RenamedFrom != "" {
		t.Errorf("same name again: renamed from %q, %v", same.RenamedFrom, err)
	}
}

// postJSON posts body with a bearer token and returns the status.
func postJSON(t *testing.T, url, token, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
