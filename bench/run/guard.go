package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keytray/keytray/internal/clipboard/wlclip"
	"github.com/keytray/keytray/internal/clipboard/xsel"
	"github.com/keytray/keytray/internal/usersession"
)

// guardTokens is how many distinct session tokens guardLatency copies.
const guardTokens = 9

const tokenWarningTitle = "You copied a session token, not an API key"

// notifyCatcher owns org.freedesktop.Notifications for the guard step and
// records when each notification arrives (the summary only).
type notifyCatcher struct {
	conn *dbus.Conn
	got  chan string
}

func (n notifyCatcher) Notify(_ string, _ uint32, _, summary, _ string, _ []string,
	_ map[string]dbus.Variant, _ int32) (uint32, *dbus.Error) {
	select {
	case n.got <- summary:
	default:
	}
	return 1, nil
}

func (n notifyCatcher) CloseNotification(uint32) *dbus.Error     { return nil }
func (n notifyCatcher) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }
func (n notifyCatcher) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "keytray-bench", "keytray", "1", "1.2", nil
}

// startNotifyCatcher takes the notification server's name on the bus at
// addr.
func startNotifyCatcher(addr string) (*notifyCatcher, error) {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, err
	}
	const name = "org.freedesktop.Notifications"
	if r, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("owning %s: reply %v, %v", name, r, err)
	}
	n := &notifyCatcher{conn: conn, got: make(chan string, 16)}
	if err := conn.Export(*n, "/org/freedesktop/Notifications", name); err != nil {
		conn.Close()
		return nil, err
	}
	return n, nil
}

// benchJWT is a token shaped like an Open WebUI session token (unknown
// owner: the guard warns about it all the same).
func benchJWT(i int) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." +
		enc(map[string]any{"id": fmt.Sprintf("bench-user-%d", i), "exp": time.Now().Add(24 * time.Hour).Unix()}) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("bench-signature-%02d-0123456789abcdef", i)))
}

// guardLatency: Keytray in the tray with the guard on; another X client
// takes the clipboard with a new session token; the time until Keytray's
// warning reaches the notification server. Median of guardTokens distinct
// tokens.
func (b *bench) guardLatency() error {
	notes, err := startNotifyCatcher(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		return err
	}
	defer notes.conn.Close()
	a, err := startApp("keytray, 1 key", b.one.command(b.desktop, "--hidden"))
	if err != nil {
		return err
	}
	defer a.stop()
	if err := b.sni.waitRegistered(a, 30*time.Second); err != nil {
		return err
	}
	owner, err := xsel.Open("")
	if err != nil {
		return err
	}
	defer owner.Close()
	lat, err := guardRounds(a, notes, owner.Set)
	if err != nil {
		return err
	}
	b.notes = append(b.notes, fmt.Sprintf("Clipboard guard on X11: a session token copied by another X client is warned about after %s; the target is 150 ms.", latencies(lat)))
	return nil
}

// guardLatencyWayland is guardLatency on a Wayland desktop with data-control,
// as a person logged in to sway has it (package usersession: the user's own
// bus and keyring, headless sway 1.7 with Xwayland): Keytray runs there as
// that user, in the background, and another Wayland client (data-control)
// takes the clipboard.
func (b *bench) guardLatencyWayland() error {
	s, err := usersession.Start(usersession.Sway)
	if err != nil {
		return err
	}
	defer s.Close()
	sni, err := startSNIWatcher(s.BusAddress)
	if err != nil {
		return err
	}
	defer sni.close()
	notes, err := startNotifyCatcher(s.BusAddress)
	if err != nil {
		return err
	}
	defer notes.conn.Close()
	// A copy the user can run: the build folder may be the caller's only.
	bin := filepath.Join(s.Dir, "keytray")
	if err := copyExecutable(b.desktop, bin); err != nil {
		return err
	}
	a, err := startApp("keytray on sway", s.Command(bin, "--hidden"))
	if err != nil {
		return err
	}
	defer a.stop()
	if err := sni.waitRegistered(a, 30*time.Second); err != nil {
		return err
	}
	env := map[string]string{"WAYLAND_DISPLAY": s.WaylandDisplay, "XDG_RUNTIME_DIR": s.RuntimeDir}
	wl, err := wlclip.Open(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	defer wl.Close()
	lat, err := guardRounds(a, notes, wl.Set)
	if err != nil {
		return err
	}
	b.notes = append(b.notes, fmt.Sprintf("Clipboard guard on Wayland (headless sway 1.7, data-control; Keytray in the background as the session's user): a session token copied by another Wayland client is warned about after %s; the target is 150 ms.", latencies(lat)))
	return nil
}

func copyExecutable(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o755)
}

// guardRounds copies guardTokens distinct session tokens with set, one at a
// time, and returns how long each took to reach the notification server as
// Keytray's warning, sorted.
func guardRounds(a *app, notes *notifyCatcher, set func(text string, secret bool) error) ([]time.Duration, error) {
	time.Sleep(2 * time.Second) // start-up work done
	var lat []time.Duration
	for i := range guardTokens {
		for len(notes.got) > 0 {
			<-notes.got
		}
		t0 := time.Now()
		if err := set(benchJWT(i), false); err != nil {
			return nil, err
		}
		deadline := time.After(10 * time.Second)
	wait:
		for {
			select {
			case s := <-notes.got:
				if s == tokenWarningTitle {
					lat = append(lat, time.Since(t0))
					break wait
				}
			case <-deadline:
				return nil, fmt.Errorf("no warning within 10 s of copying token %d", i+1)
			}
		}
		if err := a.exited(); err != nil {
			return nil, err
		}
		time.Sleep(300 * time.Millisecond)
	}
	slices.Sort(lat)
	return lat, nil
}

// latencies says a sorted set of latencies: median, count and range.
func latencies(lat []time.Duration) string {
	return fmt.Sprintf("%.0f ms (median of %d tokens; %.0f–%.0f ms)", ms(median(lat)), len(lat), ms(lat[0]), ms(lat[len(lat)-1]))
}
