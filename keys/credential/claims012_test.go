package credential

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

func jwtWith(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	b, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(b) + "." + enc.EncodeToString([]byte("sig-not-checked"))
}

// Open WebUI 0.12 session claims (openwebui-api.md §9.4).
func TestClaimsOf012(t *testing.T) {
	r := Classify(jwtWith(map[string]any{"id": "u1", "typ": "session", "auth_method": "ldap", "auth_time": 1790000000,
		"session_stamp": "s", "mfa_verified": true, "jti": "j", "iat": 1790000000}))
	j := r.JWT
	if r.Kind != SessionJWT || j.Type != "session" || j.AuthMethod != "ldap" || j.MFAVerified == nil || !*j.MFAVerified ||
		!j.AuthTime.Equal(time.Unix(1790000000, 0)) || j.Internal() {
		t.Fatalf("%+v", j)
	}
	r = Classify(jwtWith(map[string]any{"id": "u1", "typ": "automation"}))
	if !r.JWT.Internal() || r.JWT.MFAVerified != nil {
		t.Errorf("automation token: %+v", r.JWT)
	}
	r = Classify(jwtWith(map[string]any{"id": "u1", "typ": "<script>", "auth_method": 7}))
	if r.JWT.Type != "" || r.JWT.AuthMethod != "" || r.JWT.Internal() {
		t.Errorf("odd claims read: %+v", r.JWT)
	}
	if (*JWTInfo)(nil).Internal() {
		t.Error("nil is internal")
	}
}
