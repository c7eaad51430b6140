//go:build !windows && !darwin

package clip

import "fyne.io/fyne/v2"

// setSecretText puts secret on the clipboard. Through Keytray's own
// clipboard connection (X11 or Wayland data-control, sysclip) it is offered
// with x-kde-passwordManagerHint = secret beside the text, the mark that
// Klipper, CopyQ and other clipboard managers honour by keeping it out of
// their history (KeePassXC sets it the same way). Through Fyne's clipboard,
// the fallback when neither is reachable, it goes as plain text.
func setSecretText(cb fyne.Clipboard, secret string) {
	if b, ok := cb.(systemBoard); ok {
		b.setSecret(secret)
		return
	}
	cb.SetContent(secret)
}

// setSecret puts secret on the clipboard with the password-manager hint.
func (b systemBoard) setSecret(secret string) {
	if err := b.c.Set(secret, true); err != nil {
		fyne.LogError("copying the key to the clipboard failed", err)
	}
}
