//go:build windows

package instance

import (
	"errors"
	"io/fs"
	"syscall"
)

// WSAEADDRINUSE: the socket path is taken.
const wsaeaddrinuse syscall.Errno = 10048

func isAddrInUse(err error) bool { return errors.Is(err, wsaeaddrinuse) }

// isSocketOnThisOS: Windows reports an AF_UNIX socket file as a reparse point,
// which Go shows as irregular; a socket path never holds anything else.
func isSocketOnThisOS(info fs.FileInfo) bool { return info.Mode()&fs.ModeIrregular != 0 }
