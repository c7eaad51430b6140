package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/backup"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

func TestMain(m *testing.M) {
	// The tests read English sentences; pin the locale before loading.
	os.Setenv("LC_ALL", "en_US.UTF-8")
	os.Unsetenv("LANGUAGE")
	loadTranslations()
	// Results of background work run on the test goroutine, in wait(), as
	// the real driver runs them on the main thread.
	toUI = func(f func()) { uiQueue <- f }
	os.Exit(m.Run())
}

// uiQueue holds the results of background work until wait() runs them.
var uiQueue = make(chan func(), 64)

// Fake data: realistic shapes, no real secrets.
const (
	keyAlice = "sk-0123456789abcdef0123456789abcdef"
	keyBob   = "sk-fedcba9876543210fedcba9876543210"
	keyNew   = "sk-aaaabbbbccccddddeeeeffff00001111"
	urlChat  = "https://chat.example.com"
	urlLab   = "https://lab.example.org"
)

// fakeJWT is a token shaped like Open WebUI's (HS256, "id" claim); the
// signature is junk, which is fine: nothing verifies it.
func fakeJWT(id string, exp time.Time) string {
	enc := base64.RawURLEncoding
	head, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	body, _ := json.Marshal(map[string]any{"id": id, "exp": exp.Unix(), "jti": "t1"})
	return enc.EncodeToString(head) + "." + enc.EncodeToString(body) + "." + enc.EncodeToString([]byte("not-a-real-signature-0123456789"))
}

// fakeCore stands in for *keys.Service and records what it was asked.
type fakeCore struct {
	mu        sync.Mutex
	entries   []vault.Entry
	instances []vault.Instance
	secrets   map[string]string
	settings  vault.Settings

	listErr  error
	keyErr   error
	keyCalls int

	probeInfo openwebui.ServerInfo
	probeErr  error
	probes    []keys.Server

	loginErrs []error // consumed one per call; nil = success
	loginRes  keys.LoginResult
	logins    []keys.LoginRequest

	// codeCheck, when set, makes password/LDAP sign-ins (Login, and Rotate
	// and Revoke with credentials) ask the credentials' code source and pass
	// each code to it, as keys does against a 0.12 server with MFA on.
	codeCheck func(keys.SecondFactor) error
	codes     []keys.SecondFactor

	addErr error
	adds   []keys.AddRequest

	checkRes []keys.CheckResult
	checkErr error
	checks   [][]string

	rotateErrs []error
	rotates    []*keys.Credentials
	revokeErrs []error
	revokes    []*keys.Credentials

	removed   []string
	removeErr error
	renames   [][2]string
	renameErr error

	inspect   keys.Inspection
	tokenErrs []error
	tokens    []tokenCall
	tokenRes  keys.LoginResult

	exportErrs []error
	exports    []exportCall
	importRes  vault.PutAllResult
	importErr  error
	imports    []importCall

	saved   []vault.Settings
	saveErr error
}

type tokenCall struct {
	srv    keys.Server
	jwt    string
	rotate bool
}

type exportCall struct {
	path  string
	req   keys.ExportRequest
	force bool
}

type importCall struct {
	path    string
	dec     backup.Decryption
	replace bool
}

func newFakeCore() *fakeCore {
	now := time.Now()
	return &fakeCore{
		instances: []vault.Instance{
			{URL: urlChat, Name: "Example Chat", Version: "0.6.36"},
			{URL: urlLab, Name: "Lab", Version: "0.11.0"},
		},
		entries: []vault.Entry{
			{Name: "alice@chat.example.com", Instance: urlChat, Email: "alice@example.com", UserID: "u-alice", Role: "admin",
				Fingerprint: credential.Fingerprint(keyAlice), Hint: credential.Hint(keyAlice), LastStatus: "valid", LastChecked: now.Add(-5 * time.Minute)},
			{Name: "bob@lab.example.org", Instance: urlLab, Email: "bob@example.org", UserID: "u-bob", Role: "user",
				Fingerprint: credential.Fingerprint(keyBob), Hint: credential.Hint(keyBob)},
		},
		secrets:  map[string]string{"alice@chat.example.com": keyAlice, "bob@lab.example.org": keyBob},
		settings: vault.Settings{ClipboardClear: vault.Duration(30 * time.Second), ClipboardWatch: true, Theme: "system"},
	}
}

func pop(errs *[]error) error {
	if len(*errs) == 0 {
		return nil
	}
	err := (*errs)[0]
	*errs = (*errs)[1:]
	return err
}

func (f *fakeCore) List() ([]vault.Entry, []vault.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]vault.Entry(nil), f.entries...), append([]vault.Instance(nil), f.instances...), f.listErr
}

func (f *fakeCore) Key(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keyCalls++
	if f.keyErr != nil {
		return "", f.keyErr
	}
	k, ok := f.secrets[name]
	if !ok {
		return "", vault.ErrNotFound
	}
	return k, nil
}

// keyReads is how many times a key was read from the (fake) keyring.
func (f *fakeCore) keyReads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keyCalls
}

func (f *fakeCore) Probe(_ context.Context, srv keys.Server) (openwebui.ServerInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.probes = append(f.probes, srv)
	return f.probeInfo, f.probeErr
}

// secondStep runs the code step as keys does, without holding f.mu (the
// source waits for the window, which may call the fake meanwhile).
func (f *fakeCore) secondStep(ctx context.Context, cr keys.Credentials) error {
	f.mu.Lock()
	check := f.codeCheck
	f.mu.Unlock()
	if check == nil || cr.Method == keys.Token || cr.Method == keys.NoSignIn {
		return nil
	}
	if cr.Code == nil {
		return &keys.CodeNeededError{URL: urlChat}
	}
	var prev error
	for attempt := 1; ; attempt++ {
		sf, err := cr.Code(ctx, attempt, prev)
		if err != nil {
			return err
		}
		f.mu.Lock()
		f.codes = append(f.codes, sf)
		f.mu.Unlock()
		err = check(sf)
		if err == nil {
			return nil
		}
		if !errors.Is(err, openwebui.ErrCodeInvalid) || attempt >= keys.MaxCodeAttempts {
			return err
		}
		prev = err
	}
}

func (f *fakeCore) Login(ctx context.Context, req keys.LoginRequest) (keys.LoginResult, error) {
	if err := f.secondStep(ctx, req.Creds); err != nil {
		f.mu.Lock()
		f.logins = append(f.logins, req)
		f.mu.Unlock()
		return keys.LoginResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logins = append(f.logins, req)
	if err := pop(&f.loginErrs); err != nil {
		return keys.LoginResult{}, err
	}
	return f.loginRes, nil
}

func (f *fakeCore) Add(_ context.Context, req keys.AddRequest) (vault.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.adds = append(f.adds, req)
	if f.addErr != nil {
		return vault.Entry{}, f.addErr
	}
	e := vault.Entry{Name: req.Name, Instance: req.Server.URL, Fingerprint: credential.Fingerprint(req.Key), Hint: credential.Hint(req.Key)}
	if e.Name == "" {
		e.Name = "added@" + openwebui.Host(req.Server.URL)
	}
	f.entries = append(f.entries, e)
	f.secrets[e.Name] = req.Key
	return e, nil
}

func (f *fakeCore) Check(_ context.Context, names ...string) ([]keys.CheckResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checks = append(f.checks, names)
	return f.checkRes, f.checkErr
}

func (f *fakeCore) Rotate(ctx context.Context, name string, creds *keys.Credentials) (vault.Entry, error) {
	if creds != nil {
		if err := f.secondStep(ctx, *creds); err != nil {
			return vault.Entry{}, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rotates = append(f.rotates, creds)
	if err := pop(&f.rotateErrs); err != nil {
		return vault.Entry{}, err
	}
	f.secrets[name] = keyNew
	return vault.Entry{Name: name}, nil
}

func (f *fakeCore) Revoke(_ context.Context, name string, creds *keys.Credentials) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokes = append(f.revokes, creds)
	if err := pop(&f.revokeErrs); err != nil {
		return err
	}
	f.drop(name)
	return nil
}

func (f *fakeCore) drop(name string) {
	for i, e := range f.entries {
		if e.Name == name {
			f.entries = append(f.entries[:i], f.entries[i+1:]...)
			break
		}
	}
	delete(f.secrets, name)
}

func (f *fakeCore) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, name)
	if f.removeErr != nil {
		return f.removeErr
	}
	f.drop(name)
	return nil
}

func (f *fakeCore) Rename(oldName, newName string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.renames = append(f.renames, [2]string{oldName, newName})
	if f.renameErr != nil {
		return f.renameErr
	}
	for i := range f.entries {
		if f.entries[i].Name == oldName {
			f.entries[i].Name = newName
		}
	}
	f.secrets[newName] = f.secrets[oldName]
	delete(f.secrets, oldName)
	return nil
}

func (f *fakeCore) ExportPlain(names []string, format string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if format != "env" || len(names) != 1 {
		return nil, backup.ErrInvalid
	}
	return []byte("OPENAI_API_KEY=" + f.secrets[names[0]] + "\nOPENAI_BASE_URL=" + urlChat + "/api\n"), nil
}

func (f *fakeCore) Inspect(secret string) (keys.Inspection, error) {
	in := f.inspect
	in.Result = credential.Classify(secret)
	return in, nil
}

func (f *fakeCore) FromToken(_ context.Context, srv keys.Server, jwt string, _ string, rotate bool) (keys.LoginResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = append(f.tokens, tokenCall{srv: srv, jwt: jwt, rotate: rotate})
	if err := pop(&f.tokenErrs); err != nil {
		return keys.LoginResult{}, err
	}
	return f.tokenRes, nil
}

func (f *fakeCore) Export(path string, req keys.ExportRequest, force bool) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exports = append(f.exports, exportCall{path, req, force})
	if err := pop(&f.exportErrs); err != nil {
		return 0, err
	}
	return len(req.Names), nil
}

func (f *fakeCore) Import(path string, dec backup.Decryption, replace bool) (vault.PutAllResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.imports = append(f.imports, importCall{path, dec, replace})
	return f.importRes, f.importErr
}

func (f *fakeCore) Settings() (vault.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings, nil
}

func (f *fakeCore) SaveSettings(s vault.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, s)
	if f.saveErr != nil {
		return f.saveErr
	}
	f.settings = s
	return nil
}

// copied is one Copy call the fake copier saw.
type copied struct{ label, secret string }

// fakeCopier records copies and, given a clipboard, puts them there.
type fakeCopier struct {
	got []copied
	cb  fyne.Clipboard
}

func (c *fakeCopier) Copy(label, secret string) {
	c.got = append(c.got, copied{label, secret})
	if c.cb != nil {
		c.cb.SetContent(secret)
	}
}

// fakeClock lets a test fire the reveal timer instead of waiting 20 s.
type fakeClock struct {
	now     time.Time
	pending []timer
}

type timer struct {
	d       time.Duration
	f       func()
	stopped *bool
}

func (c *fakeClock) after(d time.Duration, f func()) func() {
	stopped := new(bool)
	c.pending = append(c.pending, timer{d, f, stopped})
	return func() { *stopped = true }
}

// fire runs every live timer of duration d.
func (c *fakeClock) fire(d time.Duration) int {
	n := 0
	for _, t := range c.pending {
		if t.d == d && !*t.stopped {
			*t.stopped = true
			t.f()
			n++
		}
	}
	return n
}

// harness is a main window on Fyne's test driver with fake services.
type harness struct {
	t       *testing.T
	app     fyne.App
	core    *fakeCore
	copier  *fakeCopier
	clock   *fakeClock
	mw      *mainWindow
	applied []vault.Settings
}

func newHarness(t *testing.T, core *fakeCore) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	h := &harness{t: t, app: a, core: core, copier: &fakeCopier{cb: a.Clipboard()}, clock: &fakeClock{now: time.Now()}}
	h.mw = newMainWindow(windowDeps{app: a, svc: core, copier: h.copier, applySettings: func(s vault.Settings) { h.applied = append(h.applied, s) }})
	h.mw.now = func() time.Time { return h.clock.now }
	h.mw.after = h.clock.after
	h.mw.win.Resize(fyne.NewSize(900, 640))
	h.mw.show()
	h.mw.refresh()
	h.wait()
	t.Cleanup(func() {
		h.wait()
		h.mw.win.Close()
	})
	return h
}

// wait returns when every background operation has finished and its result
// has been handed back (on the test goroutine), including operations that
// those results started.
func (h *harness) wait() {
	for {
		inflight.Wait()
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}

func (h *harness) tap(b fyne.Tappable) {
	h.t.Helper()
	test.Tap(b)
	h.wait()
}

// key sends a key to the window as the driver would: to the focused
// widget, else to the canvas handler.
func (h *harness) key(name fyne.KeyName) {
	c := h.mw.win.Canvas()
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else {
		c.OnTypedKey()(ev)
	}
	h.wait()
}

// typeInto focuses e, types s and waits.
func (h *harness) typeInto(e fyne.Focusable, s string) {
	h.mw.win.Canvas().Focus(e)
	test.Type(e, s)
	h.wait()
}

// shortcut sends a shortcut to the canvas (nothing focused).
func (h *harness) shortcut(s fyne.Shortcut) {
	h.mw.win.Canvas().Unfocus()
	h.mw.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
	h.wait()
}

func (h *harness) row(name string) *keyRow {
	h.t.Helper()
	r := h.rows()[name]
	if r == nil {
		h.t.Fatalf("no row in view for %q; keys shown: %v", name, h.mw.visibleNames())
	}
	return r
}

// rows are the key rows in view (the list makes no others), by key name.
func (h *harness) rows() map[string]*keyRow {
	h.wait()
	out := map[string]*keyRow{}
	for _, o := range test.LaidOutObjects(h.mw.list) {
		if c, ok := o.(*listCell); ok && c.Visible() && c.row.frame.Visible() && c.row.entry.Name != "" {
			out[c.row.entry.Name] = c.row
		}
	}
	return out
}

// top is the open dialog on top; the test fails when there is none.
func (h *harness) top() *modal {
	h.t.Helper()
	m := h.mw.topModal()
	if m == nil {
		h.t.Fatal("no dialog is open")
	}
	return m
}

// press taps the button labelled label in the dialog on top.
func (h *harness) press(label string) {
	h.t.Helper()
	m := h.top()
	var labels []string
	for _, b := range m.buttons {
		if b.Text == label {
			if b.Disabled() {
				h.t.Fatalf("button %q of %q is disabled", label, m.title)
			}
			h.tap(b)
			return
		}
		labels = append(labels, b.Text)
	}
	h.t.Fatalf("dialog %q has no button %q (has %q)", m.title, label, labels)
}

func (h *harness) expectNoDialog() {
	h.t.Helper()
	if m := h.mw.topModal(); m != nil {
		h.t.Fatalf("a dialog is still open")
	}
}

// sameCreds compares credentials but for their code source (a func).
func sameCreds(a, b keys.Credentials) bool {
	a.Code, b.Code = nil, nil
	return a.Method == b.Method && a.Email == b.Email && a.User == b.User && a.Secret == b.Secret
}
