package app

import (
	"context"
	"image/color"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/vault"
)

// keyLister is what the list needs: the entries and, for masks, reveal and
// copy, the keys themselves (read from the keyring, so never on the UI goroutine).
type keyLister interface {
	List() ([]vault.Entry, []vault.Instance, error)
	Key(name string) (string, error)
}

// core is everything the window's screens use, each through its own narrow
// interface; *keys.Service implements it, tests pass a fake.
type core interface {
	keyLister
	keyActor
	serverLogin
	keyAdder
	tokenExchanger
	backupper
	settingsStore
}

// copier puts a secret on the clipboard and clears it later if unchanged
// (clip.Keeper in production).
type copier interface {
	Copy(label, secret string)
}

// windowDeps is what newMainWindow is given by Run (or by a test).
type windowDeps struct {
	app    fyne.App
	svc    core
	copier copier
	// applySettings is called on the UI goroutine after the settings were
	// saved, to apply what is not read on demand (theme, start at login).
	applySettings func(vault.Settings)
	// quit ends the app (clearing a key Keytray left on the clipboard first);
	// nil = app.Quit.
	quit func()
	// closeQuits is the close-quits setting (read at each close); nil = off.
	closeQuits func() bool
	// notify shows a desktop notification; nil = none.
	notify func(title, body string)
}

// Preference keys for the remembered window size, and for the notice the
// first close to the tray gives.
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefToldInTray = "window.toldStillRunning"
)

// revealFor is how long a revealed key stays visible.
const revealFor = 20 * time.Second

// mainWindow is the "Keytray" window: servers and their keys, search, the
// toolbar, the banner slot the clipboard guard uses, and the empty state.
type mainWindow struct {
	windowDeps
	win fyne.Window

	// now and after are the clock (tests replace them); after runs f on the
	// UI goroutine once d has passed, unless stop is called first.
	now   func() time.Time
	after func(d time.Duration, f func()) (stop func())

	hasTray bool // closing hides the window instead of quitting
	compact bool // a narrow window: row buttons are icons only

	search   *searchEntry
	banner   *fyne.Container
	problem  *errorLine
	list     *widget.List
	empty    *fyne.Container
	noMatch  *widget.Label
	summary  *widget.RichText // how many keys and servers
	notice   *widget.Label    // what the last action did (notice.go)
	addBtn   *pushButton
	addKey   *pushButton
	menuBtn  *pushButton
	emptyAdd *pushButton
	// emptyRestore imports a backup: for someone moving to a new computer.
	emptyRestore *pushButton

	entries   []vault.Entry
	instances []vault.Instance
	loaded    bool
	dialogs   []*modal
	listGen   int // drops answers of superseded list loads

	// The list (keylist.go): its lines, and what sizes them.
	lines         []listLine
	measure       *headerView // sizes header lines
	rowHeight     float32
	headerIDs     []int // lines given a header's height
	headerHeights map[[2]bool]float32

	// What rows show beyond their entry, by key name.
	selected string
	reveal   revealed          // the one key shown in clear, if any
	busy     map[string]string // an operation runs: what it is doing
	failed   map[string]string // the last check failed: why

	// The last dialog of each kind, for tests to drive.
	addServerDlg  *addServerDialog
	addKeyDlg     *addKeyDialog
	tokenDlg      *tokenDialog
	keyOpDlg      *keyOpDialog
	renameDlg     *renameDialog
	exportDlg     *exportDialog
	importDlg     *importDialog
	settingsDlg   *settingsDialog
	aboutDlg      *modal
	detailsDlg    *modal
	checkDlg      *modal
	unsavedDlg    *modal
	importSummary string

	// The notice line's staleness test and its clipboard poll (notice.go).
	noticeStale    func() bool
	noticeGen      int
	stopNoticePoll func()
	ticking        bool
}

func newMainWindow(deps windowDeps) *mainWindow {
	mw := &mainWindow{
		windowDeps:    deps,
		now:           time.Now,
		busy:          map[string]string{},
		failed:        map[string]string{},
		measure:       newHeaderView(),
		headerHeights: map[[2]bool]float32{},
	}
	mw.after = func(d time.Duration, f func()) func() {
		t := time.AfterFunc(d, func() { fyne.Do(f) })
		return func() { t.Stop() }
	}
	mw.win = deps.app.NewWindow("Keytray")
	mw.win.SetContent(mw.build())
	mw.restoreSize()
	mw.win.SetCloseIntercept(mw.closeWindow)
	mw.bindKeys()
	// A revealed key hides again as soon as Keytray loses the focus.
	deps.app.Lifecycle().SetOnExitedForeground(mw.hideRevealed)
	return mw
}

func (mw *mainWindow) build() fyne.CanvasObject {
	mw.search = newSearchEntry()
	mw.search.onEscape = mw.clearSearch
	mw.search.onDown = func() { mw.moveSelection(1) }
	mw.search.SetPlaceHolder(lang.L("Search keys and servers (Ctrl+F)"))
	mw.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	mw.search.OnChanged = func(string) { mw.render() }

	mw.addBtn = button(lang.L("Add server"), theme.ContentAddIcon(), widget.HighImportance, func() { mw.showAddServer("") })
	mw.addKey = button(lang.L("Add key"), theme.ContentPasteIcon(), widget.MediumImportance, func() { mw.showAddKey("", "") })
	mw.menuBtn = newIconButton("", theme.MoreVerticalIcon(), nil)
	mw.menuBtn.OnTapped = mw.showMenu

	// The search field scrolls its text sideways as it must, but never shows
	// a scroll bar: a bar over a one-line field reads as a rendering fault.
	toolbar := container.NewBorder(nil, nil, nil,
		container.NewHBox(mw.addBtn, mw.addKey, mw.menuBtn), container.NewThemeOverride(mw.search, noScrollBars{}))

	mw.banner = container.NewVBox()
	mw.banner.Hide()
	mw.problem = newErrorLine()

	mw.list = widget.NewList(func() int { return len(mw.lines) }, mw.newCell, mw.bindCell)
	mw.list.HideSeparators = true // headers draw their own
	// Rows select themselves (selectable, tinted); the list's own selection
	// would tint a second time.
	// The list's own keyboard selection (Space once Tab focused it) selects
	// the row the same way.
	mw.list.OnSelected = func(id widget.ListItemID) {
		mw.list.UnselectAll()
		if id >= 0 && id < len(mw.lines) && mw.lines[id].inst == nil {
			mw.selectRow(mw.entries[mw.lines[id].entry].Name)
		}
	}
	mw.noMatch = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	mw.noMatch.Hide()
	mw.empty = mw.buildEmpty()
	mw.empty.Hide()

	mw.summary = secondary("")
	mw.notice = widget.NewLabel("")
	mw.notice.Truncation = fyne.TextTruncateEllipsis

	top := container.NewVBox(mw.banner, toolbar, mw.problem.label)
	body := container.NewStack(mw.list, container.NewVBox(mw.noMatch), mw.empty)
	return container.New(&windowLayout{mw: mw},
		container.NewBorder(top, container.NewBorder(nil, nil, mw.summary, nil, mw.notice), nil, nil, body))
}

// noScrollBars is the app's theme without scroll bars (for one-line fields).
type noScrollBars struct{}

func (noScrollBars) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, v)
}
func (noScrollBars) Font(s fyne.TextStyle) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Font(s)
}
func (noScrollBars) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Icon(n)
}
func (noScrollBars) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameScrollBar, theme.SizeNameScrollBarSmall:
		return 0
	}
	return fyne.CurrentApp().Settings().Theme().Size(n)
}

// compactBelow is the window width under which key rows show their buttons
// as icons only, leaving the room to the name and the status.
const compactBelow = 720

// setCompact switches the rows' buttons between icons with words and icons only.
func (mw *mainWindow) setCompact(on bool) {
	if mw.compact == on {
		return
	}
	mw.compact = on
	mw.list.Refresh()
}

// minWindowSize is the smallest window Keytray lays out for: every screen
// and dialog fits in it (dialogs scroll their content, buttons stay in view).
var minWindowSize = fyne.NewSize(500, 400)

// windowLayout fills the window with its one object, holds the window to
// minWindowSize, and fits open dialogs again when the window's size changes.
type windowLayout struct {
	mw   *mainWindow
	last fyne.Size
}

func (l *windowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
		// Wrapped text (a banner's) reports the height it needs at the width
		// it was last given: the pass above gave it this width, so a second
		// one gives it that height. Without it a banner keeps the height it
		// had at the old width and the text runs under its buttons, or under
		// the toolbar, until something else lays the window out again.
		if c, ok := o.(*fyne.Container); ok && c.Layout != nil {
			c.Layout.Layout(c.Objects, size)
		}
	}
	if size != l.last {
		l.last = size
		l.mw.setCompact(size.Width < compactBelow)
		for _, m := range l.mw.dialogs {
			m.fit()
		}
	}
}

func (l *windowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := minWindowSize
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// buildEmpty is the first-run screen: one clear call to action.
func (mw *mainWindow) buildEmpty() *fyne.Container {
	icon := widget.NewIcon(theme.AccountIcon())
	title := widget.NewLabelWithStyle(lang.L("No keys yet"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text := widget.NewLabelWithStyle(lang.L("Keytray signs in to your Open WebUI server once, fetches your API key and keeps it in your keyring."), fyne.TextAlignCenter, fyne.TextStyle{})
	text.Wrapping = fyne.TextWrapWord
	mw.emptyAdd = button(lang.L("Add an Open WebUI server"), theme.ContentAddIcon(), widget.HighImportance, func() { mw.showAddServer("") })
	mw.emptyRestore = button(lang.L("Restore from a backup"), theme.FolderOpenIcon(), widget.MediumImportance, mw.showImport)
	paste := newButton(lang.L("I already have a key"), func() { mw.showAddKey("", "") })
	paste.Importance = widget.LowImportance
	sized := container.NewGridWrap(fyne.NewSize(64, 64), icon)
	col := container.NewVBox(container.NewCenter(sized), title, text,
		container.NewCenter(container.NewHBox(mw.emptyAdd, mw.emptyRestore)), container.NewCenter(paste))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, col.MinSize().Height), col))
}

func (mw *mainWindow) showMenu() {
	items := []*fyne.MenuItem{
		fyne.NewMenuItemWithIcon(lang.L("Check all keys"), theme.ViewRefreshIcon(), mw.checkAll),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItemWithIcon(lang.L("Export a backup…"), theme.DocumentSaveIcon(), mw.showExport),
		fyne.NewMenuItemWithIcon(lang.L("Import a backup…"), theme.FolderOpenIcon(), mw.showImport),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItemWithIcon(lang.L("Settings"), theme.SettingsIcon(), mw.showSettings),
		fyne.NewMenuItemWithIcon(lang.L("About Keytray"), theme.InfoIcon(), mw.showAbout),
	}
	items[0].Disabled = len(mw.entries) == 0
	items[2].Disabled = len(mw.entries) == 0
	c := mw.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(mw.menuBtn)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos.Add(fyne.NewPos(0, mw.menuBtn.Size().Height)))
}

// bindKeys: Ctrl+F focuses search, Ctrl+C copies the selected key, Enter and
// Escape go to the open dialog; otherwise Escape clears the search, the arrow
// keys move the selection through the list and Enter copies the selected key.
func (mw *mainWindow) bindKeys() {
	c := mw.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if mw.topModal() == nil {
			c.Focus(mw.search)
		}
	})
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		if mw.selected != "" && mw.topModal() == nil {
			mw.copyByName(mw.selected)
		}
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		m := mw.topModal()
		switch {
		case k.Name == fyne.KeyEscape && m != nil:
			m.cancel()
		case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && m != nil && m.submit != nil:
			m.submit()
		case m != nil:
		case k.Name == fyne.KeyEscape:
			mw.clearSearch()
		case k.Name == fyne.KeyDown:
			mw.moveSelection(1)
		case k.Name == fyne.KeyUp:
			mw.moveSelection(-1)
		case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && mw.selected != "":
			mw.copyByName(mw.selected)
		}
	})
	mw.search.OnSubmitted = func(string) {
		// Enter in the search copies the only match: search, Enter, paste.
		if names := mw.visibleNames(); len(names) == 1 {
			mw.selectRow(names[0])
			mw.copyByName(names[0])
		}
	}
}

// clearSearch empties the search; the field lets go of the focus, so the
// arrow keys move through the list again.
func (mw *mainWindow) clearSearch() {
	if mw.search.Text != "" {
		mw.search.SetText("")
	}
	if mw.win.Canvas().Focused() == mw.search {
		mw.win.Canvas().Unfocus()
	}
}

// moveSelection selects the key delta lines below (above when negative) the
// selected one, or the first (last) when none is selected, and scrolls it
// into view. The search field lets go of the focus, so the keys that follow
// go to the list.
func (mw *mainWindow) moveSelection(delta int) {
	names := mw.visibleNames()
	if len(names) == 0 {
		return
	}
	i := slices.Index(names, mw.selected)
	switch {
	case i < 0 && delta > 0:
		i = 0
	case i < 0:
		i = len(names) - 1
	default:
		i = min(max(i+delta, 0), len(names)-1)
	}
	if mw.win.Canvas().Focused() == mw.search {
		mw.win.Canvas().Unfocus()
	}
	mw.pickRow(names[i])
	for id, line := range mw.lines {
		if line.inst == nil && mw.entries[line.entry].Name == names[i] {
			if i == 0 && id > 0 {
				id-- // the first key: its server's header too
			}
			mw.list.ScrollTo(id)
			break
		}
	}
}

// pickRow selects name as a click on its row does: a field that had the
// focus lets go of it (the list under the click would keep it otherwise).
func (mw *mainWindow) pickRow(name string) {
	if mw.win.Canvas().Focused() == mw.search {
		mw.win.Canvas().Unfocus()
	}
	mw.selectRow(name)
}

// searchEntry is the search field: Escape clears it, Down moves into the list.
type searchEntry struct {
	widget.Entry
	onEscape, onDown func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && e.onEscape != nil:
		e.onEscape()
	case k.Name == fyne.KeyDown && e.onDown != nil:
		e.onDown()
	default:
		e.Entry.TypedKey(k)
	}
}

// show brings the window to the front (tray "Open Keytray", second start).
func (mw *mainWindow) show() {
	mw.startTicking()
	mw.win.Show()
	mw.win.RequestFocus()
}

// setBanner fills the slot at the top of the window (the clipboard guard's
// warnings); nil empties and hides it.
func (mw *mainWindow) setBanner(obj fyne.CanvasObject) {
	if obj == nil {
		mw.banner.RemoveAll()
		mw.banner.Hide()
		mw.win.Content().Refresh()
		return
	}
	mw.banner.Objects = []fyne.CanvasObject{obj}
	mw.banner.Show()
	// The slot's size changed: lay the whole window out again, or the banner
	// keeps the zero height it had while hidden.
	mw.win.Content().Refresh()
}

// setTray records whether a tray icon exists: then closing the window hides
// it (Quit is in the tray menu); otherwise closing quits.
func (mw *mainWindow) setTray(ok bool) { mw.hasTray = ok }

func (mw *mainWindow) closeWindow() {
	mw.saveSize()
	mw.hideRevealed()
	if mw.hasTray && (mw.closeQuits == nil || !mw.closeQuits()) {
		mw.win.Hide()
		mw.tellStillRunning()
		time.AfterFunc(settleAfter, settle) // back to the tray: hand back what the window's use left
		return
	}
	if mw.quit != nil {
		mw.quit()
		return
	}
	mw.app.Quit()
}

// tellStillRunning says, the first time the window is closed to the tray
// (ever, not each run), that Keytray keeps running there and how to quit.
func (mw *mainWindow) tellStillRunning() {
	p := mw.app.Preferences()
	if mw.notify == nil || p.Bool(prefToldInTray) {
		return
	}
	p.SetBool(prefToldInTray, true)
	mw.notify(lang.L("Keytray is still running"),
		lang.L("Your keys stay a click away in the tray; Quit is in the tray's menu. To quit when the window is closed, turn on “Quit when the window is closed” in Settings."))
}

func (mw *mainWindow) restoreSize() {
	p := mw.app.Preferences()
	w := p.FloatWithFallback(prefWidth, 760)
	h := p.FloatWithFallback(prefHeight, 560)
	mw.win.Resize(fyne.NewSize(max(float32(w), minWindowSize.Width), max(float32(h), minWindowSize.Height)))
}

func (mw *mainWindow) saveSize() {
	s := mw.win.Canvas().Size()
	if s.Width < 1 || s.Height < 1 {
		return
	}
	p := mw.app.Preferences()
	p.SetFloat(prefWidth, float64(s.Width))
	p.SetFloat(prefHeight, float64(s.Height))
}

// refresh reloads the list from the index. Masks come from the index too
// (each entry keeps its key's last four characters), so listing never waits
// for, or prompts to unlock, the keyring.
func (mw *mainWindow) refresh() {
	mw.listGen++
	gen := mw.listGen
	type listing struct {
		entries   []vault.Entry
		instances []vault.Instance
	}
	background(func() (listing, error) {
		e, i, err := mw.svc.List()
		return listing{e, i}, err
	}, func(l listing, err error) {
		if gen != mw.listGen {
			return
		}
		mw.loaded = true
		if err != nil {
			mw.problem.set(describeError(err))
			return
		}
		mw.problem.set("")
		mw.entries, mw.instances = l.entries, l.instances
		// The index now says how each key's last check went.
		clear(mw.failed)
		mw.render()
		mw.checkNotice() // "Revoked …" while the key is back
	})
}

// visibleNames are the keys the list shows (those matching the search), in
// list order.
func (mw *mainWindow) visibleNames() []string {
	var out []string
	for _, l := range mw.lines {
		if l.inst == nil {
			out = append(out, mw.entries[l.entry].Name)
		}
	}
	return out
}

func (mw *mainWindow) matches(e vault.Entry, q string) bool {
	inst := mw.instance(e.Instance)
	for _, s := range []string{e.Name, e.Email, e.Instance, inst.Name} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

func (mw *mainWindow) instance(url string) vault.Instance {
	for _, i := range mw.instances {
		if i.URL == url {
			return i
		}
	}
	return vault.Instance{URL: url}
}

// render lays the list out again from mw.entries and the search text.
func (mw *mainWindow) render() {
	mw.hideRevealed()

	byServer := map[string][]int{}
	var servers []string
	visible := 0
	q := strings.ToLower(strings.TrimSpace(mw.search.Text))
	for i, e := range mw.entries {
		if q != "" && !mw.matches(e, q) {
			continue
		}
		if _, ok := byServer[e.Instance]; !ok {
			servers = append(servers, e.Instance)
		}
		byServer[e.Instance] = append(byServer[e.Instance], i)
		visible++
	}
	sort.Strings(servers)
	lines := make([]listLine, 0, visible+len(servers))
	for i, url := range servers {
		inst := mw.instance(url)
		lines = append(lines, listLine{inst: &inst, first: i == 0})
		for _, e := range byServer[url] {
			lines = append(lines, listLine{entry: e})
		}
	}
	mw.lines = lines
	if !slices.Contains(mw.visibleNames(), mw.selected) {
		mw.selected = ""
	}

	// With no keys the empty state's button is the one call to action.
	emptyState := mw.loaded && len(mw.entries) == 0
	show(mw.addBtn, !emptyState)
	show(mw.addKey, !emptyState)
	if !emptyState && visible == 0 {
		mw.noMatch.SetText(lang.L("No keys match “{{.Query}}”.", map[string]any{"Query": strings.TrimSpace(mw.search.Text)}))
	}
	show(mw.empty, emptyState)
	show(mw.noMatch, !emptyState && visible == 0)
	show(mw.list, !emptyState && visible > 0)
	setSecondary(mw.summary, mw.summaryText())
	mw.lineHeights()
	mw.list.Refresh()
}

func (mw *mainWindow) summaryText() string {
	if len(mw.entries) == 0 {
		return ""
	}
	servers := map[string]bool{}
	for _, e := range mw.entries {
		servers[e.Instance] = true
	}
	k, n := len(mw.entries), len(servers)
	return lang.L("{{.Keys}} on {{.Servers}}", map[string]any{
		"Keys":    lang.N("{{.Count}} keys", k, map[string]any{"Count": k}),
		"Servers": lang.N("{{.Count}} servers", n, map[string]any{"Count": n}),
	})
}

func (mw *mainWindow) selectRow(name string) {
	old := mw.selected
	mw.selected = name
	mw.refreshRow(old)
	mw.refreshRow(name)
}

// entryNames are the names of every stored key, in list order.
func (mw *mainWindow) entryNames() []string {
	names := make([]string, len(mw.entries))
	for i, e := range mw.entries {
		names[i] = e.Name
	}
	return names
}

// entryIndex is the index of the entry named name in mw.entries, or -1.
func (mw *mainWindow) entryIndex(name string) int {
	if name == "" {
		return -1
	}
	for i := range mw.entries {
		if mw.entries[i].Name == name {
			return i
		}
	}
	return -1
}

// revealed is the key shown in clear, and what hides it again.
type revealed struct {
	name, key string
	stop      func()
}

// conceal masks the revealed key again; the clear text is dropped.
func (mw *mainWindow) conceal() {
	rv := mw.reveal
	if rv.name == "" {
		return
	}
	mw.reveal = revealed{}
	if rv.stop != nil {
		rv.stop()
	}
	mw.refreshRow(rv.name)
}

// hideRevealed masks a revealed key again (focus lost, list rebuilt, window hidden).
func (mw *mainWindow) hideRevealed() { mw.conceal() }

// setBusy marks names as running an operation described by what ("" ends it).
func (mw *mainWindow) setBusy(what string, names ...string) {
	for _, n := range names {
		if what == "" {
			delete(mw.busy, n)
		} else {
			mw.busy[n] = what
		}
	}
	mw.refreshRows(names)
}

// checkAll verifies every key at once from the menu, and ends with a
// summary: how many work, and which failed and why.
func (mw *mainWindow) checkAll() {
	names := mw.entryNames()
	mw.setBusy(lang.L("Checking…"), names...)
	background(func() ([]keys.CheckResult, error) {
		return mw.svc.Check(context.Background())
	}, func(res []keys.CheckResult, err error) {
		mw.setBusy("", names...)
		if err != nil {
			mw.problem.set(describeError(err))
			return
		}
		mw.applyChecks(res)
		summary, failures := mw.checkSummary(res)
		mw.say(summary, nil)
		if failures != "" {
			mw.checkDlg = mw.inform(lang.L("Check all keys"), summary+"\n\n"+failures)
		}
	})
}

// checkSummary counts the results ("3 keys checked: 2 work, 1 failed.")
// and lists each key that failed with its reason.
func (mw *mainWindow) checkSummary(res []keys.CheckResult) (summary, failures string) {
	ok := 0
	var failed []string
	for _, c := range res {
		if c.OK() {
			ok++
			continue
		}
		reason := describeErrorOf(c.Entry, c.Err)
		if reason == "" {
			reason, _, _ = statusWords(c.Entry.LastStatus)
		}
		failed = append(failed, lang.L("{{.Name}}: {{.Reason}}", map[string]any{"Name": c.Entry.Name, "Reason": reason}))
	}
	n := len(res)
	summary = lang.L("{{.Checked}}: {{.Works}}, {{.Failed}}.", map[string]any{
		"Checked": lang.N("{{.Count}} keys checked", n, map[string]any{"Count": n}),
		"Works":   lang.N("{{.Count}} work", ok, map[string]any{"Count": ok}),
		"Failed":  lang.N("{{.Count}} failed", len(failed), map[string]any{"Count": len(failed)}),
	})
	return summary, strings.Join(failed, "\n")
}
