package openwebui

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	defaultTimeout = 20 * time.Second
	defaultMaxBody = 4 << 20
	// defaultRetryAfter: the sign-in limiter counts 15 attempts over the
	// current minute and the 3 before it, so waiting 4 minutes always clears it.
	defaultRetryAfter = 4 * time.Minute
	maxDetail         = 300 // runes of server text kept in an Error
)

// newHTTPClient builds the transport: system roots plus the optional CA file,
// and no redirects followed (a 30x comes back as the answer).
func newHTTPClient(opts Options) (*http.Client, error) {
	rt := opts.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		if opts.CAFile != "" {
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			pemBytes, err := os.ReadFile(opts.CAFile)
			if err != nil {
				return nil, &Error{Kind: ErrCAFileUnreadable, Op: "reading the CA file", Detail: opts.CAFile, Err: err}
			}
			if !pool.AppendCertsFromPEM(pemBytes) {
				return nil, &Error{Kind: ErrCAFileNoPEM, Op: "reading the CA file", Detail: opts.CAFile}
			}
			t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		rt = t
	}
	return &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// request is one API call.
type request struct {
	op     string
	method string
	path   string
	token  string // sent as "Authorization: Bearer <token>"; "" = none
	body   any    // JSON-encoded when non-nil
	// secrets are redacted from anything the server says back (a password
	// in the body; the token is added automatically).
	secrets []string
}

func (q request) credentialed() bool { return q.token != "" || len(q.secrets) > 0 }

// reply is a complete answer (the body is already read and capped).
type reply struct {
	status int
	header http.Header
	body   []byte
	ctype  string // media type, lower-case, no parameters
}

func (r *reply) isJSON() bool {
	return r.ctype == "application/json" || strings.HasSuffix(r.ctype, "+json")
}

func (r *reply) isHTML() bool { return r.ctype == "text/html" || r.ctype == "application/xhtml+xml" }

func (r *reply) ok() bool { return r.status == http.StatusOK && r.isJSON() }

// detail is the server's own words: FastAPI's "detail" for JSON, the first
// line of a plain-text body, the <title> of a web page.
func (r *reply) detail() string {
	switch {
	case r.isJSON():
		return parseDetail(r.body)
	case r.isHTML():
		return htmlTitle(r.body)
	case r.ctype == "text/plain" || r.ctype == "":
		line, _, _ := bytes.Cut(r.body, []byte("\n"))
		return clip(string(line))
	}
	return ""
}

// requireSecure refuses to send a secret over plain http to a host that is
// not loopback, unless the caller allowed it.
func (c *Client) requireSecure(op string) error {
	if strings.HasPrefix(c.base, "http://") && !c.allowHTTP && !IsLoopback(c.base) {
		return &Error{Kind: ErrInsecureHTTP, Op: op, URL: c.base}
	}
	return nil
}

// send makes one request and reads the whole (capped) answer. Errors are
// transport failures only; any HTTP status comes back as a reply.
func (c *Client) send(ctx context.Context, q request) (*reply, error) {
	if q.credentialed() {
		if err := c.requireSecure(q.op); err != nil {
			return nil, err
		}
	}
	if q.token != "" && strings.ContainsFunc(q.token, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		// A malformed Authorization header makes some versions answer 500 (spec §10).
		return nil, &Error{Kind: ErrSessionInvalid, Op: q.op, URL: c.base, Detail: "the token contains spaces or unusual characters"}
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if q.body != nil {
		b, err := json.Marshal(q.body)
		if err != nil {
			return nil, &Error{Kind: ErrUnexpectedResponse, Op: q.op, URL: c.base, Err: err}
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(rctx, q.method, c.base+q.path, body)
	if err != nil {
		return nil, &Error{Kind: ErrBadURL, Op: q.op, URL: c.base, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "keytray")
	if q.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if q.token != "" {
		req.Header.Set("Authorization", "Bearer "+q.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.netError(q.op, ctx, rctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, c.netError(q.op, ctx, rctx, err)
	}
	if int64(len(data)) > c.maxBody {
		return nil, &Error{Kind: ErrUnexpectedResponse, Op: q.op, URL: c.base, Status: resp.StatusCode, Detail: "response too large"}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	r := &reply{status: resp.StatusCode, header: resp.Header, body: data, ctype: strings.ToLower(ct)}
	if strings.HasPrefix(c.base, "http://") && plainToTLS(r) {
		return nil, &Error{Kind: ErrSpeaksTLS, Op: q.op, URL: c.base, Status: r.status}
	}
	return r, nil
}

// netError names a transport failure: the caller cancelled, a deadline
// passed, TLS was refused, or the server could not be reached.
func (c *Client) netError(op string, parent, rctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // drop the repeated method and URL
	}
	e := &Error{Op: op, URL: c.base, Err: err}
	var (
		netErr    net.Error
		verifyErr *tls.CertificateVerificationError
		authErr   x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invErr    x509.CertificateInvalidError
		recErr    tls.RecordHeaderError
		alertErr  tls.AlertError
	)
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		e.Kind = context.Canceled
	case errors.Is(err, context.DeadlineExceeded) || rctx.Err() != nil || errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = ErrTimeout
	case errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// (net/http turns the record error into that plain message when the
		// answer looks like HTTP.)
		e.Kind, e.Detail = ErrNoTLS, "the server does not speak TLS on this port"
	case strings.Contains(err.Error(), `malformed HTTP response "\x15\x03`):
		e.Kind = ErrSpeaksTLS // a TLS alert in answer to plain HTTP
	case errors.As(err, &hostErr):
		e.Kind = ErrTLSHostname
	case errors.As(err, &invErr) && invErr.Reason == x509.Expired:
		e.Kind = ErrTLSExpired
	case errors.As(err, &authErr) && c.caFile != "":
		e.Kind, e.Detail = ErrTLSNotSignedByCA, c.caFile
	case errors.As(err, &verifyErr), errors.As(err, &authErr),
		errors.As(err, &invErr), errors.As(err, &alertErr):
		e.Kind = ErrTLS
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		e.Kind = ErrDropped
	default:
		e.Kind = ErrUnreachable
	}
	return e
}

// plainToTLS reports an answer that says an http:// request reached an
// https port (Go's and nginx's wording).
func plainToTLS(r *reply) bool {
	if r.status != http.StatusBadRequest {
		return false
	}
	b := string(r.body)
	return strings.Contains(b, "HTTP request to an HTTPS server") || strings.Contains(b, "plain HTTP request was sent to HTTPS port")
}

// errorFor turns an answer that is not the expected success into an *Error,
// following openwebui-api.md §3 "Meaning for a client". keysDenied is the
// kind for 403 API_KEY_NOT_ALLOWED / API_KEY_CREATION_NOT_ALLOWED (nil means
// ErrKeysDisabled). Operations map their own special cases first.
func (c *Client) errorFor(q request, r *reply, keysDenied error) *Error {
	e := &Error{Op: q.op, URL: c.base, Status: r.status, Detail: redact(r.detail(), q)}
	keyAuth := strings.HasPrefix(q.token, "sk-")
	switch {
	case r.status >= 300 && r.status < 400:
		e.Kind, e.Detail = ErrUnexpectedResponse, "redirected to "+safeLocation(r.header.Get("Location"))
	case !r.isJSON() && (r.status == 413 || r.status == 502 || r.status == 503 || r.status == 504):
		e.Kind = ErrProxy
	case r.status >= 500:
		e.Kind = ErrServer
	case !r.isJSON():
		e.Kind = ErrUnexpectedResponse
		if r.isHTML() {
			e.Detail = "answered with a web page instead of JSON"
		} else {
			e.Detail = "answered " + orUnknown(r.ctype) + " instead of JSON"
		}
	case r.status == http.StatusUnauthorized:
		switch {
		case e.Detail == textAccessProhibited:
			e.Kind = ErrAccessProhibited
		case e.Detail == textCodeInvalid:
			e.Kind = ErrCodeInvalid
		case e.Detail == textStepExpired:
			e.Kind = ErrChallengeExpired
		case e.Detail == textRevokedToken && !keyAuth && q.token != "":
			e.Kind = ErrSessionRevoked // signed out; 0.12: session stamp rotated (§9.4, §9.5)
		case keyAuth:
			e.Kind = ErrKeyRejected
		default:
			e.Kind = ErrSessionInvalid
		}
	case r.status == http.StatusForbidden:
		switch e.Detail {
		case textAPIKeyNotAllowed, textAPIKeyCreationNotAllowed:
			e.Kind = keysDenied
			if e.Kind == nil {
				e.Kind = ErrKeysDisabled
			}
		case textNotAuthenticated:
			e.Kind = ErrSessionInvalid
		case textAwaitingApproval:
			e.Kind = ErrAccountPending
		case textMFADisabledSignInAgain:
			e.Kind = ErrChallengeExpired
		default: // ACCESS_PROHIBITED, the endpoint allow-list, ACTION_PROHIBITED
			e.Kind = ErrAccessProhibited
		}
	case r.status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = ErrRateLimited, retryAfter(r.header.Get("Retry-After"), time.Now())
		switch e.Detail {
		case textTooManyCodes:
			e.Kind = ErrTooManyCodes
		case textTooManyAttempts:
			e.Kind = ErrAccountLocked
		}
	case r.status == http.StatusConflict && strings.HasPrefix(e.Detail, "Authentication "):
		e.Kind = ErrChallengeExpired // 0.12: the account changed in another request; start again
	default:
		e.Kind = ErrUnexpectedResponse
	}
	return e
}

// badAnswer is a 200 whose JSON is not what the operation expects.
func (c *Client) badAnswer(op, what string, err error) *Error {
	return &Error{Kind: ErrUnexpectedResponse, Op: op, URL: c.base, Status: http.StatusOK, Detail: what, Err: err}
}

// Detail texts the client tells apart (openwebui-api.md §3).
const (
	textInvalidCred              = "The email or password provided is incorrect. Please check for typos and try logging in again."
	textAccessProhibited         = "You do not have permission to access this resource. Please contact your administrator for assistance."
	textActionProhibited         = "The requested action has been restricted as a security measure."
	textAPIKeyNotAllowed         = "Use of API key is not enabled in the environment."
	textAPIKeyCreationNotAllowed = "API key creation is not allowed in the environment."
	textInvalidTrustedHeader     = "Your provider has not provided a trusted header. Please contact your administrator for assistance."
	textExistingUsers            = "You can't turn off authentication because there are existing users. If you want to disable WEBUI_AUTH, make sure your web interface doesn't have any existing users and is a fresh installation."
	textEndpointNotAllowed       = "API key not allowed to access this endpoint."
	textNotAuthenticated         = "Not authenticated"
	textLDAPNotEnabled           = "LDAP authentication is not enabled"
	textLDAPTLS                  = "Failed to configure TLS for LDAP connection."
	textRevokedToken             = "Invalid token"
	// 0.12 two-step sign-in (openwebui-api.md §9.3, §9.8)
	textCodeInvalid            = "Invalid or already used code."
	textStepExpired            = "This authentication step expired. Please start again."
	textAwaitingApproval       = "Account is awaiting approval."
	textMFADisabledSignInAgain = "MFA is disabled. Please sign in again."
	textTooManyCodes           = "Too many codes. Please sign in again."
	textTooManyAttempts        = "Too many attempts. Please try again later."
)

// parseDetail reads FastAPI's error body {"detail": string | list | object}.
// For a validation list it keeps each item's location and message, never its
// "input" (which echoes what was sent, a password included).
func parseDetail(body []byte) string {
	var v struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &v) != nil || len(v.Detail) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v.Detail, &s) == nil {
		return clip(s)
	}
	var items []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(v.Detail, &items) == nil {
		var parts []string
		for _, it := range items {
			var loc []string
			for _, l := range it.Loc {
				switch l := l.(type) {
				case string:
					loc = append(loc, l)
				case float64:
					loc = append(loc, strconv.FormatFloat(l, 'f', -1, 64))
				}
			}
			p := it.Msg
			if len(loc) > 0 {
				p = strings.Join(loc, ".") + ": " + p
			}
			parts = append(parts, p)
		}
		return clip(strings.Join(parts, "; "))
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(v.Detail, &obj) == nil {
		return clip(obj.Message)
	}
	return ""
}

// htmlTitle is the text of a page's <title>, if any.
func htmlTitle(b []byte) string {
	lower := bytes.ToLower(b)
	i := bytes.Index(lower, []byte("<title>"))
	if i < 0 {
		return ""
	}
	rest := b[i+len("<title>"):]
	j := bytes.Index(bytes.ToLower(rest), []byte("</title>"))
	if j < 0 {
		return ""
	}
	return clip(string(rest[:j]))
}

// clip makes server text safe to show: valid UTF-8, one line, no control
// characters, at most maxDetail runes.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxDetail {
		s = string([]rune(s)[:maxDetail]) + "…"
	}
	return s
}

// redact removes what was sent (token, password) from server text.
func redact(s string, q request) string {
	for _, secret := range append([]string{q.token}, q.secrets...) {
		if len(secret) >= 3 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// safeLocation shows a redirect target without its query or fragment.
func safeLocation(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		return "an unreadable location"
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	return clip(u.String())
}

// retryAfter reads a Retry-After header (seconds or an HTTP date).
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	const most = 24 * time.Hour // a nonsense header must not lock the user out for ever
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return min(time.Duration(min(n, int(most/time.Second)))*time.Second, most)
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return min(t.Sub(now).Round(time.Second), most)
	}
	return defaultRetryAfter
}

func orUnknown(ct string) string {
	if ct == "" {
		return "without a content type"
	}
	return ct
}

// decode unmarshals a 200 answer into v.
func decode(r *reply, v any) error { return json.Unmarshal(r.body, v) }
