package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keytray/keytray/internal/clipboard/xsel"
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

func startNotifyCatcher() (*notifyCatcher, error) {
	conn, err := dbus.ConnectSessionBus()
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

// guardLatency: Keytray in the tray with the guard on; another client takes
// the clipboard with a new session token; the time until Keytray's warning
// reaches the notification server. Median of guardTokens distinct tokens.
func (b *bench) guardLatency() error {
	notes, err := startNotifyCatcher()
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
	time.Sleep(2 * time.Second) // start-up work done
	owner, err := xsel.Open("")
	if err != nil {
		return err
	}
	defer owner.Close()
	var lat []time.Duration
	for i := range guardTokens {
		for len(notes.got) > 0 {
			<-notes.got
		}
		t0 := time.Now()
		if err := owner.Set(benchJWT(i), false); err != nil {
			return err
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
				return fmt.Errorf("no warning within 10 s of copying token %d", i+1)
			}
		}
		if err := a.exited(); err != nil {
			return err
		}
		time.Sleep(300 * time.Millisecond)
	}
	slices.Sort(lat)
	b.notes = append(b.notes, fmt.Sprintf("Clipboard guard: a session token copied by another X client is warned about %.0f ms later (median of %d tokens; %.0f–%.0f ms); the target is 150 ms.",
		ms(median(lat)), len(lat), ms(lat[0]), ms(lat[len(lat)-1])))
	return nil
}
