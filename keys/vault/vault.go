// Package vault keeps API keys in the OS keyring and a non-secret index beside
// them. The keyring (service "keytray", one item per key, account string = the
// entry name) holds the secrets; the index (JSON under $XDG_CONFIG_HOME/keytray,
// 0600 in a 0700 folder, written atomically, with a last-good copy) makes them
// findable, since keyrings cannot be listed portably.
//
// Promises: every keyring call has a timeout; no operation leaves an index
// entry without its keyring item or a keyring item without its entry; a corrupt
// index is replaced by the last-good copy and reported, never silently lost.
//
// Writers (this process or another Keytray process: the CLI and the desktop
// app share one index) take an advisory lock on <dir>/index.lock, re-read the
// index from disk, change it and write it back; keyring calls that belong to
// the change happen inside the lock so that two writers cannot interleave.
// Readers take no lock: the index is only ever replaced by an atomic rename.
package vault

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/adrg/xdg"
)

// Sentinel errors; test with errors.Is.
var (
	ErrNotFound        = errors.New("no such key")
	ErrExists          = errors.New("name already in use")
	ErrNoSessionBus    = errors.New("no D-Bus session bus")                 // Linux: DBUS_SESSION_BUS_ADDRESS unset and no $XDG_RUNTIME_DIR/bus
	ErrNoSecretService = errors.New("no Secret Service on the session bus") // gnome-keyring / KeePassXC not running
	ErrLocked          = errors.New("keyring is locked")
	ErrTimeout         = errors.New("keyring did not answer in time")
	ErrUnavailable     = errors.New("keyring unavailable") // anything else the keyring reports
	ErrBadName         = errors.New("invalid name")
	ErrIndexCorrupt    = errors.New("index file is corrupt")

	// ErrKeyMissing: the index has the entry but the keyring has no item for
	// it (deleted by hand in Seahorse, Keychain Access or Credential Manager,
	// or a different keyring than the one that stored it). Not ErrNotFound,
	// which means "no such entry".
	ErrKeyMissing = errors.New("the keyring has no item for this entry")
	// ErrTooLarge: the secret is longer than MaxSecretLen.
	ErrTooLarge = errors.New("secret too large for the keyring")
	// ErrIndexTooNew: the index was written by a newer Keytray; it is left untouched.
	ErrIndexTooNew = errors.New("index file was written by a newer Keytray")
	// ErrIndexBusy: another process held the index lock for longer than LockWait.
	ErrIndexBusy = errors.New("index is locked by another Keytray process")
	// ErrBadSetting: SaveSettings was given a value out of range.
	ErrBadSetting = errors.New("invalid setting")
	// ErrOrphan: the keyring holds an item under the name that the index does
	// not list (left by an index moved aside, a crash, or another program);
	// it is never overwritten without being asked to.
	ErrOrphan = errors.New("the keyring already holds an item under this name that the index does not list")
	// ErrAccountStored: PutUnique found, under the index lock, an entry for
	// the same account (server and user id) that another process stored
	// meanwhile; the caller updates that entry instead of making a second.
	ErrAccountStored = errors.New("this account's key is stored under another entry")
	// ErrIndexUnwritable: the index folder cannot take a new index
	// (read-only, full), found before anything is asked of a server.
	ErrIndexUnwritable = errors.New("the index folder cannot be written")
	// ErrInterrupted: a change could neither be finished nor undone (the
	// keyring stopped answering, say); the journal it left makes the next
	// command bring the index in line with the keyring.
	ErrInterrupted = errors.New("the change was interrupted")
)

// InterruptedError is ErrInterrupted with what failed and why it could not
// be undone.
type InterruptedError struct {
	Op   string // import, replace, rename, remove, add
	Err  error  // what stopped the change
	Undo error  // what stopped the undo
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("%s interrupted: %v; undoing it failed too (%v): the next Keytray command will bring the index in line with the keyring", e.Op, e.Err, e.Undo)
}

func (e *InterruptedError) Unwrap() []error { return []error{ErrInterrupted, e.Err} }

// SecretStore is the keyring seen by the vault: one secret per account string.
type SecretStore interface {
	Get(account string) (string, error) // ErrNotFound when absent
	Set(account, secret string) error
	Delete(account string) error // ErrNotFound when absent
}

// Service is the keyring service name for every item.
const Service = "keytray"

// Instance is one Open WebUI server.
type Instance struct {
	URL       string    `json:"url"`               // normalised base URL; the key of the instance
	Name      string    `json:"name,omitempty"`    // the server's own name
	Version   string    `json:"version,omitempty"` // last version seen
	CAFile    string    `json:"ca_file,omitempty"`
	AllowHTTP bool      `json:"allow_http,omitempty"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
}

// Entry is one stored key, without the key.
type Entry struct {
	Name        string    `json:"name"`     // unique; also the keyring account string
	Instance    string    `json:"instance"` // Instance.URL
	Email       string    `json:"email,omitempty"`
	UserID      string    `json:"user_id,omitempty"`
	Role        string    `json:"role,omitempty"`
	Created     time.Time `json:"created"` // when Keytray stored it
	LastChecked time.Time `json:"last_checked,omitzero"`
	LastStatus  string    `json:"last_status,omitempty"` // valid|rejected|disabled|restricted|unreachable|…
	LastDetail  string    `json:"last_detail,omitempty"` // a sentence, never a secret
	Fingerprint string    `json:"fingerprint"`           // credential.Fingerprint(key)
	Hint        string    `json:"hint,omitempty"`        // credential.Hint(key): its last 4 characters, for masks
	Source      string    `json:"source,omitempty"`      // login|add|import|rotate
	// RotatingSince is set just before a server is asked for a new key and
	// cleared when the new key is stored: set on an entry nobody is
	// rotating, it means the rotation was interrupted and the stored key may
	// be one the server no longer accepts.
	RotatingSince time.Time `json:"rotating_since,omitzero"`
}

// RotationInterrupted reports whether a rotation of e was started and never
// finished (see RotatingSince).
func (e Entry) RotationInterrupted() bool { return !e.RotatingSince.IsZero() }

// Settings are the user's preferences (the ones `keytray config` reads and writes).
type Settings struct {
	ClipboardClear Duration `json:"clipboard_clear"` // 0 = never; default 30 s
	ClipboardWatch bool     `json:"clipboard_watch"` // default true
	StartAtLogin   bool     `json:"start_at_login"`
	StartHidden    bool     `json:"start_hidden"`
	CloseQuits     bool     `json:"close_quits"`    // closing the window quits instead of keeping Keytray in the tray
	Theme          string   `json:"theme"`          // system|light|dark; default system
	CheckInterval  Duration `json:"check_interval"` // how often the desktop app checks every key; 0 = never; default 6 h
}

// Themes are the accepted values of Settings.Theme.
var Themes = []string{"system", "light", "dark"}

// DefaultSettings are the settings of a new profile.
func DefaultSettings() Settings {
	return Settings{
		ClipboardClear: Duration(30 * time.Second),
		ClipboardWatch: true,
		Theme:          "system",
		CheckInterval:  Duration(6 * time.Hour),
	}
}

// Index is the whole non-secret state.
type Index struct {
	Format    string     `json:"format"`  // "keytray-index"
	Version   int        `json:"version"` // 1
	Instances []Instance `json:"instances"`
	Entries   []Entry    `json:"entries"`
	Settings  Settings   `json:"settings"`
}

// Vault is the index plus the secret store. Methods are safe for concurrent use
// within one process; across processes each write re-reads the index first.
type Vault struct {
	dir   string
	store SecretStore

	// mu serialises writers of this Vault; the file lock serialises processes
	// (and other Vault values on the same folder).
	mu sync.Mutex

	// recMu guards pending: a recovery performed by any call (Entries, Put…)
	// is kept until Load reports it, so it is never lost to a caller that
	// does not look at recoveries.
	recMu   sync.Mutex
	pending *Recovery

	// Test hooks; nil in production.
	testWriteFile   func(path string, data []byte) error // replaces the atomic write
	testBeforeKeyOp func(i int)                          // called before the i-th planned keyring change
	now             func() time.Time
}

// DefaultDir is $XDG_CONFIG_HOME/keytray (adrg/xdg).
func DefaultDir() string { return filepath.Join(xdg.ConfigHome, "keytray") }

// Open uses dir for the index (created 0700 if missing) and store for secrets.
// It does not touch the keyring.
func Open(dir string, store SecretStore) (*Vault, error) {
	if dir == "" {
		return nil, errors.New("opening vault: no folder given")
	}
	if store == nil {
		return nil, errors.New("opening vault: no secret store given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening vault: %w", err)
	}
	if err := ensureDir(abs); err != nil {
		return nil, fmt.Errorf("opening vault: %w", err)
	}
	return &Vault{dir: abs, store: store, now: time.Now}, nil
}

// Dir is the index folder; IndexPath the index file.
func (v *Vault) Dir() string       { return v.dir }
func (v *Vault) IndexPath() string { return filepath.Join(v.dir, indexFile) }

// LastGoodPath is the last-good copy of the index.
func (v *Vault) LastGoodPath() string { return filepath.Join(v.dir, lastGoodFile) }

// Recovery describes an index that could not be used as it was: a corrupt
// (or vanished) index replaced by the last-good copy, and/or inconsistencies
// repaired in memory (they are written back by the next change).
type Recovery struct {
	CorruptCopy string // where the corrupt file was moved; "" when nothing was moved
	Cause       error  // why the index was not usable; nil when only Repairs apply
	// Repairs lists conservative fixes made while loading, in lowercase
	// notes that name entries and servers but never hold a secret, e.g.
	// `entry "a@x" refers to unknown server "https://x"; server added`.
	Repairs []string
	// Journal says how a change interrupted by a crash or a keyring that
	// stopped answering was finished or undone; nil when there was none.
	Journal *JournalRecovery
}

func (r *Recovery) String() string {
	switch {
	case r == nil:
		return ""
	case r.Cause != nil && r.CorruptCopy != "":
		return fmt.Sprintf("index restored from the last-good copy (%v); the unusable file was kept as %s", r.Cause, r.CorruptCopy)
	case r.Cause != nil:
		return fmt.Sprintf("index restored from the last-good copy (%v)", r.Cause)
	case r.Journal != nil && len(r.Repairs) == 0:
		return fmt.Sprintf("an interrupted %s was finished for %d key(s) and undone for %d", r.Journal.Op, len(r.Journal.Finished), len(r.Journal.Undone))
	default:
		return fmt.Sprintf("index repaired: %d problem(s)", len(r.Repairs))
	}
}

// Item is one key with its entry and instance, as used by backups.
type Item struct {
	Instance Instance
	Entry    Entry
	Key      string
}

// PutAllResult says what PutAll did per name.
type PutAllResult struct {
	Restored []string // stored (new, or replaced with replace=true)
	Skipped  []string // same name, identical key: nothing to do
	Refused  []string // same name, different key, replace=false
	// Orphans are the Refused names whose item is in the keyring but not in
	// the index (see ErrOrphan).
	Orphans []string
}
