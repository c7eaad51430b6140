//go:build linux || freebsd || openbsd || netbsd || dragonfly

package autostart

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileName is the application ID (FyneApp.toml) plus .desktop.
const fileName = "io.github.keytray.desktop"

// path is computed from the environment at each call rather than through
// adrg/xdg, which reads the environment once at start-up.
func path() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) { // the spec says to ignore a relative value
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the config folder: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", fileName), nil
}

// Enabled reports whether the entry exists and is not switched off
// (Hidden=true or X-GNOME-Autostart-enabled=false, as desktop settings
// tools write it).
func Enabled() bool {
	p, err := path()
	if err != nil {
		return false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		switch strings.ReplaceAll(strings.TrimSpace(sc.Text()), " ", "") {
		case "Hidden=true", "X-GNOME-Autostart-enabled=false":
			return false
		}
	}
	return true
}

// entry is the autostart entry that runs exe --hidden at login.
func entry(exe string) []byte {
	var b bytes.Buffer
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	b.WriteString("Name=Keytray\n")
	b.WriteString("Comment=Open WebUI API keys in the tray\n")
	b.WriteString("Exec=" + execArg(exe) + " --hidden\n")
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return b.Bytes()
}

// execArg quotes a program path for an Exec key: the Desktop Entry spec's
// argument quoting (double quotes; \ before " ` $ \), then its string-value
// escaping (\ becomes \\), and % doubled so it is not read as a field code.
func execArg(s string) string {
	var q strings.Builder
	q.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '`', '$', '\\':
			q.WriteByte('\\')
		}
		q.WriteRune(r)
	}
	q.WriteByte('"')
	v := strings.ReplaceAll(q.String(), `\`, `\\`)
	return strings.ReplaceAll(v, "%", "%%")
}
