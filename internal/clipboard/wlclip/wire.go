//go:build linux || freebsd || netbsd || openbsd || dragonfly

package wlclip

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"golang.org/x/sys/unix"
)

// The Wayland wire format: every message is the object id (uint32), then
// size<<16 | opcode (uint32), then the arguments, each a multiple of 4 bytes
// in native byte order (little endian on every platform Keytray ships).
// File descriptors travel beside the bytes, in SCM_RIGHTS.

var order = binary.LittleEndian

// msg builds one request.
type msg struct {
	buf []byte
	fds []int
}

func (m *msg) uint(v uint32) *msg { m.buf = order.AppendUint32(m.buf, v); return m }

func (m *msg) str(s string) *msg {
	m.uint(uint32(len(s) + 1))
	m.buf = append(m.buf, s...)
	m.buf = append(m.buf, 0)
	for len(m.buf)%4 != 0 {
		m.buf = append(m.buf, 0)
	}
	return m
}

func (m *msg) fd(fd int) *msg { m.fds = append(m.fds, fd); return m }

// args reads one event's arguments.
type args struct {
	b   []byte
	fds *[]int
	err error
}

func (a *args) uint() uint32 {
	if len(a.b) < 4 {
		a.err = errors.New("wayland: short message")
		return 0
	}
	v := order.Uint32(a.b)
	a.b = a.b[4:]
	return v
}

func (a *args) str() string {
	n := int(a.uint())
	padded := (n + 3) &^ 3
	if a.err != nil || n == 0 || padded > len(a.b) {
		if a.err == nil && n != 0 {
			a.err = errors.New("wayland: bad string")
		}
		return ""
	}
	s := string(a.b[:n-1])
	a.b = a.b[padded:]
	return s
}

func (a *args) fd() int {
	if len(*a.fds) == 0 {
		a.err = errors.New("wayland: missing file descriptor")
		return -1
	}
	fd := (*a.fds)[0]
	*a.fds = (*a.fds)[1:]
	return fd
}

// wire is a Wayland connection: it sends requests and splits what arrives
// into events.
type wire struct {
	c   *net.UnixConn
	wmu sync.Mutex // one request at a time

	in  []byte
	fds []int
}

// send writes request opcode of object id.
func (w *wire) send(id uint32, opcode uint16, m *msg) error {
	size := 8 + len(m.buf)
	b := make([]byte, 8, size)
	order.PutUint32(b, id)
	order.PutUint32(b[4:], uint32(size)<<16|uint32(opcode))
	b = append(b, m.buf...)
	var oob []byte
	if len(m.fds) > 0 {
		oob = unix.UnixRights(m.fds...)
	}
	w.wmu.Lock()
	defer w.wmu.Unlock()
	_, _, err := w.c.WriteMsgUnix(b, oob, nil)
	return err
}

// next returns the next event: object id, opcode, arguments. Descriptors
// received so far are queued and taken by args.fd in order.
func (w *wire) next() (uint32, uint16, *args, error) {
	for {
		if len(w.in) >= 8 {
			size := int(order.Uint32(w.in[4:]) >> 16)
			if size < 8 {
				return 0, 0, nil, fmt.Errorf("wayland: bad message size %d", size)
			}
			if len(w.in) >= size {
				id, op := order.Uint32(w.in), uint16(order.Uint32(w.in[4:]))
				body := append([]byte(nil), w.in[8:size]...)
				w.in = w.in[size:]
				return id, op, &args{b: body, fds: &w.fds}, nil
			}
		}
		buf := make([]byte, 4096)
		oob := make([]byte, unix.CmsgSpace(28*4))
		n, oobn, _, _, err := w.c.ReadMsgUnix(buf, oob)
		if oobn > 0 {
			if cmsgs, perr := unix.ParseSocketControlMessage(oob[:oobn]); perr == nil {
				for _, cm := range cmsgs {
					if fds, ferr := unix.ParseUnixRights(&cm); ferr == nil {
						w.fds = append(w.fds, fds...)
					}
				}
			}
		}
		if n > 0 {
			w.in = append(w.in, buf[:n]...)
		}
		if err != nil {
			return 0, 0, nil, err
		}
		if n == 0 {
			return 0, 0, nil, io.EOF
		}
	}
}
