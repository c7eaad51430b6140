package tray

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/keytray/keytray/app/internal/langtest"
	"github.com/keytray/keytray/keys/vault"
)

func TestMain(m *testing.M) {
	os.Setenv("LANGUAGE", "en")
	if err := lang.AddTranslationsFS(Translations, "translations"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fakeDesktop records what the tray asks of the desktop app.
type fakeDesktop struct {
	mu    sync.Mutex
	menus []*fyne.Menu
	icons []fyne.Resource
}

func (d *fakeDesktop) SetSystemTrayMenu(m *fyne.Menu) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.menus = append(d.menus, m)
}

func (d *fakeDesktop) SetSystemTrayIcon(r fyne.Resource) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.icons = append(d.icons, r)
}

func (d *fakeDesktop) menu() *fyne.Menu {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.menus[len(d.menus)-1]
}

// fakeKeeper records copies and clears.
type fakeKeeper struct {
	mu     sync.Mutex
	events []string
}

func (k *fakeKeeper) Copy(label, secret string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.events = append(k.events, "copy "+label+" "+secret)
}

func (k *fakeKeeper) ClearIfOurs() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.events = append(k.events, "clear")
}

type rig struct {
	t       *Tray
	desk    *fakeDesktop
	keeper  *fakeKeeper
	entries []vault.Entry
	listErr error
	keyErr  error
	notes   []string
	events  []string
	applied chan struct{}
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{desk: &fakeDesktop{}, keeper: &fakeKeeper{}, applied: make(chan struct{}, 10)}
	r.entries = entries("https://chat.example.com", "alice", "bob")
	var mu sync.Mutex // the worker reads entries; the test changes them between refreshes
	cfg := Config{
		Keys: func() ([]vault.Entry, []vault.Instance, error) {
			mu.Lock()
			defer mu.Unlock()
			return append([]vault.Entry(nil), r.entries...), nil, r.listErr
		},
		Key: func(name string) (string, error) {
			if r.keyErr != nil {
				return "", r.keyErr
			}
			return "sk-secret-of-" + name, nil
		},
		Keeper:   r.keeper,
		OnOpen:   func() { r.events = append(r.events, "open") },
		OnQuit:   func() { r.events = append(r.events, "quit") },
		Describe: func(err error) string { return "Described: " + err.Error() },
		Notify:   func(title, body string) { r.notes = append(r.notes, title+" | "+body) },
	}
	r.t = newTray(r.desk, cfg, func(f func()) { f(); r.applied <- struct{}{} })
	r.t.spawn = func(f func()) { f() }
	entries, insts, err := r.t.keys()
	r.t.apply(r.t.model(entries, insts, err))
	r.t.start()
	t.Cleanup(r.t.Stop)
	return r
}

func (r *rig) refresh(t *testing.T, change func()) {
	t.Helper()
	change()
	r.t.Refresh()
	select {
	case <-r.applied:
	case <-time.After(5 * time.Second):
		t.Fatal("refresh did not reach the main thread")
	}
}

func menuLabels(m *fyne.Menu) string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "---")
			continue
		}
		l := it.Label
		if it.Disabled {
			l = "(" + l + ")"
		}
		if it.ChildMenu != nil {
			l += "[" + menuLabels(it.ChildMenu) + "]"
		}
		out = append(out, l)
	}
	return strings.Join(out, ",")
}

func item(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q in %s", label, menuLabels(m))
	return nil
}

func TestMenuHasKeysOpenAndQuit(t *testing.T) {
	r := newRig(t)
	m := r.desk.menu()
	if got := menuLabels(m); got != "alice,bob,---,Open Keytray,Quit" {
		t.Fatalf("menu %s", got)
	}
	if q := item(t, m, "Quit"); !q.IsQuit {
		t.Error("Quit is not marked IsQuit: Fyne would add a second one")
	}
}

func TestClickCopiesKey(t *testing.T) {
	r := newRig(t)
	item(t, r.desk.menu(), "bob").Action()
	if got := strings.Join(r.keeper.events, ";"); got != "copy bob sk-secret-of-bob" {
		t.Fatalf("keeper events %q", got)
	}
}

func TestClickErrorIsNotified(t *testing.T) {
	r := newRig(t)
	r.keyErr = errors.New("keyring is locked")
	item(t, r.desk.menu(), "alice").Action()
	if len(r.keeper.events) != 0 {
		t.Fatal("something was copied although the key could not be read")
	}
	if len(r.notes) != 1 || r.notes[0] != "Could not copy alice | Described: keyring is locked" {
		t.Fatalf("notifications %q", r.notes)
	}
}

func TestOpenAndQuit(t *testing.T) {
	r := newRig(t)
	item(t, r.desk.menu(), "Open Keytray").Action()
	item(t, r.desk.menu(), "Quit").Action()
	if got := strings.Join(r.events, ","); got != "open,quit" {
		t.Fatalf("events %s", got)
	}
	if got := strings.Join(r.keeper.events, ","); got != "clear" {
		t.Fatalf("Quit did not clear the clipboard first: %q", got)
	}
}

func TestRefreshFollowsChangesOnly(t *testing.T) {
	r := newRig(t)
	r.refresh(t, func() { r.entries = entries("https://chat.example.com", "alice", "bob") })
	if len(r.desk.menus) != 1 {
		t.Fatalf("an unchanged list rebuilt the menu (%d menus)", len(r.desk.menus))
	}
	r.refresh(t, func() {
		r.entries = append(entries("https://chat.example.com", "alice", "carol"), entries("https://other.example.com", "dave")...)
	})
	if got := menuLabels(r.desk.menu()); got != "chat.example.com[alice,carol],other.example.com[dave],---,Open Keytray,Quit" {
		t.Fatalf("menu after change %s", got)
	}
	sub := item(t, r.desk.menu(), "other.example.com").ChildMenu
	item(t, sub, "dave").Action()
	if got := r.keeper.events[len(r.keeper.events)-1]; got != "copy dave sk-secret-of-dave" {
		t.Errorf("submenu click: %q", got)
	}
}

func TestEmptyAndUnreadableLists(t *testing.T) {
	r := newRig(t)
	r.refresh(t, func() { r.entries = nil })
	if got := menuLabels(r.desk.menu()); got != "(No keys yet),---,Open Keytray,Quit" {
		t.Errorf("empty menu %s", got)
	}
	r.refresh(t, func() { r.listErr = errors.New("index is corrupt") })
	if got := menuLabels(r.desk.menu()); got != "(Keys unavailable — open Keytray for details),---,Open Keytray,Quit" {
		t.Errorf("menu without index %s", got)
	}
}

func TestRefreshRebuildsFromKeys(t *testing.T) {
	r := &rig{desk: &fakeDesktop{}, keeper: &fakeKeeper{}, applied: make(chan struct{}, 10)}
	var mu sync.Mutex
	names := []string{"alice"}
	cfg := Config{
		Keys: func() ([]vault.Entry, []vault.Instance, error) {
			mu.Lock()
			defer mu.Unlock()
			return entries("https://x.example.com", names...), nil, nil
		},
	}
	tr := newTray(r.desk, cfg, func(f func()) { f(); r.applied <- struct{}{} })
	tr.apply(tr.model(tr.keys()))
	tr.start()
	defer tr.Stop()
	mu.Lock()
	names = []string{"alice", "bob"}
	mu.Unlock()
	tr.Refresh() // what the app's index watch calls
	select {
	case <-r.applied:
	case <-time.After(5 * time.Second):
		t.Fatal("Refresh did not rebuild the menu")
	}
	if got := menuLabels(r.desk.menu()); got != "alice,bob,---,Open Keytray,Quit" {
		t.Errorf("menu %s", got)
	}
}

func TestIconFollowsVariant(t *testing.T) {
	if iconFor(theme.VariantDark) == iconFor(theme.VariantLight) {
		t.Fatal("the same icon for dark and light")
	}
}

func TestNoTrayMessage(t *testing.T) {
	if got := NoTrayMessage(); !strings.Contains(got, "No system tray found") || !strings.Contains(got, "AppIndicator") {
		t.Errorf("NoTrayMessage %q", got)
	}
}

func TestTranslations(t *testing.T) {
	langtest.Check(t, ".", Translations, "translations", "en.json", "zh_Hans.json")
}
