//go:build screenshots

package app

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/keytray/keytray/app/clip"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// TestScreenshots renders the main screens with fake data (no real
// secrets) in English and Simplified Chinese, light and dark, through Fyne's
// software painter, and writes PNGs for docs/screenshots. Run it with
// `make screenshots` (go test -tags ci,screenshots -run TestScreenshots ./app/).
// keyCarol is a made-up key of the real shape.
const keyCarol = "sk-5f1c0a9e77d24b1c9e0d3a6b8f7e2c41"

func TestScreenshots(t *testing.T) {
	out := os.Getenv("KEYTRAY_SCREENSHOTS_DIR")
	if out == "" {
		out = filepath.Join("..", "docs", "screenshots")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	defer func() {
		os.Setenv("LC_ALL", "en_US.UTF-8")
		loadTranslations()
	}()
	for _, locale := range []struct{ name, env string }{{"en", "en_US.UTF-8"}, {"zh_Hans", "zh_CN.UTF-8"}} {
		os.Setenv("LC_ALL", locale.env)
		loadTranslations()
		for _, variant := range []string{"light", "dark"} {
			prefix := filepath.Join(out, locale.name+"-"+variant+"-")
			shoot := func(h *harness, screen string) {
				t.Helper()
				h.wait()
				f, err := os.Create(prefix + screen + ".png")
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := png.Encode(f, captureClipped(h.mw.win.Canvas())); err != nil {
					t.Fatal(err)
				}
			}
			// shootSmall also renders the open dialog in the smallest window
			// (500×400), with "small" in the file name.
			shootSmall := func(h *harness, screen string) {
				t.Helper()
				shoot(h, screen)
				h.mw.win.Resize(minWindowSize)
				shoot(h, screen+"-small")
				h.mw.win.Resize(fyne.NewSize(860, 600))
				h.wait()
			}
			open := func(core *fakeCore) *harness {
				h := newHarness(t, core)
				h.app.Settings().SetTheme(themeFor(variant))
				h.mw.win.Resize(fyne.NewSize(860, 600))
				h.mw.render()
				return h
			}

			core := screenshotCore()
			h := open(core)
			h.tap(h.row("alice@chat.example.com").frame)
			shoot(h, "main")

			h.mw.showDetails("bob@lab.example.org")
			shootSmall(h, "details")
			h.top().hide()

			h.mw.showAddServer("chat.example.com")
			core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Example Chat", Version: "0.6.36", Auth: true, PasswordAuth: true, LDAP: true}
			h.key(fyne.KeyReturn)
			h.mw.addServerDlg.creds.email.SetText("carol@example.com")
			shootSmall(h, "add-server")
			h.mw.addServerDlg.modal.hide()

			// Two-step sign-in (Open WebUI 0.12): the code step after the password.
			core.codeCheck = func(keys.SecondFactor) error {
				return &openwebui.Error{Kind: openwebui.ErrCodeInvalid, URL: urlChat, Status: 401}
			}
			core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Example Chat", Version: "0.12.4", Auth: true, PasswordAuth: true}
			h.mw.showAddServer("chat.example.com")
			h.key(fyne.KeyReturn)
			h.mw.addServerDlg.creds.email.SetText("carol@example.com")
			h.mw.addServerDlg.creds.password.SetText("not-a-real-password")
			h.key(fyne.KeyReturn)
			shootSmall(h, "two-step")
			h.mw.addServerDlg.code.code.SetText("123456")
			h.key(fyne.KeyReturn)
			h.mw.addServerDlg.code.code.SetText("")
			h.tap(h.mw.addServerDlg.code.toggle)
			shootSmall(h, "two-step-recovery")
			h.mw.addServerDlg.modal.hide()
			h.wait()
			core.codeCheck = nil

			core.probeInfo = openwebui.ServerInfo{URL: "https://ai.corp.example", Name: "Corp AI", Version: "0.9.6", Auth: true, OAuthProviders: []string{"Microsoft"}}
			h.mw.showAddServer("ai.corp.example")
			h.key(fyne.KeyReturn)
			shootSmall(h, "add-server-sso")
			h.mw.addServerDlg.modal.hide()

			core.probeInfo = openwebui.ServerInfo{URL: "http://localhost:3000", Name: "Open WebUI", Version: "0.6.41", Auth: false, PasswordAuth: true}
			h.mw.showAddServer("localhost:3000")
			h.key(fyne.KeyReturn)
			shootSmall(h, "add-server-no-sign-in")
			h.mw.addServerDlg.modal.hide()

			h.mw.rotate(core.entries[0])
			shootSmall(h, "rotate")
			h.top().hide()

			h.mw.useSessionToken(fakeJWT("u-new", time.Now().Add(20*24*time.Hour)))
			h.wait()
			shootSmall(h, "session-token")
			h.top().hide()

			h.mw.showAddKey(urlLab, fakeJWT("u-bob", time.Now().Add(time.Hour)))
			shootSmall(h, "add-key-jwt")
			h.top().hide()

			h.mw.showExport()
			shootSmall(h, "export")
			h.top().hide()

			// 30 keys, and a wrong passphrase: the dialog scrolls, the
			// error and the buttons stay in view.
			many := open(benchCore(30))
			many.mw.showExport()
			many.mw.exportDlg.pass.SetText("short")
			many.key(fyne.KeyReturn)
			shootSmall(many, "export-30-keys")
			many.top().hide()

			h.mw.showImport()
			shootSmall(h, "import")
			h.top().hide()

			h.mw.renameDlg = newRenameDialog(h.mw, core.entries[0].Name)
			shootSmall(h, "rename")
			h.top().hide()

			h.mw.showAbout()
			shootSmall(h, "about")
			h.top().hide()

			// A wrong password at sign-in: the error shows above the buttons.
			core.probeInfo = openwebui.ServerInfo{URL: urlChat, Name: "Example Chat", Version: "0.6.36", Auth: true, PasswordAuth: true, LDAP: true}
			core.loginErrs = []error{&openwebui.Error{Kind: openwebui.ErrWrongCredentials}}
			h.mw.showAddServer("chat.example.com")
			h.key(fyne.KeyReturn)
			h.mw.addServerDlg.creds.email.SetText("carol@example.com")
			h.mw.addServerDlg.creds.password.SetText("not-a-real-password")
			h.key(fyne.KeyReturn)
			shootSmall(h, "wrong-password")
			h.mw.addServerDlg.modal.hide()

			h.mw.showSettings()
			shootSmall(h, "settings")
			h.top().hide()

			// The note the guard shows once on a Wayland desktop where it
			// cannot watch from the background.
			h.mw.setBanner(clip.HiddenBanner())
			shootSmall(h, "clipboard-hidden")
			h.mw.setBanner(nil)
			h.wait()

			h.tap(h.row("bob@lab.example.org").revealBtn)
			h.mw.setBanner(nil)
			shoot(h, "revealed")
			h.mw.win.Resize(minWindowSize)
			shoot(h, "main-small")
			h.mw.win.Resize(fyne.NewSize(860, 600))

			empty := screenshotCore()
			empty.entries, empty.instances = nil, nil
			shoot(open(empty), "empty")
		}
	}
}

// screenshotCore is realistic fake data: three keys on three servers, with
// check results of each kind.
func screenshotCore() *fakeCore {
	c := newFakeCore()
	now := time.Now()
	c.instances = append(c.instances, vault.Instance{URL: "http://192.168.1.20:3000", Name: "Home lab", Version: "0.5.20"})
	c.entries[1].LastStatus, c.entries[1].LastChecked = string(openwebui.StatusRejected), now.Add(-3*time.Hour)
	c.entries = append(c.entries, vault.Entry{Name: "carol@192.168.1.20", Instance: "http://192.168.1.20:3000",
		Email: "carol@example.net", Role: "user", Fingerprint: credential.Fingerprint(keyCarol), Hint: credential.Hint(keyCarol)})
	c.secrets["carol@192.168.1.20"] = keyCarol
	c.checkRes = []keys.CheckResult{}
	c.settings = vault.DefaultSettings() // the check interval as shipped: 6h
	return c
}

// captureClipped is Canvas.Capture, drawn as a real window would be. Fyne's
// software painter clips an object to its innermost scroller only, so in a
// dialog that scrolls (the smallest window), a field scrolled out of view
// still drew its text (the field's own scroller) over the error line. The
// objects inside two or more scrollers that the outer ones do not fully
// show are hidden while the picture is taken.
func captureClipped(c fyne.Canvas) image.Image {
	var hidden []fyne.CanvasObject
	var walk func(o fyne.CanvasObject, origin fyne.Position, clip *clipRect, scrolls int)
	walk = func(o fyne.CanvasObject, origin fyne.Position, clip *clipRect, scrolls int) {
		if !o.Visible() {
			return
		}
		pos := origin.Add(o.Position())
		r := clipRect{pos, pos.Add(fyne.NewPos(o.Size().Width, o.Size().Height))}
		var children []fyne.CanvasObject
		switch w := o.(type) {
		case *fyne.Container:
			children = w.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(w).Objects()
		}
		if _, ok := o.(*container.Scroll); ok {
			scrolls++
			if clip == nil {
				clip = &r
			} else {
				in := clip.intersect(r)
				clip = &in
			}
		}
		if len(children) == 0 {
			if scrolls >= 2 && clip != nil && !clip.contains(r) {
				o.Hide()
				hidden = append(hidden, o)
			}
			return
		}
		for _, child := range children {
			walk(child, pos, clip, scrolls)
		}
	}
	walk(c.Content(), fyne.Position{}, nil, 0)
	for _, o := range c.Overlays().List() {
		walk(o, fyne.Position{}, nil, 0)
	}
	img := c.Capture()
	for _, o := range hidden {
		o.Show()
	}
	return img
}

type clipRect struct{ min, max fyne.Position }

func (a clipRect) intersect(b clipRect) clipRect {
	return clipRect{
		fyne.NewPos(max(a.min.X, b.min.X), max(a.min.Y, b.min.Y)),
		fyne.NewPos(min(a.max.X, b.max.X), min(a.max.Y, b.max.Y)),
	}
}

// contains allows half a pixel for rounding.
func (a clipRect) contains(b clipRect) bool {
	return b.min.X >= a.min.X-0.5 && b.min.Y >= a.min.Y-0.5 && b.max.X <= a.max.X+0.5 && b.max.Y <= a.max.Y+0.5
}
