//go:build darwin && !cgo

package clip

import "fyne.io/fyne/v2"

// setSecretText without cgo (only cross-compiled checks such as
// `GOOS=darwin go vet`; the real macOS app always builds with cgo, see
// clip_darwin.go): plain text, no concealed-type mark.
func setSecretText(cb fyne.Clipboard, secret string) {
	cb.SetContent(secret)
}
