// Package clip is Keytray's clipboard work: the Keeper puts a key on the
// clipboard and clears it later only if the clipboard still holds that key;
// the guard watches the clipboard and warns when it holds a session JWT (or
// offers to save an sk- key Keytray does not know).
//
// Rules both follow: the clipboard is touched only on the Fyne main thread
// (fyne.Do; off it Fyne crashes); only text is read; what is read is never
// logged or sent anywhere; content is remembered as a SHA-256 hash, never as
// plaintext, once the copy or the check is done.
package clip

import (
	"crypto/sha256"
	"embed"
	"math"
	"time"

	"fyne.io/fyne/v2/lang"
)

// Translations holds this package's messages (en, zh_Hans). Load them with
// lang.AddTranslationsFS(clip.Translations, "translations").
//
//go:embed translations
var Translations embed.FS

type digest [sha256.Size]byte

// bigContent is longer than any credential; for such content the guard only
// needs to notice a change, so it hashes the length and both ends.
const bigContent = 8 << 10

func hashOf(s string) digest {
	if len(s) <= bigContent {
		return sha256.Sum256([]byte(s))
	}
	h := sha256.New()
	var n [8]byte
	for i := range n {
		n[i] = byte(uint64(len(s)) >> (8 * i))
	}
	h.Write(n[:])
	h.Write([]byte(s[:1024]))
	h.Write([]byte(s[len(s)-1024:]))
	var d digest
	h.Sum(d[:0])
	return d
}

// humanDuration says d in the largest unit that reads naturally: "30 seconds",
// "5 minutes", "3 hours", "2 days", "3 weeks", "4 months", "2 years".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	const day = 24 * time.Hour
	count := func(unit time.Duration) int { return max(1, int(math.Round(float64(d)/float64(unit)))) }
	switch {
	case d < time.Minute:
		n := count(time.Second)
		return lang.N("{{.Count}} seconds", n, map[string]any{"Count": n})
	case d < time.Hour:
		n := count(time.Minute)
		return lang.N("{{.Count}} minutes", n, map[string]any{"Count": n})
	case d < 2*day:
		n := count(time.Hour)
		return lang.N("{{.Count}} hours", n, map[string]any{"Count": n})
	case d < 14*day:
		n := count(day)
		return lang.N("{{.Count}} days", n, map[string]any{"Count": n})
	case d < 60*day:
		n := count(7 * day)
		return lang.N("{{.Count}} weeks", n, map[string]any{"Count": n})
	case d < 730*day:
		n := count(30 * day)
		return lang.N("{{.Count}} months", n, map[string]any{"Count": n})
	default:
		n := count(365 * day)
		return lang.N("{{.Count}} years", n, map[string]any{"Count": n})
	}
}
