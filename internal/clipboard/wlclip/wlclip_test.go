//go:build linux || freebsd || netbsd || openbsd || dragonfly

package wlclip

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// fakeCompositor is the other end of the socket: it reads requests and
// sends events, as a compositor offering wlr-data-control would.
type fakeCompositor struct {
	t *testing.T
	w *wire
}

func (f *fakeCompositor) expect(id uint32, op uint16) *args {
	f.t.Helper()
	gotID, gotOp, a, err := f.w.next()
	if err != nil {
		f.t.Fatalf("reading a request: %v", err)
	}
	if gotID != id || gotOp != op {
		f.t.Fatalf("request %d.%d, want %d.%d", gotID, gotOp, id, op)
	}
	return a
}

func (f *fakeCompositor) event(id uint32, op uint16, m *msg) {
	f.t.Helper()
	if err := f.w.send(id, op, m); err != nil {
		f.t.Fatal(err)
	}
}

func newPair(t *testing.T, globals []global) (*Conn, *fakeCompositor, error) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	unixConn := func(fd int) *net.UnixConn {
		c, err := net.FileConn(os.NewFile(uintptr(fd), "wl"))
		if err != nil {
			t.Fatal(err)
		}
		return c.(*net.UnixConn)
	}
	client, server := unixConn(fds[0]), unixConn(fds[1])
	t.Cleanup(func() { server.Close() })
	f := &fakeCompositor{t: t, w: &wire{c: server}}
	type result struct {
		c   *Conn
		err error
	}
	res := make(chan result, 1)
	go func() {
		c, err := start(client)
		res <- result{c, err}
	}()
	reg := f.expect(displayID, displayGetRegistry).uint()
	cb := f.expect(displayID, displaySync).uint()
	for i, g := range globals {
		f.event(reg, registryGlobal, new(msg).uint(uint32(i+1)).str(g.iface).uint(g.version))
	}
	f.event(cb, callbackDone, new(msg).uint(0))
	if r := <-res; r.err != nil {
		return nil, f, r.err
	} else {
		t.Cleanup(r.c.Close)
		return r.c, f, nil
	}
}

func TestNoDataControl(t *testing.T) {
	for _, tc := range []struct {
		name    string
		globals []global
		mutter  bool
	}{
		{"weston-like", []global{{iface: "wl_seat", version: 7}, {iface: "wl_data_device_manager", version: 3}}, false},
		// Mutter 43.8's globals (headless), as it listed them.
		{"mutter", []global{{iface: "wl_compositor", version: 5}, {iface: "wl_data_device_manager", version: 3},
			{iface: "zwp_primary_selection_device_manager_v1", version: 1}, {iface: "xdg_wm_base", version: 4},
			{iface: "gtk_shell1", version: 5}, {iface: "wl_seat", version: 8}, {iface: "xdg_activation_v1", version: 1}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := newPair(t, tc.globals)
			if !errors.Is(err, ErrNoDataControl) {
				t.Fatalf("err = %v, want ErrNoDataControl", err)
			}
			var nd *NoDataControlError
			if !errors.As(err, &nd) || nd.Mutter != tc.mutter {
				t.Fatalf("err = %#v, want Mutter = %v", err, tc.mutter)
			}
		})
	}
}

// bindAll reads the binds and get_data_device; it returns the manager's and
// the device's ids.
func (f *fakeCompositor) bindAll(wantIface string) (manager, device uint32) {
	f.t.Helper()
	a := f.expect(2, registryBind)
	if a.uint(); a.str() != "wl_seat" {
		f.t.Fatal("the seat is not bound first")
	}
	a.uint()
	seat := a.uint()
	a = f.expect(2, registryBind)
	a.uint()
	if iface := a.str(); iface != wantIface {
		f.t.Fatalf("bound %s, want %s", iface, wantIface)
	}
	a.uint()
	manager = a.uint()
	a = f.expect(manager, managerGetDevice)
	device = a.uint()
	if a.uint() != seat {
		f.t.Fatal("get_data_device names another seat")
	}
	return manager, device
}

func TestSetOffersTextAndHintAndServesThem(t *testing.T) {
	c, f, err := newPair(t, []global{{iface: "wl_seat", version: 7},
		{iface: "zwlr_data_control_manager_v1", version: 2}, {iface: "ext_data_control_manager_v1", version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Protocol != "ext-data-control-v1" {
		t.Errorf("protocol %s, want ext-data-control-v1 preferred", c.Protocol)
	}
	manager, device := f.bindAll("ext_data_control_manager_v1")

	errc := make(chan error, 1)
	go func() { errc <- c.Set("sk-secret", true) }()
	src := f.expect(manager, managerCreateSource).uint()
	var mimes []string
	for range len(textMIMEs) + 1 {
		mimes = append(mimes, f.expect(src, sourceOffer).str())
	}
	if mimes[len(mimes)-1] != HintMIME || mimes[0] != "text/plain;charset=utf-8" {
		t.Errorf("offered %v", mimes)
	}
	if f.expect(device, deviceSetSelection).uint() != src {
		t.Fatal("set_selection does not name the new source")
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// The compositor echoes the selection (our own: no change event).
	f.event(device, deviceDataOffer, new(msg).uint(0xff000001))
	f.event(device, deviceSelection, new(msg).uint(0xff000001))

	for mime, want := range map[string]string{HintMIME: "secret", "text/plain;charset=utf-8": "sk-secret", "image/png": ""} {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		f.event(src, sourceSend, new(msg).str(mime).fd(p[1]))
		unix.Close(p[1])
		r := os.NewFile(uintptr(p[0]), "r")
		got, _ := io.ReadAll(r)
		r.Close()
		if string(got) != want {
			t.Errorf("%s served %q, want %q", mime, got, want)
		}
	}
	select {
	case <-c.Changes():
		t.Error("Keytray's own selection was reported as a change")
	case <-time.After(50 * time.Millisecond):
	}
	if text, ok := c.Owns(); !ok || text != "sk-secret" {
		t.Error("Owns does not report Keytray's selection")
	}
	// Another client copies: cancelled, then a new selection.
	f.event(src, sourceCancelled, new(msg))
	if f.expect(src, sourceDestroy) == nil {
		t.Fatal("no destroy")
	}
	f.event(device, deviceDataOffer, new(msg).uint(0xff000002))
	f.event(0xff000002, offerOffer, new(msg).str("text/plain"))
	f.event(device, deviceSelection, new(msg).uint(0xff000002))
	f.expect(0xff000001, offerDestroy) // the old offer is released
	select {
	case <-c.Changes():
	case <-time.After(2 * time.Second):
		t.Fatal("no change event for another client's copy")
	}
	if _, ok := c.Owns(); ok {
		t.Fatal("still owner after cancelled")
	}

	// Reading: receive on the current offer with a pipe; the owner writes.
	got := make(chan string, 1)
	go func() {
		s, err := c.Read(2 * time.Second)
		if err != nil {
			s = "error: " + err.Error()
		}
		got <- s
	}()
	a := f.expect(0xff000002, offerReceive)
	if mime := a.str(); mime != "text/plain" {
		t.Errorf("received as %s", mime)
	}
	fd := a.fd()
	w := os.NewFile(uintptr(fd), "w")
	w.WriteString("eyJ.header.sig")
	w.Close()
	if s := <-got; s != "eyJ.header.sig" {
		t.Errorf("Read = %q", s)
	}
}
