package openwebui_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/openwebui/owuifake"
)

var newest = owuifake.Profile{Version: "0.11.0"}

func TestNotOpenWebUI(t *testing.T) {
	srv, c := fake(t, newest)
	srv.AddUser(userEmail, password, "user")
	srv.SetFault(owuifake.FaultHTMLEverywhere)
	_, err := c.Probe(ctx)
	e := wantKind(t, err, openwebui.ErrNotOpenWebUI)
	if !strings.Contains(e.Detail, "web page") {
		t.Errorf("detail %q", e.Detail)
	}
	_, err = c.SignIn(ctx, userEmail, password)
	wantKind(t, err, openwebui.ErrUnexpectedResponse)

	for name, h := range map[string]http.HandlerFunc{
		"json without version": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"name":"something else"}`))
		},
		"other json api": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			w.Write([]byte(`{"detail":"Not Found"}`))
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://login.example.com/auth?next=secret", http.StatusFound)
		},
		"auth proxy": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(401)
		},
		"version but no config": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"version":"1.0.0"}`))
		},
	} {
		t.Run(name, func(t *testing.T) {
			ts := httptest.NewServer(h)
			defer ts.Close()
			c := ok(openwebui.New(ts.URL, openwebui.Options{}))(t)
			_, err := c.Probe(ctx)
			e := wantKind(t, err, openwebui.ErrNotOpenWebUI)
			if strings.Contains(e.Error(), "next=secret") {
				t.Errorf("redirect query leaked into the error")
			}
		})
	}
}

// Redirects are never followed: a credentialed call must not be forwarded.
func TestRedirectNotFollowed(t *testing.T) {
	calls := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		http.Redirect(w, r, "http://evil.example.net/collect?x=1", http.StatusTemporaryRedirect)
	}))
	defer ts.Close()
	c := ok(openwebui.New(ts.URL, openwebui.Options{}))(t)
	_, err := c.SignIn(ctx, userEmail, password)
	e := wantKind(t, err, openwebui.ErrUnexpectedResponse)
	if e.Detail != "redirected to http://evil.example.net/collect" || calls != 1 {
		t.Errorf("detail %q after %d requests", e.Detail, calls)
	}
}

func TestProxyAndServerErrors(t *testing.T) {
	srv, c := fake(t, newest)
	keysOpen(srv)
	srv.AddUser(userEmail, password, "user")
	s := ok(c.SignIn(ctx, userEmail, password))(t)
	remember(s.Token)
	key := remember(srv.GiveKey(userEmail))

	srv.SetFault(owuifake.FaultProxy502)
	_, err := c.Probe(ctx)
	e := wantKind(t, err, openwebui.ErrProxy)
	if e.Status != 502 || e.Detail != "502 Bad Gateway" {
		t.Errorf("status %d detail %q", e.Status, e.Detail)
	}
	_, err = c.SignIn(ctx, userEmail, password)
	wantKind(t, err, openwebui.ErrProxy)
	_, err = c.Verify(ctx, key)
	wantKind(t, err, openwebui.ErrProxy)

	srv.SetFault(owuifake.Fault500)
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrServer)
	_, err = c.CreateKey(ctx, s)
	e = wantKind(t, err, openwebui.ErrServer)
	if e.Status != 500 || e.Detail != "Internal Server Error" {
		t.Errorf("status %d detail %q", e.Status, e.Detail)
	}
	if srv.KeyOf(userEmail) != key {
		t.Errorf("key changed although creation failed")
	}

	// A JSON 5xx keeps the server's words.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		w.Write([]byte(`{"detail":"` + owuifake.DetailCreateAPIKeyError + `"}`))
	}))
	defer ts.Close()
	c2 := ok(openwebui.New(ts.URL, openwebui.Options{}))(t)
	_, err = c2.CreateKey(ctx, openwebui.Bearer(key))
	if e := wantKind(t, err, openwebui.ErrServer); e.Detail != owuifake.DetailCreateAPIKeyError {
		t.Errorf("detail %q", e.Detail)
	}
}

func TestDroppedConnection(t *testing.T) {
	srv, c := fake(t, newest)
	srv.SetFault(owuifake.FaultDrop)
	_, err := c.Probe(ctx)
	wantKind(t, err, openwebui.ErrUnreachable)
	wantKind(t, err, openwebui.ErrDropped) // not "nothing is listening"

	// The answer cut short after its headers.
	srv.SetFault(owuifake.FaultCutAnswer)
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrDropped)
}

// http:// to a port that speaks TLS is named as such.
func TestPlainHTTPToTLSPort(t *testing.T) {
	srv := owuifake.NewTLS(newest)
	defer srv.Close()
	c := ok(openwebui.New(strings.Replace(srv.URL(), "https://", "http://", 1), openwebui.Options{}))(t)
	_, err := c.Probe(ctx)
	wantKind(t, err, openwebui.ErrSpeaksTLS)
}

// selfSigned makes a self-signed CA and server certificate for 127.0.0.1.
func selfSigned(t *testing.T, notAfter time.Time) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// An expired certificate, trusted otherwise, is named as such.
func TestTLSExpired(t *testing.T) {
	der, key := selfSigned(t, time.Now().Add(-24*time.Hour))
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ts.StartTLS()
	defer ts.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	c := ok(openwebui.New(ts.URL, openwebui.Options{CAFile: ca}))(t)
	_, err := c.Probe(ctx)
	wantKind(t, err, openwebui.ErrTLSExpired)
}

func TestSlowServer(t *testing.T) {
	srv := owuifake.New(newest)
	defer srv.Close()
	srv.SetFault(owuifake.FaultSlow(time.Minute))
	c := ok(openwebui.New(srv.URL(), openwebui.Options{Timeout: 50 * time.Millisecond}))(t)
	_, err := c.Probe(ctx)
	wantKind(t, err, openwebui.ErrTimeout)

	// The caller's own deadline counts as a timeout; a cancellation is reported as such.
	c = ok(openwebui.New(srv.URL(), openwebui.Options{}))(t)
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = c.Probe(dctx)
	wantKind(t, err, openwebui.ErrTimeout)
	cctx, cancel2 := context.WithCancel(ctx)
	cancel2()
	_, err = c.Probe(cctx)
	wantKind(t, err, context.Canceled)
}

func TestHugeBody(t *testing.T) {
	srv, c := fake(t, newest)
	srv.SetFault(owuifake.FaultHugeBody)
	_, err := c.Probe(ctx)
	if e := wantKind(t, err, openwebui.ErrUnexpectedResponse); e.Detail != "response too large" {
		t.Errorf("detail %q", e.Detail)
	}
	small := ok(openwebui.New(srv.URL(), openwebui.Options{MaxBody: 10}))(t)
	srv.ClearFaults()
	_, err = small.Probe(ctx)
	wantKind(t, err, openwebui.ErrUnexpectedResponse)
}

func TestNothingListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := ok(openwebui.New(addr, openwebui.Options{}))(t)
	if !strings.HasPrefix(c.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q", c.URL())
	}
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrUnreachable)
}

func TestTLS(t *testing.T) {
	srv := owuifake.NewTLS(newest)
	defer srv.Close()
	srv.AddUser(userEmail, password, "user")

	c := ok(openwebui.New(srv.URL(), openwebui.Options{}))(t)
	_, err := c.Probe(ctx)
	wantKind(t, err, openwebui.ErrTLS)
	_, err = c.SignIn(ctx, userEmail, password)
	wantKind(t, err, openwebui.ErrTLS)

	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	c = ok(openwebui.New(srv.URL(), openwebui.Options{CAFile: ca}))(t)
	ok(c.Probe(ctx))(t)
	remember(ok(c.SignIn(ctx, userEmail, password))(t).Token)

	// Trusted certificate, wrong name.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CertPEM())
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.Addr())
		},
	}
	c = ok(openwebui.New("https://chat.example.org", openwebui.Options{Transport: tr}))(t)
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrTLSHostname)

	// https to a plain-http server.
	plain, _ := fake(t, newest)
	c = ok(openwebui.New(strings.Replace(plain.URL(), "http://", "https://", 1), openwebui.Options{}))(t)
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrNoTLS)

	_, err = openwebui.New(srv.URL(), openwebui.Options{CAFile: filepath.Join(t.TempDir(), "missing.pem")})
	wantKind(t, err, openwebui.ErrCAFileUnreadable)
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	_, err = openwebui.New(srv.URL(), openwebui.Options{CAFile: bad})
	wantKind(t, err, openwebui.ErrCAFileNoPEM)

	// A CA file given, but not the CA that signed the server's certificate.
	otherCA, _ := selfSigned(t, time.Now().Add(time.Hour))
	wrong := filepath.Join(t.TempDir(), "other.pem")
	if err := os.WriteFile(wrong, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: otherCA}), 0o600); err != nil {
		t.Fatal(err)
	}
	c = ok(openwebui.New(srv.URL(), openwebui.Options{CAFile: wrong}))(t)
	_, err = c.Probe(ctx)
	wantKind(t, err, openwebui.ErrTLSNotSignedByCA)
}

// dialTo makes a transport that sends every connection to the fake, so a
// client can believe it talks to "http://chat.example.com".
func dialTo(srv *owuifake.Server) *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Addr())
	}}
}

func TestInsecureHTTP(t *testing.T) {
	srv, _ := fake(t, newest)
	keysOpen(srv)
	srv.AddUser(userEmail, password, "user")
	key := remember(srv.GiveKey(userEmail))
	jwt := remember(srv.TokenFor(userEmail))

	c := ok(openwebui.New("http://chat.example.com", openwebui.Options{Transport: dialTo(srv)}))(t)
	info := ok(c.Probe(ctx))(t) // no credentials: allowed
	if info.Version != newest.Version {
		t.Errorf("probe through the dialer: %+v", info)
	}
	srv.ResetRequests()
	errs := []error{}
	_, err := c.SignIn(ctx, userEmail, password)
	errs = append(errs, err)
	_, err = c.SignInLDAP(ctx, "alice", password)
	errs = append(errs, err)
	_, err = c.SessionFromToken(ctx, jwt)
	errs = append(errs, err)
	_, err = c.GetKey(ctx, openwebui.Bearer(key))
	errs = append(errs, err)
	_, err = c.CreateKey(ctx, &openwebui.Session{Token: jwt})
	errs = append(errs, err)
	errs = append(errs, c.DeleteKey(ctx, &openwebui.Session{Token: jwt}))
	_, err = c.Verify(ctx, key)
	errs = append(errs, err)
	errs = append(errs, c.SignOut(ctx, &openwebui.Session{Token: jwt}))
	for _, err := range errs {
		wantKind(t, err, openwebui.ErrInsecureHTTP)
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("%d requests reached the server; first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}

	c = ok(openwebui.New("http://chat.example.com", openwebui.Options{Transport: dialTo(srv), AllowHTTP: true}))(t)
	remember(ok(c.SignIn(ctx, userEmail, password))(t).Token)
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Host != "chat.example.com" || !reqs[0].Password {
		t.Errorf("allowed sign-in not seen as such: %+v", reqs)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "90")
		w.WriteHeader(429)
		w.Write([]byte(`{"detail":"API rate limit exceeded"}`))
	}))
	defer ts.Close()
	c := ok(openwebui.New(ts.URL, openwebui.Options{}))(t)
	_, err := c.SignIn(ctx, userEmail, password)
	if e := wantKind(t, err, openwebui.ErrRateLimited); e.RetryAfter != 90*time.Second {
		t.Errorf("RetryAfter = %v", e.RetryAfter)
	}
}

// A validation error echoes the body, password included, in "input": it
// must not reach the error text.
func TestValidationEchoRedacted(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		w.Write([]byte(`{"detail":[{"type":"string_type","loc":["body","email"],"msg":"Input should be a valid string","input":{"password":"` + password + `"}}],"echo":"` + password + `"}`))
	}))
	defer ts.Close()
	c := ok(openwebui.New(ts.URL, openwebui.Options{}))(t)
	_, err := c.SignIn(ctx, userEmail, password)
	if e := wantKind(t, err, openwebui.ErrUnexpectedResponse); e.Detail != "body.email: Input should be a valid string" {
		t.Errorf("detail %q", e.Detail)
	}
}

func TestMalformedToken(t *testing.T) {
	srv, c := fake(t, newest)
	_, err := c.GetKey(ctx, &openwebui.Session{Token: "eyJ a.b"})
	wantKind(t, err, openwebui.ErrSessionInvalid)
	_, err = c.GetKey(ctx, nil)
	wantKind(t, err, openwebui.ErrSessionInvalid)
	if len(srv.Requests()) != 0 {
		t.Errorf("a malformed Authorization header was sent")
	}
}
