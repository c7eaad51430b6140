//go:build windows

package clip

import (
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"fyne.io/fyne/v2"
	"golang.org/x/sys/windows"
)

// setSecretText puts secret on the clipboard with the formats that tell
// Windows and clipboard tools to leave it alone:
//
//   - ExcludeClipboardContentFromMonitorProcessing: clipboard monitors and
//     managers that follow the convention skip the content;
//   - CanIncludeInClipboardHistory = 0: not kept in Win+V history;
//   - CanUploadToCloudClipboard = 0: not synced to other devices.
//
// Fyne's clipboard can only set text, so this writes the clipboard through
// user32 itself. If that fails (another program holding the clipboard, for
// one), the key is copied through Fyne without the marks rather than not at
// all, and the failure is logged (it never contains the key).
func setSecretText(cb fyne.Clipboard, secret string) {
	if err := setExcludedText(secret); err != nil {
		fyne.LogError("copying with the clipboard-history exclusion failed; copying without it", err)
		cb.SetContent(secret)
	}
}

var (
	user32                   = windows.NewLazySystemDLL("user32.dll")
	kernel32                 = windows.NewLazySystemDLL("kernel32.dll")
	openClipboard            = user32.NewProc("OpenClipboard")
	closeClipboard           = user32.NewProc("CloseClipboard")
	emptyClipboard           = user32.NewProc("EmptyClipboard")
	setClipboardData         = user32.NewProc("SetClipboardData")
	registerClipboardFormatW = user32.NewProc("RegisterClipboardFormatW")
	globalAlloc              = kernel32.NewProc("GlobalAlloc")
	globalFree               = kernel32.NewProc("GlobalFree")
	globalLock               = kernel32.NewProc("GlobalLock")
	globalUnlock             = kernel32.NewProc("GlobalUnlock")
	rtlMoveMemory            = kernel32.NewProc("RtlMoveMemory")
)

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
)

func setExcludedText(secret string) error {
	text, err := windows.UTF16FromString(secret)
	if err != nil {
		return fmt.Errorf("encoding the text: %w", err) // a NUL byte; the error names no content
	}
	defer clear(text)

	// Open and Close must happen on one OS thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openWithRetry(); err != nil {
		return err
	}
	defer closeClipboard.Call()
	if r, _, err := emptyClipboard.Call(); r == 0 {
		return fmt.Errorf("emptying the clipboard: %w", err)
	}
	textBytes := unsafe.Slice((*byte)(unsafe.Pointer(&text[0])), len(text)*2)
	if err := setData(cfUnicodeText, textBytes); err != nil {
		return err
	}
	zero := []byte{0, 0, 0, 0} // a DWORD 0: "no"
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"ExcludeClipboardContentFromMonitorProcessing", zero}, // its presence is the mark
		{"CanIncludeInClipboardHistory", zero},
		{"CanUploadToCloudClipboard", zero},
	} {
		format, err := registerFormat(f.name)
		if err != nil {
			return err
		}
		if err := setData(format, f.data); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

// openWithRetry opens the clipboard, waiting briefly while another program
// has it open (clipboard managers read it right after every change).
func openWithRetry() error {
	var err error
	for range 10 {
		var r uintptr
		if r, _, err = openClipboard.Call(0); r != 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("opening the clipboard: %w", err)
}

func registerFormat(name string) (uintptr, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	r, _, err := registerClipboardFormatW.Call(uintptr(unsafe.Pointer(p)))
	if r == 0 {
		return 0, fmt.Errorf("registering clipboard format %s: %w", name, err)
	}
	return r, nil
}

// setData copies data into global memory and hands it to the clipboard,
// which owns it from then on.
func setData(format uintptr, data []byte) error {
	if len(data) == 0 {
		return errors.New("no data")
	}
	h, _, err := globalAlloc.Call(gmemMoveable, uintptr(len(data)))
	if h == 0 {
		return fmt.Errorf("allocating clipboard memory: %w", err)
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		globalFree.Call(h)
		return fmt.Errorf("locking clipboard memory: %w", err)
	}
	// Copied by the system rather than through a Go pointer made from p,
	// which vet rightly distrusts.
	rtlMoveMemory.Call(p, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
	globalUnlock.Call(h)
	if r, _, err := setClipboardData.Call(format, h); r == 0 {
		globalFree.Call(h)
		return fmt.Errorf("setting clipboard data: %w", err)
	}
	return nil
}
