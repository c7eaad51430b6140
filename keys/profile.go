package keys

import (
	"errors"
	"fmt"

	"github.com/keytray/keytray/keys/vault"
)

// The methods below are what the front ends need of the profile beyond the
// operations: they go through them, never through Service.Vault, so that
// every write to the profile is the service's decision.

// Index reads the index once (recovering it from its last-good copy when it
// is damaged: the Recovery says so, for the front end to tell the user).
// Callers that look several things up read it once and keep it.
func (s *Service) Index() (*vault.Index, *vault.Recovery, error) { return s.Vault.Load() }

// IndexPath is the index file, for messages and for watching it for changes.
func (s *Service) IndexPath() string { return s.Vault.IndexPath() }

// KeyOf reads the key of an entry taken from an index already read, without
// reading the index a second time (`keytray get` reads it once).
func (s *Service) KeyOf(e vault.Entry) (string, error) { return s.Vault.KeyOf(e) }

// AllowHTTP records that secrets may go to the server at url over plain
// http:// (the user said so with --allow-http or in the window). The server
// must be known already.
func (s *Service) AllowHTTP(url string) error {
	inst, err := s.Vault.Instance(url)
	if err != nil {
		return fmt.Errorf("allowing http for %s: %w", url, err)
	}
	if inst.AllowHTTP {
		return nil
	}
	inst.AllowHTTP = true
	return s.Vault.UpsertInstance(inst)
}

// AllowHTTPIfKnown is AllowHTTP for a server that may have been forgotten
// meanwhile (revoking its last key drops it): then there is nothing to record.
func (s *Service) AllowHTTPIfKnown(url string) error {
	err := s.AllowHTTP(url)
	if errors.Is(err, vault.ErrNotFound) {
		return nil
	}
	return err
}
