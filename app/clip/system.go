package clip

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keytray/keytray/internal/clipboard/sysclip"
)

// readTimeout bounds one read of the clipboard from its owner.
const readTimeout = time.Second

// systemBoard is a clipboard Keytray drives itself (sysclip), seen as a
// fyne.Clipboard by the Keeper and the guard. It may be used from any
// goroutine.
type systemBoard struct{ c sysclip.Clipboard }

// Content returns the clipboard's text, "" when it cannot be read.
func (b systemBoard) Content() string {
	s, err := b.c.Read(readTimeout)
	if err != nil {
		return ""
	}
	return s
}

// SetContent puts text on the clipboard ("" empties it).
func (b systemBoard) SetContent(text string) {
	if err := b.c.Set(text, false); err != nil {
		fyne.LogError("setting the clipboard failed", err)
	}
}

var system struct {
	once sync.Once
	path sysclip.Path
}

// systemPath is the process's clipboard path, opened at first use.
func systemPath() sysclip.Path {
	system.once.Do(func() { system.path = openSystem() })
	return system.path
}

// clipboardFor is what the Keeper and the guard read and write: Keytray's
// own clipboard connection where there is one, else Fyne's.
func clipboardFor(a fyne.App) func() fyne.Clipboard {
	if c := systemPath().Clipboard; c != nil {
		b := systemBoard{c}
		return func() fyne.Clipboard { return b }
	}
	return a.Clipboard
}

// PathName names the clipboard path in use (for the log and doctor).
func PathName() string { return systemPath().Name }
