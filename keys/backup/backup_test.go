package backup

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

// Tests and fuzzers run scrypt at 2^10 instead of 2^18; benchmarks set the
// real cost themselves.
func TestMain(m *testing.M) {
	restore := SetScryptWorkFactorForTest(10)
	code := m.Run()
	restore()
	os.Exit(code)
}

const passphrase = "correct horse battery staple"

// sentinels are every error kind Decode promises; a failure outside them is a bug.
var sentinels = []error{
	ErrWrongPassphrase, ErrWrongIdentity, ErrCorrupt, ErrNotAge, ErrNotKeytray,
	ErrNewerFormat, ErrInvalid, ErrNeedsIdentity, ErrNeedsPassphrase,
}

var created = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// randomKey is an Open WebUI-shaped key: "sk-" + 32 lowercase hex digits.
func randomKey(t testing.TB) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk-" + hex.EncodeToString(b)
}

// testDoc is a valid document of n keys, spread over two servers, in the
// form Decode returns (format and version filled in).
func testDoc(t testing.TB, n int) Document {
	t.Helper()
	doc := Document{Format: Format, Version: Version, Created: created, Keys: make([]Key, n)}
	for i := range doc.Keys {
		k := Key{
			Name:      fmt.Sprintf("user%d@chat.example.com", i),
			ServerURL: "https://chat.example.com",
			Email:     fmt.Sprintf("user%d@example.com", i),
			UserID:    fmt.Sprintf("8c0fd7b0-5f0e-4b7a-9d55-%012d", i),
			Key:       randomKey(t),
			StoredAt:  created.Add(-time.Duration(i) * time.Hour),
		}
		if i%2 == 1 {
			k.ServerURL = "http://10.0.0.5:8080/owui"
			k.ServerName = "Team WebUI"
			k.Role = "admin"
		}
		doc.Keys[i] = k
	}
	return doc
}

// sameDoc compares documents without ever printing a key.
func sameDoc(t testing.TB, got, want Document) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	var names []string
	for _, k := range got.Keys {
		names = append(names, k.Name)
	}
	t.Fatalf("decoded document differs: format %q version %d created %v, %d keys %v",
		got.Format, got.Version, got.Created, len(got.Keys), names)
}

func encode(t testing.TB, doc Document, enc Encryption) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, doc, enc); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

// encryptRaw makes an age file of any plaintext, as another program would.
func encryptRaw(t testing.TB, plaintext []byte, r age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plaintext); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newX25519(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// sshEd25519 returns an authorized_keys line and an unencrypted OpenSSH private key.
func sshEd25519(t testing.TB) (recipient string, private []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sshPair(t, pub, priv)
}

func sshPair(t testing.TB, pub, priv any) (recipient string, private []byte) {
	t.Helper()
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "keytray test")
	if err != nil {
		t.Fatal(err)
	}
	return string(ssh.MarshalAuthorizedKey(sshPub)), pem.EncodeToMemory(block)
}

func decodeErr(t testing.TB, data []byte, dec Decryption, want error) error {
	t.Helper()
	doc, err := Decode(bytes.NewReader(data), dec)
	if !errors.Is(err, want) {
		t.Fatalf("Decode error = %v; want %v", err, want)
	}
	if doc.Keys != nil || doc.Format != "" {
		t.Fatal("Decode returned a document with its error")
	}
	return err
}

func TestRoundTripPassphrase(t *testing.T) {
	doc := testDoc(t, 3)
	for _, armored := range []bool{false, true} {
		t.Run(fmt.Sprintf("armor=%v", armored), func(t *testing.T) {
			data := encode(t, doc, Encryption{Passphrase: passphrase, Armor: armored})
			if got := bytes.HasPrefix(data, []byte("-----BEGIN AGE ENCRYPTED FILE-----\n")); got != armored {
				t.Fatalf("armored output = %v; want %v", got, armored)
			}
			if !armored && !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n-> scrypt ")) {
				t.Fatal("binary output is not a passphrase-encrypted age file")
			}
			for _, k := range doc.Keys {
				if bytes.Contains(data, []byte(k.Key)) || bytes.Contains(data, []byte(k.Name)) {
					t.Fatal("backup holds plaintext")
				}
			}
			got, err := Decode(bytes.NewReader(data), Decryption{Passphrase: passphrase})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			sameDoc(t, got, doc)
		})
	}
}

func TestRoundTripFillsFormatAndVersion(t *testing.T) {
	doc := testDoc(t, 1)
	in := doc
	in.Format, in.Version = "", 0
	data := encode(t, in, Encryption{Passphrase: passphrase})
	got, err := Decode(bytes.NewReader(data), Decryption{Passphrase: passphrase})
	if err != nil {
		t.Fatal(err)
	}
	sameDoc(t, got, doc)

	// An empty backup is a valid one, and reads back with an empty (not nil) list.
	empty := Document{Created: created}
	got, err = Decode(bytes.NewReader(encode(t, empty, Encryption{Passphrase: passphrase})), Decryption{Passphrase: passphrase})
	if err != nil {
		t.Fatal(err)
	}
	if got.Keys == nil || len(got.Keys) != 0 || got.Format != Format || got.Version != Version {
		t.Fatalf("empty backup read back as format %q version %d keys %v", got.Format, got.Version, got.Keys)
	}
}

func TestRoundTripRecipients(t *testing.T) {
	doc := testDoc(t, 2)
	alice, bob := newX25519(t), newX25519(t)
	hybrid, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	edPub, edPriv := sshEd25519(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, rsaPriv := sshPair(t, &rsaKey.PublicKey, rsaKey)

	tests := []struct {
		name       string
		recipients []string
		identities [][]byte
	}{
		{"x25519 two recipients", []string{alice.Recipient().String(), bob.Recipient().String()},
			[][]byte{[]byte(alice.String()), []byte(bob.String() + "\n")}},
		{"recipients file with comments", []string{"# team keys\n\n" + alice.Recipient().String() + "\n  " + bob.Recipient().String() + "  \n"},
			[][]byte{[]byte("# created: today\n" + bob.String() + "\n")}},
		{"identity file with several keys", []string{bob.Recipient().String()},
			[][]byte{[]byte(alice.String() + "\n" + bob.String() + "\n")}},
		{"post-quantum hybrid", []string{hybrid.Recipient().String()}, [][]byte{[]byte(hybrid.String())}},
		{"ssh-ed25519", []string{edPub}, [][]byte{edPriv}},
		{"ssh-rsa", []string{rsaPub}, [][]byte{rsaPriv}},
		{"ssh and x25519 together", []string{edPub, alice.Recipient().String()}, [][]byte{edPriv, []byte(alice.String())}},
	}
	for _, tt := range tests {
		for _, armored := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/armor=%v", tt.name, armored), func(t *testing.T) {
				data := encode(t, doc, Encryption{Recipients: tt.recipients, Armor: armored})
				for _, id := range tt.identities {
					got, err := Decode(bytes.NewReader(data), Decryption{Identities: id})
					if err != nil {
						t.Fatalf("Decode: %v", err)
					}
					sameDoc(t, got, doc)
				}
			})
		}
	}
}

func TestDecodeArmorLeniency(t *testing.T) {
	// What mail clients and editors do to armored text: leading blank lines,
	// CRLF line ends, a trailing newline. age's armor allows all of these.
	doc := testDoc(t, 1)
	id := newX25519(t)
	data := encode(t, doc, Encryption{Recipients: []string{id.Recipient().String()}, Armor: true})
	for name, in := range map[string][]byte{
		"leading blank lines": append([]byte("\n  \n"), data...),
		"CRLF":                bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")),
		"trailing newlines":   append(append([]byte{}, data...), "\n\n"...),
	} {
		got, err := Decode(bytes.NewReader(in), Decryption{Identities: []byte(id.String())})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameDoc(t, got, doc)
	}
}

func TestEncodePassphraseRules(t *testing.T) {
	doc := testDoc(t, 1)
	id := newX25519(t)
	tests := []struct {
		name string
		enc  Encryption
		want error // nil: any error
	}{
		{"empty", Encryption{}, ErrWeakPassphrase},
		{"11 characters", Encryption{Passphrase: "abcdefghijk"}, ErrWeakPassphrase},
		{"11 characters of 2 bytes each", Encryption{Passphrase: "ééééééééééé"}, ErrWeakPassphrase},
		{"empty with armor", Encryption{Armor: true}, ErrWeakPassphrase},
		{"passphrase and recipients", Encryption{Passphrase: passphrase, Recipients: []string{id.Recipient().String()}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, doc, tt.enc)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Encode error = %v; want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Fatal("Encode wrote output before failing")
			}
			if strings.Contains(err.Error(), tt.enc.Passphrase) && tt.enc.Passphrase != "" {
				t.Fatal("error repeats the passphrase")
			}
		})
	}
	for _, ok := range []string{"abcdefghijkl", "éééééééééééé", "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑"} {
		data := encode(t, doc, Encryption{Passphrase: ok})
		if _, err := Decode(bytes.NewReader(data), Decryption{Passphrase: ok}); err != nil {
			t.Errorf("12-character passphrase: %v", err)
		}
	}
}

func TestEncodeBadRecipients(t *testing.T) {
	doc := testDoc(t, 1)
	secret := newX25519(t).String()
	good := newX25519(t).Recipient().String()
	hybrid, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	edPub, edPriv := sshEd25519(t)
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallPub, _ := sshPair(t, &smallRSA.PublicKey, smallRSA)
	tests := []struct {
		name       string
		recipients []string
		line       string // the line the error must name
		noLeak     string // must not appear in the error
	}{
		{"private age key", []string{good, secret}, "recipient line 2", secret},
		{"private ssh key", []string{string(edPriv)}, "recipient line 1", string(edPriv[40:80])},
		{"mangled age1", []string{mangle(good)}, "recipient line 1", ""},
		{"plugin recipient", []string{"age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t"}, "recipient line 1", ""},
		{"truncated ssh key", []string{edPub[:40]}, "recipient line 1", ""},
		{"ecdsa ssh key", []string{"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= me"}, "recipient line 1", ""},
		{"rsa under 2048 bits", []string{smallPub}, "recipient line 1", ""},
		{"email address", []string{"alice@example.com"}, "recipient line 1", ""},
		{"bad third line in a file", []string{good + "\n# comment\nnonsense\n"}, "recipient line 3", ""},
		{"only comments", []string{"# nobody\n\n"}, "no recipients", ""},
		{"hybrid mixed with x25519", []string{hybrid.Recipient().String(), good}, "cannot be mixed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, doc, Encryption{Recipients: tt.recipients})
			if !errors.Is(err, ErrBadRecipient) {
				t.Fatalf("Encode error = %v; want ErrBadRecipient", err)
			}
			if !strings.Contains(err.Error(), tt.line) {
				t.Errorf("error %q does not contain %q", err, tt.line)
			}
			if tt.noLeak != "" && strings.Contains(err.Error(), tt.noLeak) {
				t.Error("error quotes private key material")
			}
			if buf.Len() != 0 {
				t.Error("Encode wrote output before failing")
			}
		})
	}
}

// mangle changes the last character, which breaks a bech32 checksum.
func mangle(s string) string {
	last := "q"
	if strings.HasSuffix(s, "q") {
		last = "p"
	}
	return s[:len(s)-1] + last
}

func TestEncodeValidates(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Document)
		want   error
	}{
		{"empty key", func(d *Document) { d.Keys[0].Key = "" }, ErrInvalid},
		{"relative url", func(d *Document) { d.Keys[0].ServerURL = "chat.example.com" }, ErrInvalid},
		{"duplicate name", func(d *Document) { d.Keys[1].Name = d.Keys[0].Name }, ErrInvalid},
		{"other format", func(d *Document) { d.Format = "something-else" }, ErrNotKeytray},
		{"newer version", func(d *Document) { d.Version = 2 }, ErrNewerFormat},
		{"negative version", func(d *Document) { d.Version = -1 }, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := testDoc(t, 2)
			tt.change(&doc)
			var buf bytes.Buffer
			if err := Encode(&buf, doc, Encryption{Passphrase: passphrase}); !errors.Is(err, tt.want) {
				t.Fatalf("Encode error = %v; want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Error("Encode wrote output for an invalid document")
			}
			if _, err := PlainJSON(doc); !errors.Is(err, tt.want) {
				t.Errorf("PlainJSON error = %v; want %v", err, tt.want)
			}
		})
	}
}

func TestEncodeWriteError(t *testing.T) {
	boom := errors.New("disk full")
	err := Encode(errWriter{boom}, testDoc(t, 1), Encryption{Passphrase: passphrase, Armor: true})
	if !errors.Is(err, boom) {
		t.Fatalf("Encode error = %v; want the writer's error", err)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

func TestDecodeWrongSecret(t *testing.T) {
	doc := testDoc(t, 1)
	alice, bob := newX25519(t), newX25519(t)
	edPub, edPriv := sshEd25519(t)
	_, otherEdPriv := sshEd25519(t)
	byPassphrase := encode(t, doc, Encryption{Passphrase: passphrase})
	toAlice := encode(t, doc, Encryption{Recipients: []string{alice.Recipient().String()}})
	toSSH := encode(t, doc, Encryption{Recipients: []string{edPub}, Armor: true})

	tests := []struct {
		name string
		data []byte
		dec  Decryption
		want error
	}{
		{"wrong passphrase", byPassphrase, Decryption{Passphrase: passphrase + "!"}, ErrWrongPassphrase},
		{"passphrase off by case", byPassphrase, Decryption{Passphrase: strings.ToUpper(passphrase)}, ErrWrongPassphrase},
		{"short wrong passphrase", byPassphrase, Decryption{Passphrase: "x"}, ErrWrongPassphrase},
		{"other age identity", toAlice, Decryption{Identities: []byte(bob.String())}, ErrWrongIdentity},
		{"ssh key for an age recipient", toAlice, Decryption{Identities: edPriv}, ErrWrongIdentity},
		{"other ssh key", toSSH, Decryption{Identities: otherEdPriv}, ErrWrongIdentity},
		{"passphrase for a recipient backup", toAlice, Decryption{Passphrase: passphrase}, ErrNeedsIdentity},
		{"identity for a passphrase backup", byPassphrase, Decryption{Identities: []byte(alice.String())}, ErrNeedsPassphrase},
		{"ssh key for a passphrase backup", byPassphrase, Decryption{Identities: edPriv}, ErrNeedsPassphrase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeErr(t, tt.data, tt.dec, tt.want)
			if p := tt.dec.Passphrase; p != "" && strings.Contains(err.Error(), p) {
				t.Error("error repeats the passphrase")
			}
		})
	}
}

func TestDecodeBadIdentities(t *testing.T) {
	data := encode(t, testDoc(t, 1), Encryption{Passphrase: passphrase})
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	protected, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("ssh key passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	secret := newX25519(t).String()
	tests := []struct {
		name string
		ids  []byte
		want error
	}{
		{"text", []byte("hello\n"), ErrBadIdentity},
		{"a recipient instead of an identity", []byte(newX25519(t).Recipient().String()), ErrBadIdentity},
		{"mangled age identity", []byte(strings.ToUpper(mangle(strings.ToLower(secret)))), ErrBadIdentity},
		{"comments only", []byte("# nothing\n"), ErrBadIdentity},
		{"passphrase-protected ssh key", pem.EncodeToMemory(protected), ErrProtectedIdentity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeErr(t, data, Decryption{Identities: tt.ids}, tt.want)
			if strings.Contains(err.Error(), secret[20:40]) {
				t.Error("error quotes the identity")
			}
		})
	}
	for name, dec := range map[string]Decryption{
		"neither": {},
		"both":    {Passphrase: passphrase, Identities: []byte(secret)},
	} {
		if _, err := Decode(bytes.NewReader(data), dec); err == nil {
			t.Errorf("%s: Decode succeeded", name)
		}
	}
}

// headerParts returns the offsets of the MAC line ("--- …") and of the
// payload (the 16-byte nonce, then the encrypted chunks) of a binary age file.
func headerParts(t testing.TB, data []byte) (mac, payload int) {
	t.Helper()
	mac = bytes.Index(data, []byte("\n--- ")) + 1
	end := bytes.IndexByte(data[mac:], '\n')
	if mac == 0 || end < 0 {
		t.Fatal("no MAC line in age file")
	}
	return mac, mac + end + 1
}

func TestDecodeTampered(t *testing.T) {
	// Hundreds of decodes below: scrypt at its cheapest keeps them quick.
	defer SetScryptWorkFactorForTest(1)()
	doc := testDoc(t, 2)
	id := newX25519(t)
	byID := Decryption{Identities: []byte(id.String())}
	byPass := Decryption{Passphrase: passphrase}
	toID := encode(t, doc, Encryption{Recipients: []string{id.Recipient().String()}})
	withPass := encode(t, doc, Encryption{Passphrase: passphrase})

	// Positions a user's damaged file is likely to differ at, and what they
	// are told: the intro line is what makes a file an age file at all.
	for _, c := range []struct {
		name string
		data []byte
		dec  Decryption
	}{{"x25519", toID, byID}, {"passphrase", withPass, byPass}} {
		mac, payload := headerParts(t, c.data)
		// Changing the stanza type ("-> X25519" → "-> \25519", "-> scrypt" →
		// "-> wcrypt") leaves no stanza of a known kind: age can only say that
		// nothing matches, which for a passphrase reads as "encrypted to a key".
		stanzaType := map[string]error{"x25519": ErrWrongIdentity, "passphrase": ErrNeedsIdentity}[c.name]
		for _, p := range []struct {
			name string
			at   int
			want error
		}{
			{"intro", 3, ErrNotAge},
			{"stanza type", len(ageIntro) + 3, stanzaType},
			{"MAC", mac + 10, ErrCorrupt},
			{"MAC line marker", mac, ErrCorrupt},
			{"nonce", payload, ErrCorrupt},
			{"first ciphertext byte", payload + 16, ErrCorrupt},
			{"middle of payload", (payload + len(c.data)) / 2, ErrCorrupt},
			{"last byte", len(c.data) - 1, ErrCorrupt},
		} {
			t.Run(c.name+"/"+p.name, func(t *testing.T) {
				data := bytes.Clone(c.data)
				data[p.at] ^= 0x04
				decodeErr(t, data, c.dec, p.want)
			})
		}
	}

	// Every single-byte change anywhere fails, with one of the promised errors.
	// A change in the wrapped file key or its salt cannot be told from a wrong
	// secret (that is what the AEAD says), so those are allowed too.
	for _, c := range []struct {
		name string
		data []byte
		dec  Decryption
	}{{"x25519", toID, byID}, {"passphrase", withPass, byPass}} {
		for i := range c.data {
			data := bytes.Clone(c.data)
			data[i] ^= 0x01
			_, err := Decode(bytes.NewReader(data), c.dec)
			if !isSentinel(err) {
				t.Fatalf("%s: flip at %d of %d: error = %v", c.name, i, len(c.data), err)
			}
			if _, payload := headerParts(t, c.data); i >= payload && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%s: flip in payload at %d: error = %v; want ErrCorrupt", c.name, i, err)
			}
		}
	}
}

func isSentinel(err error) bool {
	if err == nil {
		return false
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func TestDecodeTruncated(t *testing.T) {
	doc := testDoc(t, 30) // about 10 KiB: one chunk
	id := newX25519(t)
	byID := Decryption{Identities: []byte(id.String())}
	data := encode(t, doc, Encryption{Recipients: []string{id.Recipient().String()}})
	mac, payload := headerParts(t, data)
	for _, n := range []int{1, 10, len(ageIntro) - 1, len(ageIntro), len(ageIntro) + 5, mac - 1, mac + 5,
		payload - 1, payload, payload + 8, payload + 16, payload + 17, len(data) - 16, len(data) - 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			decodeErr(t, data[:n], byID, ErrCorrupt)
		})
	}
	t.Run("empty", func(t *testing.T) { decodeErr(t, nil, byID, ErrNotAge) })

	armored := encode(t, doc, Encryption{Recipients: []string{id.Recipient().String()}, Armor: true})
	for _, n := range []int{40, 100, len(armored) / 2, len(armored) - 40, len(armored) - 2} {
		t.Run(fmt.Sprintf("armored/%d", n), func(t *testing.T) {
			decodeErr(t, armored[:n], byID, ErrCorrupt)
		})
	}

	// Many chunks: a backup over 64 KiB cut at a chunk boundary must not
	// read as a shorter valid file.
	big := testDoc(t, 600)
	data = encode(t, big, Encryption{Recipients: []string{id.Recipient().String()}})
	_, payload = headerParts(t, data)
	const chunk = 64<<10 + 16
	if len(data) < payload+16+2*chunk {
		t.Fatalf("test backup has %d bytes; want more than two chunks", len(data))
	}
	for _, n := range []int{payload + 16 + chunk, payload + 16 + 2*chunk} {
		decodeErr(t, data[:n], byID, ErrCorrupt)
	}
	got, err := Decode(bytes.NewReader(data), byID)
	if err != nil {
		t.Fatal(err)
	}
	sameDoc(t, got, big)
}

func TestDecodeNotAge(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	plain, err := PlainJSON(testDoc(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"random bytes":         random,
		"text file":            []byte("shopping list\n- milk\n"),
		"plaintext json":       plain,
		"pgp message":          []byte("-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n-----END PGP MESSAGE-----\n"),
		"env file":             []byte("OPENAI_API_KEY=sk-abc\n"),
		"age intro in caps":    []byte("AGE-ENCRYPTION.ORG/V1\n-> X25519 abc\n"),
		"white space":          []byte("\n\n   \n"),
		"age identity file":    []byte(newX25519(t).String() + "\n"),
		"old age beta intro":   []byte("This is a file encrypted with age-tool.com, version 1\n"),
		"age v2 intro":         []byte("age-encryption.org/v2\n"),
		"armor of other thing": []byte("-----BEGIN AGE ENCRYPTED FILE-----\naGVsbG8gd29ybGQ=\n-----END AGE ENCRYPTED FILE-----\n"),
	} {
		t.Run(name, func(t *testing.T) {
			for _, dec := range []Decryption{{Passphrase: passphrase}, {Identities: []byte(newX25519(t).String())}} {
				decodeErr(t, data, dec, ErrNotAge)
			}
		})
	}
	t.Run("broken armor", func(t *testing.T) {
		data := []byte("-----BEGIN AGE ENCRYPTED FILE-----\n!!!! not base64 !!!!\n-----END AGE ENCRYPTED FILE-----\n")
		decodeErr(t, data, Decryption{Passphrase: passphrase}, ErrCorrupt)
	})
}

func TestDecodeReaderError(t *testing.T) {
	// A failing disk is reported as itself, not as a damaged backup.
	data := encode(t, testDoc(t, 1), Encryption{Passphrase: passphrase})
	boom := errors.New("input/output error")
	for _, n := range []int{0, 10, len(data) - 5} {
		r := io.MultiReader(bytes.NewReader(data[:n]), iotest.ErrReader(boom))
		_, err := Decode(r, Decryption{Passphrase: passphrase})
		if !errors.Is(err, boom) || isSentinel(err) {
			t.Errorf("after %d bytes: error = %v; want the reader's error only", n, err)
		}
	}
}

func TestDecodeNotKeytray(t *testing.T) {
	id := newX25519(t)
	byID := Decryption{Identities: []byte(id.String())}
	key := randomKey(t)
	v1 := func(version string) string {
		return `{"format":"keytray-backup","version":` + version + `,"keys":[{"name":"a","server_url":"https://h","key":"` + key + `"}]}`
	}
	tests := []struct {
		name, plaintext string
		want            error
	}{
		{"not JSON", "hello, world\n", ErrNotKeytray},
		{"empty", "", ErrNotKeytray},
		{"JSON array", `[1,2,3]`, ErrNotKeytray},
		{"other format", `{"format":"other","version":1,"keys":[]}`, ErrNotKeytray},
		{"no format", `{"version":1,"keys":[]}`, ErrNotKeytray},
		{"another tool's export", `{"items":[{"name":"x","password":"` + key + `"}]}`, ErrNotKeytray},
		{"version 2", v1("2"), ErrNewerFormat},
		{"version 0", v1("0"), ErrInvalid},
		{"bad url", strings.Replace(v1("1"), "https://h", "ftp://h", 1), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encryptRaw(t, []byte(tt.plaintext), id.Recipient())
			err := decodeErr(t, data, byID, tt.want)
			if strings.Contains(err.Error(), key) {
				t.Error("error quotes the key")
			}
		})
	}

	data := encryptRaw(t, []byte(v1("2")), id.Recipient())
	_, err := Decode(bytes.NewReader(data), byID)
	fe, ok := errors.AsType[*FormatError](err)
	if !ok || fe.Version != 2 {
		t.Fatalf("error = %v; want a *FormatError for version 2", err)
	}
	if want := "made by a newer Keytray (backup format version 2; this Keytray reads version 1)"; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q; want it to contain %q", err, want)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("encrypts 64 MiB")
	}
	id := newX25519(t)
	data := encryptRaw(t, bytes.Repeat([]byte(" "), MaxDocument+1), id.Recipient())
	decodeErr(t, data, Decryption{Identities: []byte(id.String())}, ErrNotKeytray)
}

func TestParseDocument(t *testing.T) {
	key := randomKey(t)
	entry := func(fields string) string {
		return `{"format":"keytray-backup","version":1,"created":"2025-03-01T12:00:00Z","keys":[` + fields + `]}`
	}
	one := func(name, url, k string) string {
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		return entry(`{"name":` + q(name) + `,"server_url":` + q(url) + `,"key":` + q(k) + `,"stored_at":"2025-02-01T00:00:00Z"}`)
	}
	tests := []struct {
		name, in string
		want     error  // nil: valid
		msg      string // the error must contain this
	}{
		{"minimal", `{"format":"keytray-backup","version":1}`, nil, ""},
		{"one key", one("alice", "https://chat.example.com", key), nil, ""},
		{"url with port and prefix", one("alice", "http://10.0.0.5:8080/owui/", key), nil, ""},
		{"ipv6 host", one("alice", "http://[::1]:3000", key), nil, ""},
		{"unknown fields kept compatible", `{"format":"keytray-backup","version":1,"future":{"x":1},"keys":[{"name":"a","server_url":"https://h","key":"k","tags":["x"]}]}`, nil, ""},
		{"keys null", `{"format":"keytray-backup","version":1,"keys":null}`, nil, ""},
		{"version 1.0", `{"format":"keytray-backup","version":1.0}`, ErrInvalid, "whole number"},
		{"version string", `{"format":"keytray-backup","version":"1"}`, ErrInvalid, "version"},
		{"version missing", `{"format":"keytray-backup"}`, ErrInvalid, "version"},
		{"version null", `{"format":"keytray-backup","version":null}`, ErrInvalid, "version"},
		{"version negative", `{"format":"keytray-backup","version":-1}`, ErrInvalid, "version"},
		{"version huge", `{"format":"keytray-backup","version":99999999999999999999}`, ErrInvalid, "version"},
		{"version 3", `{"format":"keytray-backup","version":3,"keys":"whatever v3 means"}`, ErrNewerFormat, "version 3"},
		{"format wrong type", `{"format":1,"version":1}`, ErrNotKeytray, ""},
		{"format null", `{"format":null,"version":1}`, ErrNotKeytray, ""},
		{"trailing garbage", `{"format":"keytray-backup","version":1} x`, ErrNotKeytray, ""},
		{"keys not a list", `{"format":"keytray-backup","version":1,"keys":{}}`, ErrInvalid, "keys"},
		{"bad date", entry(`{"name":"a","server_url":"https://h","key":"k","stored_at":"yesterday"}`), ErrInvalid, "RFC 3339"},
		{"name wrong type", entry(`{"name":7,"server_url":"https://h","key":"k"}`), ErrInvalid, "name"},
		{"no name", one("", "https://h", key), ErrInvalid, "entry 1 has no name"},
		{"blank name", one("  ", "https://h", key), ErrInvalid, "entry 1 has no name"},
		{"control character in name", one("a\x1b[2Jb", "https://h", key), ErrInvalid, "entry 1"},
		{"duplicate names", entry(`{"name":"a","server_url":"https://h","key":"k1"},{"name":"a","server_url":"https://g","key":"k2"}`), ErrInvalid, `"a" appears twice`},
		{"empty key", one("alice", "https://h", ""), ErrInvalid, `"alice" has an empty key`},
		{"key with newline", one("alice", "https://h", key+"\nOPENAI_BASE_URL=https://evil"), ErrInvalid, `"alice"`},
		{"key with space", one("alice", "https://h", "sk- abc"), ErrInvalid, `"alice"`},
		{"url empty", one("alice", "", key), ErrInvalid, `"alice": server_url is empty`},
		{"url without scheme", one("alice", "chat.example.com", key), ErrInvalid, "http://"},
		{"url ftp", one("alice", "ftp://chat.example.com", key), ErrInvalid, "http://"},
		{"url no host", one("alice", "https://", key), ErrInvalid, "no host"},
		{"url port only", one("alice", "http://:8080", key), ErrInvalid, "no host"},
		{"url with password", one("alice", "https://bob:hunter2@h", key), ErrInvalid, "password"},
		{"url with query", one("alice", "https://h/?x=1", key), ErrInvalid, "query"},
		{"url with fragment", one("alice", "https://h/#x", key), ErrInvalid, "fragment"},
		{"url with space", one("alice", "https://h h", key), ErrInvalid, "alice"},
		{"url not parseable", one("alice", "http://[::1", key), ErrInvalid, "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseDocument([]byte(tt.in))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ParseDocument: %v", err)
				}
				if doc.Format != Format || doc.Version != Version || doc.Keys == nil {
					t.Fatalf("got format %q version %d keys nil=%v", doc.Format, doc.Version, doc.Keys == nil)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseDocument error = %v; want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			for _, secret := range []string{key, "hunter2"} {
				if strings.Contains(err.Error(), secret) {
					t.Error("error quotes a secret")
				}
			}
		})
	}
}

func TestParseDocumentFields(t *testing.T) {
	doc := testDoc(t, 3)
	data, err := PlainJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	// The documented form: indented, snake_case names, omitempty for context.
	for _, want := range []string{"{\n  \"format\": \"keytray-backup\",\n  \"version\": 1,\n  \"created\": \"2025-03-01T12:00:00Z\",\n  \"keys\": [\n",
		`"server_url": "https://chat.example.com"`, `"stored_at": `, `"user_id": `, `"server_name": "Team WebUI"`, `"role": "admin"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("PlainJSON lacks %q", want)
		}
	}
	if !bytes.HasSuffix(data, []byte("}\n")) {
		t.Error("PlainJSON does not end with a newline")
	}
	if n := bytes.Count(data, []byte(`"server_name"`)); n != 1 {
		t.Errorf("server_name written %d times; want only where set", n)
	}
	got, err := ParseDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	sameDoc(t, got, doc)

	empty, err := PlainJSON(Document{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(empty, []byte(`"keys": []`)) {
		t.Error("an empty document is not written with an empty key list")
	}
}

func TestEnvFile(t *testing.T) {
	key := randomKey(t)
	for url, base := range map[string]string{
		"https://chat.example.com":        "https://chat.example.com/api",
		"https://chat.example.com/":       "https://chat.example.com/api",
		"http://10.0.0.5:8080/owui":       "http://10.0.0.5:8080/owui/api",
		"http://10.0.0.5:8080/owui//":     "http://10.0.0.5:8080/owui/api",
		"https://chat.example.com/prefix": "https://chat.example.com/prefix/api",
	} {
		got := string(EnvFile(Key{Name: "x", ServerURL: url, Key: key}))
		if want := "OPENAI_API_KEY=" + key + "\nOPENAI_BASE_URL=" + base + "\n"; got != want {
			t.Errorf("EnvFile for %s: OPENAI_BASE_URL line wrong or extra content (want base %s)", url, base)
		}
	}
}

func TestSetScryptWorkFactorForTest(t *testing.T) {
	data := encode(t, testDoc(t, 1), Encryption{Passphrase: passphrase})
	if !bytes.Contains(data, []byte(" 10\n")) {
		t.Fatal("Encode did not use the test work factor 10")
	}
	restore := SetScryptWorkFactorForTest(11)
	data = encode(t, testDoc(t, 1), Encryption{Passphrase: passphrase})
	if !bytes.Contains(data, []byte(" 11\n")) {
		t.Fatal("Encode did not use work factor 11")
	}
	restore()
	// Back at 10: a file asking for 2^11 is over the cap Decode accepts.
	decodeErr(t, data, Decryption{Passphrase: passphrase}, ErrCorrupt)
	if data := encode(t, testDoc(t, 1), Encryption{Passphrase: passphrase}); !bytes.Contains(data, []byte(" 10\n")) {
		t.Fatal("restore did not bring back work factor 10")
	}
	for _, bad := range []int{0, 31} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetScryptWorkFactorForTest(%d) accepted", bad)
				}
			}()
			SetScryptWorkFactorForTest(bad)
		}()
	}
}
