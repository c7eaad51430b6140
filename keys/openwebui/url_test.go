package openwebui

import (
	"errors"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"chat.example.com", "https://chat.example.com"},
		{"  Chat.Example.COM/\n", "https://chat.example.com"},
		{"chat.example.com:8443", "https://chat.example.com:8443"},
		{"chat.example.com:443", "https://chat.example.com"},
		{"http://chat.example.com:80/", "http://chat.example.com"},
		{"HTTPS://chat.example.com/api", "https://chat.example.com"},
		{"https://chat.example.com/api/", "https://chat.example.com"},
		{"https://chat.example.com/owui/api/", "https://chat.example.com/owui"},
		{"https://chat.example.com/a/b/", "https://chat.example.com/a/b"},
		{"https://chat.example.com/api/api//", "https://chat.example.com"},
		{"https://chat.example.com/apis", "https://chat.example.com/apis"},
		{"localhost", "http://localhost"},
		{"localhost:3000", "http://localhost:3000"},
		{"LOCALHOST:3000/api", "http://localhost:3000"},
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"127.1.2.3", "http://127.1.2.3"},
		{"https://localhost:3000", "https://localhost:3000"},
		{"10.0.0.5:3000", "https://10.0.0.5:3000"},
		{"[::1]:3000", "http://[::1]:3000"},
		{"::1", "http://[::1]"},
		{"[0:0:0:0:0:0:0:1]", "http://[::1]"},
		{"https://[2001:DB8::1]:8443/api", "https://[2001:db8::1]:8443"},
		{"2001:db8::1", "https://[2001:db8::1]"},
		{"my_host.lan", "https://my_host.lan"},
	} {
		got, err := NormalizeURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNormalizeURLRejects(t *testing.T) {
	for _, in := range []string{
		"", "   ", "ftp://chat.example.com", "file:///etc/passwd", "javascript:alert(1)",
		"https://user:pw@chat.example.com", "user@chat.example.com", "https://chat.example.com/?a=1",
		"https://chat.example.com/#x", "chat example.com", "https://chat.example.com/a b",
		"https://", "http:///path", ":3000", "chat.example.com:0", "chat.example.com:65536",
		"chat.example.com:http", "chat.example.com:", "[::1", "[zz::1]:80", "[fe80::1%25eth0]",
		"1::2::3", "-bad.example.com", "bad..example.com", "exa%mple.com", "https://chat.example.com/a/../b",
		"https://chat.example.com//x", "https://chat.example.com/a%20b", "bücher.example", "chat.example.com\x00",
	} {
		got, err := NormalizeURL(in)
		var e *Error
		if !errors.Is(err, ErrBadURL) || !errors.As(err, &e) || e.Detail == "" {
			t.Errorf("NormalizeURL(%q) = %q, %v; want ErrBadURL with a reason", in, got, err)
		}
	}
}

func TestHostAndLoopback(t *testing.T) {
	for _, tc := range []struct {
		in, host string
		loop     bool
	}{
		{"https://chat.example.com:8443/owui", "chat.example.com", false},
		{"http://localhost:3000", "localhost", true},
		{"localhost:3000", "localhost", true},
		{"http://[::1]:3000", "::1", true},
		{"http://127.0.0.2", "127.0.0.2", true},
		{"http://128.0.0.1", "128.0.0.1", false},
		{"http://localhost.example.com", "localhost.example.com", false},
	} {
		if got := Host(tc.in); got != tc.host {
			t.Errorf("Host(%q) = %q, want %q", tc.in, got, tc.host)
		}
		if got := IsLoopback(tc.in); got != tc.loop {
			t.Errorf("IsLoopback(%q) = %v", tc.in, got)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"chat.example.com", "localhost:3000/api/", "http://[::1]:8080/x/api",
		"https://a.b/c/api/api/", "::1", "[::ffff:127.0.0.1]", "HTTP://X:80", "a:b:c", "x/%41", "h:08080"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeURL(in)
		if err != nil {
			if !errors.Is(err, ErrBadURL) {
				t.Fatalf("error of kind other than ErrBadURL: %v", err)
			}
			return
		}
		again, err := NormalizeURL(out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
		if Host(out) == "" {
			t.Fatalf("no host in %q", out)
		}
	})
}
