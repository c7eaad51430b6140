// Package instance keeps Keytray to one running desktop app per user: the
// first app listens on a local socket, and a second start sends it
// "activate" (show your window) and then exits.
//
// The socket is a Unix domain socket on every platform (Windows 10 and later
// support AF_UNIX). It lives in a folder only the user can enter, so only the
// user's own processes can reach it; the protocol carries one word and nothing
// secret.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrRunning: another instance holds the socket; it has been asked to activate.
var ErrRunning = errors.New("keytray is already running")

const (
	msgActivate = "activate"
	msgOK       = "ok"
	// dialTimeout bounds every exchange with the other instance, so a hung
	// first instance cannot hang the second start.
	dialTimeout = 2 * time.Second
)

// DefaultPath is where the socket lives: $XDG_RUNTIME_DIR/keytray.sock, or
// keytray/instance.sock under the user's config folder when there is no
// runtime folder (macOS, Windows, some minimal Linux sessions).
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

// Instance is the claimed socket of the running app.
type Instance struct {
	ln net.Listener

	mu         sync.Mutex
	onActivate func()
	pending    bool // an activation arrived before OnActivate was set
	closed     bool
	done       chan struct{}
}

// Claim makes this process the running instance. If another instance is
// listening at path, Claim asks it to activate and returns ErrRunning. A socket
// left behind by a crashed instance is removed and claimed.
func Claim(path string) (*Instance, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating socket folder: %w", err)
	}
	// Two attempts: a racing start may claim the socket between our dial and
	// our listen; the second round then reaches it.
	for attempt := 0; attempt < 2; attempt++ {
		if activated, err := activate(path); activated {
			return nil, ErrRunning
		} else if err != nil {
			return nil, err
		}
		ln, err := net.Listen("unix", path)
		if err == nil {
			in := &Instance{ln: ln, done: make(chan struct{})}
			go in.serve()
			return in, nil
		}
		if !errors.Is(err, fs.ErrExist) && !isAddrInUse(err) {
			return nil, fmt.Errorf("listening on %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("claiming %s: another start is racing for it", path)
}

// activate asks the instance at path to activate. It reports activated=false
// with no error when nobody listens there (removing a stale socket), and an
// error when path is something it must not remove.
func activate(path string) (activated bool, err error) {
	conn, dialErr := net.DialTimeout("unix", path, dialTimeout)
	if dialErr == nil {
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(dialTimeout))
		if _, err := fmt.Fprintln(conn, msgActivate); err != nil {
			return true, nil // it accepted us: it is running, even if it hung up early
		}
		// The reply only confirms; a missing one still means someone listens.
		_, _ = bufio.NewReader(conn).ReadString('\n')
		return true, nil
	}
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checking %s: %w", path, err)
	}
	if info.Mode()&fs.ModeSocket == 0 && !isSocketOnThisOS(info) {
		return false, fmt.Errorf("%s exists and is not a socket; not removing it", path)
	}
	// Nobody answers on an existing socket: the instance that made it died.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("removing stale socket %s: %w", path, err)
	}
	return false, nil
}

// OnActivate sets what happens when a second start asks this one to
// activate. f runs on a goroutine of this package, not the UI goroutine.
// An activation that arrived before OnActivate was called is delivered now.
func (in *Instance) OnActivate(f func()) {
	in.mu.Lock()
	in.onActivate = f
	deliver := in.pending && f != nil
	in.pending = false
	in.mu.Unlock()
	if deliver {
		f()
	}
}

// Close stops listening and removes the socket. It is safe to call twice.
func (in *Instance) Close() {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return
	}
	in.closed = true
	in.mu.Unlock()
	_ = in.ln.Close() // a *net.UnixListener removes its socket file on Close
	<-in.done
}

func (in *Instance) serve() {
	defer close(in.done)
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			return // closed
		}
		in.handle(conn)
	}
}

func (in *Instance) handle(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(dialTimeout))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != msgActivate {
		return
	}
	in.mu.Lock()
	f := in.onActivate
	if f == nil {
		in.pending = true // recorded before the reply, so the caller can rely on it
	}
	in.mu.Unlock()
	_, _ = fmt.Fprintln(conn, msgOK)
	if f != nil {
		f()
	}
}
