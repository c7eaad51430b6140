package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/keytray/keytray/internal/version"
)

func (c *cli) printOverview(w io.Writer) {
	fmt.Fprint(w, `Keytray keeps Open WebUI API keys in your operating system's keyring.

Usage:
  keytray                  start the desktop app (window and tray)
  keytray --hidden         start the desktop app in the tray only
  keytray COMMAND [ARGS]   run a command

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, cmd := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, cmd.short)
	}
	tw.Flush()
	fmt.Fprint(w, `
Run `+"`keytray help COMMAND`"+` (or `+"`keytray COMMAND -h`"+`) for details and examples.

Exit status: 0 success, 1 failure, 2 usage error, 3 a session token (JWT) was
given where an API key was expected.
`)
}

func (c *cli) printCommandHelp(w io.Writer, cmd command) {
	fmt.Fprintf(w, "keytray %s: %s\n\nUsage: keytray %s %s\n", cmd.name, cmd.short, cmd.name, cmd.synopsis)
	if cmd.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.long))
	}
}

func (c *cli) help(args []string) error {
	fs := newFlags("help")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		c.printOverview(c.stdout)
		return nil
	case 1:
		cmd, ok := lookupCommand(pos[0])
		if !ok {
			msg := fmt.Sprintf("there is no command %q.", pos[0])
			if s := suggest(pos[0]); s != "" {
				msg += fmt.Sprintf(" Did you mean %q?", s)
			}
			return usagef("%s", msg)
		}
		c.printCommandHelp(c.stdout, cmd)
		return nil
	}
	return usagef("help takes one command name.")
}

func (c *cli) version(args []string) error {
	fs := newFlags("version")
	_, err := parseExact(fs, args)
	if err != nil {
		return err
	}
	fmt.Fprint(c.stdout, versionText())
	return nil
}

// versionText is `keytray version`: release, build, Go version, commit and
// links, from the one place the About dialog reads too.
func versionText() string {
	return version.Read().String()
}

// Synopses and help texts, one per command.
const (
	loginSynopsis  = "URL [--email E | --ldap USER | --token-stdin] [--password-stdin] [--name NAME] [--rotate] [--allow-http] [--ca-file FILE]"
	addSynopsis    = "URL [--key-stdin] [--name NAME] [--no-verify] [--allow-http] [--ca-file FILE]"
	rotateSynopsis = "NAME [--password-stdin | --token-stdin] [--ldap USER] [--allow-http]"
	revokeSynopsis = "NAME [--password-stdin | --token-stdin] [--ldap USER] [--allow-http] [--yes]"
	exportSynopsis = "--out FILE (--passphrase-file F | --recipient R...) [--armor] [--force] [NAME...]\n" +
		"       keytray export --out FILE --plaintext --format env|json [--force] [NAME...]"
	importSynopsis = "FILE [--passphrase-file F | --identity FILE] [--replace]"
)

const loginHelp = `
Signs in to the Open WebUI server at URL, reads the account's API key (or
creates one when the account has none), stores it in the keyring and signs out.
The password or session token is used once and never stored.

Without --rotate an existing server key is kept: replacing a key breaks
whatever uses it, so Keytray never does it on its own. Newer servers will not
show an existing key again; then Keytray says so and stores nothing, and
--rotate makes a new key (the old one stops working at once).

URL may be a host (chat.example.com), host:port, or http(s)://host[:port][/prefix],
with or without a trailing / or /api.

The password is asked for without echo when stdin is a terminal; in scripts,
pipe it in with --password-stdin. SSO users sign in in the browser, copy the
session token (JWT) from Settings › Account and pipe it in with --token-stdin.

A server with sign-in turned off (WEBUI_AUTH=False) needs none of --email,
--ldap and --token-stdin: Keytray stores the key of its one account. Given
none of them, any other server is asked which ways in it offers, and they are
listed.

The stored name (default <email local part>@<host>, with -2, -3… when taken)
is printed on stdout.

Flags:
  --email E          sign in with this email and a password
  --ldap USER        sign in with this LDAP user name and a password
  --token-stdin      sign in with a session token (JWT) read from stdin
  --password-stdin   read the password from stdin (one trailing newline is dropped)
  --name NAME        store the key under NAME
  --rotate           replace the account's key with a new one
  --allow-http       allow sending the password over plain http:// to another machine
  --ca-file FILE     trust the CA certificate(s) in FILE (PEM) for this server

Examples:
  keytray login chat.example.com --email alice@example.com
  printf '%s\n' "$PASSWORD" | keytray login https://chat.example.com --email alice@example.com --password-stdin
  keytray login chat.example.com --ldap alice
  wl-paste | keytray login chat.example.com --token-stdin --name work
  keytray login localhost:3000          # a server with sign-in turned off
`

const addHelp = `
Stores an API key you already have (an sk- key from Settings › Account ›
API keys), after checking it with the server unless --no-verify. The key is
read from stdin with --key-stdin, or asked for without echo in a terminal.

A session token (JWT) is refused with exit status 3: it stops working at the
next sign-in, on expiry, or when the server's secret changes. Turn it into an
API key with ` + "`keytray login URL --token-stdin`" + ` instead.

The stored name is printed on stdout.

Flags:
  --key-stdin      read the key from stdin (one trailing newline is dropped)
  --name NAME      store the key under NAME (default: from the key's owner, or the host)
  --no-verify      store without asking the server
  --allow-http     allow sending the key over plain http:// to another machine
  --ca-file FILE   trust the CA certificate(s) in FILE (PEM) for this server

Examples:
  keytray add chat.example.com
  printf '%s\n' "$KEY" | keytray add chat.example.com --key-stdin --name ci
`

const listHelp = `
Lists every stored key: NAME, SERVER, ACCOUNT, KEY (masked) and STATUS (the
last check's result and how long ago). The key itself is never shown.

--json prints an array of objects with the fields name, server, server_name,
account, user_id, role, masked_key, fingerprint, created, last_checked,
last_status, last_detail (times in RFC 3339, last_checked null when never
checked). The format is stable.

Examples:
  keytray list
  keytray list --json | jq -r '.[].name'
`

const getHelp = `
Prints the key stored as NAME on stdout and nothing else: with a newline when
stdout is a terminal, without one otherwise (so a file or a pipe gets exactly
the key). It never contacts the server.

Examples:
  curl -H "Authorization: Bearer $(keytray get work)" https://chat.example.com/api/models
  keytray get work | wl-copy
`

const envHelp = `
Prints two lines for NAME:
  OPENAI_API_KEY=<the key>
  OPENAI_BASE_URL=<server>/api
in the dotenv / docker --env-file form. --export prints shell "export" lines
with quoted values instead. Prefer ` + "`keytray exec`" + `, which never shows the key.

Examples:
  keytray env work > .env && chmod 600 .env
  eval "$(keytray env work --export)"
`

const execHelp = `
Runs CMD with OPENAI_API_KEY and OPENAI_BASE_URL (<server>/api) set in its
environment only (never on its command line), passes SIGINT and SIGTERM on to
it, and exits with its exit status. If NAME is not stored, CMD is not run.
If the last check found the key rejected, CMD still runs, with a warning.

Examples:
  keytray exec work -- python agent.py
  keytray exec work -- sh -c 'curl -s -H "Authorization: Bearer $OPENAI_API_KEY" "$OPENAI_BASE_URL/models"'
`

const checkHelp = `
Asks each server whether its keys still work (all keys, or the NAMEs given)
and records the result. Exits 1 if any key is not known to work.

Statuses: valid; rejected (revoked or replaced); disabled (API keys switched
off, or the account lacks the permission); restricted (the server's endpoint
allow-list blocks the check; the key may still work where allowed); unknown
(the check itself failed, e.g. the server was unreachable).

--json prints an array of objects with the fields name, server, ok, status,
detail, error, checked. The format is stable.

Examples:
  keytray check
  keytray check work --json
`

const rotateHelp = `
Creates a new key for NAME's account on the server and stores it; the
previous key stops working at once. Keytray first tries to do this with the
key itself; where the server refuses, it needs a sign-in: the password for
the stored account (asked without echo in a terminal, or --password-stdin),
an LDAP password (--ldap USER), or a session token (--token-stdin).

Examples:
  keytray rotate work
  printf '%s\n' "$PASSWORD" | keytray rotate work --password-stdin
`

const revokeHelp = `
Deletes NAME's key on the server, then forgets it locally. Anything that
uses the key stops working. Same sign-in rules as rotate. In a terminal you
are asked to confirm unless --yes.

Examples:
  keytray revoke old-laptop
  printf '%s\n' "$PASSWORD" | keytray revoke old-laptop --password-stdin
`

const removeHelp = `
Forgets NAME locally (keyring item and index entry). The key keeps working
on the server; use ` + "`keytray revoke`" + ` to disable it there too.

Example:
  keytray remove work
`

const renameHelp = `
Renames a stored key (its index entry and its keyring item).

Example:
  keytray rename alice@chat.example.com work
`

const inspectHelp = `
Reads text from stdin (asked without echo in a terminal) or, with
--clipboard, from the clipboard, and says what it is: an Open WebUI API key
(and whether it is stored), a session token (JWT: whose it is, when it was
issued and expires, and why it will break), or neither. It never prints the
text itself and never stores anything.

The clipboard is read with wl-paste, xclip, xsel, pbpaste or PowerShell,
whichever exists. Exit status 0 means the text was classified, whatever it is.

Examples:
  keytray inspect --clipboard
  keytray inspect < token.txt
`

const exportHelp = `
Writes the selected keys (all when no NAME is given) to FILE, encrypted with
age to a passphrase (--passphrase-file, or asked twice without echo in a
terminal) or to recipients (--recipient, repeatable: age1…, ssh-ed25519 …,
ssh-rsa …). The stock ` + "`age -d`" + ` command decrypts it. FILE is written with
mode 0600 and never replaced unless --force.

With --plaintext, --format env (one key: OPENAI_API_KEY / OPENAI_BASE_URL
lines) or --format json writes the keys unencrypted. Anyone who can read that
file can use the keys.

Flags:
  --out FILE               where to write (required)
  --passphrase-file F      read the passphrase from F (one trailing newline is dropped)
  --recipient R            encrypt to R (repeatable)
  --armor                  write ASCII-armored (PEM-like) output
  --force                  replace FILE if it exists
  --plaintext              write unencrypted (needs --format)
  --format env|json        plaintext format

Examples:
  keytray export --out keys.age
  keytray export --out keys.age --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
  keytray export --out work.env --plaintext --format env work
`

const importHelp = `
Restores the keys in a backup made by ` + "`keytray export`" + `, all or nothing. The
passphrase comes from --passphrase-file or is asked without echo in a
terminal; a backup made for recipients needs --identity FILE (an age identity
file or an unencrypted OpenSSH private key).

A stored key with the same name and a different key is left alone (and the
command exits 1) unless --replace.

Examples:
  keytray import keys.age
  keytray import keys.age --identity ~/.config/age/keys.txt --replace
`

const configHelp = `
With no arguments, prints every setting as KEY=VALUE. With KEY, prints its
value. With KEY VALUE, changes it.

Settings:
  clipboard-clear   how long a copied key stays on the clipboard (30s, 2m; 0 = never). Default 30s.
  clipboard-watch   warn when a session token (JWT) is copied: on or off. Default on.
  start-at-login    start Keytray when you log in: on or off.
  start-hidden      start in the tray only: on or off.
  theme             system, light or dark.

Examples:
  keytray config
  keytray config clipboard-clear 45s
`

const doctorHelp = `
Checks that the keyring can store, read and delete an item, where the index
file is (and whether it had to be recovered), and whether each server is
reachable and which Open WebUI version it runs. Exits 1 if anything is broken,
with what to do about it.
`

const versionHelp = `
Prints Keytray's version, the build number and kind (desktop or headless), the
Go version, the commit it was built from, and where the documentation is.
Also: keytray --version.
`

const helpHelp = `
Shows the list of commands, or the details and examples of one.
`
