package app

import (
	"time"

	"fyne.io/fyne/v2/lang"
)

// ago says how long before now t was, in words ("5 minutes ago"); older
// than a week it gives the date.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return lang.L("just now")
	case d < time.Hour:
		n := int(d / time.Minute)
		return lang.N("{{.Count}} minutes ago", n, map[string]any{"Count": n})
	case d < 24*time.Hour:
		n := int(d / time.Hour)
		return lang.N("{{.Count}} hours ago", n, map[string]any{"Count": n})
	case d < 7*24*time.Hour:
		n := int(d / (24 * time.Hour))
		return lang.N("{{.Count}} days ago", n, map[string]any{"Count": n})
	}
	return lang.L("on {{.Date}}", map[string]any{"Date": t.Local().Format("2006-01-02")})
}
