//go:build !ci && !windows && !darwin

package clip

import (
	"os"

	"github.com/keytray/keytray/internal/clipboard/sysclip"
)

// openSystem chooses Wayland data-control, Keytray's own X11 connection or
// Fyne's clipboard (sysclip.Open).
func openSystem() sysclip.Path { return sysclip.Open(os.Getenv) }
