package openwebui_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

var ctx = context.Background()

func TestProbe(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p, owuifake.WithName("Team Chat"))
		info := ok(c.Probe(ctx))(t)
		if info.Version != p.Version || info.Name != "Team Chat" || info.URL != srv.URL() {
			t.Errorf("info = %+v", info)
		}
		if !info.Auth || !info.PasswordAuth || info.LDAP || info.SSOOnly() {
			t.Errorf("sign-in methods = %+v", info)
		}
		// The switch is public up to 0.9.5 (on by default ≤0.6.36, off from 0.6.37), hidden from 0.9.6.
		want := "nil"
		switch {
		case !at(p, "0.6.37"):
			want = "true"
		case !at(p, "0.9.6"):
			want = "false"
		}
		if got := boolp(info.APIKeysEnabled); got != want {
			t.Errorf("APIKeysEnabled = %s, want %s", got, want)
		}
		for _, r := range srv.Requests() {
			if r.HasSecret() {
				t.Errorf("probe sent a credential to %s", r.Path)
			}
		}

		srv.EnableLDAP("alice", password, userEmail)
		srv.DisablePasswordAuth()
		srv.SetOAuthProviders("Keycloak")
		info = ok(c.Probe(ctx))(t)
		if !info.LDAP || info.PasswordAuth || info.SSOOnly() || len(info.OAuthProviders) != 1 || info.OAuthProviders[0] != "Keycloak" {
			t.Errorf("with LDAP and SSO: %+v", info)
		}
	})
}

func TestSSOOnly(t *testing.T) {
	srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
	srv.DisablePasswordAuth()
	srv.SetOAuthProviders("Google", "Microsoft")
	info := ok(c.Probe(ctx))(t)
	if !info.SSOOnly() {
		t.Errorf("SSOOnly = false for %+v", info)
	}
}

func TestKeyLifecycle(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		keysOpen(srv)
		id := srv.AddUser(adminEmail, password, "admin")

		s := ok(c.SignIn(ctx, "Admin@Example.com", password))(t)
		remember(s.Token)
		if s.UserID != id || s.Email != adminEmail || s.Role != "admin" || s.Token == "" {
			t.Errorf("session = %s", who(s))
		}
		if boolp(s.MayUseAPIKeys) != "true" || boolp(s.APIKeysEnabled) != "true" {
			t.Errorf("MayUseAPIKeys = %s, APIKeysEnabled = %s", boolp(s.MayUseAPIKeys), boolp(s.APIKeysEnabled))
		}
		// JWT_EXPIRES_IN defaults to -1 up to 0.6.33 and 4w from 0.6.34.
		if at(p, "0.6.34") {
			if d := time.Until(s.ExpiresAt); d < 27*24*time.Hour || d > 29*24*time.Hour {
				t.Errorf("ExpiresAt in %v, want about 4 weeks", d)
			}
		} else if !s.ExpiresAt.IsZero() {
			t.Errorf("ExpiresAt = %v, want none", s.ExpiresAt)
		}

		_, err := c.GetKey(ctx, s)
		wantKind(t, err, openwebui.ErrNoKey)

		// get-or-create
		key := remember(ok(c.CreateKey(ctx, s))(t))
		if key != srv.KeyOf(adminEmail) || len(key) != 35 {
			t.Fatalf("created key does not match the server's")
		}
		if got := ok(c.GetKey(ctx, s))(t); got != key {
			t.Errorf("GetKey returned another key")
		}

		v := ok(c.Verify(ctx, key))(t)
		if v.Status != openwebui.StatusValid {
			t.Errorf("Verify = %+v", v)
		}
		if at(p, "0.6.7") != (v.UserID == id && v.Email == adminEmail && v.Role == "admin") {
			t.Errorf("owner = %+v (owner is told from 0.6.7)", v)
		}

		// create replaces: the old key dies at once
		key2 := remember(ok(c.CreateKey(ctx, s))(t))
		if key2 == key || key2 != srv.KeyOf(adminEmail) {
			t.Fatalf("second CreateKey did not replace the key")
		}
		if v := ok(c.Verify(ctx, key))(t); v.Status != openwebui.StatusRejected {
			t.Errorf("old key: %+v, want rejected", v)
		}

		// a key can manage itself
		if got := ok(c.GetKey(ctx, openwebui.Bearer(key2)))(t); got != key2 {
			t.Errorf("GetKey with the key itself returned another key")
		}

		if err := c.DeleteKey(ctx, s); err != nil {
			t.Fatal(err)
		}
		if srv.KeyOf(adminEmail) != "" {
			t.Errorf("key still on the server after DeleteKey")
		}
		_, err = c.GetKey(ctx, s)
		wantKind(t, err, openwebui.ErrNoKey)
		if v := ok(c.Verify(ctx, key2))(t); v.Status != openwebui.StatusRejected {
			t.Errorf("deleted key: %+v, want rejected", v)
		}

		if err := c.SignOut(ctx, s); err != nil {
			t.Fatal(err)
		}
		method := http.MethodGet
		if at(p, "0.9.3") {
			method = http.MethodPost
		}
		if n := srv.Calls(method, "/api/v1/auths/signout"); n != 1 {
			t.Errorf("%s signout called %d times", method, n)
		}
		if n := len(srv.Requests()); srv.Calls(http.MethodGet, "/api/v1/auths/signout")+srv.Calls(http.MethodPost, "/api/v1/auths/signout") != 1 {
			t.Errorf("signout sent more than once (%d requests in all)", n)
		}
	})
}

func TestSessionFromToken(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		id := srv.AddUser(userEmail, password, "user")
		tok := remember(srv.TokenFor(userEmail))
		s := ok(c.SessionFromToken(ctx, " "+tok+"\n"))(t)
		remember(s.Token)
		if s.UserID != id || s.Email != userEmail || s.Role != "user" {
			t.Errorf("session = %s", who(s))
		}
		if s.Token != tok && at(p, "0.6.6") {
			t.Errorf("token not kept as is")
		}
		// Before 0.6.37 the permission did not exist: the switch alone decides.
		if want := map[bool]string{true: "false", false: "true"}[at(p, "0.6.37")]; boolp(s.MayUseAPIKeys) != want {
			t.Errorf("MayUseAPIKeys = %s, want %s", boolp(s.MayUseAPIKeys), want)
		}

		_, err := c.SessionFromToken(ctx, "not.a.jwt")
		wantKind(t, err, openwebui.ErrSessionInvalid)

		srv.ResetRequests()
		_, err = c.SessionFromToken(ctx, remember(srv.GiveKey(userEmail)))
		wantKind(t, err, openwebui.ErrSessionInvalid)
		if len(srv.Requests()) != 0 {
			t.Errorf("an sk- key was sent as a session token")
		}
	})
}

func TestSessionFromTokenFreshJWT(t *testing.T) {
	t0 := time.Unix(1_760_000_000, 0)
	now := t0
	clock := func() time.Time { return now }
	for _, tc := range []struct {
		version string
		fresh   bool
	}{{"0.6.5", true}, {"0.6.6", false}, {"0.6.41", false}} {
		t.Run(tc.version, func(t *testing.T) {
			srv, c := fake(t, owuifake.Profile{Version: tc.version, JWTExpiresIn: "1h"}, owuifake.WithClock(clock))
			srv.AddUser(userEmail, password, "user")
			now = t0
			tok := remember(srv.TokenFor(userEmail))
			now = t0.Add(time.Minute) // the fake's clock is only read while handling
			s := ok(c.SessionFromToken(ctx, tok))(t)
			remember(s.Token)
			if got := s.Token != tok; got != tc.fresh {
				t.Errorf("token replaced = %v, want %v", got, tc.fresh)
			}
			want := t0.Add(time.Hour)
			if tc.fresh {
				want = t0.Add(time.Minute + time.Hour)
			}
			if !s.ExpiresAt.Equal(want) {
				t.Errorf("ExpiresAt = %v, want %v", s.ExpiresAt, want)
			}
		})
	}
}

func TestWrongPassword(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		srv.AddUser(userEmail, password, "user")
		_, err := c.SignIn(ctx, userEmail, password+"!")
		e := wantKind(t, err, openwebui.ErrWrongCredentials)
		if e.Status != 400 || e.Detail != owuifake.DetailInvalidCred {
			t.Errorf("status %d detail %q", e.Status, e.Detail)
		}
		_, err = c.SignIn(ctx, "nobody@example.com", password)
		wantKind(t, err, openwebui.ErrWrongCredentials)
	})
}

func TestLDAP(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		_, err := c.SignInLDAP(ctx, "alice", password)
		e := wantKind(t, err, openwebui.ErrLDAPDisabled)
		if e.Detail != owuifake.DetailLDAPNotEnabled {
			t.Errorf("detail %q", e.Detail)
		}
		srv.EnableLDAP("alice", password, userEmail)
		s := ok(c.SignInLDAP(ctx, "alice", password))(t)
		remember(s.Token)
		if s.Email != userEmail || s.Role != "user" {
			t.Errorf("session = %s", who(s))
		}
		_, err = c.SignInLDAP(ctx, "alice", "wrong")
		wantKind(t, err, openwebui.ErrWrongCredentials)
		_, err = c.SignInLDAP(ctx, "bob", password)
		wantKind(t, err, openwebui.ErrWrongCredentials)
	})
}

func TestPasswordAuthDisabled(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		srv.AddUser(userEmail, password, "user")
		srv.DisablePasswordAuth()
		s, err := c.SignIn(ctx, userEmail, password)
		if !at(p, "0.6.37") { // ENABLE_PASSWORD_AUTH does not exist yet
			remember(ok(s, err)(t).Token)
			return
		}
		e := wantKind(t, err, openwebui.ErrPasswordAuthOff)
		if e.Status != 403 {
			t.Errorf("status %d", e.Status)
		}
	})
}

func TestRateLimit(t *testing.T) {
	now := time.Unix(1_760_000_000, 0)
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p, owuifake.WithClock(func() time.Time { return now }))
		srv.AddUser(userEmail, password, "user")
		for i := 1; i <= 15; i++ {
			_, err := c.SignIn(ctx, userEmail, "wrong")
			wantKind(t, err, openwebui.ErrWrongCredentials)
		}
		// The 16th attempt is refused on 0.6.41+, even with the right password.
		s, err := c.SignIn(ctx, userEmail, password)
		if !at(p, "0.6.41") {
			remember(ok(s, err)(t).Token)
			return
		}
		e := wantKind(t, err, openwebui.ErrRateLimited)
		if e.Status != 429 || e.RetryAfter != 4*time.Minute || e.Detail != owuifake.DetailRateLimitExceeded {
			t.Errorf("status %d, RetryAfter %v, detail %q", e.Status, e.RetryAfter, e.Detail)
		}
		srv.ResetRateLimit()
		remember(ok(c.SignIn(ctx, userEmail, password))(t).Token)
	})
}

func TestKeysDisabled(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		srv.AddUser(adminEmail, password, "admin")
		key := remember(srv.GiveKey(adminEmail))
		srv.SetAPIKeysEnabled(false)
		s := ok(c.SignIn(ctx, adminEmail, password))(t)
		remember(s.Token)
		if boolp(s.APIKeysEnabled) != "false" {
			t.Errorf("APIKeysEnabled = %s, want false (read with the session)", boolp(s.APIKeysEnabled))
		}
		_, err := c.CreateKey(ctx, s)
		wantKind(t, err, openwebui.ErrKeysDisabled)

		// GET is gated from 0.10.0: a 403 there is not "no key".
		got, err := c.GetKey(ctx, s)
		if at(p, "0.10.0") {
			e := wantKind(t, err, openwebui.ErrKeysDisabled)
			if e.Status != 403 || e.Detail != owuifake.DetailAPIKeyCreationNotAllowed {
				t.Errorf("status %d detail %q", e.Status, e.Detail)
			}
		} else if ok(got, err)(t) != key {
			t.Errorf("GetKey returned another key")
		}

		v := ok(c.Verify(ctx, key))(t)
		if v.Status != openwebui.StatusDisabled || v.Detail != owuifake.DetailAPIKeyNotAllowed {
			t.Errorf("Verify = %+v, want disabled", v)
		}
		// ≤0.6.36 the switch is checked before the key: an unknown key looks disabled too.
		v = ok(c.Verify(ctx, "sk-00000000000000000000000000000000"))(t)
		if want := map[bool]openwebui.Status{true: openwebui.StatusRejected, false: openwebui.StatusDisabled}[at(p, "0.6.37")]; v.Status != want {
			t.Errorf("unknown key: %s, want %s", v.Status, want)
		}
	})
}

func TestNoPermission(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		srv.SetAPIKeysEnabled(true) // permission stays off
		srv.AddUser(userEmail, password, "user")
		srv.AddUser(adminEmail, password, "admin")
		user := ok(c.SignIn(ctx, userEmail, password))(t)
		admin := ok(c.SignIn(ctx, adminEmail, password))(t)
		remember(user.Token)
		remember(admin.Token)

		if !at(p, "0.6.37") { // no per-user permission yet
			if boolp(user.MayUseAPIKeys) != "true" {
				t.Errorf("MayUseAPIKeys = %s", boolp(user.MayUseAPIKeys))
			}
			remember(ok(c.CreateKey(ctx, user))(t))
			return
		}
		if boolp(user.MayUseAPIKeys) != "false" {
			t.Errorf("user MayUseAPIKeys = %s", boolp(user.MayUseAPIKeys))
		}
		_, err := c.CreateKey(ctx, user)
		wantKind(t, err, openwebui.ErrNoKeyPermission)
		_, err = c.GetKey(ctx, user)
		if at(p, "0.10.0") {
			wantKind(t, err, openwebui.ErrNoKeyPermission)
		} else {
			wantKind(t, err, openwebui.ErrNoKey)
		}
		if v := ok(c.Verify(ctx, remember(srv.GiveKey(userEmail))))(t); v.Status != openwebui.StatusDisabled {
			t.Errorf("Verify = %+v, want disabled", v)
		}

		// Admins needed the permission 0.6.37–0.8.10; 0.8.11+ bypass it.
		if !at(p, "0.8.11") {
			if boolp(admin.MayUseAPIKeys) != "false" {
				t.Errorf("admin MayUseAPIKeys = %s", boolp(admin.MayUseAPIKeys))
			}
			_, err := c.CreateKey(ctx, admin)
			wantKind(t, err, openwebui.ErrNoKeyPermission)
			return
		}
		if boolp(admin.MayUseAPIKeys) != "true" {
			t.Errorf("admin MayUseAPIKeys = %s", boolp(admin.MayUseAPIKeys))
		}
		key := remember(ok(c.CreateKey(ctx, admin))(t))
		if v := ok(c.Verify(ctx, key))(t); v.Status != openwebui.StatusValid || v.Email != adminEmail {
			t.Errorf("admin key: %+v", v)
		}
	})
}

func TestRestricted(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		keysOpen(srv)
		srv.AddUser(userEmail, password, "user")
		key := remember(srv.GiveKey(userEmail))
		srv.SetRestrictions(true, []string{"/api/chat/completions"})
		v := ok(c.Verify(ctx, key))(t)
		if !at(p, "0.6.1") { // 0.5.x: /api/models is always open to keys
			if v.Status != openwebui.StatusValid {
				t.Errorf("Verify = %+v, want valid", v)
			}
			return
		}
		want := map[bool]string{true: owuifake.DetailAccessProhibited, false: owuifake.DetailAPIKeyNotAllowed}[at(p, "0.9.0")]
		if at(p, "0.6.37") && !at(p, "0.9.0") {
			want = owuifake.DetailEndpointNotAllowed
		}
		if v.Status != openwebui.StatusRestricted || v.Detail != want {
			t.Errorf("Verify = %+v, want restricted with %q", v, want)
		}
		// With the session endpoint allowed, the fallback proves the key works.
		// (Not before 0.6.7, where that endpoint would mint a JWT from the key.)
		srv.SetRestrictions(true, []string{"/api/chat/completions", "/api/v1/auths"})
		v = ok(c.Verify(ctx, key))(t)
		if !at(p, "0.6.7") {
			if v.Status != openwebui.StatusRestricted {
				t.Errorf("Verify = %+v, want restricted", v)
			}
		} else if v.Status != openwebui.StatusValid || v.Email != userEmail {
			t.Errorf("Verify via /api/v1/auths/ = %+v, want valid with owner", v)
		}
	})
}

func TestPendingUser(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		keysOpen(srv)
		srv.AddUser(userEmail, password, "pending")
		s := ok(c.SignIn(ctx, userEmail, password))(t)
		remember(s.Token)
		if s.Role != "pending" || boolp(s.MayUseAPIKeys) != "false" {
			t.Errorf("session = %s, MayUseAPIKeys %s", who(s), boolp(s.MayUseAPIKeys))
		}
		v := ok(c.Verify(ctx, remember(srv.GiveKey(userEmail))))(t)
		if v.Status != openwebui.StatusDisabled || v.Detail != owuifake.DetailAccessProhibited {
			t.Errorf("Verify = %+v, want disabled (pending)", v)
		}
	})
}

func TestRotateSecret(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		keysOpen(srv)
		srv.AddUser(userEmail, password, "user")
		s := ok(c.SignIn(ctx, userEmail, password))(t)
		remember(s.Token)
		key := remember(ok(c.CreateKey(ctx, s))(t))
		srv.RotateSecret()
		_, err := c.GetKey(ctx, s)
		e := wantKind(t, err, openwebui.ErrSessionInvalid)
		if e.Status != 401 || e.Detail != owuifake.DetailUnauthorized {
			t.Errorf("status %d detail %q", e.Status, e.Detail)
		}
		_, err = c.SessionFromToken(ctx, s.Token)
		wantKind(t, err, openwebui.ErrSessionInvalid)
		if v := ok(c.Verify(ctx, key))(t); v.Status != openwebui.StatusValid {
			t.Errorf("key after secret rotation: %+v", v)
		}
	})
}

func TestGetKeyUnreadable(t *testing.T) {
	srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
	keysOpen(srv)
	srv.AddUser(userEmail, password, "user")
	s := ok(c.SignIn(ctx, userEmail, password))(t)
	remember(s.Token)
	srv.SetServerKeyUnreadable(true)
	_, err := c.GetKey(ctx, s)
	wantKind(t, err, openwebui.ErrNoKey) // none yet: still 404
	key := remember(ok(c.CreateKey(ctx, s))(t))
	if key != srv.KeyOf(userEmail) {
		t.Fatal("CreateKey must still return the new key once")
	}
	_, err = c.GetKey(ctx, s)
	wantKind(t, err, openwebui.ErrKeyUnreadable)
}

func TestSignOut(t *testing.T) {
	t.Run("redis revokes", func(t *testing.T) {
		srv, c := fake(t, owuifake.Profile{Version: "0.6.41"}, owuifake.WithRedis())
		srv.AddUser(userEmail, password, "user")
		s := ok(c.SignIn(ctx, userEmail, password))(t)
		remember(s.Token)
		if err := c.SignOut(ctx, s); err != nil {
			t.Fatal(err)
		}
		_, err := c.SessionFromToken(ctx, s.Token)
		e := wantKind(t, err, openwebui.ErrSessionInvalid)
		if e.Detail != owuifake.DetailRevokedToken {
			t.Errorf("detail %q", e.Detail)
		}
	})
	t.Run("version unknown falls back on 405", func(t *testing.T) {
		srv, c := fake(t, owuifake.Profile{Version: "0.6.41"})
		srv.AddUser(userEmail, password, "user")
		s := ok(c.SessionFromToken(ctx, remember(srv.TokenFor(userEmail))))(t)
		remember(s.Token)
		srv.SetFault(owuifake.Fault500, "/api/version")
		fresh := ok(openwebui.New(c.URL(), openwebui.Options{}))(t) // has never learnt the version
		srv.ResetRequests()
		if err := fresh.SignOut(ctx, s); err != nil {
			t.Fatal(err)
		}
		if srv.Calls(http.MethodPost, "/api/v1/auths/signout") != 1 || srv.Calls(http.MethodGet, "/api/v1/auths/signout") != 1 {
			t.Errorf("requests = %+v, want POST (405) then GET", srv.Requests())
		}
	})
	t.Run("web page is not success", func(t *testing.T) {
		srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
		srv.AddUser(userEmail, password, "user")
		s := ok(c.SignIn(ctx, userEmail, password))(t)
		remember(s.Token)
		srv.SetFault(owuifake.FaultHTMLEverywhere, "/api/v1/auths/signout")
		wantKind(t, c.SignOut(ctx, s), openwebui.ErrUnexpectedResponse)
	})
	t.Run("never with a key", func(t *testing.T) {
		srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
		srv.AddUser(userEmail, password, "user")
		err := c.SignOut(ctx, openwebui.Bearer(remember(srv.GiveKey(userEmail))))
		wantKind(t, err, openwebui.ErrSessionInvalid)
		if len(srv.Requests()) != 0 {
			t.Errorf("a signout was sent with an sk- key")
		}
	})
}

// 0.6.6 answers an sk- key on GET /api/v1/auths/ with a 500: never ask it.
func TestVerifyNeverAsksOwnerOn066(t *testing.T) {
	srv, c := fake(t, owuifake.Profile{Version: "0.6.6"})
	srv.AddUser(userEmail, password, "user")
	v := ok(c.Verify(ctx, remember(srv.GiveKey(userEmail))))(t)
	if v.Status != openwebui.StatusValid || v.Email != "" {
		t.Errorf("Verify = %+v", v)
	}
	if n := srv.Calls(http.MethodGet, "/api/v1/auths/"); n != 0 {
		t.Errorf("GET /api/v1/auths/ called %d times on 0.6.6", n)
	}
}

func TestBearerKeyRejected(t *testing.T) {
	srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
	keysOpen(srv)
	srv.AddUser(userEmail, password, "user")
	_, err := c.CreateKey(ctx, openwebui.Bearer("sk-0123456789abcdef0123456789abcdef"))
	wantKind(t, err, openwebui.ErrKeyRejected)
	_, err = c.Verify(ctx, remember(srv.TokenFor(userEmail)))
	wantKind(t, err, openwebui.ErrKeyRejected)
}

// WEBUI_AUTH=False: the probe says so, and SignInOpen is the server's one
// account; a server that kept accounts from before refuses in words of its own.
func TestSignInWithAuthTurnedOff(t *testing.T) {
	eachProfile(t, func(t *testing.T, p owuifake.Profile) {
		srv, c := fake(t, p)
		srv.DisableAuth()
		info := ok(c.Probe(ctx))(t)
		if info.Auth {
			t.Errorf("Auth = true on a server with sign-in turned off")
		}
		s := ok(c.SignInOpen(ctx))(t)
		remember(s.Token)
		if s.Email != owuifake.NoAuthEmail || s.Role != "admin" {
			t.Errorf("session = %s", who(s))
		}
		for _, r := range srv.Requests() {
			if r.Password {
				t.Errorf("SignInOpen sent a password to %s", r.Path)
			}
		}

		kept, c2 := fake(t, p)
		kept.AddUser(userEmail, password, "user")
		kept.DisableAuth()
		_, err := c2.SignInOpen(ctx)
		wantKind(t, err, openwebui.ErrAuthOffWithUsers)
		_, err = c2.SignIn(ctx, userEmail, password)
		wantKind(t, err, openwebui.ErrAuthOffWithUsers)

		// Sign-in is on after all: SignInOpen is refused as a wrong sign-in.
		on, c3 := fake(t, p)
		on.AddUser(userEmail, password, "user")
		_, err = c3.SignInOpen(ctx)
		wantKind(t, err, openwebui.ErrWrongCredentials)
	})
}

// Behind an SSO proxy that sets a trusted header, a sign-in from Keytray
// (which has no such header) is refused: the session token is the way in.
func TestSignInBehindATrustedHeader(t *testing.T) {
	srv, c := fake(t, owuifake.Profile{Version: "0.11.0"})
	srv.AddUser(userEmail, password, "user")
	srv.SetTrustedEmailHeader("X-Forwarded-Email")
	info := ok(c.Probe(ctx))(t)
	if !info.TrustedHeader {
		t.Errorf("TrustedHeader = false")
	}
	_, err := c.SignIn(ctx, userEmail, password)
	wantKind(t, err, openwebui.ErrPasswordAuthOff)
}
