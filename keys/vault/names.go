package vault

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keytray/keytray/internal/safetext"
)

// MaxNameLen is the longest entry name, in characters.
const MaxNameLen = 128

// ProbeAccount is the keyring account CheckKeyring writes and deletes; no
// entry may use it.
const ProbeAccount = "keytray-doctor-probe"

// stashPrefix starts the name of the item a case-only rename keeps the key in
// while the entry's own item is deleted and written again; no entry may use it.
const stashPrefix = "keytray-rename-stash-"

// ValidName checks an entry name: it is the keyring account string and a
// command-line argument (`keytray get NAME`), so it must be non-empty, at most
// MaxNameLen characters, valid UTF-8, without control or invisible format
// characters (which could make two names look alike), without leading or
// trailing space, and must not start with "-" (it would read as a flag).
func ValidName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrBadName, name, why) }
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrBadName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: not valid UTF-8", ErrBadName)
	case utf8.RuneCountInString(name) > MaxNameLen:
		return fmt.Errorf("%w: longer than %d characters", ErrBadName, MaxNameLen)
	case strings.TrimSpace(name) != name:
		return bad("leading or trailing space")
	case strings.HasPrefix(name, "-"):
		return bad(`starts with "-"`)
	case isProbe(name):
		return bad("reserved for the keyring check")
	case strings.HasPrefix(nameKey(name), stashPrefix):
		return bad("reserved for renames")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("%w: contains control or invisible character %U", ErrBadName, r)
		}
	}
	return nil
}

// isProbe reports whether account is one CheckKeyring uses (the shared name
// older Keytrays used, or a per-process one).
func isProbe(account string) bool {
	k := nameKey(account)
	return k == ProbeAccount || strings.HasPrefix(k, ProbeAccount+"-")
}

// suffixed is base-n, base shortened so that it fits in MaxNameLen.
func suffixed(base string, n int) string {
	suffix := fmt.Sprintf("-%d", n)
	b := []rune(base)
	if keep := MaxNameLen - len(suffix); len(b) > keep {
		b = []rune(strings.TrimRightFunc(string(b[:keep]), unicode.IsSpace))
	}
	return string(b) + suffix
}

// cleanEntry escapes control characters in what a server or a backup told
// about an entry (see safetext).
func cleanEntry(e *Entry) {
	for _, f := range []*string{&e.Email, &e.UserID, &e.Role, &e.LastStatus, &e.LastDetail, &e.Source} {
		*f = safetext.Clean(*f)
	}
}

func cleanInstance(in *Instance) {
	in.Name, in.Version = safetext.Clean(in.Name), safetext.Clean(in.Version)
}

// nameKey is what makes two names the same. Case is folded because the
// Windows Credential Manager (and macOS Keychain searches) treat account
// strings case-insensitively: "Alice" and "alice" would be one item there.
func nameKey(name string) string { return strings.ToLower(name) }

func findEntry(idx *Index, name string) int {
	k := nameKey(name)
	for i, e := range idx.Entries {
		if nameKey(e.Name) == k {
			return i
		}
	}
	return -1
}

func findInstance(idx *Index, url string) int {
	for i, in := range idx.Instances {
		if in.URL == url {
			return i
		}
	}
	return -1
}

// uniqueName is base, or base-2, base-3… (base shortened so that the
// suffix fits in MaxNameLen), whichever idx does not use.
func uniqueName(idx *Index, base string) string {
	if findEntry(idx, base) < 0 {
		return base
	}
	for n := 2; ; n++ {
		if name := suffixed(base, n); findEntry(idx, name) < 0 {
			return name
		}
	}
}
