package openwebui_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

const (
	adminEmail = "admin@example.com"
	userEmail  = "alice@example.com"
	password   = "correct horse battery staple"
)

// secretsSeen holds every password, token and key the tests handled; every
// error checked by wantKind is checked against all of them.
var secretsSeen sync.Map

func init() { secretsSeen.Store(password, true) }

// remember registers a secret and returns it.
func remember(s string) string {
	if s != "" {
		secretsSeen.Store(s, true)
	}
	return s
}

// wantKind asserts err is an *openwebui.Error of the given kind whose text
// contains no secret and starts in lower case.
func wantKind(t *testing.T, err, kind error) *openwebui.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", kind)
	}
	var e *openwebui.Error
	if !errors.As(err, &e) {
		t.Fatalf("error is %T, want *openwebui.Error", err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error kind = %q (HTTP %d), want %q", e.Kind, e.Status, kind)
	}
	msg := err.Error()
	secretsSeen.Range(func(k, _ any) bool {
		if strings.Contains(msg, k.(string)) {
			t.Errorf("error text for kind %q contains a secret", kind)
		}
		return true
	})
	if first := msg[:1]; first != strings.ToLower(first) {
		t.Errorf("error text does not start in lower case (kind %q)", kind)
	}
	return e
}

// ok(f())(t) fails the test when f returned an error, else gives f's value.
func ok[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// fake starts a fake server and a client for it.
func fake(t *testing.T, p owuifake.Profile, opts ...owuifake.Option) (*owuifake.Server, *openwebui.Client) {
	t.Helper()
	srv := owuifake.New(p, opts...)
	t.Cleanup(srv.Close)
	c, err := openwebui.New(srv.URL(), openwebui.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// eachProfile runs f for every profile of the fake.
func eachProfile(t *testing.T, f func(t *testing.T, p owuifake.Profile)) {
	for _, p := range owuifake.Profiles() {
		t.Run(p.Version, func(t *testing.T) {
			t.Parallel()
			f(t, p)
		})
	}
}

func at(p owuifake.Profile, v string) bool { return openwebui.VersionAtLeast(p.Version, v) }

// keysOpen makes every account able to use keys.
func keysOpen(srv *owuifake.Server) {
	srv.SetAPIKeysEnabled(true)
	srv.SetPermission(true)
}

func boolp(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}

// who describes a session for test messages without its token.
func who(s *openwebui.Session) string {
	return "id=" + s.UserID + " email=" + s.Email + " role=" + s.Role + " expires=" + s.ExpiresAt.String()
}
