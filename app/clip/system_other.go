//go:build !ci && (windows || darwin)

package clip

import "github.com/keytray/keytray/internal/clipboard/sysclip"

// openSystem: Windows and macOS use Fyne's clipboard (with the platform's
// own marks, clip_windows.go and clip_darwin.go) and let background apps read it.
func openSystem() sysclip.Path {
	return sysclip.Path{Name: "the system clipboard through the toolkit (polled)", Background: true}
}
