// Package vault keeps API keys in the OS keyring and a non-secret index beside
// them. The keyring (service "keytray", one item per key, account string = the
// entry name) holds the secrets; the index (JSON under $XDG_CONFIG_HOME/keytray,
// 0600 in a 0700 folder, written atomically, with a last-good copy) makes them
// findable, since keyrings cannot be listed portably.
//
// Promises: every keyring call has a timeout; no operation leaves an index
// entry without its keyring item or a keyring item without its entry; a corrupt
// index is replaced by the last-good copy and reported, never silently lost.
package vault

import (
	"errors"
	"time"
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
)

// SecretStore is the keyring seen by the vault: one secret per account string.
type SecretStore interface {
	Get(account string) (string, error) // ErrNotFound when absent
	Set(account, secret string) error
	Delete(account string) error // ErrNotFound when absent
}

// Service is the keyring service name for every item.
const Service = "keytray"

// NewKeyring is the OS keyring (zalando/go-keyring) with a timeout on every call
// (0 = 3 s) and typed errors.
func NewKeyring(timeout time.Duration) SecretStore { panic("contract") }

// Instance is one Open WebUI server.
type Instance struct {
	URL       string    `json:"url"`               // normalised base URL; the key of the instance
	Name      string    `json:"name,omitempty"`    // the server's own name
	Version   string    `json:"version,omitempty"` // last version seen
	CAFile    string    `json:"ca_file,omitempty"`
	AllowHTTP bool      `json:"allow_http,omitempty"`
	LastSeen  time.Time `json:"last_seen,omitempty"`
}

// Entry is one stored key, without the key.
type Entry struct {
	Name        string    `json:"name"`     // unique; also the keyring account string
	Instance    string    `json:"instance"` // Instance.URL
	Email       string    `json:"email,omitempty"`
	UserID      string    `json:"user_id,omitempty"`
	Role        string    `json:"role,omitempty"`
	Created     time.Time `json:"created"` // when Keytray stored it
	LastChecked time.Time `json:"last_checked,omitempty"`
	LastStatus  string    `json:"last_status,omitempty"` // valid|rejected|disabled|restricted|unreachable|…
	LastDetail  string    `json:"last_detail,omitempty"` // a sentence, never a secret
	Fingerprint string    `json:"fingerprint"`           // credential.Fingerprint(key)
	Source      string    `json:"source,omitempty"`      // login|add|import|rotate
}

// Settings are the user's preferences (the ones `keytray config` reads and writes).
type Settings struct {
	ClipboardClear Duration `json:"clipboard_clear"` // 0 = never; default 30 s
	ClipboardWatch bool     `json:"clipboard_watch"` // default true
	StartAtLogin   bool     `json:"start_at_login"`
	StartHidden    bool     `json:"start_hidden"`
	Theme          string   `json:"theme"` // system|light|dark; default system
}

// Duration is a time.Duration that reads and writes as "30s" in JSON.
type Duration time.Duration

// DefaultSettings are the settings of a new profile.
func DefaultSettings() Settings { panic("contract") }

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
type Vault struct { /* … */
}

// DefaultDir is $XDG_CONFIG_HOME/keytray (adrg/xdg).
func DefaultDir() string { panic("contract") }

// Open uses dir for the index (created 0700 if missing) and store for secrets.
// It does not touch the keyring.
func Open(dir string, store SecretStore) (*Vault, error) { panic("contract") }

// Dir is the index folder; IndexPath the index file.
func (v *Vault) Dir() string       { panic("contract") }
func (v *Vault) IndexPath() string { panic("contract") }

// Load reads the index. If it is corrupt, the last-good copy is used and
// Recovered says what happened (the corrupt file is kept aside as index.json.corrupt-<time>).
// A missing index is an empty one.
func (v *Vault) Load() (*Index, *Recovery, error) { panic("contract") }

// Recovery describes a corrupt index replaced by the last-good copy.
type Recovery struct {
	CorruptCopy string // where the corrupt file was moved
	Cause       error
}

// Entries lists entries sorted by instance, then name.
func (v *Vault) Entries() ([]Entry, error) { panic("contract") }

// Entry finds one entry by name. ErrNotFound.
func (v *Vault) Entry(name string) (Entry, error) { panic("contract") }

// Instance finds an instance by URL. ErrNotFound.
func (v *Vault) Instance(url string) (Instance, error) { panic("contract") }

// Key reads the secret for name from the keyring (ErrNotFound when the index
// has no such entry; a keyring error otherwise).
func (v *Vault) Key(name string) (string, error) { panic("contract") }

// Put stores a new entry and its key: keyring first, then the index; if the
// index write fails the keyring item is removed again. ErrExists when the name is taken.
// inst is created or updated (by URL).
func (v *Vault) Put(inst Instance, e Entry, key string) error { panic("contract") }

// ReplaceKey swaps the key of an existing entry (rotation), updating the fingerprint;
// the old key is put back if the index cannot be written.
func (v *Vault) ReplaceKey(name, key string, update func(*Entry)) error { panic("contract") }

// Update changes non-secret fields of an entry (status, last checked…). It may not change Name.
func (v *Vault) Update(name string, update func(*Entry)) error { panic("contract") }

// UpsertInstance creates or updates an instance by URL.
func (v *Vault) UpsertInstance(inst Instance) error { panic("contract") }

// Rename moves the keyring item to the new account string and renames the entry.
func (v *Vault) Rename(oldName, newName string) error { panic("contract") }

// Remove forgets an entry locally: keyring item and index entry. An instance
// with no entries left is dropped too.
func (v *Vault) Remove(name string) error { panic("contract") }

// UniqueName returns base, or base-2, base-3… whichever is free.
func (v *Vault) UniqueName(base string) (string, error) { panic("contract") }

// Settings reads the settings; SaveSettings writes them.
func (v *Vault) Settings() (Settings, error)   { panic("contract") }
func (v *Vault) SaveSettings(s Settings) error { panic("contract") }

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
}

// PutAll stores many items all-or-nothing: on any failure every keyring item
// it wrote or overwrote is put back as it was and the index is unchanged.
func (v *Vault) PutAll(items []Item, replace bool) (PutAllResult, error) { panic("contract") }
