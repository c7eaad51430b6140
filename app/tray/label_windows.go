package tray

import "strings"

// escapeLabel: Windows menus read "&" as an access-key marker; "&&" is a
// literal ampersand.
func escapeLabel(s string) string { return strings.ReplaceAll(s, "&", "&&") }
