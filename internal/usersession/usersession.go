//go:build linux

// Package usersession starts a desktop session that belongs to one
// unprivileged user, as a person logged in to a Wayland desktop has it: its
// own D-Bus session bus, its own gnome-keyring (created and unlocked), its own
// XDG_RUNTIME_DIR and a headless compositor with Xwayland (sway, for
// wlroots desktops, or GNOME's Mutter) — and runs programs in it as that
// user.
//
// The integration tests and `make bench` use it to put Keytray on a Wayland
// desktop; Keytray itself never does. Compositors such as sway refuse to run
// as root, so as root the session belongs to a dedicated account (created if
// missing); as anyone else it belongs to the caller. Either way nothing in it
// touches the caller's own bus, keyring or display.
//
// The harness (the caller) may join the session's bus and its Xwayland: as
// root it is let in by the bus's policy and by xhost, so that a test can host
// the panel's tray watcher and the notification server where the user's
// programs expect them, and look at the user's windows.
package usersession

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
)

// DefaultUser is the account a session runs as when the caller is root.
const DefaultUser = "keytray-desktop"

// sessionPrefix starts the name of every session's folder.
const sessionPrefix = "keytray-session-"

// startTimeout bounds each part's start (bus, keyring, compositor).
const startTimeout = 20 * time.Second

// Session is one user's running desktop session. Close ends it and removes
// its files.
type Session struct {
	User           string // the account the session belongs to
	Dir            string // root of the session's files (owned by the user, readable by all)
	Home           string // $HOME
	RuntimeDir     string // $XDG_RUNTIME_DIR (0700)
	BusAddress     string // $DBUS_SESSION_BUS_ADDRESS
	WaylandDisplay string // the compositor's socket, an absolute path
	Display        string // Xwayland's X display, e.g. ":3"
	XAuthority     string // Xwayland's authority file, when it has one (Mutter, KWin)
	Compositor     Compositor

	cred  *syscall.Credential // nil when the session is the caller's own user
	uid   int
	gid   int
	parts []*part // bus, compositor: stopped last first
}

// Compositor is the desktop's compositor, run headless.
type Compositor string

const (
	// Sway is sway 1.7 (wlroots), which offers the data-control protocols.
	Sway Compositor = "sway"
	// Mutter is GNOME's compositor (43), which offers no data-control
	// protocol and relays the clipboard between Wayland and Xwayland.
	Mutter Compositor = "mutter"
	// KWin is KDE Plasma's compositor (5.27), which offers
	// wlr-data-control. It is not among the test packages (it brings 138
	// packages of KDE with it): tests using it skip when it is missing.
	KWin Compositor = "kwin_wayland"
)

// Start starts a session: the bus, an unlocked keyring and the compositor
// with Xwayland. As root it runs as DefaultUser, created if missing.
func Start(c Compositor) (s *Session, err error) {
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon", string(c), "Xwayland", "xhost"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is missing: scripts/deps.sh test installs dbus, gnome-keyring, sway, mutter, xwayland and x11-xserver-utils", tool)
		}
	}
	s = &Session{Compositor: c, uid: os.Getuid(), gid: os.Getgid()}
	if s.uid == 0 {
		name := DefaultUser
		if s.uid, s.gid, err = account(name); err != nil {
			return nil, err
		}
		s.cred = &syscall.Credential{Uid: uint32(s.uid), Gid: uint32(s.gid), Groups: []uint32{}}
		s.User = name
	} else if u, err := user.Current(); err == nil {
		s.User = u.Username
	}
	// Not under a private temporary folder: the user must reach its files.
	sweepAbandoned()
	if s.Dir, err = os.MkdirTemp("", sessionPrefix+"*"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.Close()
			s = nil
		}
	}()
	s.Home = filepath.Join(s.Dir, "home")
	s.RuntimeDir = filepath.Join(s.Dir, "run")
	if err := os.Chmod(s.Dir, 0o755); err != nil {
		return s, err
	}
	if err := s.MkdirAll(s.Home); err != nil {
		return s, err
	}
	if err := s.MkdirAll(s.RuntimeDir); err != nil {
		return s, err
	}
	if err := s.startBus(); err != nil {
		return s, err
	}
	if err := s.startKeyring(); err != nil {
		return s, err
	}
	start := s.startSway
	switch c {
	case Mutter:
		start = s.startMutter
	case KWin:
		start = s.startKWin
	}
	if err := start(); err != nil {
		return s, err
	}
	if s.cred != nil {
		// Xwayland lets in its own user only; the harness (root) is let in as
		// it is on the bus.
		if out, err := s.Command("xhost", "+si:localuser:root").CombinedOutput(); err != nil {
			return s, fmt.Errorf("letting the harness into Xwayland: xhost: %v: %s", err, bytes.TrimSpace(out))
		}
	}
	return s, nil
}

// account returns the uid and gid of name, creating the account if missing.
func account(name string) (uid, gid int, err error) {
	u, err := user.Lookup(name)
	if err != nil {
		out, err := exec.Command("useradd", "--create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput()
		if err != nil {
			return 0, 0, fmt.Errorf("creating the session's user %s: useradd: %v: %s", name, err, bytes.TrimSpace(out))
		}
		if u, err = user.Lookup(name); err != nil {
			return 0, 0, err
		}
	}
	if uid, err = strconv.Atoi(u.Uid); err != nil {
		return 0, 0, err
	}
	if gid, err = strconv.Atoi(u.Gid); err != nil {
		return 0, 0, err
	}
	return uid, gid, nil
}

// UID is the user id the session's programs run as.
func (s *Session) UID() int { return s.uid }

// MkdirAll makes dir (and its missing parents) owned by the session's user,
// private to it.
func (s *Session) MkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chown(dir, s.uid, s.gid)
}

// Chown gives path, and everything under it, to the session's user.
func (s *Session) Chown(path string) error {
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
}

// Env is the environment of a program started in the session: the user's
// home and XDG folders, the session's bus, the compositor and Xwayland.
func (s *Session) Env() []string {
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
		"HOME=" + s.Home,
		"USER=" + s.User,
		"LOGNAME=" + s.User,
		"XDG_RUNTIME_DIR=" + s.RuntimeDir,
		"XDG_CONFIG_HOME=" + filepath.Join(s.Home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(s.Home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(s.Home, ".cache"),
		"XDG_STATE_HOME=" + filepath.Join(s.Home, ".local", "state"),
		"LANG=" + lang(),
	}
	if s.BusAddress != "" {
		env = append(env, "DBUS_SESSION_BUS_ADDRESS="+s.BusAddress)
	}
	if s.WaylandDisplay != "" {
		desktop := "sway"
		switch s.Compositor {
		case Mutter:
			desktop = "GNOME"
		case KWin:
			desktop = "KDE"
		}
		env = append(env, "WAYLAND_DISPLAY="+s.WaylandDisplay, "XDG_SESSION_TYPE=wayland", "XDG_CURRENT_DESKTOP="+desktop)
	}
	if s.Display != "" {
		env = append(env, "DISPLAY="+s.Display)
	}
	if s.XAuthority != "" {
		env = append(env, "XAUTHORITY="+s.XAuthority)
	}
	return env
}

// lang is the caller's LANG, so that the session speaks the same language.
func lang() string {
	if l := os.Getenv("LANG"); l != "" {
		return l
	}
	return "C.UTF-8"
}

// Command returns a command that runs as the session's user, in its
// environment (Env), from its home folder. Its process id is the program's
// own (no runuser in between), so a test can match it to its bus connection.
func (s *Session) Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = s.Env()
	cmd.Dir = s.Home
	s.Own(cmd)
	return cmd
}

// Own makes cmd run as the session's user (a no-op when that is the caller).
func (s *Session) Own(cmd *exec.Cmd) {
	if s.cred == nil {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = s.cred
}

// busConfig is the session bus's configuration: a session bus like
// dbus-run-session's, that also lets the harness (root) in.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func (s *Session) startBus() error {
	sock := filepath.Join(s.RuntimeDir, "bus")
	conf := filepath.Join(s.Dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, sock)), 0o644); err != nil {
		return err
	}
	cmd, err := s.startLogged("dbus", "dbus-daemon", "--nofork", "--nosyslog", "--config-file="+conf)
	if err != nil {
		return err
	}
	s.BusAddress = "unix:path=" + sock
	return s.waitFor("the session bus", cmd, func() bool {
		conn, err := dbus.Connect(s.BusAddress)
		if err != nil {
			return false
		}
		conn.Close()
		return true
	})
}

// startKeyring creates and unlocks the user's `login` keyring with a random
// password (gnome-keyring-daemon --unlock, as PAM does at a graphical login).
func (s *Session) startKeyring() error {
	var pw [12]byte
	if _, err := rand.Read(pw[:]); err != nil {
		return err
	}
	cmd := s.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
	cmd.Stdin = strings.NewReader(hex.EncodeToString(pw[:]))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("gnome-keyring-daemon --unlock: %v: %s", err, bytes.TrimSpace(out))
	}
	conn, err := dbus.Connect(s.BusAddress)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(startTimeout)
	for {
		var has bool
		if conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&has) == nil && has {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gnome-keyring-daemon did not provide org.freedesktop.secrets on the session's bus within %v", startTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// swayConfig: one 1280×800 output, Xwayland started at once, and the
// session's Wayland and X display names written to a file (sway gives them
// only to its own children).
const swayConfig = `output HEADLESS-1 resolution 1280x800
xwayland enable
exec sh -c 'printf "%%s\n%%s\n" "$WAYLAND_DISPLAY" "$DISPLAY" >%[1]s.tmp && mv %[1]s.tmp %[1]s'
`

func (s *Session) startSway() error {
	conf := filepath.Join(s.Dir, "sway.conf")
	names := filepath.Join(s.Dir, "displays")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(swayConfig, names)), 0o644); err != nil {
		return err
	}
	// The folder the exec line writes to must be the user's.
	if err := os.Chown(s.Dir, s.uid, s.gid); err != nil {
		return err
	}
	cmd, err := s.startLogged("sway", "env", "WLR_BACKENDS=headless", "WLR_RENDERER=pixman", "WLR_LIBINPUT_NO_DEVICES=1",
		"sway", "-c", conf)
	if err != nil {
		return err
	}
	if _, err := s.takeDisplays("sway", cmd, names); err != nil {
		return err
	}
	return s.waitFor("Xwayland", cmd, func() bool { return xListens(s.Display) })
}

// takeDisplays waits for the compositor's started program to write names
// (the Wayland display, the X display, then anything else, a line each),
// sets WaylandDisplay and Display from it and returns the further lines.
func (s *Session) takeDisplays(compositor string, cmd *part, names string) ([]string, error) {
	if err := s.waitFor(compositor+"'s display names", cmd, func() bool {
		_, err := os.Stat(names)
		return err == nil
	}); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(names)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) < 2 || lines[0] == "" || lines[1] == "" {
		return nil, fmt.Errorf("%s gave no Wayland or X display (%q); is xwayland installed?", compositor, b)
	}
	s.WaylandDisplay, s.Display = lines[0], lines[1]
	if !filepath.IsAbs(s.WaylandDisplay) {
		s.WaylandDisplay = filepath.Join(s.RuntimeDir, s.WaylandDisplay)
	}
	return lines[2:], nil
}

// startMutter starts GNOME's compositor headless with one virtual monitor.
// It makes its Wayland socket and Xwayland's X display and authority file
// itself, and names the public X display in its log.
func (s *Session) startMutter() error {
	cmd, err := s.startLogged("mutter", "mutter", "--headless", "--wayland", "--virtual-monitor", "1280x800")
	if err != nil {
		return err
	}
	public := regexp.MustCompile(`Using public X11 display :([0-9]+)`)
	return s.waitFor("mutter's Wayland socket and Xwayland", cmd, func() bool {
		if _, err := os.Stat(filepath.Join(s.RuntimeDir, "wayland-0")); err != nil {
			return false
		}
		auth, _ := filepath.Glob(filepath.Join(s.RuntimeDir, ".mutter-Xwaylandauth.*"))
		m := public.FindStringSubmatch(cmd.output())
		if len(auth) != 1 || m == nil {
			return false
		}
		if !xListens(":" + m[1]) {
			return false
		}
		s.WaylandDisplay = filepath.Join(s.RuntimeDir, "wayland-0")
		s.Display = ":" + m[1]
		s.XAuthority = auth[0]
		return true
	})
}

// kwinStarted is the program KWin starts once it is up: it records the
// Wayland and X displays and Xwayland's authority file, as sway's exec line
// does.
const kwinStarted = `#!/bin/sh
printf '%%s\n%%s\n%%s\n' "$WAYLAND_DISPLAY" "$DISPLAY" "$XAUTHORITY" >%[1]s.tmp && mv %[1]s.tmp %[1]s
`

// startKWin starts KDE's compositor on its virtual backend (software
// rendering) with Xwayland. kwin_wayland is run from a copy: Debian gives it
// a file capability (cap_sys_resource), and a container that cannot grant
// one refuses to run it ("operation not permitted"); the copy has none.
func (s *Session) startKWin() error {
	bin, err := exec.LookPath(string(KWin))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	kwin := filepath.Join(s.Dir, "kwin_wayland")
	script := filepath.Join(s.Dir, "kwin-started.sh")
	names := filepath.Join(s.Dir, "displays")
	if err := os.WriteFile(kwin, data, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(script, []byte(fmt.Sprintf(kwinStarted, names)), 0o755); err != nil {
		return err
	}
	if err := os.Chown(s.Dir, s.uid, s.gid); err != nil { // the script writes there
		return err
	}
	cmd, err := s.startLogged("kwin", "env", "KWIN_COMPOSE=Q", kwin, "--virtual", "--xwayland",
		"--socket", "wayland-0", "--width", "1280", "--height", "800", script)
	if err != nil {
		return err
	}
	rest, err := s.takeDisplays("KWin", cmd, names)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		s.XAuthority = rest[0]
	}
	return s.waitFor("Xwayland", cmd, func() bool { return xListens(s.Display) })
}

// xListens reports whether an X server accepts connections on display
// (":N") at its socket in /tmp/.X11-unix. A file left there by a server that
// was killed refuses them.
func xListens(display string) bool {
	c, err := net.Dial("unix", "/tmp/.X11-unix/X"+strings.TrimPrefix(display, ":"))
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// part is a long-running program of the session (the bus, the compositor).
type part struct {
	label string
	log   string
	cmd   *exec.Cmd
	done  chan struct{} // closed when it has exited
}

// startLogged starts a long-running part of the session as the user, its
// output in Dir/<label>.log, and stops it at Close.
func (s *Session) startLogged(label, name string, args ...string) (*part, error) {
	p := &part{label: label, log: filepath.Join(s.Dir, label+".log"), done: make(chan struct{})}
	log, err := os.Create(p.log)
	if err != nil {
		return nil, err
	}
	p.cmd = s.Command(name, args...)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	err = p.cmd.Start()
	log.Close()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	s.parts = append(s.parts, p)
	return p, nil
}

// waitFor polls ready until it holds, the part exits, or startTimeout passes.
func (s *Session) waitFor(what string, p *part, ready func() bool) error {
	deadline := time.Now().Add(startTimeout)
	for !ready() {
		select {
		case <-p.done:
			return fmt.Errorf("%s: %s exited: %s", what, p.label, p.output())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not ready within %v: %s", what, startTimeout, p.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// output is the end of what the part wrote, for failure messages.
func (p *part) output() string {
	b, _ := os.ReadFile(p.log)
	b = bytes.TrimSpace(b)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Close ends every program of the session — the compositor, the keyring,
// the bus, and whatever they or the caller started in it (Xwayland,
// wl-copy's servers, Keytray) — and removes its files. Programs are known by
// the session's XDG_RUNTIME_DIR in their environment, which each inherits
// and no program outside the session has. Safe to call more than once.
func (s *Session) Close() error {
	if s.Dir == "" {
		return nil
	}
	mine := func(runtimeDir string) bool { return runtimeDir == s.RuntimeDir }
	signalAll(mine, syscall.SIGTERM)
	deadline := time.Now().Add(5 * time.Second)
	for len(signalAll(mine, 0)) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	signalAll(mine, syscall.SIGKILL)
	for _, p := range s.parts {
		_ = p.cmd.Process.Kill() // the bus or sway, if its environment was unreadable
		<-p.done
	}
	s.parts = nil
	err := os.RemoveAll(s.Dir)
	s.Dir = ""
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// signalAll sends sig to every process whose environment's
// XDG_RUNTIME_DIR satisfies match (sig 0: none, only listing them) and
// returns their ids. Zombies, which have no environment left, are not
// counted.
func signalAll(match func(runtimeDir string) bool, sig syscall.Signal) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue
		}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if v, ok := bytes.CutPrefix(kv, []byte("XDG_RUNTIME_DIR=")); ok && match(string(v)) {
				pids = append(pids, pid)
				if sig != 0 {
					_ = syscall.Kill(pid, sig)
				}
				break
			}
		}
	}
	return pids
}

// sweepAbandoned ends what earlier sessions left running when their
// harness was killed before Close (a test timeout, say): processes whose
// session folder is gone.
func sweepAbandoned() {
	signalAll(func(runtimeDir string) bool {
		if filepath.Base(runtimeDir) != "run" || !strings.HasPrefix(filepath.Base(filepath.Dir(runtimeDir)), sessionPrefix) {
			return false
		}
		_, err := os.Stat(runtimeDir)
		return errors.Is(err, fs.ErrNotExist)
	}, syscall.SIGKILL)
}
