//go:build darwin && cgo

package clip

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework AppKit
#include <stdlib.h>
#import <AppKit/AppKit.h>

// keytraySetConcealed puts the UTF-8 text on the general pasteboard together
// with the org.nspasteboard.ConcealedType marker. It returns 1 on success.
static int keytraySetConcealed(const void *utf8, size_t n) {
	@autoreleasepool {
		NSString *s = [[[NSString alloc] initWithBytes:utf8 length:n encoding:NSUTF8StringEncoding] autorelease];
		if (s == nil) {
			return 0;
		}
		NSString *concealed = @"org.nspasteboard.ConcealedType";
		NSPasteboard *pb = [NSPasteboard generalPasteboard];
		[pb declareTypes:@[NSPasteboardTypeString, concealed] owner:nil];
		BOOL ok = [pb setString:s forType:NSPasteboardTypeString];
		ok = ok && [pb setString:@"" forType:concealed];
		return ok ? 1 : 0;
	}
}
*/
import "C"

import (
	"unsafe"

	"fyne.io/fyne/v2"
)

// setSecretText puts secret on the pasteboard marked with
// org.nspasteboard.ConcealedType (nspasteboard.org), which clipboard managers
// such as Maccy, Alfred, Paste and Raycast skip. Fyne's clipboard can only set
// text, so this writes the pasteboard through AppKit itself; if that fails the
// key is copied through Fyne without the mark rather than not at all.
func setSecretText(cb fyne.Clipboard, secret string) {
	if secret == "" {
		cb.SetContent(secret)
		return
	}
	buf := C.CBytes([]byte(secret))
	ok := C.keytraySetConcealed(buf, C.size_t(len(secret))) == 1
	clear(unsafe.Slice((*byte)(buf), len(secret))) // no copy of the key left in freed C memory
	C.free(buf)
	if !ok {
		fyne.LogError("copying with the concealed-type mark failed; copying without it", nil)
		cb.SetContent(secret)
	}
}
