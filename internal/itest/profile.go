//go:build integration

package itest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// KeyringService is the Secret Service "service" attribute of every item
// Keytray stores (the storage contract).
const KeyringService = "keytray"

// Profile is one fresh Keytray user: its own config, data, cache and home
// folders under t.TempDir(), so each test starts with no index and no
// settings. The keyring is shared by the whole session, so entry names must
// be unique per test: use Name, or Track names made another way; Cleanup
// removes those keyring items when the test ends.
type Profile struct {
	Dir       string   // root of the profile's folders
	Home      string   // $HOME for child processes
	ConfigDir string   // $XDG_CONFIG_HOME; the index lives in ConfigDir/keytray
	DataDir   string   // $XDG_DATA_HOME
	CacheDir  string   // $XDG_CACHE_HOME
	StateDir  string   // $XDG_STATE_HOME
	Env       []string // environment for child processes; append to add more
	Bin       string   // binary that Run and Start execute; $KEYTRAY_BIN when empty

	own     func(*exec.Cmd) // runs a command as the profile's user (UserSession); nil: as the test
	id      string
	mu      sync.Mutex
	tracked []string
}

// NewProfile makes a fresh profile. It skips the test outside
// scripts/testenv.sh; Run and Start skip it when there is no binary to run
// (neither p.Bin nor $KEYTRAY_BIN).
func NewProfile(t testing.TB) *Profile {
	t.Helper()
	RequireSession(t)
	requireTool(t, "secret-tool")
	return newProfile(t, t.TempDir(), os.Environ(), nil)
}

// newProfile makes a profile in root, its environment base with the
// profile's folders, its commands run through own (when not nil).
func newProfile(t testing.TB, root string, base []string, own func(*exec.Cmd)) *Profile {
	t.Helper()
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	p := &Profile{
		Dir:       root,
		Home:      filepath.Join(root, "home"),
		ConfigDir: filepath.Join(root, "config"),
		DataDir:   filepath.Join(root, "data"),
		CacheDir:  filepath.Join(root, "cache"),
		StateDir:  filepath.Join(root, "state"),
		own:       own,
		id:        hex.EncodeToString(b[:]),
	}
	for _, d := range []string{p.Home, p.ConfigDir, p.DataDir, p.CacheDir, p.StateDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	override := map[string]string{
		"HOME":            p.Home,
		"XDG_CONFIG_HOME": p.ConfigDir,
		"XDG_DATA_HOME":   p.DataDir,
		"XDG_CACHE_HOME":  p.CacheDir,
		"XDG_STATE_HOME":  p.StateDir,
	}
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := override[k]; ok || strings.HasPrefix(k, "OPENAI_") {
			continue // OPENAI_* would leak into `keytray exec` checks
		}
		p.Env = append(p.Env, kv)
	}
	for k, v := range override {
		p.Env = append(p.Env, k+"="+v)
	}
	t.Cleanup(p.Cleanup)
	return p
}

// Name returns base made unique to this profile (base-<6 hex digits>) and
// tracks it, so the keyring item of that name is removed at Cleanup.
func (p *Profile) Name(base string) string {
	n := base + "-" + p.id
	p.Track(n)
	return n
}

// Track marks a keyring entry name (the item's username attribute) for
// removal at Cleanup, e.g. a default name such as alice@127.0.0.1.
func (p *Profile) Track(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tracked = append(p.tracked, name)
}

// Cleanup removes the keyring items of every tracked name. It runs by itself
// when the test ends, and may be called earlier; it is idempotent.
func (p *Profile) Cleanup() {
	p.mu.Lock()
	names := p.tracked
	p.tracked = nil
	p.mu.Unlock()
	for _, n := range names {
		// Errors are ignored on purpose: the item may never have been made.
		_ = p.command(context.Background(), "secret-tool", "clear", "service", KeyringService, "username", n).Run()
	}
}

// command runs name in this profile: its environment and folder, as its
// user.
func (p *Profile) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = p.Env
	cmd.Dir = p.Dir
	if p.own != nil {
		p.own(cmd)
	}
	return cmd
}

func (p *Profile) bin(t testing.TB) string {
	t.Helper()
	if p.Bin == "" {
		p.Bin = Bin(t)
	}
	return p.Bin
}

// Run runs the binary with args in this profile, feeding it stdin, and
// returns what it wrote and its exit status. It fails the test if the binary
// cannot start or runs longer than RunTimeout. Nothing is logged: stdout may
// hold a key.
func (p *Profile) Run(t testing.TB, stdin string, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), RunTimeout)
	defer cancel()
	cmd := p.command(ctx, p.bin(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 2 * time.Second // children keeping the pipes open
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("keytray %s: still running after %v; stderr:\n%s", strings.Join(args, " "), RunTimeout, errb.String())
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		exit = exitErr.ExitCode()
	default:
		t.Fatalf("keytray %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), exit
}

// Proc is a long-running keytray (the desktop app) started by Profile.Start.
type Proc struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	errb   *syncBuffer
	done   chan struct{}
	status int
}

// Start starts the binary with args in this profile and returns at once. The
// process is stopped when the test ends if it is still running.
func (p *Profile) Start(t testing.TB, args ...string) *Proc {
	t.Helper()
	cmd := p.command(context.Background(), p.bin(t), args...)
	pr := &Proc{cmd: cmd, out: newSyncBuffer(), errb: newSyncBuffer(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = pr.out, pr.errb
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting keytray: %v", err)
	}
	go func() {
		err := cmd.Wait()
		pr.status = 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			pr.status = exitErr.ExitCode() // -1 when killed by a signal
		} else if err != nil {
			pr.status = -1
		}
		pr.out.close()
		pr.errb.close()
		close(pr.done)
	}()
	t.Cleanup(func() { pr.Stop(t) })
	return pr
}

// PID is the process id (the tray's bus name is org.kde.StatusNotifierItem-<PID>-1).
func (pr *Proc) PID() int { return pr.cmd.Process.Pid }

// Stdout returns what the process has written to stdout so far.
func (pr *Proc) Stdout() string { return pr.out.String() }

// Stderr returns what the process has written to stderr so far.
func (pr *Proc) Stderr() string { return pr.errb.String() }

// Done is closed when the process has exited.
func (pr *Proc) Done() <-chan struct{} { return pr.done }

// Wait waits up to WaitTimeout for the process to exit by itself (after Quit,
// say) and returns its exit status; it fails the test if it does not exit.
func (pr *Proc) Wait(t testing.TB) int {
	t.Helper()
	select {
	case <-pr.done:
		return pr.status
	case <-time.After(WaitTimeout):
		t.Fatalf("keytray (pid %d) did not exit within %v; stderr:\n%s", pr.PID(), WaitTimeout, pr.Stderr())
		return 0
	}
}

// Stop ends the process: SIGTERM, then SIGKILL if it has not exited after 5 s.
// It returns the exit status (-1 when ended by a signal). Safe to call twice.
func (pr *Proc) Stop(t testing.TB) int {
	t.Helper()
	select {
	case <-pr.done:
		return pr.status
	default:
	}
	_ = pr.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-pr.done:
	case <-time.After(5 * time.Second):
		_ = pr.cmd.Process.Kill()
		<-pr.done
	}
	return pr.status
}

// WaitStderr waits until the process's stderr contains substr and fails the
// test if it does not within WaitTimeout (or the process exits first).
func (pr *Proc) WaitStderr(t testing.TB, substr string) {
	t.Helper()
	if !pr.errb.waitFor(substr) {
		t.Fatalf("keytray (pid %d) stderr never contained %q; it was:\n%s", pr.PID(), substr, pr.Stderr())
	}
}

// syncBuffer is an output buffer that can be read while a process writes to
// it, and waited on for some text without polling.
type syncBuffer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    bytes.Buffer
	closed bool
}

func newSyncBuffer() *syncBuffer {
	b := &syncBuffer{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer b.cond.Broadcast()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.cond.Broadcast()
}

// waitFor reports whether the buffer came to contain s within WaitTimeout.
func (b *syncBuffer) waitFor(s string) bool {
	found := false
	waitCond(&b.mu, b.cond, func() bool {
		found = strings.Contains(b.buf.String(), s)
		return found || b.closed
	})
	return found
}
