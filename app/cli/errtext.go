package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// Explain turns an error from keys (or its subpackages) into one English
// sentence that says what happened and what to do about it. It is the one
// place where errors become words: the desktop app uses it too.
//
// It never includes a secret: only sentinel kinds, server URLs, entry names,
// paths and the server's own "detail" text (which never holds what was sent).
func Explain(err error) string {
	if err == nil {
		return ""
	}
	s := subjectOf(err)
	var owe *openwebui.Error
	if errors.As(err, &owe) && s.server == "" {
		s.server = owe.URL
	}
	for _, explain := range []func(error, subject, *openwebui.Error) string{
		explainService, explainKeyring, explainVault, explainServer, explainBackup, explainLocal,
	} {
		if sentence := explain(err, s, owe); sentence != "" {
			return sentence
		}
	}
	return fixSentence(err.Error())
}

// RecoveryNotice says what happened when the index could not be used as it
// was: replaced by its last-good copy, and/or repaired.
func RecoveryNotice(r *vault.Recovery) string {
	if r.Cause == nil {
		return "the index file had inconsistencies, which Keytray repaired: " + strings.Join(r.Repairs, "; ") + "."
	}
	s := "the index file was damaged or missing, so Keytray restored it from its last good copy, which is normally " +
		"up to date (should a key be missing from `keytray list`, it is still in the keyring: add it again with `keytray add`)."
	if r.CorruptCopy != "" {
		s += " The damaged file was kept as " + r.CorruptCopy + "."
	}
	if len(r.Repairs) > 0 {
		s += " Also repaired: " + strings.Join(r.Repairs, "; ") + "."
	}
	return s
}

// subject is what an error was about, for the sentence.
type subject struct {
	name   string // entry name
	path   string // file
	server string // base URL
	adding bool   // the key in question is not stored (add)
}

// subjectError attaches a subject to an error without changing its kinds.
type subjectError struct {
	subject
	err error
}

func (e *subjectError) Error() string { return e.err.Error() }
func (e *subjectError) Unwrap() error { return e.err }

// subjectOf merges every subject attached along err's chain (outermost wins).
func subjectOf(err error) subject {
	var s subject
	for e := err; e != nil; e = errors.Unwrap(e) {
		if se, ok := e.(*subjectError); ok {
			s.name = orDefault(s.name, se.name)
			s.path = orDefault(s.path, se.path)
			s.server = orDefault(s.server, se.server)
			s.adding = s.adding || se.adding
		}
	}
	return s
}

func withName(err error, name string) error {
	if err == nil {
		return nil
	}
	return &subjectError{subject{name: name}, err}
}

func withPath(err error, path string) error {
	if err == nil {
		return nil
	}
	return &subjectError{subject{path: path}, err}
}

// whileAdding marks err as being about a key that is not stored.
func whileAdding(err error) error {
	if err == nil {
		return nil
	}
	return &subjectError{subject{adding: true}, err}
}

func withServer(err error, url string) error {
	if err == nil {
		return nil
	}
	return &subjectError{subject{server: url}, err}
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// jwtNotKeySentence explains exit status 3.
func jwtNotKeySentence(server string) string {
	url := orDefault(server, "URL")
	return "that is a session token (JWT), not an API key, so nothing was stored. " +
		"It is the token shown in Open WebUI's Settings › Account, and it stops working at the next sign-in, " +
		"when it expires, or when the server's secret key changes. Run `keytray login " + url +
		" --token-stdin` to turn it into a lasting API key, or copy the API key from Settings › Account › API keys " +
		"and store that with `keytray add " + url + " --key-stdin`."
}

func explainService(err error, s subject, _ *openwebui.Error) string {
	url := orDefault(s.server, "URL")
	var unsaved *keys.UnsavedKeyError
	if errors.As(err, &unsaved) {
		return fmt.Sprintf("the server made a new key for %s, but it could not be stored (%s). "+
			"The key exists nowhere else, so it was printed on stdout: save it now, and once the problem is fixed "+
			"store it with `keytray add %s --key-stdin`.", quoteOr(unsaved.Name, "the account"),
			strings.TrimSuffix(Explain(unsaved.Err), "."), url)
	}
	switch {
	case errors.Is(err, keys.ErrJWTNotKey):
		return jwtNotKeySentence(s.server)
	case errors.Is(err, keys.ErrNotAKey):
		return "that is not an Open WebUI API key (those start with sk-), so nothing was stored. " +
			"Copy the key from Settings › Account › API keys, or run `keytray login " + url + "` to fetch one."
	case errors.Is(err, keys.ErrKeyExistsUnreadable):
		return "the account already has an API key, and the server will not show it again, so nothing was stored. " +
			"If you have that key, store it with `keytray add " + url + " --key-stdin`; " +
			"otherwise add --rotate to make a new key (whatever uses the old key stops working)."
	case errors.Is(err, keys.ErrWrongAccount):
		return fmt.Sprintf("that sign-in is for a different account than the one %s belongs to, so nothing was changed: "+
			"sign in as the key's owner.", quoteOr(s.name, "the key"))
	case errors.Is(err, keys.ErrKeyMismatch):
		return fmt.Sprintf("the account's current key on %s is not the one stored as %s, so nothing was deleted there "+
			"(that would break whatever uses the other key). If the stored key was replaced elsewhere, forget it with `keytray remove %s`.",
			orDefault(s.server, "the server"), quoteOr(s.name, "NAME"), orDefault(s.name, "NAME"))
	case errors.Is(err, keys.ErrAlreadyStored):
		if s.name != "" {
			return fmt.Sprintf("that key is already stored as %q; nothing was added (`keytray rename` gives it another name).", s.name)
		}
		return "that key is already stored in Keytray (see `keytray list`); nothing was added."
	case errors.Is(err, keys.ErrNothingToExport):
		return "there are no keys to export."
	case errors.Is(err, keys.ErrUnknownSetting), errors.Is(err, keys.ErrBadSettingValue), errors.Is(err, vault.ErrBadSetting):
		return fixSentence(err.Error())
	case errors.Is(err, keys.ErrNeedsSignIn):
		return "the server wants a sign-in for this (it does not let the key manage itself): " +
			"run the command in a terminal to be asked for the password, or pipe it in with --password-stdin " +
			"(or a session token with --token-stdin)."
	}
	return ""
}

func explainKeyring(err error, _ subject, _ *openwebui.Error) string {
	switch {
	case errors.Is(err, vault.ErrNoSessionBus):
		return "the keyring cannot be reached because there is no D-Bus session bus: " +
			"run Keytray inside a desktop session, or start one with `dbus-run-session -- sh`."
	case errors.Is(err, vault.ErrNoSecretService):
		return "no Secret Service is running on the session bus, so there is no keyring to keep keys in: " +
			"install and start gnome-keyring (or KeePassXC with its Secret Service integration enabled)."
	case errors.Is(err, vault.ErrLocked):
		return "the keyring is locked: unlock it in Seahorse (Passwords and Keys) or your desktop's keyring tool, " +
			"then try again. Nothing was changed."
	case errors.Is(err, vault.ErrTimeout):
		return "the keyring did not answer in time (it may be waiting for an unlock prompt): " +
			"unlock it and try again. Nothing was changed."
	case errors.Is(err, vault.ErrUnavailable):
		return fmt.Sprintf("the keyring is not usable (%v): run `keytray doctor` for details.", err)
	}
	return ""
}

func explainVault(err error, s subject, _ *openwebui.Error) string {
	switch {
	case errors.Is(err, vault.ErrNotFound):
		if s.name != "" {
			return fmt.Sprintf("no key named %q is stored: run `keytray list` to see the names.", s.name)
		}
		return "no key by that name is stored: run `keytray list` to see the names."
	case errors.Is(err, vault.ErrExists):
		if s.name != "" {
			return fmt.Sprintf("the name %q is already in use: choose another one (with --name NAME for login and add), "+
				"or rename the stored key with `keytray rename`.", s.name)
		}
		return "that name is already in use: choose another with --name NAME (or rename the stored key with `keytray rename`)."
	case errors.Is(err, vault.ErrKeyMissing):
		return fmt.Sprintf("the keyring has no item for %s (it was deleted outside Keytray, or this is another keyring): "+
			"store the key again with `keytray add`, or forget the entry with `keytray remove %s`.",
			quoteOr(s.name, "this key"), orDefault(s.name, "NAME"))
	case errors.Is(err, vault.ErrTooLarge):
		return "that is far too long to be an API key."
	case errors.Is(err, vault.ErrIndexTooNew):
		return orDefault(s.path, "Keytray's index file") + " was written by a newer Keytray and was left untouched: update Keytray."
	case errors.Is(err, vault.ErrIndexBusy):
		return "another Keytray process (the desktop app?) is in the middle of changing the index: try again in a moment."
	case errors.Is(err, vault.ErrBadName):
		return fmt.Sprintf("%q cannot be used as a name (%v): use letters, digits, and . _ - @.", s.name, err)
	case errors.Is(err, vault.ErrIndexCorrupt):
		where := orDefault(s.path, "Keytray's index file")
		return where + " is damaged and there is no good copy to fall back on. Your keys are still in the keyring; " +
			"move the damaged file aside and add them again with `keytray add` (run `keytray doctor` for the paths)."
	}
	return ""
}

func explainServer(err error, s subject, owe *openwebui.Error) string {
	url := orDefault(s.server, "the server")
	said := ""
	if owe != nil && owe.Detail != "" {
		said = fmt.Sprintf(" (the server said: %q)", owe.Detail)
	}
	switch {
	case errors.Is(err, openwebui.ErrWrongCredentials):
		return "the server refused the sign-in: wrong email (or LDAP user name) or password. " +
			"Check them and try again; nothing was stored."
	case errors.Is(err, openwebui.ErrRateLimited):
		return fmt.Sprintf("%s is refusing sign-ins for this account after too many attempts: wait %s and try again.",
			url, waitText(owe))
	case errors.Is(err, openwebui.ErrPasswordAuthOff):
		return url + " has password sign-in switched off. Sign in in the browser, copy the session token from " +
			"Settings › Account and run `keytray login " + orDefault(s.server, "URL") + " --token-stdin`."
	case errors.Is(err, openwebui.ErrLDAPDisabled):
		return url + " does not have LDAP sign-in enabled: sign in with --email instead, or ask an admin to enable LDAP."
	case errors.Is(err, openwebui.ErrSessionInvalid):
		return "the session token was refused: it has expired, was signed out, or the server's secret key changed. " +
			"Sign in in the browser again and copy a fresh token from Settings › Account."
	case errors.Is(err, openwebui.ErrKeysDisabled):
		return "API keys are disabled on " + url + ": an admin can enable them in Admin Settings › General › Enable API Keys."
	case errors.Is(err, openwebui.ErrNoKeyPermission):
		return "this account is not allowed to use API keys on " + url +
			": ask an admin to grant \"API Keys\" in your group's permissions (Admin Settings › Users › Groups)."
	case errors.Is(err, openwebui.ErrAccessProhibited):
		return "the server does not let this account do that" + said +
			": the account may still be pending approval, or its role lacks access. Ask an admin."
	case errors.Is(err, openwebui.ErrKeyRejected) && s.adding:
		return "the server rejected that key: it was revoked, or replaced by a newer key (an account has one key, " +
			"and making a new one ends the old one). Nothing was stored. Fetch the current key with `keytray login " +
			orDefault(s.server, "URL") + " --email E`."
	case errors.Is(err, openwebui.ErrKeyRejected):
		name := "NAME"
		if s.name != "" {
			name = s.name
		}
		return fmt.Sprintf("the server rejected the key stored as %q: it was revoked, or replaced by a newer key. "+
			"Get a new one with `keytray rotate %s` (it asks for the account's password), or forget it with `keytray remove %s`.",
			name, name, name)
	case errors.Is(err, openwebui.ErrNoKey):
		return "the account has no API key on " + url + "."
	case errors.Is(err, openwebui.ErrKeyUnreadable):
		return "the account already has an API key on " + url + ", and the server will not show it again: " +
			"store it with `keytray add` if you have it, or use --rotate to make a new one."
	case errors.Is(err, openwebui.ErrInsecureHTTP):
		return url + " uses plain http:// and is not on this machine, so the password or key would cross the network " +
			"unencrypted: use https://, or add --allow-http if you accept that."
	case errors.Is(err, openwebui.ErrTLS):
		return "the TLS certificate of " + url + " is not trusted. If the server uses a private certificate authority, " +
			"pass its certificate with --ca-file FILE (PEM); if you meant plain http, write http:// in the URL."
	case errors.Is(err, openwebui.ErrNotOpenWebUI):
		return url + " answered, but not as Open WebUI does: check the address (and any path prefix, " +
			"e.g. https://host/openwebui)."
	case errors.Is(err, openwebui.ErrUnreachable):
		return "could not connect to " + url + ": nothing is listening there, or the name does not resolve. " +
			"Check the address and that the server is running."
	case errors.Is(err, openwebui.ErrTimeout):
		return url + " did not answer in time: check that it is up and that nothing drops the connection, then try again."
	case errors.Is(err, openwebui.ErrProxy):
		return fmt.Sprintf("the proxy in front of %s failed%s: the Open WebUI server behind it may be down or restarting; "+
			"try again in a minute.", url, statusText(owe))
	case errors.Is(err, openwebui.ErrServer):
		return fmt.Sprintf("%s reported an internal error%s%s: try again later, or ask its admin to look at the server log.",
			url, statusText(owe), said)
	case errors.Is(err, openwebui.ErrBadURL):
		return "that is not a usable server address: give a host name or URL such as chat.example.com or " +
			"https://chat.example.com:8443/prefix."
	case errors.Is(err, openwebui.ErrUnexpectedResponse):
		return fmt.Sprintf("%s gave an answer Keytray did not expect%s%s; it may run a version Keytray does not know.",
			url, statusText(owe), said)
	}
	return ""
}

// waitText is how long a throttled sign-in should wait, in whole minutes.
func waitText(owe *openwebui.Error) string {
	if owe == nil || owe.RetryAfter <= 0 {
		// Open WebUI 0.6.41+ counts attempts over a window of 3–4 minutes.
		return "about 4 minutes"
	}
	minutes := int((owe.RetryAfter + time.Minute - 1) / time.Minute)
	if minutes == 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", minutes)
}

func statusText(owe *openwebui.Error) string {
	if owe == nil || owe.Status == 0 {
		return ""
	}
	return fmt.Sprintf(" (HTTP %d %s)", owe.Status, http.StatusText(owe.Status))
}

func explainBackup(err error, s subject, _ *openwebui.Error) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return "wrong passphrase for this backup; nothing was imported."
	case errors.Is(err, backup.ErrWrongIdentity):
		return "none of the identities given can decrypt this backup (it was encrypted to other recipients); nothing was imported."
	case errors.Is(err, backup.ErrCorrupt):
		return "the backup is damaged or was changed after it was written; nothing was imported."
	case errors.Is(err, backup.ErrNotAge):
		return "that file is not an encrypted Keytray backup (not an age file); nothing was imported."
	case errors.Is(err, backup.ErrNotKeytray):
		return "that file decrypts, but it is not a Keytray backup; nothing was imported."
	case errors.Is(err, backup.ErrNewerFormat):
		return "the backup was made by a newer Keytray: update Keytray, then import it again. Nothing was imported."
	case errors.Is(err, backup.ErrInvalid):
		return fmt.Sprintf("the backup's content is not valid (%v); nothing was imported.", err)
	case errors.Is(err, backup.ErrWeakPassphrase):
		return fmt.Sprintf("the passphrase is too short: use at least %d characters.", backup.MinPassphrase)
	case errors.Is(err, backup.ErrNeedsIdentity):
		return "this backup is encrypted to a key, not a passphrase: give the matching identity with --identity FILE."
	case errors.Is(err, backup.ErrNeedsPassphrase):
		return "this backup is encrypted with a passphrase: use --passphrase-file F (or run in a terminal to be asked), not --identity."
	case errors.Is(err, backup.ErrProtectedIdentity):
		return "that SSH private key is protected by a passphrase, which Keytray does not ask for: use an age identity file, " +
			"or a copy of the key without a passphrase (ssh-keygen -p -f COPY)."
	case errors.Is(err, backup.ErrBadIdentity):
		return "the identity file is not usable: give an age identity file (AGE-SECRET-KEY-1…) or an unencrypted OpenSSH private key."
	case errors.Is(err, backup.ErrBadRecipient):
		return "a recipient is not usable: give an age public key (age1…) or an SSH public key line (ssh-ed25519 …, ssh-rsa …)."
	}
	return ""
}

func explainLocal(err error, s subject, _ *openwebui.Error) string {
	path := orDefault(s.path, "the file")
	var clip *clipboardError
	switch {
	case errors.Is(err, errNoClipboardTool):
		return "no clipboard tool was found: install wl-clipboard, xclip or xsel, or pipe the text into `keytray inspect`."
	case errors.As(err, &clip):
		return "could not read the clipboard with " + clip.tool +
			" (it may be empty, or there is no display to read it from); pipe the text into `keytray inspect` instead."
	case errors.Is(err, errTooLong):
		return "the input is far too long to be a password, key or token."
	case errors.Is(err, fs.ErrExist):
		return path + " already exists: choose another file, or add --force to replace it."
	case errors.Is(err, fs.ErrNotExist):
		return path + " does not exist."
	case errors.Is(err, fs.ErrPermission):
		return "permission denied for " + path + "."
	case errors.Is(err, context.Canceled):
		return "interrupted; nothing more was done."
	case errors.Is(err, context.DeadlineExceeded):
		return "that took too long and was stopped; try again."
	}
	return ""
}

// quoteOr quotes s, or returns def when s is empty.
func quoteOr(s, def string) string {
	if s == "" {
		return def
	}
	return fmt.Sprintf("%q", s)
}

// fixSentence makes sure a sentence coming from elsewhere ends like one.
func fixSentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
