//go:build integration

package itest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

const (
	dbusmenuPath  = dbus.ObjectPath("/StatusNotifierMenu")
	dbusmenuIface = "com.canonical.dbusmenu"
)

// MenuItem is one entry of the tray menu as a panel sees it over dbusmenu.
type MenuItem struct {
	ID        int32 // dbusmenu id: not 1..n, and old ids can stay live; look items up by label
	Label     string
	Type      string // "separator" for separators, "" for ordinary items
	Enabled   bool
	Visible   bool
	Checkable bool // toggle-type "checkmark"
	Checked   bool
	Children  []MenuItem
}

// trayName is the bus name fyne.io/systray takes for the process's tray item.
func trayName(pid int) string { return fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid) }

// TrayLayout reads the whole tray menu of process pid, hidden items included.
func TrayLayout(t testing.TB, pid int) []MenuItem {
	t.Helper()
	items, err := trayLayout(sessionBus(t), pid)
	if err != nil {
		t.Fatalf("reading the tray menu of pid %d: %v", pid, err)
	}
	return items
}

func trayLayout(conn *dbus.Conn, pid int) ([]MenuItem, error) {
	var revision uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	call := conn.Object(trayName(pid), dbusmenuPath).Call(dbusmenuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
	if err := call.Store(&revision, &root); err != nil {
		return nil, err
	}
	return decodeMenuChildren(root.Children)
}

// decodeMenuChildren turns dbusmenu's (ia{sv}av) children, which arrive as
// variants holding []any, into MenuItems.
func decodeMenuChildren(children []dbus.Variant) ([]MenuItem, error) {
	var items []MenuItem
	for _, v := range children {
		fields, ok := v.Value().([]any)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("menu item has signature %s, want (ia{sv}av)", v.Signature())
		}
		id, ok1 := fields[0].(int32)
		props, ok2 := fields[1].(map[string]dbus.Variant)
		kids, ok3 := fields[2].([]dbus.Variant)
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("menu item has signature %s, want (ia{sv}av)", v.Signature())
		}
		sub, err := decodeMenuChildren(kids)
		if err != nil {
			return nil, err
		}
		items = append(items, MenuItem{
			ID:        id,
			Label:     propString(props, "label", ""),
			Type:      propString(props, "type", ""),
			Enabled:   propBool(props, "enabled", true), // dbusmenu defaults
			Visible:   propBool(props, "visible", true),
			Checkable: propString(props, "toggle-type", "") == "checkmark",
			Checked:   propInt(props, "toggle-state") == 1,
			Children:  sub,
		})
	}
	return items, nil
}

func propString(p map[string]dbus.Variant, k, def string) string {
	if v, ok := p[k].Value().(string); ok {
		return v
	}
	return def
}

func propBool(p map[string]dbus.Variant, k string, def bool) bool {
	if v, ok := p[k].Value().(bool); ok {
		return v
	}
	return def
}

func propInt(p map[string]dbus.Variant, k string) int32 {
	v, _ := p[k].Value().(int32)
	return v
}

// VisibleLabels lists the labels of the visible, non-separator items, depth
// first (a submenu's label, then its items), for assertions and messages.
func VisibleLabels(items []MenuItem) []string {
	var out []string
	for _, it := range items {
		if !it.Visible || it.Type == "separator" {
			continue
		}
		out = append(out, it.Label)
		out = append(out, VisibleLabels(it.Children)...)
	}
	return out
}

// findVisible returns the visible items labelled label, at any depth.
func findVisible(items []MenuItem, label string) []MenuItem {
	var out []MenuItem
	for _, it := range items {
		if !it.Visible {
			continue
		}
		if it.Label == label && it.Type != "separator" {
			out = append(out, it)
		}
		out = append(out, findVisible(it.Children, label)...)
	}
	return out
}

// WaitTrayItem waits until the tray menu of pid shows exactly one visible
// item labelled label and returns it. The menu is exported asynchronously
// and rebuilt when keys change, so tests wait rather than read once.
func WaitTrayItem(t testing.TB, pid int, label string) MenuItem {
	t.Helper()
	conn := sessionBus(t)
	var (
		found   []MenuItem
		lastErr error
		labels  []string
	)
	if !poll(func() bool {
		items, err := trayLayout(conn, pid)
		if err != nil {
			lastErr = err
			return false
		}
		lastErr = nil
		labels = VisibleLabels(items)
		found = findVisible(items, label)
		return len(found) == 1
	}) {
		switch {
		case lastErr != nil:
			t.Fatalf("tray menu of pid %d not readable within %v: %v", pid, WaitTimeout, lastErr)
		case len(found) > 1:
			t.Fatalf("tray menu of pid %d has %d visible items labelled %q", pid, len(found), label)
		default:
			t.Fatalf("tray menu of pid %d has no item %q within %v; visible: [%s]", pid, label, WaitTimeout, strings.Join(labels, " | "))
		}
	}
	return found[0]
}

// ClickTray clicks the tray menu item labelled label, as a panel does
// (dbusmenu Event "clicked"). The id is looked up by label every time.
func ClickTray(t testing.TB, pid int, label string) {
	t.Helper()
	conn := sessionBus(t)
	// Fyne builds the menu twice at start (at once, and again when the tray
	// host is ready), and every rebuild gives the items new ids: a click sent
	// to an id read just before a rebuild is dropped ("no menu item with
	// ID"). So the click is checked against a fresh read of the menu, and
	// sent again, to the item's new id, if it has another one now. (Should
	// the rebuild come just after the click was handled, the click happens
	// twice; every item this is used on does the same thing twice over.)
	for attempt := 1; ; attempt++ {
		item := WaitTrayItem(t, pid, label)
		if !item.Enabled {
			t.Fatalf("tray item %q of pid %d is disabled", label, pid)
		}
		call := conn.Object(trayName(pid), dbusmenuPath).Call(dbusmenuIface+".Event", 0,
			item.ID, "clicked", dbus.MakeVariant(""), uint32(0))
		if call.Err != nil {
			t.Fatalf("clicking tray item %q of pid %d: %v", label, pid, call.Err)
		}
		items, err := trayLayout(conn, pid)
		if err != nil {
			return // the app is gone (Quit) or going
		}
		now := findVisible(items, label)
		if len(now) != 1 || now[0].ID == item.ID {
			return
		}
		if attempt == 3 {
			t.Fatalf("tray item %q of pid %d got a new id at each of 3 clicks: the menu keeps being rebuilt", label, pid)
		}
	}
}

// TrayProperty reads a property of the StatusNotifierItem of pid, e.g.
// "IconPixmap" (a(iiay), ARGB32 big-endian), "Title", "ToolTip", "Status".
func TrayProperty(t testing.TB, pid int, name string) dbus.Variant {
	t.Helper()
	v, err := sessionBus(t).Object(trayName(pid), "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem." + name)
	if err != nil {
		t.Fatalf("reading tray property %s of pid %d: %v", name, pid, err)
	}
	return v
}
