// Package instance keeps Keytray to one running desktop app per user: the
// first app listens on a local endpoint, and a second start sends it
// "activate" (show your window) and then exits.
//
// The endpoint is each platform's convention: a Unix domain socket in a
// folder only the user can enter (Linux, macOS, the BSDs), a named pipe that
// only the user may open (Windows, where AF_UNIX is missing on older systems
// and under Wine). The protocol carries one word each way and nothing secret.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ErrRunning: another instance holds the endpoint; it has been asked to activate.
var ErrRunning = errors.New("keytray is already running")

const (
	msgActivate = "activate"
	msgOK       = "ok"
	// dialTimeout bounds every exchange with the other instance, so a hung
	// first instance cannot hang the second start.
	dialTimeout = 2 * time.Second
)

// listener is a claimed endpoint (endpoint_unix.go, endpoint_windows.go).
// Accept returns one connection at a time and an error once Close was called;
// each connection is served on its own goroutine.
type listener interface {
	Accept() (io.ReadWriteCloser, error)
	Close() error
}

// Instance is the claimed endpoint of the running app.
type Instance struct {
	ln listener

	mu         sync.Mutex
	onActivate func()
	pending    bool // an activation arrived before OnActivate was set
	closed     bool
	done       chan struct{}
}

// Claim makes this process the running instance. If another instance is
// listening at path (DefaultPath), Claim asks it to activate and returns
// ErrRunning. An endpoint left behind by a crashed instance is reclaimed.
func Claim(path string) (*Instance, error) {
	// Two attempts: a racing start may claim the endpoint between our dial
	// and our listen; the second round then reaches it.
	for attempt := 0; attempt < 2; attempt++ {
		if activated, err := activate(path); activated {
			return nil, ErrRunning
		} else if err != nil {
			return nil, err
		}
		ln, taken, err := listen(path)
		if err != nil {
			return nil, err
		}
		if taken {
			continue
		}
		in := &Instance{ln: ln, done: make(chan struct{})}
		go in.serve()
		return in, nil
	}
	return nil, fmt.Errorf("claiming %s: another start is racing for it", path)
}

// activate asks the instance at path to activate. It reports activated=false
// with no error when nobody listens there (after clearing what a crashed
// instance left), and an error when path is something it must not remove.
func activate(path string) (activated bool, err error) {
	conn, listening, err := dial(path)
	if err != nil || !listening {
		return false, err
	}
	defer conn.Close()
	if _, err := fmt.Fprintln(conn, msgActivate); err != nil {
		return true, nil // it accepted us: it is running, even if it hung up early
	}
	// The reply only confirms; a missing one still means someone listens.
	// Read it with a time limit: not every platform's connection has deadlines.
	replied := make(chan struct{})
	go func() {
		_, _ = bufio.NewReader(conn).ReadString('\n')
		close(replied)
	}()
	select {
	case <-replied:
	case <-time.After(dialTimeout):
	}
	return true, nil
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

// Close stops listening and releases the endpoint. It is safe to call twice.
func (in *Instance) Close() {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return
	}
	in.closed = true
	in.mu.Unlock()
	_ = in.ln.Close()
	<-in.done
}

func (in *Instance) serve() {
	defer close(in.done)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			return // closed
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.handle(conn)
		}()
	}
}

// deadliner is the part of net.Conn that bounds a slow peer.
type deadliner interface{ SetDeadline(time.Time) error }

func (in *Instance) handle(conn io.ReadWriteCloser) {
	defer conn.Close()
	if d, ok := conn.(deadliner); ok {
		_ = d.SetDeadline(time.Now().Add(dialTimeout))
	}
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
