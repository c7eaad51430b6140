package xsel

import (
	"encoding/binary"
	"testing"

	"github.com/jezek/xgb/xproto"
)

func testAtoms() *atoms {
	var a atoms
	for i, p := range a.ptrs() {
		*p = xproto.Atom(100 + i)
	}
	return &a
}

func targetsOf(t *testing.T, r reply) []xproto.Atom {
	t.Helper()
	if r.format != 32 || len(r.data)%4 != 0 {
		t.Fatalf("TARGETS reply: format %d, %d bytes", r.format, len(r.data))
	}
	var out []xproto.Atom
	for i := 0; i < len(r.data); i += 4 {
		out = append(out, xproto.Atom(binary.LittleEndian.Uint32(r.data[i:])))
	}
	return out
}

func TestTargetsOfASecretIncludeTheHint(t *testing.T) {
	a := testAtoms()
	r, ok := convert(a, a.targets, "sk-abc", true)
	if !ok || r.typ != a.atom {
		t.Fatalf("TARGETS: ok %v, type %d", ok, r.typ)
	}
	got := targetsOf(t, r)
	want := []xproto.Atom{a.targets, a.utf8, xproto.AtomString, a.text, a.plainUTF8, a.plain, a.hint}
	if len(got) != len(want) {
		t.Fatalf("TARGETS = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("TARGETS = %v, want %v", got, want)
		}
	}
	h, ok := convert(a, a.hint, "sk-abc", true)
	if !ok || string(h.data) != "secret" || h.format != 8 {
		t.Fatalf("hint: ok %v, %q format %d", ok, h.data, h.format)
	}
}

func TestPlainTextHasNoHint(t *testing.T) {
	a := testAtoms()
	r, _ := convert(a, a.targets, "", false)
	for _, x := range targetsOf(t, r) {
		if x == a.hint {
			t.Fatal("an emptied clipboard still offers the password-manager hint")
		}
	}
	if _, ok := convert(a, a.hint, "", false); ok {
		t.Fatal("the hint is served for plain text")
	}
}

func TestTextTargets(t *testing.T) {
	a := testAtoms()
	for _, tc := range []struct {
		target, typ xproto.Atom
		want        string
	}{
		{a.utf8, a.utf8, "clé"},
		{a.plainUTF8, a.plainUTF8, "clé"},
		{a.text, a.utf8, "clé"},
		{xproto.AtomString, xproto.AtomString, "cl\xe9"},
		{a.plain, a.plain, "cl\xe9"},
	} {
		r, ok := convert(a, tc.target, "clé", true)
		if !ok || r.typ != tc.typ || r.format != 8 || string(r.data) != tc.want {
			t.Errorf("target %d: ok %v type %d format %d data %q", tc.target, ok, r.typ, r.format, r.data)
		}
	}
	if _, ok := convert(a, a.multiple, "x", true); ok {
		t.Error("MULTIPLE is answered")
	}
	if _, ok := convert(a, a.utf8, string(make([]byte, textLimit+1)), false); ok {
		t.Error("text over the limit is answered without INCR")
	}
}
