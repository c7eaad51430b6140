package app

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// describeError is the one place where the window turns an error into a
// sentence for people: what happened and what to do about it. The kinds come
// from keys and its subpackages (errors.Is); the wording is translated here.
// Nothing secret can reach it: the core's errors never contain secrets.
func describeError(err error) string {
	if err == nil {
		return ""
	}
	switch {
	// The request was cancelled by the user (closing a dialog): not a failure.
	case errors.Is(err, context.Canceled):
		return lang.L("Cancelled.")

	// Keys and names.
	case errors.Is(err, keys.ErrJWTNotKey):
		return lang.L("This is a session token (JWT), not an API key. It stops working when you sign in again, when it expires or when the server's secret changes. Keytray can use it once to get your real API key instead.")
	case errors.Is(err, keys.ErrNotAKey):
		return lang.L("This is not an Open WebUI API key. API keys start with “sk-”; you find yours in Open WebUI under Settings › Account › API keys.")
	case errors.Is(err, keys.ErrNeedsSignIn):
		return lang.L("The server wants you to sign in for this. Sign in and try again.")
	case errors.Is(err, keys.ErrKeyExistsUnreadable), errors.Is(err, openwebui.ErrKeyUnreadable):
		return lang.L("Your account already has an API key, but this server does not show existing keys again. Only a new key (rotation) gives Keytray a usable one, and that stops the old key.")
	case errors.Is(err, vault.ErrExists):
		return lang.L("That name is already used by another key. Choose a different name.")
	case errors.Is(err, vault.ErrBadName):
		return lang.L("That name cannot be used. Choose a short name without line breaks or leading and trailing spaces.")
	case errors.Is(err, keys.ErrAlreadyStored):
		return lang.L("This key is already stored in Keytray, under another name.")
	case errors.Is(err, keys.ErrWrongAccount):
		return lang.L("You signed in as a different account than the one this key belongs to. Sign in as the key's owner.")
	case errors.Is(err, keys.ErrKeyMismatch):
		return lang.L("The account's key on the server is not the one Keytray stored, so nothing was changed on the server. Check the key first; if it was replaced elsewhere, remove it here.")
	case errors.Is(err, keys.ErrNothingToExport):
		return lang.L("There are no keys to export.")
	case errors.Is(err, vault.ErrKeyMissing):
		return lang.L("The keyring has no secret for this key any more (it may have been deleted in the keyring app). Remove it here and add it again.")
	case errors.Is(err, vault.ErrTooLarge):
		return lang.L("That is too long to be an API key.")
	case errors.Is(err, vault.ErrBadSetting):
		return lang.L("That setting value is not allowed.")
	case errors.Is(err, vault.ErrNotFound):
		return lang.L("Keytray has no such key any more. It may have been removed from the command line; the list has been refreshed.")

	// The keyring.
	case errors.Is(err, vault.ErrLocked):
		return lang.L("Your keyring is locked. Unlock it (for example in Seahorse, “Passwords and Keys”) and try again.")
	case errors.Is(err, vault.ErrTimeout):
		return lang.L("The keyring did not answer in time. It may be waiting for you to unlock it in another window; unlock it and try again.")
	case errors.Is(err, vault.ErrNoSessionBus):
		return lang.L("There is no D-Bus session, so Keytray cannot reach the keyring. Start Keytray from your desktop session.")
	case errors.Is(err, vault.ErrNoSecretService):
		return lang.L("No keyring service is running. Install and start GNOME Keyring or KeePassXC (with Secret Service enabled), then try again.")
	case errors.Is(err, vault.ErrUnavailable):
		return lang.L("The keyring could not be used. Check that your keyring service is running and unlocked, then try again.")
	case errors.Is(err, vault.ErrIndexBusy):
		return lang.L("Another Keytray process is changing the list of keys right now. Try again in a moment.")
	case errors.Is(err, vault.ErrIndexTooNew):
		return lang.L("Your list of keys was written by a newer version of Keytray. Update Keytray to use it; nothing was changed.")
	case errors.Is(err, vault.ErrIndexCorrupt):
		return lang.L("Keytray's list of keys was damaged and could not be restored. Your keys are still in the keyring; run “keytray doctor” for details.")

	// The server.
	case errors.Is(err, openwebui.ErrBadURL):
		return lang.L("That is not a usable server address. Type it as it appears in your browser, for example https://chat.example.com.")
	case errors.Is(err, openwebui.ErrNotOpenWebUI):
		return lang.L("The address answers, but not as Open WebUI. Check the address (including any path prefix) in your browser.")
	case errors.Is(err, openwebui.ErrTLS):
		return lang.L("The server's certificate is not trusted. If your organisation uses its own certificate authority, set its CA file for this server with the command line (keytray login --ca-file).")
	case errors.Is(err, openwebui.ErrInsecureHTTP):
		return lang.L("This server uses plain http://, so secrets would travel unencrypted. Keytray only sends them after you confirm.")
	case errors.Is(err, openwebui.ErrProxy):
		return lang.L("The proxy in front of the server reported an error (the server may be restarting or down). Try again in a minute.")
	case errors.Is(err, openwebui.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return lang.L("The server did not answer in time. Check your connection and try again.")
	case errors.Is(err, openwebui.ErrUnreachable):
		return lang.L("The server cannot be reached. Check the address and your network connection (and VPN, if you need one).")
	case errors.Is(err, openwebui.ErrWrongCredentials):
		return lang.L("Wrong email or password. Check them and try again.")
	case errors.Is(err, openwebui.ErrRateLimited):
		return retryText(err)
	case errors.Is(err, openwebui.ErrPasswordAuthOff):
		return lang.L("This server has password sign-in turned off. Sign in in your browser and paste your session token instead.")
	case errors.Is(err, openwebui.ErrLDAPDisabled):
		return lang.L("This server does not offer LDAP sign-in. Use email and password, or paste a session token.")
	case errors.Is(err, openwebui.ErrSessionInvalid):
		return lang.L("The session token is not valid any more (it expired, or you signed in again). Copy a fresh one from Open WebUI and try again.")
	case errors.Is(err, openwebui.ErrAccessProhibited):
		return lang.L("The server does not let this account in yet (it may be waiting for an admin's approval). Ask an admin of the server.")
	case errors.Is(err, openwebui.ErrKeysDisabled):
		return lang.L("API keys are turned off on this server. An admin can enable them in Admin Settings › General.")
	case errors.Is(err, openwebui.ErrNoKeyPermission):
		return lang.L("Your account is not allowed to use API keys. Ask an admin of the server to give you the API-keys permission.")
	case errors.Is(err, openwebui.ErrNoKey):
		return lang.L("Your account has no API key on this server.")
	case errors.Is(err, openwebui.ErrKeyRejected):
		return lang.L("The server rejected this key: it was revoked or replaced by a newer one. Rotate it to get a working key.")
	case errors.Is(err, openwebui.ErrServer):
		return lang.L("The server ran into an error. Try again later, or ask its admin to look at the server's log.")
	case errors.Is(err, openwebui.ErrUnexpectedResponse):
		return lang.L("The server gave an answer Keytray does not understand. It may be a newer or modified Open WebUI; please report this.")

	// Backups.
	case errors.Is(err, backup.ErrWrongPassphrase):
		return lang.L("Wrong passphrase for this backup.")
	case errors.Is(err, backup.ErrWrongIdentity):
		return lang.L("None of the keys in that identity file can open this backup. Choose the identity it was made for.")
	case errors.Is(err, backup.ErrCorrupt):
		return lang.L("The backup is damaged or was changed after it was made. Nothing was imported.")
	case errors.Is(err, backup.ErrNotAge):
		return lang.L("That file is not an encrypted Keytray backup.")
	case errors.Is(err, backup.ErrNotKeytray):
		return lang.L("That file can be decrypted, but it is not a Keytray backup.")
	case errors.Is(err, backup.ErrNewerFormat):
		return lang.L("This backup was made by a newer version of Keytray. Update Keytray to import it.")
	case errors.Is(err, backup.ErrInvalid):
		return lang.L("The backup's content is not valid, so nothing was imported.")
	case errors.Is(err, backup.ErrWeakPassphrase):
		return lang.L("Choose a passphrase of at least 12 characters.")
	case errors.Is(err, backup.ErrBadRecipient):
		return lang.L("A recipient is not usable. Recipients look like “age1…”, “ssh-ed25519 …” or “ssh-rsa …”, one per line.")
	case errors.Is(err, fs.ErrExist):
		return lang.L("A file with that name already exists.")
	case errors.Is(err, fs.ErrNotExist):
		return lang.L("The file does not exist.")
	case errors.Is(err, fs.ErrPermission):
		return lang.L("Keytray is not allowed to use that file or folder.")
	}
	return lang.L("Something went wrong that Keytray does not recognise. Try again; if it keeps happening, run “keytray doctor”.")
}

// retryText says how long to wait after the server throttled sign-ins.
func retryText(err error) string {
	var oe *openwebui.Error
	wait := 3 * time.Minute // what Open WebUI's limiter asks for when it does not say
	if errors.As(err, &oe) && oe.RetryAfter > 0 {
		wait = oe.RetryAfter
	}
	minutes := int(math.Ceil(wait.Minutes()))
	return lang.N("Too many sign-in attempts. Wait {{.Count}} minutes, then try again.", minutes, map[string]any{"Count": minutes})
}
