//go:build !unix

package scan

import (
	"io/fs"
	"os"
)

// keepOwner: outside Unix a new file takes its folder's permissions.
func keepOwner(*os.File, fs.FileInfo) {}
