package owuifake

import (
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1, cut to 6 digits.
func TestTOTPMatchesRFC6238(t *testing.T) {
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		if got := TOTP(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP(%d) = %s, want %s", unix, got, want)
		}
	}
}

func TestForkVersionParses(t *testing.T) {
	v, ok := parseVersion("0.12.4.12")
	if !ok || v != (version{0, 12, 4}) {
		t.Errorf("parseVersion = %v %v", v, ok)
	}
}
