//go:build unix

package instance

import (
	"errors"
	"io/fs"
	"syscall"
)

func isAddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }

// isSocketOnThisOS: on Unix, Lstat reports sockets with fs.ModeSocket.
func isSocketOnThisOS(fs.FileInfo) bool { return false }
