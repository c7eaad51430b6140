package errtext

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

const keyUnknown = "error.unknown"

// classify finds err's kind: the message key, and the data its templates use.
// Every field is always set, so no template renders "<no value>".
func classify(a Audience, err error) (string, map[string]any) {
	s := subjectOf(err)
	var owe *openwebui.Error
	if errors.As(err, &owe) && s.server == "" {
		s.server = owe.URL
	}
	var need *keys.CodeNeededError
	if errors.As(err, &need) && s.server == "" {
		s.server = need.URL
	}
	data := map[string]any{
		"Name":    s.name,
		"Path":    s.path,
		"Server":  s.server,
		"Detail":  strings.TrimSuffix(err.Error(), "."),
		"Said":    "",
		"Status":  "",
		"Minutes": 0,
		"Min":     backup.MinPassphrase,
		"Tool":    "",
		"Cause":   "",
		// For commands the sentence suggests: quoted for a POSIX shell.
		"ShName":   ShellQuote(s.name),
		"ShServer": ShellQuote(s.server),
		"Email":    "",
		"ShEmail":  "",
	}
	if owe != nil && s.path == "" && (errors.Is(owe.Kind, openwebui.ErrCAFileUnreadable) || errors.Is(owe.Kind, openwebui.ErrCAFileNoPEM)) {
		data["Path"] = owe.Detail // the CA file
	}
	if owe != nil {
		if owe.Detail != "" {
			data["Said"] = fmt.Sprintf(" (the server said: %q)", owe.Detail)
		}
		if owe.Status != 0 {
			data["Status"] = fmt.Sprintf(" (HTTP %d %s)", owe.Status, http.StatusText(owe.Status))
		}
	}
	// The window shows the unsaved key itself and explains only the cause.
	var unsaved *keys.UnsavedKeyError
	if a == CLI && errors.As(err, &unsaved) {
		data["Name"] = unsaved.Name
		if s.server == "" && unsaved.Server != "" {
			data["Server"], data["ShServer"] = unsaved.Server, ShellQuote(unsaved.Server)
		}
		data["Cause"] = strings.TrimSuffix(Explain(unsaved.Err).String(), ".")
		return "error.key.unsaved", data
	}
	var ri *keys.RotationInterruptedError
	if errors.As(err, &ri) {
		if s.name == "" {
			data["Name"], data["ShName"] = ri.Name, ShellQuote(ri.Name)
		}
		if s.server == "" {
			data["Server"], data["ShServer"] = ri.Server, ShellQuote(ri.Server)
		}
		data["Email"], data["ShEmail"] = ri.Email, ShellQuote(ri.Email)
	}
	var clip *ClipboardError
	if errors.As(err, &clip) {
		data["Tool"] = clip.Tool
	}
	for _, k := range kinds {
		if k.is(err) && (k.when == nil || k.when(s)) {
			switch k.key {
			case "error.server.rateLimited", "error.mfa.locked":
				return waitFor(k.key, owe, data)
			}
			return k.key, data
		}
	}
	return keyUnknown, data
}

// waitFor picks the wording for how long a throttled or locked sign-in
// should wait, in whole minutes: key, key.minute or key.minutes.
func waitFor(key string, owe *openwebui.Error, data map[string]any) (string, map[string]any) {
	if owe == nil || owe.RetryAfter <= 0 {
		// Open WebUI 0.6.41+ counts attempts over a window of 3–4 minutes.
		return key, data
	}
	minutes := int((owe.RetryAfter + time.Minute - 1) / time.Minute)
	if minutes == 1 {
		return key + ".minute", data
	}
	data["Minutes"] = minutes
	return key + ".minutes", data
}

// kind matches an error to a message key. The first match wins, so the
// order matters where an error has several kinds.
type kind struct {
	is   func(error) bool
	when func(subject) bool // nil: always
	key  string
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func isAny(targets ...error) func(error) bool {
	return func(err error) bool {
		for _, t := range targets {
			if errors.Is(err, t) {
				return true
			}
		}
		return false
	}
}

func named(s subject) bool  { return s.name != "" }
func adding(s subject) bool { return s.adding }
func admin(s subject) bool  { return s.admin }

func isClipboardError(err error) bool {
	var c *ClipboardError
	return errors.As(err, &c)
}

var kinds = []kind{
	// Cancelled by the user (closing a dialog, Ctrl-C): not a failure of
	// whatever the cancelled request was doing.
	{is: is(context.Canceled), key: "error.canceled"},

	// Keys and names.
	{is: is(keys.ErrJWTNotKey), key: "error.key.jwt"},
	{is: is(keys.ErrNotAKey), key: "error.key.notAKey"},
	{is: is(keys.ErrKeyExistsUnreadable), key: "error.key.existsUnreadable"},
	{is: is(keys.ErrWrongAccount), key: "error.key.wrongAccount"},
	{is: is(keys.ErrKeyMismatch), key: "error.key.mismatch"},
	{is: is(keys.ErrAlreadyStored), when: named, key: "error.key.alreadyStored.named"},
	{is: is(keys.ErrAlreadyStored), key: "error.key.alreadyStored"},
	{is: is(keys.ErrNothingToExport), key: "error.export.nothing"},
	{is: is(keys.ErrUnknownSetting), key: "error.setting.unknown"},
	{is: isAny(keys.ErrBadSettingValue, vault.ErrBadSetting), key: "error.setting.badValue"},
	{is: is(keys.ErrNeedsSignIn), key: "error.key.needsSignIn"},
	{is: is(keys.ErrRotationInterrupted), key: "error.rotate.interrupted"},
	{is: is(keys.ErrOwnerUnknown), key: "error.adopt.ownerUnknown"},
	{is: is(keys.ErrBackupTooLarge), key: "error.backup.tooLarge"},
	{is: is(vault.ErrInterrupted), key: "error.change.interrupted"},
	{is: is(vault.ErrIndexUnwritable), key: "error.index.unwritable"},
	{is: is(vault.ErrOrphan), key: "error.index.orphan"},

	// The keyring.
	{is: is(vault.ErrNoSessionBus), key: "error.keyring.noSessionBus"},
	{is: is(vault.ErrNoSecretService), key: "error.keyring.noSecretService"},
	{is: is(vault.ErrLocked), key: "error.keyring.locked"},
	{is: is(vault.ErrTimeout), key: "error.keyring.timeout"},
	{is: is(vault.ErrUnavailable), key: "error.keyring.unavailable"},

	// Keytray's index of keys.
	{is: is(vault.ErrNotFound), when: named, key: "error.index.notFound.named"},
	{is: is(vault.ErrNotFound), key: "error.index.notFound"},
	{is: is(vault.ErrExists), when: named, key: "error.index.exists.named"},
	{is: is(vault.ErrExists), key: "error.index.exists"},
	{is: is(vault.ErrKeyMissing), key: "error.index.keyMissing"},
	{is: is(vault.ErrTooLarge), key: "error.key.tooLarge"},
	{is: is(vault.ErrIndexTooNew), key: "error.index.tooNew"},
	{is: is(vault.ErrIndexBusy), key: "error.index.busy"},
	{is: is(vault.ErrBadName), key: "error.index.badName"},
	{is: is(vault.ErrIndexCorrupt), key: "error.index.corrupt"},

	// Two-step sign-in (Open WebUI 0.12+).
	{is: is(keys.ErrCodeNeeded), key: "error.mfa.codeNeeded"},
	{is: is(keys.ErrBadCodeFormat), key: "error.mfa.badFormat"},
	{is: is(openwebui.ErrCodeInvalid), key: "error.mfa.codeInvalid"},
	{is: is(openwebui.ErrChallengeExpired), key: "error.mfa.expired"},
	{is: is(openwebui.ErrTooManyCodes), key: "error.mfa.tooManyCodes"},
	{is: is(openwebui.ErrAccountLocked), key: "error.mfa.locked"},
	{is: is(openwebui.ErrMFASetupRequired), key: "error.mfa.enroll"},
	{is: is(openwebui.ErrMFARecoveryRequired), key: "error.mfa.recover"},
	{is: is(openwebui.ErrAccountPending), key: "error.account.pending"},
	{is: is(openwebui.ErrSessionRevoked), key: "error.server.sessionRevoked"},

	// The server.
	{is: is(openwebui.ErrWrongCredentials), key: "error.server.wrongCredentials"},
	{is: is(openwebui.ErrRateLimited), key: "error.server.rateLimited"},
	{is: is(openwebui.ErrPasswordAuthOff), key: "error.server.passwordAuthOff"},
	{is: is(openwebui.ErrAuthOffWithUsers), key: "error.server.authOffWithUsers"},
	{is: is(keys.ErrSignInRequired), key: "error.server.signInRequired"},
	{is: is(openwebui.ErrLDAPDisabled), key: "error.server.ldapDisabled"},
	{is: is(openwebui.ErrSessionInvalid), key: "error.server.sessionInvalid"},
	{is: is(openwebui.ErrKeysDisabled), when: admin, key: "error.server.keysDisabled.admin"},
	{is: is(openwebui.ErrKeysDisabled), key: "error.server.keysDisabled"},
	{is: is(openwebui.ErrNoKeyPermission), key: "error.server.noKeyPermission"},
	{is: is(openwebui.ErrAccessProhibited), key: "error.server.accessProhibited"},
	{is: is(openwebui.ErrKeyRejected), when: adding, key: "error.server.keyRejected.adding"},
	{is: is(openwebui.ErrKeyRejected), key: "error.server.keyRejected"},
	{is: is(openwebui.ErrNoKey), key: "error.server.noKey"},
	{is: is(openwebui.ErrKeyUnreadable), key: "error.server.keyUnreadable"},
	{is: is(openwebui.ErrInsecureHTTP), key: "error.server.insecureHTTP"},
	{is: is(openwebui.ErrCAFileUnreadable), key: "error.server.tls.caFileUnreadable"},
	{is: is(openwebui.ErrCAFileNoPEM), key: "error.server.tls.caFileNoPEM"},
	{is: is(openwebui.ErrTLSHostname), key: "error.server.tls.hostname"},
	{is: is(openwebui.ErrTLSExpired), key: "error.server.tls.expired"},
	{is: is(openwebui.ErrTLSNotSignedByCA), key: "error.server.tls.notSignedByCA"},
	{is: is(openwebui.ErrNoTLS), key: "error.server.tls.noTLS"},
	{is: is(openwebui.ErrSpeaksTLS), key: "error.server.speaksTLS"},
	{is: is(openwebui.ErrTLS), key: "error.server.tls"},
	{is: is(openwebui.ErrDropped), key: "error.server.dropped"},
	{is: is(openwebui.ErrNotOpenWebUI), key: "error.server.notOpenWebUI"},
	{is: is(openwebui.ErrUnreachable), key: "error.server.unreachable"},
	{is: is(openwebui.ErrTimeout), key: "error.server.timeout"},
	{is: is(openwebui.ErrProxy), key: "error.server.proxy"},
	{is: is(openwebui.ErrServer), key: "error.server.internal"},
	{is: is(openwebui.ErrBadURL), key: "error.server.badURL"},
	{is: is(openwebui.ErrUnexpectedResponse), key: "error.server.unexpected"},

	// Backups.
	{is: is(backup.ErrWrongPassphrase), key: "error.backup.wrongPassphrase"},
	{is: is(backup.ErrWrongIdentity), key: "error.backup.wrongIdentity"},
	{is: is(backup.ErrCorrupt), key: "error.backup.corrupt"},
	{is: is(backup.ErrNotAge), key: "error.backup.notAge"},
	{is: is(backup.ErrNotKeytray), key: "error.backup.notKeytray"},
	{is: is(backup.ErrNewerFormat), key: "error.backup.newerFormat"},
	{is: is(backup.ErrInvalid), key: "error.backup.invalid"},
	{is: is(backup.ErrWeakPassphrase), key: "error.backup.weakPassphrase"},
	{is: is(backup.ErrNeedsIdentity), key: "error.backup.needsIdentity"},
	{is: is(backup.ErrNeedsPassphrase), key: "error.backup.needsPassphrase"},
	{is: is(backup.ErrProtectedIdentity), key: "error.backup.protectedIdentity"},
	{is: is(backup.ErrBadIdentity), key: "error.backup.badIdentity"},
	{is: is(backup.ErrBadRecipient), key: "error.backup.badRecipient"},

	// This machine.
	{is: is(ErrNoClipboardTool), key: "error.local.noClipboardTool"},
	{is: isClipboardError, key: "error.local.clipboard"},
	{is: is(ErrInputTooLong), key: "error.local.inputTooLong"},
	{is: is(fs.ErrExist), key: "error.file.exists"},
	{is: is(fs.ErrNotExist), key: "error.file.notExist"},
	{is: is(fs.ErrPermission), key: "error.file.permission"},
	{is: is(context.DeadlineExceeded), key: "error.deadline"},
}
