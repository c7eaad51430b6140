//go:build !unix

package watch

import "os"

// fileIdent is empty where Stat has no inode (Windows): size and modification
// time (100 ns resolution on NTFS) tell changes apart there.
type fileIdent struct{}

func identOf(os.FileInfo) fileIdent { return fileIdent{} }
