package keys

import (
	"context"
	"sync"
	"time"

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
}

// OK reports whether everything checked works.
func (r DoctorReport) OK() bool {
	if r.IndexErr != nil || r.KeyringErr != nil {
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
