// Package watch notices when a file changes, by polling. Keytray uses it on its
// index so that the tray menu and the window follow changes made by the
// `keytray` command line in another process.
//
// Polling (one stat call per interval) is used rather than inotify/fsnotify:
// the index is replaced by rename, which inotify watches on the file lose, and
// a stat every two seconds costs nothing measurable.
package watch

import (
	"os"
	"time"

	"github.com/keytray/keytray/app/poll"
)

// state is what one stat says about the file; equal states mean "unchanged".
type state struct {
	exists bool
	size   int64
	mtime  time.Time
	ident  fileIdent // inode+device where the OS has them: catches a same-size rename in the same clock tick
}

func stat(path string) state {
	info, err := os.Stat(path)
	if err != nil {
		return state{}
	}
	return state{exists: true, size: info.Size(), mtime: info.ModTime(), ident: identOf(info)}
}

// Index polls path every interval and calls onChange, on the watcher's own
// goroutine (never the UI goroutine), whenever the file's size, modification
// time or identity differ from the last poll, including when it appears or
// disappears. stop ends the watch and waits for a running onChange to return;
// it may be called more than once.
func Index(path string, interval time.Duration, onChange func()) (stop func()) {
	last := stat(path)
	return poll.Every(interval, func() {
		if now := stat(path); now != last {
			last = now
			onChange()
		}
	})
}
