package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Fixed instants keep the tokens' claims predictable; JWTs carry whole seconds.
var (
	issued  = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	expires = issued.Add(28 * 24 * time.Hour) // Open WebUI's default JWT_EXPIRES_IN since 0.6.34: 4w
)

const (
	userID = "8c0fd7b0-5f0e-4b7a-9d55-0f2c1b7e8a11"
	jti    = "f3b1c2d4-1234-4abc-8def-0123456789ab"
)

// openWebUIKey returns a key in Open WebUI's form: "sk-" + uuid4().hex.
func openWebUIKey(t testing.TB) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return "sk-" + hex.EncodeToString(b)
}

// mint signs claims the way Open WebUI (PyJWT, HS256) does.
func mint(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	return mintWith(t, jwt.SigningMethodHS256, []byte("webui-secret-key"), claims)
}

func mintRS256(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return mintWith(t, jwt.SigningMethodRS256, k, claims)
}

func mintES256(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return mintWith(t, jwt.SigningMethodES256, k, claims)
}

func mintWith(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rawJWT builds a token from literal JSON, for claims jwt would not produce.
func rawJWT(header, claims, sig string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + "." + sig
}

func owuiClaims() jwt.MapClaims {
	return jwt.MapClaims{"id": userID, "exp": expires.Unix(), "jti": jti, "iat": issued.Unix()}
}

func TestClassifyAPIKeys(t *testing.T) {
	key := openWebUIKey(t)
	tests := []struct {
		name     string
		in       string
		kind     Kind
		unusual  bool
		noteHas  string
		noteHas2 string
	}{
		{name: "open webui key", in: key, kind: APIKey},
		{name: "copied with newline", in: key + "\n", kind: APIKey},
		{name: "copied with CRLF and spaces", in: "  \t" + key + " \r\n", kind: APIKey},
		{name: "uppercase hex", in: strings.ToUpper(key[:3]) + strings.ToUpper(key[3:]), kind: Other},
		{name: "uppercase digits only", in: "sk-" + strings.ToUpper(key[3:]), kind: APIKey, unusual: true, noteHas: "uppercase"},
		{name: "too short", in: "sk-abc", kind: APIKey, unusual: true, noteHas: "3 characters after sk-"},
		{name: "one digit too many", in: key + "0", kind: APIKey, unusual: true, noteHas: "33 characters"},
		{name: "one digit too few", in: key[:34], kind: APIKey, unusual: true, noteHas: "31 characters"},
		{name: "prefix only", in: "sk-", kind: APIKey, unusual: true, noteHas: "0 characters"},
		{name: "openai project key", in: "sk-proj-" + strings.Repeat("Ab9_", 12), kind: APIKey, unusual: true, noteHas: "other than hex", noteHas2: "53 characters"},
		{name: "right length, non-hex", in: "sk-" + strings.Repeat("g", 32), kind: APIKey, unusual: true, noteHas: "other than hex"},
		{name: "right length, dashed uuid", in: "sk-" + key[3:11] + "-" + key[11:34], kind: APIKey, unusual: true, noteHas: "other than hex"},
		{name: "inner space", in: key[:10] + " " + key[10:], kind: Other},
		{name: "inner newline", in: key[:10] + "\n" + key[10:], kind: Other},
		{name: "inner NUL", in: key[:10] + "\x00" + key[10:], kind: Other},
		{name: "inner no-break space", in: key[:10] + "\u00a0" + key[10:], kind: Other},
		{name: "invalid utf-8", in: key + "\xff", kind: Other},
		{name: "prefix in sentence", in: "my key is " + key, kind: Other},
		{name: "capital SK prefix", in: "SK-" + key[3:], kind: Other},
		{name: "bearer header value", in: "Bearer " + key, kind: Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Classify(tt.in)
			if r.Kind != tt.kind || r.Unusual != tt.unusual {
				t.Fatalf("Classify = kind %v unusual %v; want kind %v unusual %v", r.Kind, r.Unusual, tt.kind, tt.unusual)
			}
			if r.JWT != nil {
				t.Error("JWT info set for a non-JWT")
			}
			if !tt.unusual && r.Note != "" {
				t.Errorf("Note = %q for a usual result", r.Note)
			}
			for _, want := range []string{tt.noteHas, tt.noteHas2} {
				if !strings.Contains(r.Note, want) {
					t.Errorf("Note = %q; want it to contain %q", r.Note, want)
				}
			}
		})
	}
}

func TestClassifyJWTs(t *testing.T) {
	owui := mint(t, owuiClaims())
	noExp := mint(t, jwt.MapClaims{"id": userID})
	expired := mint(t, jwt.MapClaims{"id": userID, "exp": issued.Add(-time.Hour).Unix(), "iat": issued.Add(-2 * time.Hour).Unix()})
	rs256 := mintRS256(t, owuiClaims())
	es256 := mintES256(t, jwt.MapClaims{"sub": "someone"})
	noID := mint(t, jwt.MapClaims{"sub": userID, "exp": expires.Unix()})
	numericID := mint(t, jwt.MapClaims{"id": 42})
	emptyID := mint(t, jwt.MapClaims{"id": ""})
	parts := strings.Split(owui, ".")

	tests := []struct {
		name      string
		in        string
		alg       string
		id        string
		tokenID   string
		iat, exp  time.Time
		openWebUI bool
		noteHas   string
	}{
		{name: "open webui 0.6.37+", in: owui, alg: "HS256", id: userID, tokenID: jti, iat: issued, exp: expires, openWebUI: true},
		{name: "copied with newline", in: "\n" + owui + "\n", alg: "HS256", id: userID, tokenID: jti, iat: issued, exp: expires, openWebUI: true},
		{name: "no exp (JWT_EXPIRES_IN=-1)", in: noExp, alg: "HS256", id: userID, openWebUI: true},
		{name: "expired", in: expired, alg: "HS256", id: userID, iat: issued.Add(-2 * time.Hour), exp: issued.Add(-time.Hour), openWebUI: true},
		{name: "RS256", in: rs256, alg: "RS256", id: userID, tokenID: jti, iat: issued, exp: expires},
		{name: "ES256 without id", in: es256, alg: "ES256"},
		{name: "HS256 without id", in: noID, alg: "HS256", exp: expires},
		{name: "numeric id", in: numericID, alg: "HS256"},
		{name: "empty id", in: emptyID, alg: "HS256"},
		{name: "signature cut short", in: owui[:len(owui)-1], alg: "HS256", id: userID, tokenID: jti, iat: issued, exp: expires, openWebUI: true},
		{name: "signature missing", in: parts[0] + "." + parts[1] + ".", alg: "HS256", id: userID, tokenID: jti, iat: issued, exp: expires, openWebUI: true},
		{name: "alg none", in: rawJWT(`{"alg":"none"}`, `{"id":"u"}`, ""), alg: "none", id: "u"},
		{name: "unknown alg", in: rawJWT(`{"alg":"XX999","typ":"JWT"}`, `{"id":"u","exp":2000000000}`, "c2ln"), alg: "XX999", id: "u", exp: time.Unix(2000000000, 0)},
		{name: "no alg", in: rawJWT(`{"typ":"JWT"}`, `{"id":"u"}`, "c2ln"), id: "u"},
		{name: "fractional exp", in: rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":1700000000.5}`, "c2ln"), alg: "HS256", id: "u", exp: time.Unix(1700000000, 5e8), openWebUI: true},
		{name: "exponent exp", in: rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":1.7e9}`, "c2ln"), alg: "HS256", id: "u", exp: time.Unix(1700000000, 0), openWebUI: true},
		{name: "string exp and iat", in: rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":"1700000000","iat":"yesterday"}`, "c2ln"), alg: "HS256", id: "u", openWebUI: true},
		{name: "absurd exp", in: rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":1e300,"iat":-1e300}`, "c2ln"), alg: "HS256", id: "u", openWebUI: true},
		{name: "huge integer exp", in: rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":99999999999999999999999}`, "c2ln"), alg: "HS256", id: "u", openWebUI: true},
		{name: "object claims", in: rawJWT(`{"alg":"HS256"}`, `{"id":{"x":1},"jti":[1],"exp":null,"iat":true}`, "c2ln"), alg: "HS256"},
		{name: "claims not JSON", in: rawJWT(`{"alg":"HS256"}`, `not json`, "c2ln"), alg: "HS256", noteHas: "claims could not be read"},
		{name: "claims not base64", in: parts[0] + ".e.c2ln", alg: "HS256", noteHas: "claims could not be read"},
		{name: "claims an array", in: rawJWT(`{"alg":"HS256"}`, `[1,2]`, "c2ln"), alg: "HS256", noteHas: "claims could not be read"},
		{name: "claims null", in: rawJWT(`{"alg":"HS256"}`, `null`, "c2ln"), alg: "HS256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Classify(tt.in)
			if r.Kind != SessionJWT || r.JWT == nil {
				t.Fatalf("Classify = kind %v, JWT %v; want a session JWT", r.Kind, r.JWT)
			}
			if r.Unusual {
				t.Error("Unusual set for a JWT")
			}
			if !strings.Contains(r.Note, tt.noteHas) || tt.noteHas == "" && r.Note != "" {
				t.Errorf("Note = %q; want %q", r.Note, tt.noteHas)
			}
			j := r.JWT
			if j.Algorithm != tt.alg || j.UserID != tt.id || j.TokenID != tt.tokenID || j.OpenWebUI != tt.openWebUI {
				t.Errorf("got alg %q id %q jti %q openwebui %v; want %q %q %q %v",
					j.Algorithm, j.UserID, j.TokenID, j.OpenWebUI, tt.alg, tt.id, tt.tokenID, tt.openWebUI)
			}
			if !j.IssuedAt.Equal(tt.iat) || !j.ExpiresAt.Equal(tt.exp) {
				t.Errorf("iat %v exp %v; want %v %v", j.IssuedAt, j.ExpiresAt, tt.iat, tt.exp)
			}
		})
	}
}

func TestClassifyOther(t *testing.T) {
	key := openWebUIKey(t)
	owui := mint(t, owuiClaims())
	enc := base64.RawURLEncoding.EncodeToString
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"white space only", " \n\t\r\n "},
		{"prose", "Hello, this is a note about the meeting."},
		{"url", "https://chat.example.com/api/v1/auths/"},
		{"domain name", "www.example.com"},
		{"version number", "0.6.41"},
		{"three words with dots", "abc.def.ghi"},
		{"email", "alice@example.com"},
		{"too many segments", owui + ".abc"},
		{"two segments", strings.Join(strings.Split(owui, ".")[:2], ".")},
		{"empty header", "." + strings.Split(owui, ".")[1] + ".sig"},
		{"empty claims", strings.Split(owui, ".")[0] + "..sig"},
		{"padded base64", enc([]byte(`{"alg":"HS256"}`)) + "=." + enc([]byte(`{}`)) + ".sig"},
		{"standard base64 alphabet", "eyJ+YWxnIjoiSFMyNTYifQ." + enc([]byte(`{}`)) + ".sig"},
		{"header not JSON", rawJWT("hello", `{"id":"u"}`, "c2ln")},
		{"header a JSON array", rawJWT(`["alg"]`, `{"id":"u"}`, "c2ln")},
		{"header JSON null", rawJWT(`null`, `{"id":"u"}`, "c2ln")},
		{"header JSON string", rawJWT(`"HS256"`, `{"id":"u"}`, "c2ln")},
		{"header not base64", "e." + enc([]byte(`{}`)) + ".c2ln"},
		{"jwt with inner newline", owui[:40] + "\n" + owui[40:]},
		{"jwt in a sentence", "token: " + owui},
		{"key and jwt pasted together", key + "\n" + owui},
		{"huge input", key + strings.Repeat("a", MaxInput)},
		{"huge white space around key", strings.Repeat(" ", MaxInput) + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := Classify(tt.in); !reflect.DeepEqual(r, Result{Kind: Other}) {
				t.Fatalf("Classify = %+v; want Other with nothing else set", r)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	exp := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	j := &JWTInfo{ExpiresAt: exp}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{exp.Add(-time.Second), false},
		{exp.Add(-time.Nanosecond), false},
		{exp, true}, // RFC 7519: not accepted on or after exp
		{exp.Add(time.Hour), true},
	} {
		if got := j.Expired(tt.now); got != tt.want {
			t.Errorf("Expired(%v) = %v; want %v", tt.now, got, tt.want)
		}
	}
	never := &JWTInfo{}
	if never.Expired(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a token without exp expired")
	}
	var none *JWTInfo
	if none.Expired(exp) {
		t.Error("nil JWTInfo expired")
	}

	// Through Classify, against the clock the tokens were minted for.
	live := Classify(mint(t, owuiClaims())).JWT
	if live.Expired(issued.Add(time.Hour)) || !live.Expired(expires.Add(time.Second)) {
		t.Error("minted token's expiry not read from exp")
	}
}

func TestFingerprint(t *testing.T) {
	key := openWebUIKey(t)
	fp := Fingerprint(key)
	if !regexp.MustCompile(`^sha256:[0-9a-f]{12}$`).MatchString(fp) {
		t.Fatalf("Fingerprint = %q; want sha256: and 12 lowercase hex digits", fp)
	}
	if Fingerprint(key) != fp {
		t.Error("Fingerprint is not deterministic")
	}
	if Fingerprint(key[:len(key)-1]+"x") == fp {
		t.Error("keys differing in the last character share a fingerprint")
	}
	// sha256("") = e3b0c44298fc1c14…: a known value pins the algorithm.
	if got := Fingerprint(""); got != "sha256:e3b0c44298fc" {
		t.Errorf("Fingerprint(\"\") = %q; want sha256:e3b0c44298fc", got)
	}
	if strings.Contains(fp, key[3:9]) {
		t.Error("fingerprint contains part of the key")
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sk-1a2b3c4d5e6f7a8b9c0d1e2f3a49f0e", "sk-…9f0e"},
		{"", "••••••••"},
		{"short", "••••••••"},
		{"123456789012", "••••••••"},
		{"1234567890123", "123…0123"},
		{"ключ-очень-секретный", "клю…тный"}, // counts characters, never splits UTF-8
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestHintAndMaskHintMatchMask(t *testing.T) {
	key := "sk-1a2b3c4d5e6f7a8b9c0d1e2f3a49f0e"
	if h := Hint(key); h != "9f0e" {
		t.Errorf("Hint = %q, want the last four characters", h)
	}
	if MaskHint(Hint(key)) != Mask(key) {
		t.Errorf("MaskHint(Hint(k)) = %q, Mask(k) = %q", MaskHint(Hint(key)), Mask(key))
	}
	if Hint("sk-short") != "" || MaskHint("") != "••••••••" {
		t.Error("a short key must give no hint and a full mask")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{APIKey: "API key", SessionJWT: "session token (JWT)", Other: "other", Kind(99): "other"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q; want %q", int(k), got, want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	f.Add(openWebUIKey(f))
	f.Add(openWebUIKey(f) + "\n")
	f.Add("sk-proj-abcDEF_123")
	f.Add("sk-")
	f.Add(mint(f, owuiClaims()))
	f.Add(mint(f, jwt.MapClaims{"id": userID}))
	f.Add(mintES256(f, jwt.MapClaims{"id": 1, "exp": "soon"}))
	f.Add(rawJWT(`{"alg":"HS256"}`, `{"id":"u","exp":1e300}`, ""))
	f.Add(rawJWT(`{"alg":"none"}`, `[`, "x"))
	f.Add("eyJhbGciOiJIUzI1NiJ9..")
	f.Add("a.b.c")
	f.Add("Hello world.")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		r := Classify(s)
		trimmed := strings.TrimSpace(s)
		switch r.Kind {
		case Other:
			if r.Unusual || r.Note != "" || r.JWT != nil {
				t.Fatalf("Other with details: %+v", r)
			}
		case APIKey:
			if !strings.HasPrefix(trimmed, "sk-") {
				t.Fatal("APIKey without the sk- prefix")
			}
			if r.Unusual != (r.Note != "") {
				t.Fatalf("Unusual %v but Note %q", r.Unusual, r.Note)
			}
			if !r.Unusual && len(trimmed) != 35 {
				t.Fatalf("usual key of length %d", len(trimmed))
			}
		case SessionJWT:
			if strings.Count(trimmed, ".") != 2 || r.Unusual {
				t.Fatalf("SessionJWT that is not three segments: %+v", r)
			}
		default:
			t.Fatalf("unknown kind %d", r.Kind)
		}
		if (r.Kind == SessionJWT) != (r.JWT != nil) {
			t.Fatalf("kind %v with JWT %v", r.Kind, r.JWT)
		}
		if r.JWT != nil && r.JWT.OpenWebUI && (r.JWT.Algorithm != "HS256" || r.JWT.UserID == "") {
			t.Fatalf("OpenWebUI set for alg %q id %q", r.JWT.Algorithm, r.JWT.UserID)
		}
		if len(s) > MaxInput && r.Kind != Other {
			t.Fatal("huge input classified")
		}
		if len(s)+2 <= MaxInput && !reflect.DeepEqual(Classify(" "+s+"\n"), r) {
			t.Fatal("surrounding white space changed the result")
		}

		m := Mask(s)
		if n := utf8.RuneCountInString(s); n > 12 {
			if m == s || utf8.RuneCountInString(m) != 8 {
				t.Fatalf("Mask of a %d-character string gave %d characters", n, utf8.RuneCountInString(m))
			}
		} else if m != "••••••••" {
			t.Fatal("short string not masked entirely")
		}
		if fp := Fingerprint(s); len(fp) != len("sha256:")+12 || (len(s) >= 12 && strings.Contains(fp, s)) {
			t.Fatal("bad fingerprint")
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	prose := strings.Repeat("The quick brown fox jumps over the lazy dog; ", 10<<10/45+1)[:10<<10]
	for _, bc := range []struct{ name, in string }{
		{"APIKey", openWebUIKey(b)},
		{"JWT", mint(b, owuiClaims())},
		{"Text10KiB", prose},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Classify(bc.in)
			}
		})
	}
}
