//go:build windows

package autostart

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// Windows starts the programs listed under the user's Run key at sign-in;
// Task Manager's Startup tab shows (and can switch off) the entry.
const (
	runKey    = `Software\Microsoft\Windows\CurrentVersion\Run`
	valueName = "Keytray"
)

// Enable writes the Run entry that starts exe --hidden at sign-in.
func Enable(exe string) error {
	exe, err := filepath.Abs(exe)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", exe, err)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening the Run key: %w", err)
	}
	defer k.Close()
	if err := k.SetStringValue(valueName, command(exe)); err != nil {
		return fmt.Errorf("writing the Run entry: %w", err)
	}
	return nil
}

// Disable removes the Run entry; no entry is not an error.
func Disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("opening the Run key: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("removing the Run entry: %w", err)
	}
	return nil
}

// Enabled reports whether the Run entry exists.
func Enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	v, _, err := k.GetStringValue(valueName)
	return err == nil && v != ""
}

// command quotes exe the way the Run key expects (paths often hold spaces).
// Windows paths cannot contain a double quote, so none needs escaping.
func command(exe string) string {
	return `"` + strings.TrimSpace(exe) + `" --hidden`
}
