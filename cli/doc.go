// Package cli is Keytray's command line: what `keytray <command>` runs in both
// the desktop build and the headless build (-tags headless). It never imports
// fyne.io, directly or indirectly, so `keytray get NAME` starts in a few
// milliseconds and the headless binary needs no X or GL libraries.
//
// # Streams
//
// stdout carries data only (keys, lists, reports); every message, warning and
// error goes to stderr as "keytray: <sentence>". No password, session token or
// key is ever written to stderr; a key reaches stdout only from `get` and
// `env` (a plaintext `export` writes only to the file named by --out).
//
// # Exit status
//
//	0  success (for `inspect`: the input was classified, whatever it is)
//	1  failure (including `check` finding a key that is not valid)
//	2  usage error (unknown command or flag, missing argument, no secret on stdin)
//	3  a session token (JWT) was given where an API key was expected
//
// `exec` exits with the child's status (128+N when the child died of signal N,
// 127 when the command was not found, 126 when it could not be started).
//
// # Output details
//
// `get` prints the key followed by a newline when stdout is a terminal and the
// bare key otherwise, so `keytray get NAME > file` and `| xclip` hold exactly
// the key (and `$(keytray get NAME)` is the same either way).
//
// `login` and `add` print the stored entry's name on stdout (one line), since
// the service picks the name when --name is not given.
//
// `env` prints OPENAI_API_KEY=<key> and OPENAI_BASE_URL=<server>/api, unquoted
// (the dotenv / docker --env-file form); with --export each line starts with
// "export " and values are single-quoted for a POSIX shell.
//
// # JSON (stable; fields are never removed or renamed)
//
// `keytray list --json` prints one array, [] when nothing is stored:
//
//	[{
//	  "name":         "alice@chat.example.com",  // the entry name (keyring account string)
//	  "server":       "https://chat.example.com", // normalised base URL
//	  "server_name":  "Open WebUI",               // the server's own name, "" when unknown
//	  "account":      "alice@example.com",        // the account's email, "" when unknown
//	  "user_id":      "…",                        // Open WebUI user id, "" when unknown
//	  "role":         "user",                     // admin|user|pending, "" when unknown
//	  "masked_key":   "sk-…9f0e",                 // prefix and last four characters (from the index; no keyring read)
//	  "fingerprint":  "sha256:0123456789ab",      // short non-reversible tag of the key
//	  "created":      "2026-01-02T03:04:05Z",     // RFC 3339
//	  "last_checked": "2026-01-02T03:04:05Z",     // null when never checked
//	  "last_status":  "valid",                    // valid|rejected|disabled|restricted|unknown, "" when never checked
//	  "last_detail":  "",                         // a sentence, never a secret
//	  "reference":    "keytray://alice@chat.example.com", // for `run`, `inject` and env files
//	  "rotation_interrupted": false               // a rotation's answer was lost: the server may hold a newer key
//	}]
//
// The key itself is never part of list output. Text a server sent (account,
// role, server name, details) has its control characters escaped (ESC as \x1b).
//
// `keytray check --json` prints one array, in the order checked:
//
//	[{
//	  "name":    "alice@chat.example.com",
//	  "server":  "https://chat.example.com",
//	  "ok":      true,                      // the key is known to work
//	  "status":  "valid",                   // valid|rejected|disabled|restricted, "unknown" when the check failed,
//	                                        // "rotation-interrupted" when a rotation's answer was lost and the stored key fails
//	  "detail":  "",                        // the server's own words, when it gave any
//	  "error":   "",                        // why the check failed, or how to recover (a sentence); "" otherwise
//	  "checked": "2026-01-02T03:04:05Z"     // null when the check could not run
//	}]
//
// `keytray scan --json` prints one array of findings, sorted by path and
// position, [] when nothing was found. No field ever holds a secret:
//
//	[{
//	  "path":      "deploy/.env",             // as reached from the PATH given
//	  "line":      3,                          // 1-based
//	  "column":    16,                         // 1-based, in bytes
//	  "kind":      "session_token",            // session_token|api_key
//	  "masked":    "eyJ…x9Qk",                 // first three and last four characters
//	  "account":   "alice@example.com",        // "" when unknown
//	  "server":    "https://chat.example.com", // "" when unknown
//	  "expires":   "2026-01-02T03:04:05Z",     // a token's expiry; null for keys and tokens without one
//	  "expired":   false,
//	  "stored_as": "alice@chat.example.com",   // the stored entry the reference stands for, "" when none
//	  "fix":       "keytray://alice@chat.example.com", // the reference that replaces it, "" when none yet
//	  "fixed":     false,                      // --fix replaced it in the file
//	  "problem":   ""                          // what to do when it cannot be replaced (a sentence)
//	}]
//
// `scan` exits 0 when nothing is found (or --fix replaced everything), 1 when
// a secret is left in a file, 2 on a usage error. `run` exits with its
// command's status, as `exec` does.
package cli
