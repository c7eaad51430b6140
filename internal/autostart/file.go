//go:build linux || freebsd || openbsd || netbsd || dragonfly || darwin

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Enable writes the start-at-login file (path, made by entry: an XDG
// autostart entry or a launch agent) that runs exe --hidden at login. exe
// should be an absolute path (os.Executable); a relative one is made absolute.
func Enable(exe string) error {
	exe, err := filepath.Abs(exe)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", exe, err)
	}
	p, err := path()
	if err != nil {
		return err
	}
	return writeEntry(p, entry(exe))
}

// Disable removes the start-at-login file; no file is not an error.
func Disable() error {
	p, err := path()
	if err != nil {
		return err
	}
	return removeEntry(p)
}

// writeEntry writes the start-at-login file at p atomically (temp file and
// rename), mode 0644 as session managers expect, creating its folder.
func writeEntry(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("creating autostart folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*")
	if err != nil {
		return fmt.Errorf("writing autostart entry: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		return fmt.Errorf("writing autostart entry: %w", err)
	}
	return nil
}

// removeEntry removes the file at p; no file is not an error.
func removeEntry(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing autostart entry: %w", err)
	}
	return nil
}
