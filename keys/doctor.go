package keys

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// DoctorReport is what `keytray doctor` prints.
type DoctorReport struct {
	IndexPath  string
	IndexErr   error
	Recovery   *vault.Recovery
	KeyringErr error // nil = a test item could be written, read and deleted
	Servers    []ServerReport
	// Orphans are keyring items of Keytray's service that the index does
	// not list (see vault.ErrOrphan); OrphansErr says why they could not be
	// looked for (vault.ErrCannotList where the keyring cannot list).
	Orphans    []string
	OrphansErr error
	// Interrupted lists entries whose rotation was interrupted.
	Interrupted []vault.Entry
}

// OK reports whether everything checked works.
func (r DoctorReport) OK() bool {
	if r.IndexErr != nil || r.KeyringErr != nil || len(r.Orphans) > 0 || len(r.Interrupted) > 0 {
		return false
	}
	for _, s := range r.Servers {
		if s.Err != nil {
			return false
		}
	}
	return true
}

// ServerReport is one server's reachability.
type ServerReport struct {
	URL     string
	Info    openwebui.ServerInfo
	Err     error
	Entries int
}

// doctorProbeTimeout bounds each server probe so one dead server cannot stall the report.
const doctorProbeTimeout = 10 * time.Second

// Doctor checks the keyring, the index and every known server.
func (s *Service) Doctor(ctx context.Context) DoctorReport {
	rep := DoctorReport{IndexPath: s.Vault.IndexPath()}
	idx, rec, err := s.Vault.Load()
	rep.IndexErr, rep.Recovery = err, rec
	rep.KeyringErr = s.Vault.CheckKeyring()
	if err != nil {
		return rep
	}
	if rep.KeyringErr == nil {
		rep.Orphans, rep.OrphansErr = s.Vault.Orphans()
	}
	for _, e := range idx.Entries {
		if e.RotationInterrupted() {
			rep.Interrupted = append(rep.Interrupted, e)
		}
	}
	counts := map[string]int{}
	for _, e := range idx.Entries {
		counts[e.Instance]++
	}
	rep.Servers = make([]ServerReport, len(idx.Instances))
	var wg sync.WaitGroup
	for i, inst := range idx.Instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, doctorProbeTimeout)
			defer cancel()
			info, err := s.Probe(pctx, Server{URL: inst.URL, AllowHTTP: inst.AllowHTTP, CAFile: inst.CAFile})
			rep.Servers[i] = ServerReport{URL: inst.URL, Info: info, Err: err, Entries: counts[inst.URL]}
		}()
	}
	wg.Wait()
	return rep
}

// Adopted is what Adopt did with one orphaned keyring item.
type Adopted struct {
	Name  string
	Entry vault.Entry // the new entry, when Err is nil
	Err   error       // why it was left alone
}

// ErrOwnerUnknown: no known server accepts the orphaned item's key, so
// Keytray cannot tell which server it belongs to.
var ErrOwnerUnknown = errors.New("no known server accepts this key")

// Adopt takes orphaned keyring items into the index. Each item's key is
// checked with the known servers (and server, when given); the server that
// accepts it becomes the entry's, with the account it names. With server
// given, an item no server accepts is adopted under it unchecked; without,
// it is left alone (ErrOwnerUnknown). An item that holds no sk- key is left
// alone too.
func (s *Service) Adopt(ctx context.Context, server Server) ([]Adopted, error) {
	orphans, err := s.Vault.Orphans()
	if err != nil {
		return nil, err
	}
	if len(orphans) == 0 {
		return nil, nil
	}
	_, insts, err := s.List()
	if err != nil {
		return nil, err
	}
	var candidates []Server
	for _, in := range insts {
		candidates = append(candidates, Server{URL: in.URL, AllowHTTP: in.AllowHTTP, CAFile: in.CAFile})
	}
	if server.URL != "" {
		u, err := openwebui.NormalizeURL(server.URL)
		if err != nil {
			return nil, err
		}
		server.URL = u
		candidates = append([]Server{server}, candidates...)
	}
	out := make([]Adopted, 0, len(orphans))
	for _, name := range orphans {
		out = append(out, s.adoptOne(ctx, name, server, candidates))
	}
	return out, nil
}

func (s *Service) adoptOne(ctx context.Context, name string, server Server, candidates []Server) Adopted {
	key, err := s.Vault.OrphanKey(name)
	if err != nil {
		return Adopted{Name: name, Err: err}
	}
	switch credential.Classify(key).Kind {
	case credential.SessionJWT:
		return Adopted{Name: name, Err: ErrJWTNotKey}
	case credential.Other:
		return Adopted{Name: name, Err: ErrNotAKey}
	}
	now := s.Now()
	for _, srv := range candidates {
		c, err := s.client(srv)
		if err != nil {
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, doctorProbeTimeout)
		v, err := c.Verify(pctx, key)
		cancel()
		if err != nil || (v.Status != openwebui.StatusValid && v.Status != openwebui.StatusRestricted) {
			continue
		}
		e := vault.Entry{Name: name, Email: v.Email, UserID: v.UserID, Role: v.Role, Created: now, Source: "adopt",
			LastChecked: now, LastStatus: string(v.Status), LastDetail: v.Detail}
		inst := vault.Instance{URL: c.URL(), CAFile: srv.CAFile, AllowHTTP: srv.AllowHTTP}
		if err := s.Vault.Put(inst, e, key); err != nil {
			return Adopted{Name: name, Err: err}
		}
		got, err := s.Vault.Entry(name)
		return Adopted{Name: name, Entry: got, Err: err}
	}
	if server.URL == "" {
		return Adopted{Name: name, Err: ErrOwnerUnknown}
	}
	e := vault.Entry{Name: name, Created: now, Source: "adopt"}
	if err := s.Vault.Put(vault.Instance{URL: server.URL, CAFile: server.CAFile, AllowHTTP: server.AllowHTTP}, e, key); err != nil {
		return Adopted{Name: name, Err: err}
	}
	got, err := s.Vault.Entry(name)
	return Adopted{Name: name, Entry: got, Err: err}
}
