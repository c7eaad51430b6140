//go:build !windows

package instance

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// DefaultPath is where the socket lives: $XDG_RUNTIME_DIR/keytray.sock, or
// keytray/instance.sock under the user's config folder when there is no
// runtime folder (macOS, some minimal Linux sessions).
func DefaultPath() string {
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "keytray.sock")
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "keytray", "instance.sock")
}

// socketListener hands out net.Conns (which have deadlines) as connections.
type socketListener struct{ net.Listener }

func (l socketListener) Accept() (io.ReadWriteCloser, error) { return l.Listener.Accept() }

// Close stops listening; a *net.UnixListener removes its socket file on Close.
func (l socketListener) Close() error { return l.Listener.Close() }

// listen claims the socket at path; taken reports that another start made
// it between our dial and our listen.
func listen(path string) (ln listener, taken bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("creating socket folder: %w", err)
	}
	l, err := net.Listen("unix", path)
	if err == nil {
		return socketListener{l}, false, nil
	}
	if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.EADDRINUSE) {
		return nil, true, nil
	}
	return nil, false, fmt.Errorf("listening on %s: %w", path, err)
}

// dial connects to the instance at path. With nobody listening it removes a
// socket a crashed instance left behind and reports listening=false; it
// refuses to remove anything that is not a socket.
func dial(path string) (conn io.ReadWriteCloser, listening bool, err error) {
	c, dialErr := net.DialTimeout("unix", path, dialTimeout)
	if dialErr == nil {
		_ = c.SetDeadline(time.Now().Add(dialTimeout))
		return c, true, nil
	}
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("checking %s: %w", path, err)
	}
	if info.Mode()&fs.ModeSocket == 0 {
		return nil, false, fmt.Errorf("%s exists and is not a socket; not removing it", path)
	}
	// Nobody answers on an existing socket: the instance that made it died.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("removing stale socket %s: %w", path, err)
	}
	return nil, false, nil
}
