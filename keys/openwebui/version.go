package openwebui

import (
	"strconv"
	"strings"
)

// ParseVersion reads "0.6.41" and tolerates a leading "v", a missing patch
// number ("0.6"), a pre-release or build suffix ("0.6.41-dev", "0.9.0+git")
// and further numeric components that forks append ("0.12.4.12"), which all
// count as the release their first three numbers name (openwebui-api.md §9.9).
func ParseVersion(s string) (major, minor, patch int, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+ "); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 8 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p[0] == '+' {
			return 0, 0, 0, false
		}
		if i < len(n) {
			n[i] = v
		}
	}
	return n[0], n[1], n[2], true
}

// VersionAtLeast reports whether version v is min or newer. An unparseable v
// (or min) is never at least anything.
func VersionAtLeast(v, min string) bool {
	a1, a2, a3, ok1 := ParseVersion(v)
	b1, b2, b3, ok2 := ParseVersion(min)
	if !ok1 || !ok2 {
		return false
	}
	if a1 != b1 {
		return a1 > b1
	}
	if a2 != b2 {
		return a2 > b2
	}
	return a3 >= b3
}
