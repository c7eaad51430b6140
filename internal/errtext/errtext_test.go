package errtext

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// A fake secret: no sentence may ever contain it.
const secret = "sk-0123456789abcdef0123456789abcdef"

func TestEverySentinelHasItsOwnSentence(t *testing.T) {
	srv := func(kind error) error {
		return &openwebui.Error{Kind: kind, Op: "signing in", URL: "https://chat.example.com"}
	}
	cases := []struct {
		err    error
		key    string
		cli    []string // the CLI sentence contains each
		window string   // the window sentence contains it
	}{
		// keys
		{WithServer(keys.ErrJWTNotKey, "https://chat.example.com"), "error.key.jwt",
			[]string{"session token (JWT)", "keytray login https://chat.example.com --token-stdin"}, "session token (JWT)"},
		{keys.ErrNotAKey, "error.key.notAKey", []string{"start with sk-", "keytray login URL"}, "“sk-”"},
		{keys.ErrNeedsSignIn, "error.key.needsSignIn", []string{"--password-stdin"}, "sign in"},
		{keys.ErrKeyExistsUnreadable, "error.key.existsUnreadable", []string{"--rotate"}, "rotation"},
		{WithName(keys.ErrWrongAccount, "work"), "error.key.wrongAccount", []string{`"work"`, "key's owner"}, "key's owner"},
		{WithServer(WithName(keys.ErrKeyMismatch, "work"), "https://h"), "error.key.mismatch",
			[]string{"on https://h", `stored as "work"`, "keytray remove work"}, "nothing was changed"},
		{WithName(keys.ErrAlreadyStored, "old"), "error.key.alreadyStored.named", []string{`already stored as "old"`}, "already stored"},
		{keys.ErrAlreadyStored, "error.key.alreadyStored", []string{"keytray list"}, "already stored"},
		{keys.ErrNothingToExport, "error.export.nothing", []string{"no keys to export"}, "no keys to export"},
		{fmt.Errorf("colour: %w", keys.ErrUnknownSetting), "error.setting.unknown", []string{"colour: unknown setting."}, "no such setting"},
		{keys.ErrBadSettingValue, "error.setting.badValue", []string{"invalid setting value."}, "not allowed"},

		// vault
		{vault.ErrNoSessionBus, "error.keyring.noSessionBus", []string{"dbus-run-session"}, "D-Bus"},
		{vault.ErrNoSecretService, "error.keyring.noSecretService", []string{"gnome-keyring"}, "GNOME Keyring"},
		{vault.ErrLocked, "error.keyring.locked", []string{"locked", "Seahorse"}, "Your keyring is locked. Unlock it"},
		{errors.Join(errors.New("wrapped"), vault.ErrTimeout), "error.keyring.timeout", []string{"did not answer in time"}, "did not answer in time"},
		{fmt.Errorf("dbus: %w", vault.ErrUnavailable), "error.keyring.unavailable", []string{"keytray doctor", "(dbus: "}, "could not be used"},
		{WithName(vault.ErrNotFound, "gone"), "error.index.notFound.named", []string{`"gone"`, "keytray list"}, "no such key"},
		{vault.ErrNotFound, "error.index.notFound", []string{"keytray list"}, "no such key"},
		{WithName(vault.ErrExists, "dup"), "error.index.exists.named", []string{`"dup" is already in use`, "--name NAME"}, "already used"},
		{vault.ErrExists, "error.index.exists", []string{"--name NAME"}, "already used"},
		{WithName(vault.ErrKeyMissing, "k"), "error.index.keyMissing", []string{`item for "k"`, "keytray remove k"}, "no secret for this key"},
		{vault.ErrTooLarge, "error.key.tooLarge", []string{"too long to be an API key"}, "too long"},
		{WithPath(vault.ErrIndexTooNew, "/x/index.json"), "error.index.tooNew", []string{"/x/index.json", "update Keytray"}, "newer version"},
		{vault.ErrIndexBusy, "error.index.busy", []string{"try again in a moment"}, "Try again in a moment"},
		{WithName(fmt.Errorf("line break: %w", vault.ErrBadName), "a\nb"), "error.index.badName", []string{`"a\nb" cannot be used`}, "cannot be used"},
		{WithPath(vault.ErrIndexCorrupt, "/x/index.json"), "error.index.corrupt", []string{"/x/index.json is damaged", "keytray doctor"}, "still in the keyring"},
		{vault.ErrBadSetting, "error.setting.badValue", nil, "not allowed"},

		// openwebui
		{&openwebui.Error{Kind: openwebui.ErrWrongCredentials, Status: 400}, "error.server.wrongCredentials", []string{"wrong email"}, "Wrong email or password."},
		{&openwebui.Error{Kind: openwebui.ErrRateLimited, URL: "https://h", RetryAfter: 150 * time.Second}, "error.server.rateLimited.minutes",
			[]string{"https://h is refusing", "wait 3 minutes"}, "Wait 3 minutes, then try again."},
		{&openwebui.Error{Kind: openwebui.ErrRateLimited, RetryAfter: 40 * time.Second}, "error.server.rateLimited.minute", []string{"wait a minute"}, "Wait a minute, then try again."},
		{&openwebui.Error{Kind: openwebui.ErrRateLimited}, "error.server.rateLimited", []string{"wait about 4 minutes"}, "Wait a few minutes"},
		{srv(openwebui.ErrPasswordAuthOff), "error.server.passwordAuthOff", []string{"keytray login https://chat.example.com --token-stdin"}, "session token"},
		{srv(openwebui.ErrAuthOffWithUsers), "error.server.authOffWithUsers", []string{"https://chat.example.com has sign-in turned off", "WEBUI_AUTH back on"}, "WEBUI_AUTH back on"},
		{WithServer(keys.ErrSignInRequired, "https://chat.example.com"), "error.server.signInRequired", []string{"keytray login https://chat.example.com"}, "add the server again"},
		{srv(openwebui.ErrLDAPDisabled), "error.server.ldapDisabled", []string{"--email"}, "LDAP"},
		{srv(openwebui.ErrSessionInvalid), "error.server.sessionInvalid", []string{"fresh token"}, "fresh one"},
		{srv(openwebui.ErrSessionRevoked), "error.server.sessionRevoked", []string{"https://chat.example.com has ended that session", "signed out", "password change", "not a wrong password"},
			"signed out everywhere"},

		// two-step sign-in
		{&keys.CodeNeededError{URL: "https://chat.example.com"}, "error.mfa.codeNeeded",
			[]string{"https://chat.example.com asks for an authenticator code", "--code CODE", "Nothing was created or stored."}, "authenticator code"},
		{keys.ErrBadCodeFormat, "error.mfa.badFormat", []string{"6 digits", "recovery code"}, "6 digits"},
		{srv(openwebui.ErrCodeInvalid), "error.mfa.codeInvalid", []string{"wrong or was already used"}, "wrong or was already used"},
		{srv(openwebui.ErrChallengeExpired), "error.mfa.expired", []string{"expired", "5 minutes", "sign in again"}, "Sign in again."},
		{srv(openwebui.ErrTooManyCodes), "error.mfa.tooManyCodes", []string{"too many codes"}, "Too many codes"},
		{&openwebui.Error{Kind: openwebui.ErrAccountLocked, URL: "https://h", RetryAfter: 14*time.Minute + 10*time.Second}, "error.mfa.locked.minutes",
			[]string{"https://h has locked sign-ins for this account", "wait 15 minutes"}, "Wait 15 minutes"},
		{&openwebui.Error{Kind: openwebui.ErrAccountLocked, RetryAfter: 30 * time.Second}, "error.mfa.locked.minute", []string{"wait a minute"}, "Wait a minute"},
		{&openwebui.Error{Kind: openwebui.ErrAccountLocked}, "error.mfa.locked", []string{"wait about 15 minutes"}, "locked sign-ins"},
		{srv(openwebui.ErrMFASetupRequired), "error.mfa.enroll", []string{"set up two-step sign-in in the browser first", "open https://chat.example.com"},
			"Open https://chat.example.com, sign in"},
		{srv(openwebui.ErrMFARecoveryRequired), "error.mfa.recover", []string{"recovery in the browser first", "open https://chat.example.com"}, "open https://chat.example.com"},
		{srv(openwebui.ErrAccountPending), "error.account.pending", []string{"waiting for an admin's approval on https://chat.example.com"}, "waiting for an admin's approval"},
		{&openwebui.Error{Kind: openwebui.ErrKeysDisabled, Status: 403}, "error.server.keysDisabled", []string{"Enable API Keys"},
			"API keys are turned off on this server. An admin can enable them in Admin Settings › General."},
		{ForAdmin(&openwebui.Error{Kind: openwebui.ErrKeysDisabled, Status: 403}), "error.server.keysDisabled.admin", []string{"you are an admin there", "Enable API Keys"},
			"You are an admin of it: you can turn them on in Admin Settings › General."},
		{srv(openwebui.ErrNoKeyPermission), "error.server.noKeyPermission", []string{"https://chat.example.com", "Groups"},
			"Ask an admin of the server to give you the API-keys permission."},
		{&openwebui.Error{Kind: openwebui.ErrAccessProhibited, Detail: "pending"}, "error.server.accessProhibited", []string{`(the server said: "pending")`}, "admin"},
		{WhileAdding(srv(openwebui.ErrKeyRejected)), "error.server.keyRejected.adding", []string{"Nothing was stored", "--email E"}, "Nothing was stored"},
		{WithName(srv(openwebui.ErrKeyRejected), "work"), "error.server.keyRejected", []string{`stored as "work"`, "keytray rotate work"}, "Rotate it"},
		{srv(openwebui.ErrNoKey), "error.server.noKey", []string{"no API key on https://chat.example.com"}, "no API key"},
		{srv(openwebui.ErrKeyUnreadable), "error.server.keyUnreadable", []string{"--rotate"}, "rotation"},
		{srv(openwebui.ErrInsecureHTTP), "error.server.insecureHTTP", []string{"--allow-http"}, "unencrypted"},
		{srv(openwebui.ErrTLS), "error.server.tls", []string{"--ca-file FILE"}, "CA file"},
		{srv(openwebui.ErrCAFileUnreadable), "error.server.tls.caFileUnreadable", []string{"cannot be read"}, "cannot be read"},
		{srv(openwebui.ErrCAFileNoPEM), "error.server.tls.caFileNoPEM", []string{"no PEM certificate"}, "no PEM certificate"},
		{srv(openwebui.ErrTLSHostname), "error.server.tls.hostname", []string{"another host name"}, "another host name"},
		{srv(openwebui.ErrTLSExpired), "error.server.tls.expired", []string{"has expired"}, "expired"},
		{srv(openwebui.ErrTLSNotSignedByCA), "error.server.tls.notSignedByCA", []string{"not signed by the CA"}, "not signed by the CA"},
		{srv(openwebui.ErrNoTLS), "error.server.tls.noTLS", []string{"does not speak TLS"}, "does not speak https"},
		{srv(openwebui.ErrSpeaksTLS), "error.server.speaksTLS", []string{"write https://"}, "https://"},
		{srv(openwebui.ErrDropped), "error.server.dropped", []string{"closed the connection before its answer was complete"}, "before its answer was complete"},
		{&keys.RotationInterruptedError{Name: "a;rm -rf ~", Server: "https://chat.example.com", Email: "al ice@example.com", Err: openwebui.ErrDropped},
			"error.rotate.interrupted", []string{"`keytray login https://chat.example.com --email 'al ice@example.com'`", "keytray rotate 'a;rm -rf ~'", "rotation interrupted"}, "may already have replaced"},
		{keys.ErrOwnerUnknown, "error.adopt.ownerUnknown", []string{"--server URL"}, ""},
		{keys.ErrBackupTooLarge, "error.backup.tooLarge", []string{"larger than any Keytray backup"}, "larger than any"},
		{&vault.InterruptedError{Op: "import", Err: vault.ErrNoSecretService, Undo: vault.ErrNoSecretService}, "error.change.interrupted", []string{"Nothing is lost"}, "stopped answering"},
		{vault.ErrIndexUnwritable, "error.index.unwritable", []string{"nothing was asked of the server"}, "cannot be written"},
		{WithName(vault.ErrOrphan, "work"), "error.index.orphan", []string{`named "work"`, "keytray doctor --adopt"}, "Nothing was overwritten"},
		{srv(openwebui.ErrNotOpenWebUI), "error.server.notOpenWebUI", []string{"path prefix"}, "but not as Open WebUI"},
		{srv(openwebui.ErrUnreachable), "error.server.unreachable", []string{"could not connect to https://chat.example.com"}, "The server cannot be reached."},
		{srv(openwebui.ErrTimeout), "error.server.timeout", []string{"did not answer in time"}, "did not answer in time"},
		{&openwebui.Error{Kind: openwebui.ErrProxy, Status: 502}, "error.server.proxy", []string{"(HTTP 502 Bad Gateway)"}, "The proxy in front of the server"},
		{&openwebui.Error{Kind: openwebui.ErrServer, Status: 500, Detail: "boom"}, "error.server.internal", []string{"(HTTP 500 Internal Server Error)", `"boom"`}, "server's log"},
		{srv(openwebui.ErrBadURL), "error.server.badURL", []string{"chat.example.com"}, "https://chat.example.com"},
		{srv(openwebui.ErrUnexpectedResponse), "error.server.unexpected", []string{"did not expect"}, "please report this"},

		// backup
		{backup.ErrWrongPassphrase, "error.backup.wrongPassphrase", []string{"wrong passphrase"}, "Wrong passphrase"},
		{backup.ErrWrongIdentity, "error.backup.wrongIdentity", []string{"identities"}, "identity"},
		{backup.ErrCorrupt, "error.backup.corrupt", []string{"damaged"}, "damaged"},
		{backup.ErrNotAge, "error.backup.notAge", []string{"not an age file"}, "not an encrypted Keytray backup"},
		{backup.ErrNotKeytray, "error.backup.notKeytray", []string{"not a Keytray backup"}, "not a Keytray backup"},
		{backup.ErrNewerFormat, "error.backup.newerFormat", []string{"update Keytray"}, "Update Keytray"},
		{fmt.Errorf("no entries: %w", backup.ErrInvalid), "error.backup.invalid", []string{"(no entries: "}, "not valid"},
		{backup.ErrWeakPassphrase, "error.backup.weakPassphrase", []string{fmt.Sprintf("at least %d characters", backup.MinPassphrase)},
			fmt.Sprintf("at least %d characters", backup.MinPassphrase)},
		{backup.ErrNeedsIdentity, "error.backup.needsIdentity", []string{"--identity FILE"}, "identity file"},
		{backup.ErrNeedsPassphrase, "error.backup.needsPassphrase", []string{"--passphrase-file"}, "passphrase"},
		{backup.ErrProtectedIdentity, "error.backup.protectedIdentity", []string{"ssh-keygen -p"}, "without a passphrase"},
		{backup.ErrBadIdentity, "error.backup.badIdentity", []string{"AGE-SECRET-KEY-1"}, "AGE-SECRET-KEY-1"},
		{backup.ErrBadRecipient, "error.backup.badRecipient", []string{"age1…"}, "age1…"},
		{WithPath(fmt.Errorf("/o.age: %w", backup.ErrExists), "/o.age"), "error.file.exists", []string{"/o.age already exists", "--force"}, "already exists"},

		// this machine
		{ErrNoClipboardTool, "error.local.noClipboardTool", []string{"xclip"}, ""},
		{&ClipboardError{Tool: "xclip", Err: errors.New("exit status 1")}, "error.local.clipboard", []string{"with xclip"}, ""},
		{ErrInputTooLong, "error.local.inputTooLong", []string{"far too long"}, ""},
		{WithPath(fs.ErrNotExist, "/nope"), "error.file.notExist", []string{"/nope does not exist."}, "does not exist"},
		{WithPath(fs.ErrPermission, "/root"), "error.file.permission", []string{"permission denied for /root."}, "not allowed"},
		{context.DeadlineExceeded, "error.deadline", []string{"took too long"}, "took too long"},
		{errors.New("something new"), keyUnknown, []string{"something new."}, "Something went wrong that Keytray does not recognise."},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.key] = true
		s := Explain(c.err)
		if s.Key != c.key {
			t.Errorf("Explain(%v).Key = %q, want %q", c.err, s.Key, c.key)
		}
		got := s.String()
		for _, want := range c.cli {
			if !strings.Contains(got, want) {
				t.Errorf("Explain(%v) = %q, want it to contain %q", c.err, got, want)
			}
		}
		if got == "" || got == c.err.Error() {
			t.Errorf("%v has no sentence of its own: %q", c.err, got)
		}
		w := ExplainFor(Window, c.err)
		if c.window == "" {
			if w.Key != keyUnknown {
				t.Errorf("%v: the window never meets it, yet has %q", c.err, w.Key)
			}
			continue
		}
		if w.Key != c.key {
			t.Errorf("ExplainFor(Window, %v).Key = %q, want %q", c.err, w.Key, c.key)
		}
		if got := w.String(); !strings.Contains(got, c.window) {
			t.Errorf("ExplainFor(Window, %v) = %q, want it to contain %q", c.err, got, c.window)
		}
	}
	for key := range messages {
		if !seen[key] && !strings.HasPrefix(key, "notice.") && key != "error.key.unsaved" && key != "error.canceled" {
			t.Errorf("no case covers %q", key)
		}
	}
}

// Errors from keys are wrapped with context on their way up; the kind, not
// the wrapping, decides the sentence.
func TestWrappedErrorsKeepTheirSentence(t *testing.T) {
	for _, err := range []error{vault.ErrNoSessionBus, vault.ErrNoSecretService, vault.ErrLocked, vault.ErrTimeout} {
		s := Explain(fmt.Errorf("reading key: %w", err)).String()
		if s == "" || s == err.Error() || s != Explain(err).String() {
			t.Errorf("%v has no sentence of its own: %q", err, s)
		}
	}
	// The outermost subject wins.
	err := WithName(fmt.Errorf("renaming: %w", WithName(vault.ErrNotFound, "inner")), "outer")
	if s := Explain(err).String(); !strings.Contains(s, `"outer"`) {
		t.Errorf("outer subject lost: %s", s)
	}
	// Closing a dialog cancels its request: that is no server failure.
	err = &openwebui.Error{Kind: openwebui.ErrUnreachable, Err: context.Canceled}
	if k := ExplainFor(Window, err).Key; k != "error.canceled" {
		t.Errorf("a cancelled request reads as %q", k)
	}
	if Explain(nil).String() != "" || ExplainFor(Window, nil).Key != "" {
		t.Error("nil error has a sentence")
	}
	if WithName(nil, "x") != nil || WithPath(nil, "x") != nil || WithServer(nil, "x") != nil || WhileAdding(nil) != nil {
		t.Error("a subject turned a nil error into an error")
	}
}

func TestUnsavedKeyIsExplainedButNeverShown(t *testing.T) {
	err := WithServer(&keys.UnsavedKeyError{Name: "work", Key: secret, Err: fmt.Errorf("storing: %w", vault.ErrLocked)}, "https://h")
	cli := Explain(err).String()
	for _, want := range []string{`new key for "work"`, "(the keyring is locked", "keytray add https://h --key-stdin"} {
		if !strings.Contains(cli, want) {
			t.Errorf("unsaved-key sentence %q lacks %q", cli, want)
		}
	}
	// The window shows the key in its own dialog and explains the cause.
	if k := ExplainFor(Window, err).Key; k != "error.keyring.locked" {
		t.Errorf("window explains an unsaved key as %q", k)
	}
	for _, a := range []Audience{CLI, Window} {
		s := ExplainFor(a, err)
		if strings.Contains(s.String(), secret) || strings.Contains(fmt.Sprint(s.Data), secret) {
			t.Errorf("audience %d: the sentence holds the secret", a)
		}
	}
}

// Every template parses, renders every field it names, and leaves no
// template syntax behind, with and without subjects.
func TestTemplatesRender(t *testing.T) {
	for key, m := range messages {
		if m.cli == "" {
			t.Errorf("%q has no command-line wording", key)
		}
		for _, tmpl := range []string{m.cli, m.window} {
			if _, err := template.New(key).Parse(tmpl); err != nil {
				t.Errorf("%q: %v", key, err)
			}
		}
	}
	for _, err := range []error{
		vault.ErrNotFound,
		WithServer(WithName(WithPath(openwebui.ErrKeyRejected, "/p"), "n"), "https://h"),
		&openwebui.Error{Kind: openwebui.ErrServer, Status: 500},
	} {
		_, data := classify(CLI, err)
		for key := range messages {
			for _, a := range []Audience{CLI, Window} {
				if Template(a, key) == "" || strings.HasPrefix(key, "notice.") { // RecoveryNotice's own data
					continue
				}
				out := Sentence{Key: key, Template: Template(a, key), Data: data}.String()
				if strings.Contains(out, "{{") || strings.Contains(out, "<no value>") || out == "" {
					t.Errorf("%q renders badly: %q", key, out)
				}
			}
		}
	}
	for _, k := range Keys() {
		if Template(Window, k) == "" {
			t.Errorf("Keys lists %q, which has no window wording", k)
		}
	}
}

func TestRecoveryNotice(t *testing.T) {
	s := RecoveryNotice(&vault.Recovery{Repairs: []string{`server "x" added`, "duplicate dropped"}}).String()
	if s != `the index file had inconsistencies, which Keytray repaired: server "x" added; duplicate dropped.` {
		t.Errorf("repairs only: %q", s)
	}
	s = RecoveryNotice(&vault.Recovery{Cause: vault.ErrIndexCorrupt, CorruptCopy: "/x/index.json.corrupt"}).String()
	if !strings.Contains(s, "restored it from its last good copy") || !strings.Contains(s, "kept as /x/index.json.corrupt.") ||
		strings.Contains(s, "Also repaired") {
		t.Errorf("restored: %q", s)
	}
	s = RecoveryNotice(&vault.Recovery{Cause: vault.ErrIndexCorrupt, Repairs: []string{"r"}}).String()
	if strings.Contains(s, "kept as") || !strings.HasSuffix(s, " Also repaired: r.") {
		t.Errorf("restored and repaired: %q", s)
	}
}
