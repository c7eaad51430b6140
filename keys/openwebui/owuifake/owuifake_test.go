package owuifake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type answer struct {
	status int
	ctype  string
	body   string
}

func do(t *testing.T, s *Server, method, path, auth, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}
}

func detailOf(a answer) string {
	var v struct{ Detail string }
	json.Unmarshal([]byte(a.body), &v)
	return v.Detail
}

func start(t *testing.T, version string) *Server {
	s := New(Profile{Version: version})
	t.Cleanup(s.Close)
	return s
}

func TestWebAppAndMethods(t *testing.T) {
	s := start(t, "0.11.0")
	for _, path := range []string{"/", "/api/v1/auths", "/api/v1/auths/signout", "/api/nothing"} {
		if a := do(t, s, "GET", path, "", ""); a.status != 200 || !strings.HasPrefix(a.ctype, "text/html") {
			t.Errorf("GET %s = %d %s", path, a.status, a.ctype)
		}
	}
	if a := do(t, s, "POST", "/api/nothing", "", ""); a.status != 405 {
		t.Errorf("POST unmatched = %d", a.status)
	}
	if a := do(t, s, "POST", "/api/v1/auths/signout", "", ""); a.status != 200 || a.body != "{\"status\":true}\n" {
		t.Errorf("POST signout = %d %q", a.status, a.body)
	}
	old := start(t, "0.9.2")
	if a := do(t, old, "POST", "/api/v1/auths/signout", "", ""); a.status != 405 {
		t.Errorf("POST signout on 0.9.2 = %d", a.status)
	}
	if a := do(t, old, "GET", "/api/v1/auths/signout", "", ""); a.status != 200 || !strings.HasPrefix(a.ctype, "application/json") {
		t.Errorf("GET signout on 0.9.2 = %d %s", a.status, a.ctype)
	}
}

func TestNoCredential(t *testing.T) {
	for v, want := range map[string]int{"0.5.20": 403, "0.6.18": 403, "0.6.19": 401, "0.11.0": 401} {
		a := do(t, start(t, v), "GET", "/api/models", "", "")
		if a.status != want || detailOf(a) != DetailNotAuthenticated {
			t.Errorf("%s: %d %q, want %d", v, a.status, detailOf(a), want)
		}
	}
}

func TestVersionAndConfig(t *testing.T) {
	for v, deployment := range map[string]bool{"0.6.36": false, "0.6.37": true} {
		a := do(t, start(t, v), "GET", "/api/version", "", "")
		if strings.Contains(a.body, "deployment_id") != deployment {
			t.Errorf("%s: %s", v, a.body)
		}
	}
	for _, tc := range []struct {
		version, anon, signedIn string
	}{
		{"0.6.5", `"enable_api_key":true`, `"enable_api_key":true`},
		{"0.6.37", `"enable_api_keys":false`, `"enable_api_keys":false`},
		{"0.9.6", ``, `"enable_api_keys":false`},
	} {
		s := start(t, tc.version)
		s.AddUser("a@x", "pw", "user")
		tok := s.TokenFor("a@x")
		anon := do(t, s, "GET", "/api/config", "", "").body
		signed := do(t, s, "GET", "/api/config", "Bearer "+tok, "").body
		if tc.anon == "" && strings.Contains(anon, "enable_api_key") || tc.anon != "" && !strings.Contains(anon, tc.anon) {
			t.Errorf("%s anonymous: %s", tc.version, anon)
		}
		if !strings.Contains(signed, tc.signedIn) {
			t.Errorf("%s signed in: %s", tc.version, signed)
		}
		// Before 0.6.27 the header is ignored: the anonymous view comes back.
		if got := strings.Contains(signed, `"permissions"`); got != (tc.version != "0.6.5") {
			t.Errorf("%s: signed-in view = %v", tc.version, got)
		}
	}
}

func TestJWTClaims(t *testing.T) {
	for _, tc := range []struct {
		p    Profile
		want string
	}{
		{Profile{Version: "0.6.33"}, "id"},
		{Profile{Version: "0.6.34"}, "exp id"},
		{Profile{Version: "0.6.37", JWTExpiresIn: "-1"}, "id jti"},
		{Profile{Version: "0.9.0", JWTExpiresIn: "1h30m"}, "exp iat id jti"},
	} {
		s := New(tc.p)
		s.AddUser("a@x", "pw", "user")
		tok := s.TokenFor("a@x")
		s.Close()
		parts := strings.Split(tok, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var claims map[string]any
		json.Unmarshal(payload, &claims)
		var names []string
		for k := range claims {
			names = append(names, k)
		}
		slices.Sort(names)
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%+v: claims %s, want %s", tc.p, got, tc.want)
		}
	}
}

func TestKeyChecksByVersion(t *testing.T) {
	unknown := "Bearer sk-00000000000000000000000000000000"
	// ≤0.6.36: the switch masks an unknown key; 0.6.37+: unknown is 401 first.
	s := start(t, "0.6.36")
	s.SetAPIKeysEnabled(false)
	if a := do(t, s, "GET", "/api/models", unknown, ""); a.status != 403 || detailOf(a) != DetailAPIKeyNotAllowed {
		t.Errorf("0.6.36: %d %q", a.status, detailOf(a))
	}
	s = start(t, "0.6.41")
	if a := do(t, s, "GET", "/api/models", unknown, ""); a.status != 401 || detailOf(a) != DetailInvalidToken {
		t.Errorf("0.6.41: %d %q", a.status, detailOf(a))
	}
	// 0.6.37–0.8.x: a malformed header is a plain-text 500 everywhere; 0.9.0+ not.
	if a := do(t, s, "GET", "/api/version", "Bearer  x", ""); a.status != 500 || !strings.HasPrefix(a.ctype, "text/plain") {
		t.Errorf("malformed header on 0.6.41: %d %s", a.status, a.ctype)
	}
	if a := do(t, start(t, "0.9.0"), "GET", "/api/version", "Bearer  x", ""); a.status != 200 {
		t.Errorf("malformed header on 0.9.0: %d", a.status)
	}
	// 0.6.37–0.8.x middleware blocks keys even on open routes when restricted.
	s.SetRestrictions(true, []string{"/api/models"})
	if a := do(t, s, "GET", "/api/config", unknown, ""); a.status != 403 || detailOf(a) != DetailEndpointNotAllowed {
		t.Errorf("restricted /api/config: %d %q", a.status, detailOf(a))
	}
	// 0.6.6 crashes on a key at GET /api/v1/auths/.
	s = start(t, "0.6.6")
	s.AddUser("a@x", "pw", "user")
	if a := do(t, s, "GET", "/api/v1/auths/", "Bearer "+s.GiveKey("a@x"), ""); a.status != 500 {
		t.Errorf("0.6.6 with a key: %d", a.status)
	}
}

func TestKeyEndpointsAndRecording(t *testing.T) {
	s := start(t, "0.11.0")
	s.SetAPIKeysEnabled(true)
	s.AddUser("a@x", "pw", "admin")
	a := do(t, s, "POST", "/api/v1/auths/signin", "", `{"email":"A@X","password":"pw"}`)
	var in struct{ Token string }
	json.Unmarshal([]byte(a.body), &in)
	auth := "Bearer " + in.Token
	if a := do(t, s, "POST", "/api/v1/auths/api_key", auth, ""); a.status != 200 || !strings.Contains(a.body, s.KeyOf("a@x")) {
		t.Errorf("create: %d", a.status)
	}
	if a := do(t, s, "DELETE", "/api/v1/auths/api_key", auth, ""); a.status != 200 || a.body != "true\n" {
		t.Errorf("delete: %d %q", a.status, a.body)
	}
	if a := do(t, s, "GET", "/api/v1/auths/api_key", auth, ""); a.status != 404 || detailOf(a) != DetailAPIKeyNotFound {
		t.Errorf("get after delete: %d", a.status)
	}
	reqs := s.Requests()
	if len(reqs) != 4 || !reqs[0].Password || reqs[0].Auth != CredNone || reqs[1].Auth != CredJWT || reqs[1].Password {
		t.Errorf("recorded %+v", reqs)
	}
	// 0.9.0+: x-api-key on any route.
	key := s.GiveKey("a@x")
	req, _ := http.NewRequest("GET", s.URL()+"/api/models", nil)
	req.Header.Set("X-Api-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("x-api-key: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestSignInWithAuthTurnedOff(t *testing.T) {
	s := start(t, "0.6.41")
	s.DisableAuth()
	if a := do(t, s, "GET", "/api/config", "", ""); !strings.Contains(a.body, `"auth":false`) {
		t.Errorf("config: %s", a.body)
	}
	// Whatever the body says, the one account, made at the first sign-in.
	for _, body := range []string{`{"email":"","password":""}`, `{"email":"x@y","password":"anything"}`} {
		a := do(t, s, "POST", "/api/v1/auths/signin", "", body)
		var in struct{ Email, Role string }
		json.Unmarshal([]byte(a.body), &in)
		if a.status != 200 || in.Email != NoAuthEmail || in.Role != "admin" {
			t.Errorf("sign-in with %s: %d %+v", body, a.status, in)
		}
	}
	// Accounts made before auth was turned off: Open WebUI refuses.
	other := start(t, "0.6.41")
	other.AddUser("a@x", "pw", "admin")
	other.DisableAuth()
	if a := do(t, other, "POST", "/api/v1/auths/signin", "", `{"email":"a@x","password":"pw"}`); a.status != 400 || detailOf(a) != DetailExistingUsers {
		t.Errorf("with existing users: %d %q", a.status, detailOf(a))
	}
}

func TestSignInBehindATrustedHeader(t *testing.T) {
	s := start(t, "0.11.0")
	s.SetTrustedEmailHeader("X-Forwarded-Email")
	if a := do(t, s, "GET", "/api/config", "", ""); !strings.Contains(a.body, `"auth_trusted_header":true`) {
		t.Errorf("config: %s", a.body)
	}
	if a := do(t, s, "POST", "/api/v1/auths/signin", "", `{"email":"a@x","password":"pw"}`); a.status != 400 || detailOf(a) != DetailInvalidTrustedHeader {
		t.Errorf("without the header: %d %q", a.status, detailOf(a))
	}
	for i, want := range []string{"admin", "pending"} {
		email := []string{"First@Example.com", "second@example.com"}[i]
		req, _ := http.NewRequest("POST", s.URL()+"/api/v1/auths/signin", strings.NewReader(`{"email":"","password":""}`))
		req.Header.Set("X-Forwarded-Email", email)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var in struct{ Email, Role string }
		json.NewDecoder(resp.Body).Decode(&in)
		resp.Body.Close()
		if resp.StatusCode != 200 || in.Email != strings.ToLower(email) || in.Role != want {
			t.Errorf("with the header %s: %d %+v, want role %s", email, resp.StatusCode, in, want)
		}
	}
}
