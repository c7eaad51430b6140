//go:build unix

package watch

import (
	"os"
	"syscall"
)

type fileIdent struct{ dev, ino uint64 }

func identOf(info os.FileInfo) fileIdent {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fileIdent{dev: uint64(st.Dev), ino: uint64(st.Ino)} // the field types differ between systems
	}
	return fileIdent{}
}
