package tray

import (
	"math"

	"fyne.io/fyne/v2/lang"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/keytray/keytray/keys/vault"
)

// maxFlat is the most keys one menu level lists before they are grouped
// alphabetically ("A–F", "G–M", …).
const maxFlat = 25

// Item is one entry of the tray menu model: a key to copy (Key set), or a
// submenu (Children set). The model is built by BuildMenu, a pure function,
// and only then turned into a fyne.Menu.
type Item struct {
	Label    string
	Key      string // the entry name to copy when clicked; "" for a submenu
	Children []Item
}

// BuildMenu lays out the keys part of the tray menu. With one server it
// lists the keys; with several it has one submenu per server (the server's
// own name, or its host). A level with more than maxFlat keys is split into
// alphabetical groups of about √n keys each, so a thousand keys never make a
// thousand-line menu.
func BuildMenu(entries []vault.Entry, instances []vault.Instance) []Item {
	if len(entries) == 0 {
		return nil
	}
	groups := map[string][]string{} // instance URL → entry names
	var urls []string
	attention := map[string]bool{}
	for _, e := range entries {
		if NeedsAttention(e) {
			attention[e.Name] = true
		}
		if _, ok := groups[e.Instance]; !ok {
			urls = append(urls, e.Instance)
		}
		groups[e.Instance] = append(groups[e.Instance], e.Name)
	}
	if len(urls) == 1 {
		return keyItems(groups[urls[0]], attention)
	}
	labels := serverLabels(urls, instances)
	sort.Slice(urls, func(i, j int) bool { return lessFold(labels[urls[i]], labels[urls[j]]) })
	items := make([]Item, 0, len(urls))
	for _, u := range urls {
		items = append(items, Item{Label: labels[u], Children: keyItems(groups[u], attention)})
	}
	return items
}

// keyItems lists names sorted, grouped alphabetically when there are many.
// attentionMark is put before the name of a key whose last check failed.
const attentionMark = "⚠ "

// NeedsAttention reports whether e's last check says the key does not work
// (rejected, refused, or the server could not be asked).
func NeedsAttention(e vault.Entry) bool {
	switch e.LastStatus {
	case "", "valid", "restricted":
		return false
	}
	return true
}

// Tooltip is the tray icon's tooltip: how many keys, and how many need attention.
func Tooltip(entries []vault.Entry) string {
	n := 0
	for _, e := range entries {
		if NeedsAttention(e) {
			n++
		}
	}
	keys := lang.N("{{.Count}} keys", len(entries), map[string]any{"Count": len(entries)})
	if n == 0 {
		return lang.L("Keytray — {{.Keys}}", map[string]any{"Keys": keys})
	}
	return lang.L("Keytray — {{.Keys}}, {{.Attention}}", map[string]any{"Keys": keys,
		"Attention": lang.N("{{.Count}} need attention", n, map[string]any{"Count": n})})
}

func keyItems(names []string, attention map[string]bool) []Item {
	names = append([]string(nil), names...)
	sort.Slice(names, func(i, j int) bool { return lessFold(names[i], names[j]) })
	leaves := func(names []string) []Item {
		items := make([]Item, len(names))
		for i, n := range names {
			items[i] = Item{Label: n, Key: n}
			if attention[n] {
				items[i].Label = attentionMark + n
			}
		}
		return items
	}
	if len(names) <= maxFlat {
		return leaves(names)
	}
	chunks := chunk(names, max(maxFlat, int(math.Ceil(math.Sqrt(float64(len(names)))))))
	items := make([]Item, len(chunks))
	for i, c := range chunks {
		var prevLast, nextFirst string
		if i > 0 {
			prevLast = last(chunks[i-1])
		}
		if i+1 < len(chunks) {
			nextFirst = chunks[i+1][0]
		}
		items[i] = Item{Label: rangeLabel(c[0], last(c), prevLast, nextFirst), Children: leaves(c)}
	}
	return items
}

// chunk splits sorted names into about ⌈n/limit⌉ runs of even size. It cuts
// where the first letter changes when that does not cost more than a quarter
// more runs (whole letters packed together, a big letter cut by count);
// otherwise it cuts by count alone.
func chunk(names []string, limit int) [][]string {
	k := (len(names) + limit - 1) / limit
	target := (len(names) + k - 1) / k
	if packed := packByInitial(names, target); len(packed) <= k+k/4 {
		return packed
	}
	out := make([][]string, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, names[i*len(names)/k:(i+1)*len(names)/k])
	}
	return out
}

func packByInitial(names []string, target int) [][]string {
	var out [][]string
	var cur []string
	for i := 0; i < len(names); {
		j := i + 1
		for j < len(names) && sameInitial(names[i], names[j]) {
			j++
		}
		letter := names[i:j]
		if len(cur)+len(letter) > target && len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
		for len(letter) > target {
			out = append(out, letter[:target:target])
			letter = letter[target:]
		}
		cur = append(cur, letter...) // cur is always its own array: it starts from nil
		i = j
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// rangeLabel names a chunk "A–F": from the shortest prefix of first that
// differs from the previous chunk's last name, to the shortest prefix of
// lastName that differs from the next chunk's first name.
func rangeLabel(first, lastName, prevLast, nextFirst string) string {
	from, to := distinctPrefix(first, prevLast), distinctPrefix(lastName, nextFirst)
	if strings.EqualFold(from, to) {
		return from
	}
	return from + "–" + to
}

// distinctPrefix is the shortest prefix of s (at least one character,
// upper-cased for display) that is not a case-insensitive prefix of other.
func distinctPrefix(s, other string) string {
	rs, lo := []rune(s), strings.ToLower(other)
	n := 1
	for ; n < len(rs); n++ {
		if !strings.HasPrefix(lo, strings.ToLower(string(rs[:n]))) {
			break
		}
	}
	return strings.ToUpper(string(rs[:min(n, len(rs))]))
}

// serverLabels names each server by its own name, or its host when it has
// none; servers that would share a label are shown by host (and path) instead.
func serverLabels(urls []string, instances []vault.Instance) map[string]string {
	names := map[string]string{}
	for _, in := range instances {
		names[in.URL] = strings.TrimSpace(in.Name)
	}
	labels := make(map[string]string, len(urls))
	count := map[string]int{}
	for _, u := range urls {
		l := names[u]
		if l == "" {
			l = hostOf(u)
		}
		labels[u] = l
		count[strings.ToLower(l)]++
	}
	for _, u := range urls {
		if count[strings.ToLower(labels[u])] > 1 {
			labels[u] = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		}
	}
	return labels
}

func hostOf(instanceURL string) string {
	u, err := url.Parse(instanceURL)
	if err != nil || u.Host == "" {
		return instanceURL
	}
	return u.Host
}

func lessFold(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

func sameInitial(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(strings.ToLower(a))
	rb, _ := utf8.DecodeRuneInString(strings.ToLower(b))
	return ra == rb
}

func last(s []string) string { return s[len(s)-1] }
