package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// fuzzIdentity is a throwaway age identity used only by these tests. It is
// fixed (not generated) because fuzz workers are separate processes: each
// must be able to decrypt the seeds the others made.
const fuzzIdentity = "AGE-SECRET-KEY-1XK7XDTCW77W6CKN6R0P8H5M27PYS7K46ZDX3NW3DWCVZWDSWWD4SEKQLG6"
const fuzzRecipient = "age15hx2ux093q67h43tg6mlkury99mfn895dztz040gg4lyw0rrgvlsyahncc"

// fixedDoc is testDoc with keys derived from their index, the same in every process.
func fixedDoc(n int) Document {
	doc := Document{Format: Format, Version: Version, Created: created, Keys: make([]Key, n)}
	for i := range doc.Keys {
		sum := sha256.Sum256(fmt.Appendf(nil, "key %d", i))
		doc.Keys[i] = Key{
			Name:      fmt.Sprintf("user%d@chat.example.com", i),
			ServerURL: []string{"https://chat.example.com", "http://10.0.0.5:8080/owui"}[i%2],
			Email:     fmt.Sprintf("user%d@example.com", i),
			Key:       "sk-" + hex.EncodeToString(sum[:16]),
			StoredAt:  created.Add(-time.Duration(i) * time.Minute),
			Role:      []string{"", "admin"}[i%2],
		}
	}
	return doc
}

// sameInstants compares documents with times compared as instants: JSON keeps
// the instant and offset, not Go's *time.Location (Local vs a fixed zone).
func sameInstants(a, b Document) bool {
	norm := func(d Document) Document {
		d.Created = d.Created.UTC()
		d.Keys = append([]Key(nil), d.Keys...)
		for i := range d.Keys {
			d.Keys[i].StoredAt = d.Keys[i].StoredAt.UTC()
		}
		return d
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func FuzzParseDocument(f *testing.F) {
	valid, err := PlainJSON(fixedDoc(3))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(`{"format":"keytray-backup","version":1}`))
	f.Add([]byte(`{"format":"keytray-backup","version":1,"created":"2025-03-01T12:00:00+01:00","keys":[{"name":"a","server_url":"http://[::1]:3000/x/","key":"k","stored_at":"2025-03-01T12:00:00.123456789-07:30","extra":[1]}],"more":{}}`))
	f.Add([]byte(`{"format":"keytray-backup","version":2}`))
	f.Add([]byte(`{"format":"keytray-backup","version":1,"keys":[{"name":"a","server_url":"ftp://h","key":"k"},{"name":"a"}]}`))
	f.Add([]byte(`{"FORMAT":"keytray-backup","Version":1.0,"keys":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error outside the promised kinds: %v", err)
			}
			return
		}
		if doc.Format != Format || doc.Version != Version || doc.Keys == nil {
			t.Fatalf("accepted format %q version %d", doc.Format, doc.Version)
		}
		// Whatever is accepted can be written back and reads the same.
		again, err := PlainJSON(doc)
		if err != nil {
			t.Fatalf("accepted document does not re-encode: %v", err)
		}
		doc2, err := ParseDocument(again)
		if err != nil {
			t.Fatalf("re-encoded document does not parse: %v", err)
		}
		if !sameInstants(doc, doc2) {
			t.Fatal("document changed through a re-encode")
		}
	})
}

func FuzzDecode(f *testing.F) {
	want := fixedDoc(2)
	byPass := Decryption{Passphrase: passphrase}
	byID := Decryption{Identities: []byte(fuzzIdentity)}
	for _, enc := range []Encryption{
		{Passphrase: passphrase},
		{Passphrase: passphrase, Armor: true},
		{Recipients: []string{fuzzRecipient}},
		{Recipients: []string{fuzzRecipient}, Armor: true},
	} {
		data := encode(f, want, enc)
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(data[:len(data)-1])
		flipped := bytes.Clone(data)
		flipped[len(flipped)-20] ^= 1
		f.Add(flipped)
	}
	f.Add([]byte("age-encryption.org/v1\n-> scrypt AAAAAAAAAAAAAAAAAAAAAA 30\nAAAA\n--- AAAA\n"))
	f.Add([]byte("-----BEGIN AGE ENCRYPTED FILE-----\n-----END AGE ENCRYPTED FILE-----\n"))
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dec := range []Decryption{byPass, byID} {
			doc, err := Decode(bytes.NewReader(data), dec)
			if err != nil {
				if !isSentinel(err) {
					t.Fatalf("error outside the promised kinds: %v", err)
				}
				continue
			}
			// Only a real encryption of the document can decrypt (age
			// authenticates everything); armor white space may vary.
			if !sameInstants(doc, want) {
				t.Fatal("Decode succeeded with a document nobody encrypted")
			}
		}
	})
}

// The benchmarks show where export and import time goes: with a passphrase
// it is scrypt at age's default cost (2^18, by design about a second);
// Keytray's own work is the X25519 case.

func benchCases(b *testing.B) []struct {
	name string
	enc  Encryption
	dec  Decryption
	logN int
} {
	return []struct {
		name string
		enc  Encryption
		dec  Decryption
		logN int
	}{
		{"passphrase-scrypt2^18", Encryption{Passphrase: passphrase}, Decryption{Passphrase: passphrase}, defaultScryptLogN},
		{"x25519", Encryption{Recipients: []string{fuzzRecipient}}, Decryption{Identities: []byte(fuzzIdentity)}, 10},
	}
}

func BenchmarkEncode1000(b *testing.B) {
	doc := fixedDoc(1000)
	for _, bc := range benchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			defer SetScryptWorkFactorForTest(bc.logN)()
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := Encode(&buf, doc, bc.enc); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}

func BenchmarkDecode1000(b *testing.B) {
	doc := fixedDoc(1000)
	for _, bc := range benchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			defer SetScryptWorkFactorForTest(bc.logN)()
			data := encode(b, doc, bc.enc)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bytes.NewReader(data), bc.dec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
