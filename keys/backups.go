package keys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// ExportRequest selects keys for a backup.
type ExportRequest struct {
	Names      []string // empty = all
	Encryption backup.Encryption
}

// ErrNothingToExport: there are no keys (or none were selected).
var ErrNothingToExport = errors.New("no keys to export")

// ErrBackupTooLarge: the file is larger than any backup Keytray writes
// (MaxBackupSize); it was not read.
var ErrBackupTooLarge = errors.New("the file is too large to be a Keytray backup")

// MaxBackupSize is the largest backup Import reads.
const MaxBackupSize = maxBackupSize

// maxBackupSize caps what Import reads: far above 1,000 keys, far below harm.
const maxBackupSize = 64 << 20

// Export writes an encrypted backup of the selected keys to path (0600,
// atomic, no overwrite unless force) and returns how many keys it holds.
func (s *Service) Export(path string, req ExportRequest, force bool) (int, error) {
	doc, err := s.document(req.Names)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := backup.Encode(&buf, doc, req.Encryption); err != nil {
		return 0, fmt.Errorf("encrypting backup: %w", err)
	}
	if err := backup.WriteFileAtomic(path, buf.Bytes(), force); err != nil {
		return 0, fmt.Errorf("writing backup: %w", err)
	}
	return len(doc.Keys), nil
}

// ExportPlain returns the selected keys in plaintext: format "env" (exactly
// one key, as a .env file) or "json" (the backup document, unencrypted).
func (s *Service) ExportPlain(names []string, format string) ([]byte, error) {
	switch format {
	case "env", "json":
	default:
		return nil, fmt.Errorf("plaintext format %s: use env or json", quote(format))
	}
	doc, err := s.document(names)
	if err != nil {
		return nil, err
	}
	if format == "json" {
		return backup.PlainJSON(doc)
	}
	if len(doc.Keys) != 1 {
		return nil, fmt.Errorf("the env format holds one key, and %d are selected: name the one to export", len(doc.Keys))
	}
	return backup.EnvFile(doc.Keys[0]), nil
}

// document gathers the selected entries and their keys into a backup document.
func (s *Service) document(names []string) (backup.Document, error) {
	entries, idx, err := s.selectEntries(names)
	if err != nil {
		return backup.Document{}, err
	}
	if len(entries) == 0 {
		return backup.Document{}, ErrNothingToExport
	}
	serverNames := make(map[string]string, len(idx.Instances))
	for _, in := range idx.Instances {
		serverNames[in.URL] = in.Name
	}
	// One bulk read: key by key, 1,000 keys cost 1,000 keyring round trips.
	stored := make([]string, len(entries))
	for i, e := range entries {
		stored[i] = e.Name
	}
	secrets, missing, err := s.Vault.Keys(stored)
	if err != nil {
		return backup.Document{}, fmt.Errorf("reading the keys from the keyring: %w", err)
	}
	doc := backup.Document{Format: "keytray-backup", Version: 1, Created: s.Now().UTC()}
	for _, e := range entries {
		key, ok := secrets[e.Name]
		if !ok {
			return backup.Document{}, fmt.Errorf("reading %s from the keyring: %w", quote(e.Name), missing[e.Name])
		}
		doc.Keys = append(doc.Keys, backup.Key{
			Name: e.Name, ServerURL: e.Instance, Email: e.Email, UserID: e.UserID,
			Key: key, StoredAt: e.Created.UTC(), ServerName: serverNames[e.Instance], Role: e.Role,
		})
	}
	return doc, nil
}

// Import restores a backup all-or-nothing: keys present and identical are
// skipped, a name holding a different key is refused unless replace.
func (s *Service) Import(path string, dec backup.Decryption, replace bool) (vault.PutAllResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return vault.PutAllResult{}, fmt.Errorf("opening backup: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBackupSize {
		return vault.PutAllResult{}, fmt.Errorf("reading backup %s: %w (%d bytes; at most %d)", quote(path), ErrBackupTooLarge, fi.Size(), maxBackupSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBackupSize+1))
	if err != nil {
		return vault.PutAllResult{}, fmt.Errorf("reading backup %s: %w", quote(path), err)
	}
	if len(data) > maxBackupSize { // a pipe or a file that grew
		return vault.PutAllResult{}, fmt.Errorf("reading backup %s: %w (more than %d bytes)", quote(path), ErrBackupTooLarge, maxBackupSize)
	}
	doc, err := backup.Decode(bytes.NewReader(data), dec)
	if err != nil {
		return vault.PutAllResult{}, fmt.Errorf("reading backup %s: %w", quote(path), err)
	}
	items := make([]vault.Item, 0, len(doc.Keys))
	for _, k := range doc.Keys {
		url, err := openwebui.NormalizeURL(k.ServerURL)
		if err != nil {
			return vault.PutAllResult{}, fmt.Errorf("backup entry %s: %w: %w", quote(k.Name), backup.ErrInvalid, err)
		}
		// A session token where a key belongs is refused, as everywhere
		// (README): it would stop working at its expiry or the server's
		// next secret change.
		switch credential.Classify(k.Key).Kind {
		case credential.SessionJWT:
			return vault.PutAllResult{}, fmt.Errorf("backup entry %s: %w: it holds a session token (JWT), not an API key; nothing was imported",
				quote(k.Name), backup.ErrInvalid)
		case credential.Other:
			return vault.PutAllResult{}, fmt.Errorf("backup entry %s: %w: it holds no sk- API key; nothing was imported", quote(k.Name), backup.ErrInvalid)
		}
		if k.StoredAt.IsZero() {
			return vault.PutAllResult{}, fmt.Errorf("backup entry %s: %w: it has no stored_at time; nothing was imported", quote(k.Name), backup.ErrInvalid)
		}
		items = append(items, vault.Item{
			Instance: vault.Instance{URL: url, Name: k.ServerName},
			Entry: vault.Entry{
				Name: k.Name, Instance: url, Email: k.Email, UserID: k.UserID, Role: k.Role,
				Created: k.StoredAt, Fingerprint: credential.Fingerprint(k.Key), Source: "import",
			},
			Key: k.Key,
		})
	}
	res, err := s.Vault.PutAll(items, replace)
	if err != nil {
		return vault.PutAllResult{}, fmt.Errorf("restoring backup: %w", err)
	}
	return res, nil
}
