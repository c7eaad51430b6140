package openwebui

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

func badURL(reason string) error {
	return &Error{Kind: ErrBadURL, Op: "reading the server address", Detail: reason}
}

// NormalizeURL turns "host", "host:port", "http(s)://host[:port][/prefix]" with or
// without a trailing "/" or "/api" into the canonical base URL
// "scheme://host[:port][/prefix]" (no trailing slash). No scheme means https,
// except for loopback hosts, which get http.
//
// The scheme and host are lower-cased, a default port (80 for http, 443 for
// https) is dropped, and trailing "/" and "/api" segments are stripped
// repeatedly, so NormalizeURL(NormalizeURL(x)) == NormalizeURL(x). Refused
// with ErrBadURL (the Error's Detail says why): an empty address, a scheme
// other than http or https, a user name or password, a query or fragment,
// white space, a malformed host or port, unusual characters or "." / ".."
// segments in the path.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return "", badURL("the address is empty")
	case strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", badURL("the address contains spaces or control characters")
	case strings.ContainsAny(raw, "?#"):
		return "", badURL("the address has a query or fragment (?…/#…); give only the server's address")
	}
	scheme, rest, hasScheme := strings.Cut(raw, "://")
	if hasScheme {
		scheme = strings.ToLower(scheme)
		if scheme != "http" && scheme != "https" {
			return "", badURL("only http:// and https:// addresses are supported")
		}
	} else {
		scheme, rest = "", raw
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if strings.Contains(authority, "@") {
		return "", badURL("the address contains a user name or password; sign in separately")
	}
	host, port, err := splitHostPort(authority)
	if err != nil {
		return "", err
	}
	if scheme == "" {
		scheme = "https"
		if isLoopbackHost(host) {
			scheme = "http"
		}
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	path, err = cleanPath(path)
	if err != nil {
		return "", err
	}
	hostport := host
	if strings.Contains(host, ":") {
		hostport = "[" + host + "]"
	}
	if port != "" {
		hostport += ":" + port
	}
	return scheme + "://" + hostport + path, nil
}

// splitHostPort checks and splits "host", "host:port", "[v6]", "[v6]:port"
// or a bare IPv6 literal; the host comes back lower-case, without brackets.
func splitHostPort(a string) (host, port string, err error) {
	if a == "" {
		return "", "", badURL("the address has no host name")
	}
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 {
			return "", "", badURL("unclosed [ in an IPv6 address")
		}
		host, after := a[1:end], a[end+1:]
		if !isIPv6(host) {
			return "", "", badURL("not an IPv6 address inside [ ]")
		}
		if after != "" {
			if !strings.HasPrefix(after, ":") {
				return "", "", badURL("unexpected text after the IPv6 address")
			}
			if port, err = checkPort(after[1:]); err != nil {
				return "", "", err
			}
		}
		return canonicalIP(host), port, nil
	}
	if strings.Count(a, ":") > 1 { // a bare IPv6 literal, no port possible
		if !isIPv6(a) {
			return "", "", badURL("malformed host (an IPv6 address needs [ ] around it when a port follows)")
		}
		return canonicalIP(a), "", nil
	}
	host, p, hasPort := strings.Cut(a, ":")
	if hasPort {
		if port, err = checkPort(p); err != nil {
			return "", "", err
		}
	}
	host = strings.ToLower(host)
	if !validHostName(host) {
		return "", "", badURL("malformed host name (use letters, digits, '-' and '.'; IDN names in their xn-- form)")
	}
	return host, port, nil
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

func canonicalIP(s string) string { return netip.MustParseAddr(s).String() }

func checkPort(p string) (string, error) {
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 || p[0] == '0' || p[0] == '+' {
		return "", badURL("the port must be a number from 1 to 65535")
	}
	return p, nil
}

func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// cleanPath strips trailing "/" and "/api" segments and checks what remains.
func cleanPath(p string) (string, error) {
	for {
		switch {
		case strings.HasSuffix(p, "/"):
			p = p[:len(p)-1]
		case strings.HasSuffix(p, "/api"):
			p = p[:len(p)-4]
		default:
			if p == "" {
				return "", nil
			}
			for _, seg := range strings.Split(p[1:], "/") {
				if seg == "" || seg == "." || seg == ".." {
					return "", badURL("the path has empty, \".\" or \"..\" segments")
				}
				for _, r := range seg {
					if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
						return "", badURL("the path has characters other than letters, digits and - . _ ~")
					}
				}
			}
			return p, nil
		}
	}
}

// Host is the URL's host name without port, for default entry names.
func Host(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		if n, nerr := NormalizeURL(baseURL); nerr == nil {
			u, _ = url.Parse(n)
		}
	}
	if u == nil {
		return ""
	}
	return u.Hostname()
}

// IsLoopback reports whether the base URL's host is localhost or a loopback address.
func IsLoopback(baseURL string) bool { return isLoopbackHost(Host(baseURL)) }

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
