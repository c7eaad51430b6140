package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/vault"
)

// profile is one user's Keytray state: its own XDG folders (index, Fyne
// preferences, single-instance socket). The keyring is the session's and
// is shared, so entry names never repeat across profiles.
type profile struct {
	dir string
}

func newProfile(root, name string) (profile, error) {
	p := profile{dir: filepath.Join(root, name)}
	for _, sub := range []string{"config", "data", "cache", "run"} {
		if err := os.MkdirAll(filepath.Join(p.dir, sub), 0o700); err != nil {
			return p, err
		}
	}
	return p, nil
}

// env is the environment of a Keytray process using this profile. The
// session bus address stays as it is, so XDG_RUNTIME_DIR can move.
func (p profile) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"XDG_CONFIG_HOME="+filepath.Join(p.dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(p.dir, "data"),
		"XDG_CACHE_HOME="+filepath.Join(p.dir, "cache"),
		"XDG_RUNTIME_DIR="+filepath.Join(p.dir, "run"),
	)
}

func (p profile) command(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = p.env()
	return cmd
}

func (p profile) vault() (*vault.Vault, error) {
	return vault.Open(filepath.Join(p.dir, "config", "keytray"), vault.NewKeyring(0))
}

// benchKey is a made-up key of the real shape (sk- and 32 hex digits).
func benchKey(seed string) string {
	sum := sha256.Sum256([]byte("keytray-bench:" + seed))
	return "sk-" + hex.EncodeToString(sum[:16])
}

// seed stores n keys across servers servers in p (in process, one index
// write: 1,000 CLI calls would each write and fsync the index) and turns the
// clipboard guard on. It returns the entry names in order.
func seed(p profile, prefix string, n, servers int) ([]string, error) {
	v, err := p.vault()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	items := make([]vault.Item, n)
	names := make([]string, n)
	for i := range items {
		host := fmt.Sprintf("%s-server%02d.example.com", prefix, i%servers)
		names[i] = fmt.Sprintf("user%04d@%s", i, host)
		key := benchKey(names[i])
		items[i] = vault.Item{
			Instance: vault.Instance{URL: "https://" + host, Name: fmt.Sprintf("Open WebUI %02d", i%servers), Version: "0.6.41", LastSeen: now},
			Entry: vault.Entry{Name: names[i], Email: fmt.Sprintf("user%04d@example.com", i), UserID: fmt.Sprintf("u-%04d", i),
				Role: "user", Created: now, Fingerprint: credential.Fingerprint(key), Source: "login"},
			Key: key,
		}
	}
	if _, err := v.PutAll(items, true); err != nil {
		return nil, fmt.Errorf("seeding %d keys: %w", n, err)
	}
	st, err := v.Settings()
	if err != nil {
		return nil, err
	}
	st.ClipboardWatch = true
	if err := v.SaveSettings(st); err != nil {
		return nil, err
	}
	return names, nil
}
