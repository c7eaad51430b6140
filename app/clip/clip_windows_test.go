//go:build windows

package clip

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Run on Linux under Wine by scripts/test-windows.sh (cross-compiled with
// GOOS=windows go test -c -tags ci): the formats setExcludedText writes are
// read back through the system clipboard, as a clipboard manager sees them.

var (
	enumClipboardFormats    = user32.NewProc("EnumClipboardFormats")
	getClipboardFormatNameW = user32.NewProc("GetClipboardFormatNameW")
	getClipboardData        = user32.NewProc("GetClipboardData")
	globalSize              = kernel32.NewProc("GlobalSize")
)

// clipboardFormats lists the clipboard's formats by name (standard formats
// by number) with their data, reading it on one locked OS thread.
func clipboardFormats(t *testing.T) map[string][]byte {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openWithRetry(); err != nil {
		t.Fatal(err)
	}
	defer closeClipboard.Call()
	got := map[string][]byte{}
	var f uintptr
	for {
		f, _, _ = enumClipboardFormats.Call(f)
		if f == 0 {
			break
		}
		name := make([]uint16, 256)
		n, _, _ := getClipboardFormatNameW.Call(f, uintptr(unsafe.Pointer(&name[0])), uintptr(len(name)))
		key := windows.UTF16ToString(name[:n])
		if n == 0 {
			key = fmt.Sprintf("#%d", f)
		}
		h, _, _ := getClipboardData.Call(f)
		var data []byte
		if h != 0 {
			size, _, _ := globalSize.Call(h)
			p, _, _ := globalLock.Call(h)
			if p != 0 {
				data = make([]byte, size)
				rtlMoveMemory.Call(uintptr(unsafe.Pointer(&data[0])), p, size)
				globalUnlock.Call(h)
			}
		}
		got[key] = data
	}
	return got
}

func TestExcludedTextFormatsOnTheClipboard(t *testing.T) {
	const secret = "sk-0123456789abcdef0123456789abcdef"
	if err := setExcludedText(secret); err != nil {
		t.Fatalf("setExcludedText: %v", err)
	}
	got := clipboardFormats(t)
	names := make([]string, 0, len(got))
	for k := range got {
		names = append(names, k)
	}
	slices.Sort(names)
	t.Logf("clipboard formats: %v", names) // names only, never the data
	zero := []byte{0, 0, 0, 0}
	for _, name := range []string{"ExcludeClipboardContentFromMonitorProcessing", "CanIncludeInClipboardHistory", "CanUploadToCloudClipboard"} {
		data, ok := got[name]
		if !ok {
			t.Errorf("format %s is not on the clipboard", name)
			continue
		}
		if len(data) < 4 || !slices.Equal(data[:4], zero) {
			t.Errorf("format %s holds %v, want a DWORD 0", name, data)
		}
	}
	text, ok := got["#13"] // CF_UNICODETEXT
	if !ok {
		t.Fatal("no CF_UNICODETEXT on the clipboard")
	}
	u := unsafe.Slice((*uint16)(unsafe.Pointer(&text[0])), len(text)/2)
	if windows.UTF16ToString(u) != secret {
		t.Error("CF_UNICODETEXT does not hold the copied text")
	}
}
