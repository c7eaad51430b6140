package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// mapWatch reports top-level windows as the X server maps them: xev selects
// SubstructureNotify on the root window and prints a MapNotify for every
// child mapped. Being told by the server is both more exact and cheaper than
// polling `xdotool search` while the app under test starts.
type mapWatch struct {
	cmd    *exec.Cmd
	mapped chan string // window ids (non-override-redirect only)
}

func startMapWatch() (*mapWatch, error) {
	// stdbuf: xev writes through stdio, which a pipe would block-buffer.
	cmd := exec.Command("stdbuf", "-oL", "xev", "-root", "-event", "substructure")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting xev: %w", err)
	}
	w := &mapWatch{cmd: cmd, mapped: make(chan string, 64)}
	go func() {
		sc := bufio.NewScanner(out)
		inMap := false
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(line, "MapNotify event"):
				inMap = true
			case inMap && strings.Contains(line, "override"):
				inMap = false
				// "event 0x2a7, window 0x400026, override NO"
				if strings.HasSuffix(line, "override NO") {
					id := ""
					if _, after, ok := strings.Cut(line, "window "); ok {
						id, _, _ = strings.Cut(after, ",")
					}
					select {
					case w.mapped <- id:
					default:
					}
				}
			}
		}
	}()
	return w, nil
}

// drain forgets windows mapped so far.
func (w *mapWatch) drain() {
	for {
		select {
		case <-w.mapped:
		default:
			return
		}
	}
}

// wait returns when a window is mapped after a.start, with the time since.
func (w *mapWatch) wait(a *app, timeout time.Duration) (time.Duration, error) {
	deadline := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-w.mapped:
			return time.Since(a.start), nil
		case <-tick.C:
			if err := a.exited(); err != nil {
				return 0, err
			}
		case <-deadline:
			return 0, fmt.Errorf("%s: no window mapped within %v\n%s", a.label, timeout, a.errb.String())
		}
	}
}

func (w *mapWatch) stop() {
	_ = syscall.Kill(-w.cmd.Process.Pid, syscall.SIGTERM)
	_ = w.cmd.Wait()
}
