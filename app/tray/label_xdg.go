//go:build linux || freebsd || openbsd || netbsd || dragonfly

package tray

import "strings"

// escapeLabel: dbusmenu reads "_" as an access-key marker; "__" is a literal
// underscore, so "my_key" would otherwise show as "mykey".
func escapeLabel(s string) string { return strings.ReplaceAll(s, "_", "__") }
