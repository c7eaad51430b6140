package errtext

// The wording. Command-line templates may use, from the data: .Name (entry),
// .Path, .Server (base URL), .Detail (the error's own text), .Said (the
// server's detail, bracketed), .Status (bracketed HTTP status), .Minutes,
// .Min (shortest passphrase), .Tool (clipboard tool) and .Cause. Window
// templates are translated, so they stay plain: they may use only .Minutes,
// .Min and .Server (a URL, shown as is), and a new or changed window template
// needs its key updated in app/translations/window/*.json (the app's tests
// check this).
var messages = map[string]message{
	keyUnknown: {
		cli:    `{{.Detail}}.`,
		window: "Something went wrong that Keytray does not recognise. Try again; if it keeps happening, run “keytray doctor”.",
	},
	"error.canceled": {
		cli:    "interrupted; nothing more was done.",
		window: "Cancelled.",
	},
	"error.deadline": {
		cli:    "that took too long and was stopped; try again.",
		window: "That took too long and was stopped. Check your connection and try again.",
	},

	// Keys and names.
	"error.key.unsaved": {
		cli: `the server made a new key for {{with .Name}}{{printf "%q" .}}{{else}}the account{{end}}, but it could not be stored ({{.Cause}}). ` +
			"The key exists nowhere else, so it was printed on stdout: save it now, and once the problem is fixed " +
			"store it with `keytray add {{or .ShServer \"URL\"}} --key-stdin`.",
	},
	"error.key.jwt": {
		cli: "that is a session token (JWT), not an API key, so nothing was stored. " +
			"It is the token shown in Open WebUI's Settings › Account, and it stops working when it expires, " +
			"when the server's secret key changes, when it is signed out, and on Open WebUI 0.11.1+ when the password " +
			"changes or the account is signed out everywhere. Run `keytray login {{or .ShServer \"URL\"}} --token-stdin` " +
			"to turn it into a lasting API key, or copy the API key from Settings › Account › API keys " +
			"and store that with `keytray add {{or .ShServer \"URL\"}} --key-stdin`.",
		window: "This is a session token (JWT), not an API key. It stops working when it expires, when the server's secret changes, or when the account is signed out (on newer servers also after a password change). Keytray can use it once to get your real API key instead.",
	},
	"error.key.notAKey": {
		cli: "that is not an Open WebUI API key (those start with sk-), so nothing was stored. " +
			"Copy the key from Settings › Account › API keys, or run `keytray login {{or .ShServer \"URL\"}}` to fetch one.",
		window: "This is not an Open WebUI API key. API keys start with “sk-”; you find yours in Open WebUI under Settings › Account › API keys.",
	},
	"error.key.existsUnreadable": {
		cli: "the account already has an API key, and the server will not show it again, so nothing was stored. " +
			"If you have that key, store it with `keytray add {{or .ShServer \"URL\"}} --key-stdin`; " +
			"otherwise add --rotate to make a new key (whatever uses the old key stops working).",
		window: "Your account already has an API key, but this server does not show existing keys again. Only a new key (rotation) gives Keytray a usable one, and that stops the old key.",
	},
	"error.key.wrongAccount": {
		cli: `that sign-in is for a different account than the one {{with .Name}}{{printf "%q" .}}{{else}}the key{{end}} belongs to, so nothing was changed: ` +
			"sign in as the key's owner.",
		window: "You signed in as a different account than the one this key belongs to. Sign in as the key's owner.",
	},
	"error.key.mismatch": {
		cli: `the account's current key on {{or .Server "the server"}} is not the one stored as {{printf "%q" (or .Name "NAME")}}, so nothing was deleted there ` +
			"(that would break whatever uses the other key). If the stored key was replaced elsewhere, forget it with `keytray remove {{or .ShName \"NAME\"}}`.",
		window: "The account's key on the server is not the one Keytray stored, so nothing was changed on the server. Check the key first; if it was replaced elsewhere, remove it here.",
	},
	"error.key.alreadyStored.named": {
		cli:    "that key is already stored as {{printf \"%q\" .Name}}; nothing was added (`keytray rename` gives it another name).",
		window: "This key is already stored in Keytray, under another name.",
	},
	"error.key.alreadyStored": {
		cli:    "that key is already stored in Keytray (see `keytray list`); nothing was added.",
		window: "This key is already stored in Keytray, under another name.",
	},
	"error.export.nothing": {
		cli:    "there are no keys to export.",
		window: "There are no keys to export.",
	},
	"error.setting.unknown": {
		cli:    `{{.Detail}}.`,
		window: "Keytray has no such setting.",
	},
	"error.setting.badValue": {
		cli:    `{{.Detail}}.`,
		window: "That setting value is not allowed.",
	},
	"error.key.needsSignIn": {
		cli: "the server wants a sign-in for this (it does not let the key manage itself): " +
			"run the command in a terminal to be asked for the password, or pipe it in with --password-stdin " +
			"(or a session token with --token-stdin).",
		window: "The server wants you to sign in for this. Sign in and try again.",
	},
	"error.key.tooLarge": {
		cli:    "that is far too long to be an API key.",
		window: "That is too long to be an API key.",
	},

	// The keyring.
	"error.keyring.noSessionBus": {
		cli: "the keyring cannot be reached because there is no D-Bus session bus: " +
			"run Keytray inside a desktop session, or start one with `dbus-run-session -- sh`.",
		window: "There is no D-Bus session, so Keytray cannot reach the keyring. Start Keytray from your desktop session.",
	},
	"error.keyring.noSecretService": {
		cli: "no Secret Service is running on the session bus, so there is no keyring to keep keys in: " +
			"install and start gnome-keyring (or KeePassXC with its Secret Service integration enabled).",
		window: "No keyring service is running. Install and start GNOME Keyring or KeePassXC (with Secret Service enabled), then try again.",
	},
	"error.keyring.locked": {
		cli: "the keyring is locked: unlock it in Seahorse (Passwords and Keys) or your desktop's keyring tool, " +
			"then try again. Nothing was changed.",
		window: "Your keyring is locked. Unlock it (for example in Seahorse, “Passwords and Keys”) and try again.",
	},
	"error.keyring.timeout": {
		cli: "the keyring did not answer in time (it may be waiting for an unlock prompt): " +
			"unlock it and try again. Nothing was changed.",
		window: "The keyring did not answer in time. It may be waiting for you to unlock it in another window; unlock it and try again.",
	},
	"error.keyring.unavailable": {
		cli:    "the keyring is not usable ({{.Detail}}): run `keytray doctor` for details.",
		window: "The keyring could not be used. Check that your keyring service is running and unlocked, then try again.",
	},

	// Keytray's index of keys.
	"error.index.notFound.named": {
		cli:    "no key named {{printf \"%q\" .Name}} is stored: run `keytray list` to see the names.",
		window: "Keytray has no such key any more. It may have been removed from the command line; the list has been refreshed.",
	},
	"error.index.notFound": {
		cli:    "no key by that name is stored: run `keytray list` to see the names.",
		window: "Keytray has no such key any more. It may have been removed from the command line; the list has been refreshed.",
	},
	"error.index.exists.named": {
		cli: "the name {{printf \"%q\" .Name}} is already in use: choose another one (with --name NAME for login and add), " +
			"or rename the stored key with `keytray rename`.",
		window: "That name is already used by another key. Choose a different name.",
	},
	"error.index.exists": {
		cli:    "that name is already in use: choose another with --name NAME (or rename the stored key with `keytray rename`).",
		window: "That name is already used by another key. Choose a different name.",
	},
	"error.index.keyMissing": {
		cli: `the keyring has no item for {{with .Name}}{{printf "%q" .}}{{else}}this key{{end}} (it was deleted outside Keytray, or this is another keyring): ` +
			"store the key again with `keytray add`, or forget the entry with `keytray remove {{or .ShName \"NAME\"}}`.",
		window: "The keyring has no secret for this key any more (it may have been deleted in the keyring app). Remove it here and add it again.",
	},
	"error.index.tooNew": {
		cli:    `{{or .Path "Keytray's index file"}} was written by a newer Keytray and was left untouched: update Keytray.`,
		window: "Your list of keys was written by a newer version of Keytray. Update Keytray to use it; nothing was changed.",
	},
	"error.index.busy": {
		cli:    "another Keytray process (the desktop app?) is in the middle of changing the index: try again in a moment.",
		window: "Another Keytray process is changing the list of keys right now. Try again in a moment.",
	},
	"error.index.badName": {
		cli:    "{{printf \"%q\" .Name}} cannot be used as a name ({{.Detail}}): use letters, digits, and . _ - @.",
		window: "That name cannot be used. Choose a short name without line breaks or leading and trailing spaces.",
	},
	"error.index.corrupt": {
		cli: `{{or .Path "Keytray's index file"}} is damaged and there is no good copy to fall back on. Your keys are still in the keyring; ` +
			"move the damaged file aside and add them again with `keytray add` (run `keytray doctor` for the paths).",
		window: "Keytray's list of keys was damaged and could not be restored. Your keys are still in the keyring; run “keytray doctor” for details.",
	},

	// The server.
	"error.server.wrongCredentials": {
		cli: "the server refused the sign-in: wrong email (or LDAP user name) or password. " +
			"Check them and try again; nothing was stored.",
		window: "Wrong email or password. Check them and try again.",
	},
	"error.server.rateLimited": {
		cli:    `{{or .Server "the server"}} is refusing sign-ins for this account after too many attempts: wait about 4 minutes and try again.`,
		window: "Too many sign-in attempts. Wait a few minutes, then try again.",
	},
	"error.server.rateLimited.minute": {
		cli:    `{{or .Server "the server"}} is refusing sign-ins for this account after too many attempts: wait a minute and try again.`,
		window: "Too many sign-in attempts. Wait a minute, then try again.",
	},
	"error.server.rateLimited.minutes": {
		cli:    `{{or .Server "the server"}} is refusing sign-ins for this account after too many attempts: wait {{.Minutes}} minutes and try again.`,
		window: "Too many sign-in attempts. Wait {{.Minutes}} minutes, then try again.",
	},
	"error.server.passwordAuthOff": {
		cli: `{{or .Server "the server"}} has password sign-in switched off. Sign in in the browser, copy the session token from ` +
			"Settings › Account and run `keytray login {{or .ShServer \"URL\"}} --token-stdin`.",
		window: "This server has password sign-in turned off. Sign in in your browser and paste your session token instead.",
	},
	"error.server.authOffWithUsers": {
		cli: `{{or .Server "the server"}} has sign-in turned off (WEBUI_AUTH=False) but still has accounts from before, so Open WebUI refuses every sign-in. ` +
			"An admin of the server should turn WEBUI_AUTH back on; then sign in with your account (`keytray login URL --email E`).",
		window: "This server has sign-in turned off but still has accounts from before, so Open WebUI refuses every sign-in. An admin of the server should turn WEBUI_AUTH back on; then sign in with your account.",
	},
	"error.server.signInRequired": {
		cli:    `{{or .Server "the server"}} asks for a sign-in now: run ` + "`keytray login {{or .ShServer \"URL\"}}`" + ` with --email E, --ldap USER or --token-stdin.`,
		window: "This server asks for a sign-in now. Close this window and add the server again.",
	},
	"error.server.ldapDisabled": {
		cli:    `{{or .Server "the server"}} does not have LDAP sign-in enabled: sign in with --email instead, or ask an admin to enable LDAP.`,
		window: "This server does not offer LDAP sign-in. Use email and password, or paste a session token.",
	},
	"error.server.sessionInvalid": {
		cli: "the session token was refused: it has expired, was signed out, or the server's secret key changed. " +
			"Sign in in the browser again and copy a fresh token from Settings › Account.",
		window: "The session token is not valid any more (it expired, was signed out, or the server's secret changed). Copy a fresh one from Open WebUI and try again.",
	},
	"error.server.sessionRevoked": {
		cli: `{{or .Server "the server"}} has ended that session: the account was signed out (on Open WebUI 0.12, everywhere at once ` +
			"after a password change, an admin's \"sign out everywhere\" or a change to two-step sign-in). It is not a wrong password " +
			"and not an expired token: sign in again (`keytray login {{or .ShServer \"URL\"}} --email E`). Stored sk- API keys are not affected.",
		window: "The server has ended this session: the account was signed out everywhere (for example after a password change, “sign out everywhere” or a change to two-step sign-in). Sign in again; stored API keys keep working.",
	},

	// Two-step sign-in (Open WebUI 0.12+).
	"error.mfa.codeNeeded": {
		cli: `{{or .Server "the server"}} asks for an authenticator code after the password: pass it with --code CODE ` +
			"(the 6 digits from your authenticator app, or a recovery code), or run the command in a terminal to be asked. " +
			"Nothing was created or stored.",
		window: "The server asks for an authenticator code after the password.",
	},
	"error.mfa.badFormat": {
		cli:    "that is neither an authenticator code (6 digits) nor a recovery code (32 letters and digits); nothing was sent.",
		window: "Type the 6 digits from your authenticator app, or a recovery code (32 letters and digits).",
	},
	"error.mfa.codeInvalid": {
		cli: "the server refused the code: it is wrong or was already used (each code works once). " +
			"Wait for the next code in your authenticator app and sign in again; nothing was stored.",
		window: "That code is wrong or was already used. Wait for the next code in your authenticator app and try again.",
	},
	"error.mfa.expired": {
		cli: "the sign-in step expired (the code must follow the password within 5 minutes, and a newer sign-in replaces it): " +
			"sign in again; nothing was stored.",
		window: "The sign-in step expired: the code must follow the password within 5 minutes. Sign in again.",
	},
	"error.mfa.tooManyCodes": {
		cli:    "too many codes were tried for this sign-in: sign in again with the password; nothing was stored.",
		window: "Too many codes were tried for this sign-in. Sign in again with your password.",
	},
	"error.mfa.locked": {
		cli:    `{{or .Server "the server"}} has locked sign-ins for this account for a while after too many attempts: wait about 15 minutes and try again.`,
		window: "Too many sign-in attempts: the server has locked sign-ins for this account for a while. Wait about 15 minutes, then try again.",
	},
	"error.mfa.locked.minute": {
		cli:    `{{or .Server "the server"}} has locked sign-ins for this account after too many attempts: wait a minute and try again.`,
		window: "Too many sign-in attempts: the server has locked sign-ins for this account. Wait a minute, then try again.",
	},
	"error.mfa.locked.minutes": {
		cli:    `{{or .Server "the server"}} has locked sign-ins for this account after too many attempts: wait {{.Minutes}} minutes and try again.`,
		window: "Too many sign-in attempts: the server has locked sign-ins for this account. Wait {{.Minutes}} minutes, then try again.",
	},
	"error.mfa.enroll": {
		cli: "the account must set up two-step sign-in in the browser first: open {{or .Server \"the server\"}}, sign in and add your " +
			"authenticator app (and keep the recovery codes it shows), then run `keytray login` again. Keytray does not set up authenticators.",
		window: "This account must set up two-step sign-in in the browser first. Open {{.Server}}, sign in and set up your authenticator app, then sign in here again.",
	},
	"error.mfa.recover": {
		cli: "the account's authenticator was reset by an admin, so it must finish two-step recovery in the browser first: open " +
			"{{or .Server \"the server\"}}, sign in with the recovery token the admin gave you and set up the authenticator again, then run `keytray login` again.",
		window: "An admin reset this account's authenticator. Finish the recovery in the browser first: open {{.Server}}, sign in with the recovery token from your admin and set up the authenticator again, then sign in here again.",
	},
	"error.account.pending": {
		cli:    `the account is waiting for an admin's approval on {{or .Server "the server"}}: ask an admin to approve it, then sign in again. Nothing was stored.`,
		window: "The account is waiting for an admin's approval. Ask an admin of the server to approve it, then sign in again.",
	},
	"error.server.keysDisabled": {
		cli:    `API keys are disabled on {{or .Server "the server"}}: an admin can enable them in Admin Settings › General › Enable API Keys.`,
		window: "API keys are turned off on this server. An admin can enable them in Admin Settings › General.",
	},
	"error.server.keysDisabled.admin": {
		cli:    `API keys are disabled on {{or .Server "the server"}}: you are an admin there, so you can enable them in Admin Settings › General › Enable API Keys.`,
		window: "API keys are turned off on this server. You are an admin of it: you can turn them on in Admin Settings › General.",
	},
	"error.server.noKeyPermission": {
		cli: `this account is not allowed to use API keys on {{or .Server "the server"}}: ` +
			`ask an admin to grant "API Keys" in your group's permissions (Admin Settings › Users › Groups).`,
		window: "Your account is not allowed to use API keys. Ask an admin of the server to give you the API-keys permission.",
	},
	"error.server.accessProhibited": {
		cli:    "the server does not let this account do that{{.Said}}: the account may still be pending approval, or its role lacks access. Ask an admin.",
		window: "The server does not let this account in yet (it may be waiting for an admin's approval). Ask an admin of the server.",
	},
	"error.server.keyRejected.adding": {
		cli: "the server rejected that key: it was revoked, or replaced by a newer key (an account has one key, " +
			"and making a new one ends the old one). Nothing was stored. Fetch the current key with `keytray login {{or .ShServer \"URL\"}} --email E`.",
		window: "The server rejected this key: it was revoked or replaced by a newer one. Nothing was stored; get the current key by signing in instead.",
	},
	"error.server.keyRejected": {
		cli: "the server rejected the key stored as {{printf \"%q\" (or .Name \"NAME\")}}: it was revoked, or replaced by a newer key. " +
			"Get a new one with `keytray rotate {{or .ShName \"NAME\"}}` (it asks for the account's password), or forget it with `keytray remove {{or .ShName \"NAME\"}}`.",
		window: "The server rejected this key: it was revoked or replaced by a newer one. Rotate it to get a working key.",
	},
	"error.server.noKey": {
		cli:    `the account has no API key on {{or .Server "the server"}}.`,
		window: "Your account has no API key on this server.",
	},
	"error.server.keyUnreadable": {
		cli: `the account already has an API key on {{or .Server "the server"}}, and the server will not show it again: ` +
			"store it with `keytray add` if you have it, or use --rotate to make a new one.",
		window: "Your account already has an API key, but this server does not show existing keys again. Only a new key (rotation) gives Keytray a usable one, and that stops the old key.",
	},
	"error.server.insecureHTTP": {
		cli: `{{or .Server "the server"}} uses plain http:// and is not on this machine, so the password or key would cross the network ` +
			"unencrypted: use https://, or add --allow-http if you accept that.",
		window: "This server uses plain http://, so secrets would travel unencrypted. Keytray only sends them after you confirm.",
	},
	"error.server.tls": {
		cli: `the TLS certificate of {{or .Server "the server"}} is not trusted. If the server uses a private certificate authority, ` +
			"pass its certificate with --ca-file FILE (PEM); if you meant plain http, write http:// in the URL.",
		window: "The server's certificate is not trusted. If your organisation uses its own certificate authority, set its CA file for this server with the command line (keytray login --ca-file).",
	},
	"error.server.tls.caFileUnreadable": {
		cli:    `the CA file {{or .Path "given with --ca-file"}} cannot be read: check the path and that you may read it.`,
		window: "The CA file set for this server cannot be read. Check its path and permissions.",
	},
	"error.server.tls.caFileNoPEM": {
		cli:    `the CA file {{or .Path "given with --ca-file"}} holds no PEM certificate (a "-----BEGIN CERTIFICATE-----" block): pass the CA's certificate in PEM form.`,
		window: "The CA file set for this server holds no PEM certificate.",
	},
	"error.server.tls.hostname": {
		cli: `the TLS certificate of {{or .Server "the server"}} is for another host name: use the name the certificate was issued for, ` +
			"or ask the server's admin to issue one for this name.",
		window: "The server's certificate was issued for another host name. Use the name the certificate is for.",
	},
	"error.server.tls.expired": {
		cli:    `the TLS certificate of {{or .Server "the server"}} has expired (or is not valid yet): ask the server's admin to renew it, and check this machine's clock.`,
		window: "The server's certificate has expired or is not valid yet. Ask its admin to renew it, and check this computer's clock.",
	},
	"error.server.tls.notSignedByCA": {
		cli:    `the TLS certificate of {{or .Server "the server"}} is not signed by the CA in the --ca-file given: check that it is the right CA certificate for this server.`,
		window: "The server's certificate is not signed by the CA file set for it. Check that it is the right CA.",
	},
	"error.server.tls.noTLS": {
		cli:    `{{or .Server "the server"}} does not speak TLS on this port: if it serves plain http, write http:// in the URL.`,
		window: "The server does not speak https on this port. If it serves plain http, use an http:// address.",
	},
	"error.server.speaksTLS": {
		cli:    `{{or .Server "the server"}} speaks https on this port: write https:// in the URL.`,
		window: "The server speaks https on this port. Use an https:// address.",
	},
	"error.server.dropped": {
		cli: `{{or .Server "the server"}} closed the connection before its answer was complete (reset, empty or cut short): ` +
			"something between here and the server (a proxy, a firewall) or the server itself dropped it. Try again; if it persists, check the proxy's and the server's logs.",
		window: "The server closed the connection before its answer was complete. Try again; if it keeps happening, a proxy or the server is dropping connections.",
	},
	"error.rotate.interrupted": {
		cli: `the rotation of {{with .Name}}{{printf "%q" .}}{{else}}the key{{end}} was interrupted before the server's answer arrived, ` +
			"so the server may already have replaced the key and the stored one may no longer work. " +
			"Fetch the account's current key with `keytray login {{or .ShServer \"URL\"}} --email {{or .ShEmail \"E\"}}` " +
			"(on servers that show existing keys; elsewhere rotate again with `keytray rotate {{or .ShName \"NAME\"}}`). " +
			"Until then `keytray list` shows it as \"rotation interrupted\"; `keytray check` clears that when the stored key still works.",
		window: "The rotation was interrupted before the server answered, so the server may already have replaced the key. Sign in again to fetch the current key, or rotate again.",
	},
	"error.change.interrupted": {
		cli: "the keyring stopped answering part-way, and the change could not be undone. Nothing is lost: the next Keytray command " +
			"(once the keyring works again, e.g. `keytray list`) checks every key it touched and makes the index agree with the keyring, " +
			"saying which keys were finished and which undone; then run the same command again to finish it.",
		window: "The keyring stopped answering part-way and the change could not be undone. Once the keyring works again, Keytray makes its list agree with the keyring and says what it did; then try again.",
	},
	"error.index.unwritable": {
		cli: "the index folder {{or .Path \"\"}} cannot be written (read-only, or the disk is full), so nothing was asked of the server: " +
			"free some space or make the folder writable, then try again.",
		window: "Keytray's settings folder cannot be written (read-only, or the disk is full), so nothing was asked of the server. Free some space and try again.",
	},
	"error.index.orphan": {
		cli: `the keyring already holds an item named {{printf "%q" (or .Name "NAME")}} that Keytray's index does not list (left by a moved-aside index or a crash), ` +
			"and it holds a different key, so it was not overwritten. See it with `keytray doctor`, take it back with `keytray doctor --adopt`, " +
			"or store this key under another name (--name).",
		window: "The keyring already holds a different key under this name that Keytray does not list. Nothing was overwritten. Run “keytray doctor --adopt” to take it back, or choose another name.",
	},
	"error.backup.tooLarge": {
		cli:    "{{or .Path \"the file\"}} is larger than any Keytray backup, so it was not read; nothing was imported. Check that it is the right file.",
		window: "This file is larger than any Keytray backup, so it was not read. Nothing was imported.",
	},
	"error.adopt.ownerUnknown": {
		cli: "no known server accepts this key, so Keytray cannot tell which server it belongs to: " +
			"run `keytray doctor --adopt --server URL` to adopt it under that server.",
	},
	"error.server.notOpenWebUI": {
		cli:    `{{or .Server "the server"}} answered, but not as Open WebUI does: check the address (and any path prefix, e.g. https://host/openwebui).`,
		window: "The address answers, but not as Open WebUI. Check the address (including any path prefix) in your browser.",
	},
	"error.server.unreachable": {
		cli: `could not connect to {{or .Server "the server"}}: nothing is listening there, or the name does not resolve. ` +
			"Check the address and that the server is running.",
		window: "The server cannot be reached. Check the address and your network connection (and VPN, if you need one).",
	},
	"error.server.timeout": {
		cli:    `{{or .Server "the server"}} did not answer in time: check that it is up and that nothing drops the connection, then try again.`,
		window: "The server did not answer in time. Check your connection and try again.",
	},
	"error.server.proxy": {
		cli: `the proxy in front of {{or .Server "the server"}} failed{{.Status}}: the Open WebUI server behind it may be down or restarting; ` +
			"try again in a minute.",
		window: "The proxy in front of the server reported an error (the server may be restarting or down). Try again in a minute.",
	},
	"error.server.internal": {
		cli:    `{{or .Server "the server"}} reported an internal error{{.Status}}{{.Said}}: try again later, or ask its admin to look at the server log.`,
		window: "The server ran into an error. Try again later, or ask its admin to look at the server's log.",
	},
	"error.server.badURL": {
		cli: "that is not a usable server address: give a host name or URL such as chat.example.com or " +
			"https://chat.example.com:8443/prefix.",
		window: "That is not a usable server address. Type it as it appears in your browser, for example https://chat.example.com.",
	},
	"error.server.unexpected": {
		cli:    `{{or .Server "the server"}} gave an answer Keytray did not expect{{.Status}}{{.Said}}; it may run a version Keytray does not know.`,
		window: "The server gave an answer Keytray does not understand. It may be a newer or modified Open WebUI; please report this.",
	},

	// Backups.
	"error.backup.wrongPassphrase": {
		cli:    "wrong passphrase for this backup; nothing was imported.",
		window: "Wrong passphrase for this backup.",
	},
	"error.backup.wrongIdentity": {
		cli:    "none of the identities given can decrypt this backup (it was encrypted to other recipients); nothing was imported.",
		window: "None of the keys in that identity file can open this backup. Choose the identity it was made for.",
	},
	"error.backup.corrupt": {
		cli:    "the backup is damaged or was changed after it was written; nothing was imported.",
		window: "The backup is damaged or was changed after it was made. Nothing was imported.",
	},
	"error.backup.notAge": {
		cli:    "that file is not an encrypted Keytray backup (not an age file); nothing was imported.",
		window: "That file is not an encrypted Keytray backup.",
	},
	"error.backup.notKeytray": {
		cli:    "that file decrypts, but it is not a Keytray backup; nothing was imported.",
		window: "That file can be decrypted, but it is not a Keytray backup.",
	},
	"error.backup.newerFormat": {
		cli:    "the backup was made by a newer Keytray: update Keytray, then import it again. Nothing was imported.",
		window: "This backup was made by a newer version of Keytray. Update Keytray to import it.",
	},
	"error.backup.invalid": {
		cli:    "the backup's content is not valid ({{.Detail}}); nothing was imported.",
		window: "The backup's content is not valid, so nothing was imported.",
	},
	"error.backup.weakPassphrase": {
		cli:    "the passphrase is too short: use at least {{.Min}} characters.",
		window: "Choose a passphrase of at least {{.Min}} characters.",
	},
	"error.backup.needsIdentity": {
		cli:    "this backup is encrypted to a key, not a passphrase: give the matching identity with --identity FILE.",
		window: "This backup is encrypted to a key, not a passphrase. Choose the identity file it was made for.",
	},
	"error.backup.needsPassphrase": {
		cli:    "this backup is encrypted with a passphrase: use --passphrase-file F (or run in a terminal to be asked), not --identity.",
		window: "This backup is encrypted with a passphrase, not to a key. Type the passphrase instead of choosing an identity.",
	},
	"error.backup.protectedIdentity": {
		cli: "that SSH private key is protected by a passphrase, which Keytray does not ask for: use an age identity file, " +
			"or a copy of the key without a passphrase (ssh-keygen -p -f COPY).",
		window: "That SSH private key is protected by a passphrase, which Keytray does not ask for. Choose an age identity file, or a copy of the key without a passphrase.",
	},
	"error.backup.badIdentity": {
		cli:    "the identity file is not usable: give an age identity file (AGE-SECRET-KEY-1…) or an unencrypted OpenSSH private key.",
		window: "That identity file is not usable. Choose an age identity file (AGE-SECRET-KEY-1…) or an unencrypted OpenSSH private key.",
	},
	"error.backup.badRecipient": {
		cli:    "a recipient is not usable: give an age public key (age1…) or an SSH public key line (ssh-ed25519 …, ssh-rsa …).",
		window: "A recipient is not usable. Recipients look like “age1…”, “ssh-ed25519 …” or “ssh-rsa …”, one per line.",
	},

	// This machine.
	"error.local.noClipboardTool": {
		cli: "no clipboard tool was found: install wl-clipboard, xclip or xsel, or pipe the text into `keytray inspect`.",
	},
	"error.local.clipboard": {
		cli: "could not read the clipboard with {{.Tool}} (it may be empty, or there is no display to read it from); pipe the text into `keytray inspect` instead.",
	},
	"error.local.inputTooLong": {
		cli: "the input is far too long to be a password, key or token.",
	},
	"error.file.exists": {
		cli:    `{{or .Path "the file"}} already exists: choose another file, or add --force to replace it.`,
		window: "A file with that name already exists.",
	},
	"error.file.notExist": {
		cli:    `{{or .Path "the file"}} does not exist.`,
		window: "The file does not exist.",
	},
	"error.file.permission": {
		cli:    `permission denied for {{or .Path "the file"}}.`,
		window: "Keytray is not allowed to use that file or folder.",
	},

	// Notices (not errors): see RecoveryNotice.
	"notice.journal.finished": {
		cli: "an earlier {{.Op}} was interrupted (the process was stopped, or the keyring stopped answering); " +
			"it had written every key, so Keytray finished it: {{.Finished}}.",
	},
	"notice.journal.undone": {
		cli: "an earlier {{.Op}} was interrupted (the process was stopped, or the keyring stopped answering) before it changed any key " +
			"for good, so Keytray undid it; the index agrees with the keyring. Run it again to do it: {{.Undone}}.",
	},
	"notice.journal.mixed": {
		cli: "an earlier {{.Op}} was interrupted (the process was stopped, or the keyring stopped answering) part-way. " +
			"The index now agrees with the keyring: {{.NFinished}} key(s) hold the new value ({{.Finished}}), " +
			"{{.NUndone}} kept their previous one ({{.Undone}}). Run the same command again to finish it.",
	},
	"notice.index.repaired": {
		cli: "the index file had inconsistencies, which Keytray repaired: {{.Repairs}}.",
	},
	"notice.index.restored": {
		cli: "the index file was damaged or missing, so Keytray restored it from its last good copy, which is normally " +
			"up to date (should a key be missing from `keytray list`, it is still in the keyring: add it again with `keytray add`)." +
			"{{with .CorruptCopy}} The damaged file was kept as {{.}}.{{end}}{{with .Repairs}} Also repaired: {{.}}.{{end}}",
	},
}
