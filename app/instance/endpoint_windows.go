//go:build windows

package instance

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// DefaultPath is the instance's named pipe, \\.\pipe\keytray-instance-<SID>:
// one per user, the Windows convention for "is my app running?" (AF_UNIX is
// missing on older Windows and under Wine). Pipe names are machine-wide, so
// the user's SID keeps users apart; the pipe's ACL lets only that user in.
func DefaultPath() string {
	return `\\.\pipe\keytray-instance-` + userSID()
}

func userSID() string {
	tok := windows.GetCurrentProcessToken()
	u, err := tok.GetTokenUser()
	if err != nil {
		return fmt.Sprint(os.Getuid()) // -1 on Windows; a shared name is still one instance per machine
	}
	return u.User.Sid.String()
}

const pipeBuffer = 512

// pipeListener keeps at least one instance of the pipe open at all times,
// so the name stays claimed: the next instance is created before a connected
// one is handed out.
type pipeListener struct {
	name string
	sa   *windows.SecurityAttributes

	mu     sync.Mutex
	next   windows.Handle // waiting in ConnectNamedPipe
	closed bool
}

// listen creates the first instance of the pipe. FILE_FLAG_FIRST_PIPE_INSTANCE
// makes that fail (access denied) when another process owns the name: taken.
func listen(name string) (ln listener, taken bool, err error) {
	sa, err := ownerOnly()
	if err != nil {
		return nil, false, err
	}
	h, err := createPipe(name, sa, true)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("creating pipe %s: %w", name, err)
	}
	return &pipeListener{name: name, sa: sa, next: h}, false, nil
}

// ownerOnly: a DACL granting the current user alone full access (protected,
// so nothing is inherited).
func ownerOnly() (*windows.SecurityAttributes, error) {
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + userSID() + ")")
	if err != nil {
		return nil, fmt.Errorf("making the pipe's security descriptor: %w", err)
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	return sa, nil
}

func createPipe(name string, sa *windows.SecurityAttributes, first bool) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return windows.InvalidHandle, err
	}
	flags := uint32(windows.PIPE_ACCESS_DUPLEX)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	mode := uint32(windows.PIPE_TYPE_BYTE | windows.PIPE_READMODE_BYTE | windows.PIPE_WAIT | windows.PIPE_REJECT_REMOTE_CLIENTS)
	return windows.CreateNamedPipe(p, flags, mode, windows.PIPE_UNLIMITED_INSTANCES, pipeBuffer, pipeBuffer, 0, sa)
}

func (l *pipeListener) Accept() (io.ReadWriteCloser, error) {
	for {
		l.mu.Lock()
		h, closed := l.next, l.closed
		l.mu.Unlock()
		if closed {
			return nil, errors.New("instance pipe closed")
		}
		err := windows.ConnectNamedPipe(h, nil) // blocks until a client opens the pipe
		if err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED) && !errors.Is(err, windows.ERROR_NO_DATA) {
			return nil, fmt.Errorf("waiting on pipe %s: %w", l.name, err)
		}
		// Keep the name claimed before this instance is given away.
		next, cerr := createPipe(l.name, l.sa, false)
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			if cerr == nil {
				closeServer(next)
			}
			closeServer(h)
			return nil, errors.New("instance pipe closed")
		}
		if cerr != nil {
			l.mu.Unlock()
			return nil, fmt.Errorf("creating pipe %s: %w", l.name, cerr)
		}
		l.next = next
		l.mu.Unlock()
		if errors.Is(err, windows.ERROR_NO_DATA) { // the client already left
			closeServer(h)
			continue
		}
		return &pipeConn{h: h, server: true}, nil
	}
}

// closeServer ends a server instance: disconnected first, so that Wine, too,
// drops the instance with the handle.
func closeServer(h windows.Handle) {
	_ = windows.DisconnectNamedPipe(h)
	_ = windows.CloseHandle(h)
}

// Close releases the name: it wakes Accept by connecting to the waiting
// instance, and Accept then closes it.
func (l *pipeListener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	if c, err := openPipe(l.name, dialTimeout); err == nil {
		c.Close()
	}
	return nil
}

// dial opens the pipe. No pipe by that name means nobody listens (a crashed
// instance leaves nothing behind: Windows removes a pipe with its last handle).
func dial(name string) (conn io.ReadWriteCloser, listening bool, err error) {
	c, err := openPipe(name, dialTimeout)
	if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND) {
		return nil, false, nil
	}
	// Busy all along: no instance is waiting for us. Wine reports this for a
	// while after the owner closed its pipe. listen settles it: creating the
	// first instance fails if someone still owns the name.
	if errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("opening pipe %s: %w", name, err)
	}
	return c, true, nil
}

// openPipe opens the client end, waiting while every instance is busy
// (ERROR_PIPE_BUSY: the server is between two connections).
func openPipe(name string, wait time.Duration) (*pipeConn, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil,
			windows.OPEN_EXISTING, windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		if err == nil {
			return &pipeConn{h: h}, nil
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pipeConn is one end of a connected pipe instance.
type pipeConn struct {
	h      windows.Handle
	server bool
	once   sync.Once
	timer  *time.Timer
}

func (c *pipeConn) Read(b []byte) (int, error) {
	var n uint32
	err := windows.ReadFile(c.h, b, &n, nil)
	if errors.Is(err, windows.ERROR_BROKEN_PIPE) {
		return int(n), io.EOF
	}
	return int(n), err
}

func (c *pipeConn) Write(b []byte) (int, error) {
	var n uint32
	err := windows.WriteFile(c.h, b, &n, nil)
	return int(n), err
}

// SetDeadline cancels the pipe's pending reads and writes at t, so that a
// client that connects and says nothing cannot hold the server.
func (c *pipeConn) SetDeadline(t time.Time) error {
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(time.Until(t), func() { _ = windows.CancelIoEx(c.h, nil) })
	return nil
}

func (c *pipeConn) Close() error {
	var err error
	c.once.Do(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
		if c.server {
			_ = windows.FlushFileBuffers(c.h) // let the client read "ok" first
			_ = windows.DisconnectNamedPipe(c.h)
		}
		err = windows.CloseHandle(c.h)
	})
	return err
}
