//go:build !windows && !darwin

package clip

import "fyne.io/fyne/v2"

// setSecretText puts secret on the clipboard as plain text. Linux and the BSDs
// have a convention for marking it, the x-kde-passwordManagerHint target
// (value "secret") offered beside the text, which Klipper and some other
// clipboard managers honour. It cannot be offered here: on X11, GLFW owns
// Keytray's selection and answers TARGETS with the text types only, and a
// second X connection claiming the selection to add the target would take it
// away from GLFW. On Wayland the compositor, not the app, decides who reads
// the clipboard. So a clipboard manager may keep the key in its history; the
// clear after clipboard-clear removes it from the clipboard, not from that
// history (the README says so).
func setSecretText(cb fyne.Clipboard, secret string) {
	cb.SetContent(secret)
}
