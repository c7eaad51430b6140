#!/usr/bin/python3
"""A minimal clipboard manager for the integration tests (python3-xlib).

It does what GNOME's, KDE's and Xfce's managers do for the freedesktop
ClipboardManager specification: it owns CLIPBOARD_MANAGER, and when an
application that owns CLIPBOARD exits it asks the manager to SAVE_TARGETS;
the manager then copies the clipboard's text and serves it from then on, so
that the text outlives the application.

Prints "ready" once it owns CLIPBOARD_MANAGER and "saved N" (N bytes) for
every clipboard it takes over; never the text itself.
"""
import sys

from Xlib import X, Xatom, display
from Xlib.protocol import event

d = display.Display()
win = d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
atom = d.intern_atom
CLIPBOARD, MANAGER, SAVE_TARGETS = atom("CLIPBOARD"), atom("CLIPBOARD_MANAGER"), atom("SAVE_TARGETS")
TARGETS, UTF8, PROP = atom("TARGETS"), atom("UTF8_STRING"), atom("KEYTRAY_TEST_SAVED")

win.set_selection_owner(MANAGER, X.CurrentTime)
d.flush()
if d.get_selection_owner(MANAGER) != win:
    sys.exit("clipmanager: another client owns CLIPBOARD_MANAGER")
print("ready", flush=True)

saved = b""


def notify(req, prop):
    req.requestor.send_event(event.SelectionNotify(
        time=req.time, requestor=req.requestor, selection=req.selection,
        target=req.target, property=prop))
    d.flush()


def fetch():
    """Copies CLIPBOARD's text from its owner; b"" when it offers none."""
    win.convert_selection(CLIPBOARD, UTF8, PROP, X.CurrentTime)
    d.flush()
    while True:
        e = d.next_event()
        if e.type == X.SelectionNotify and e.selection == CLIPBOARD:
            if e.property == X.NONE:
                return b""
            p = win.get_full_property(PROP, X.AnyPropertyType)
            win.delete_property(PROP)
            value = p.value if p else b""
            return value.encode() if isinstance(value, str) else bytes(value)
        if e.type == X.SelectionRequest:
            notify(e, X.NONE)  # nothing to serve while fetching


while True:
    e = d.next_event()
    if e.type != X.SelectionRequest:
        continue
    prop = e.property if e.property != X.NONE else e.target
    if e.selection == MANAGER and e.target == SAVE_TARGETS:
        saved = fetch()
        win.set_selection_owner(CLIPBOARD, X.CurrentTime)
        d.flush()
        print("saved %d" % len(saved), flush=True)
        notify(e, prop)
    elif e.selection == CLIPBOARD and e.target == TARGETS:
        e.requestor.change_property(prop, Xatom.ATOM, 32, [TARGETS, UTF8, Xatom.STRING])
        notify(e, prop)
    elif e.selection == CLIPBOARD and e.target in (UTF8, Xatom.STRING):
        e.requestor.change_property(prop, e.target, 8, saved)
        notify(e, prop)
    else:
        notify(e, X.NONE)
