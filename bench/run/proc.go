package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It
// is 100 on every Linux architecture Go supports (it is part of the ABI).
const clockTicks = 100

// job is one command of an interleaved measurement.
type job struct {
	label string
	cmd   func() *exec.Cmd
	// check looks at the first run's stdout (a wrong answer makes the
	// timing meaningless); nil accepts anything.
	check func(stdout []byte) error
	// prepare runs before each run, untimed (nil: nothing to prepare).
	prepare func() error
}

// interleave runs the jobs round-robin (A, B, C, A, B, C, …): warm rounds
// first, not counted, then runs counted ones. It returns the wall times per
// job. A failing command stops the benchmark: its time would mean nothing.
func interleave(warm, runs int, jobs []job) ([][]time.Duration, error) {
	return interleaveStatus(warm, runs, jobs, nil)
}

// interleaveStatus is interleave where job i succeeds with exit status
// status[i] (0 for jobs past the end of status): `keytray scan` exits 1
// when it finds something.
func interleaveStatus(warm, runs int, jobs []job, status []int) ([][]time.Duration, error) {
	want := func(i int) int {
		if i < len(status) {
			return status[i]
		}
		return 0
	}
	times := make([][]time.Duration, len(jobs))
	for round := 0; round < warm+runs; round++ {
		for i, j := range jobs {
			if j.prepare != nil {
				if err := j.prepare(); err != nil {
					return nil, fmt.Errorf("%s: preparing: %v", j.label, err)
				}
			}
			cmd := j.cmd()
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			if err != nil && cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == want(i) {
				err = nil
			}
			if err == nil && want(i) != 0 && cmd.ProcessState.ExitCode() != want(i) {
				err = fmt.Errorf("exit status %d, want %d", cmd.ProcessState.ExitCode(), want(i))
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %v\n%s", j.label, err, strings.TrimSpace(errb.String()))
			}
			if round == 0 && j.check != nil {
				if err := j.check(out.Bytes()); err != nil {
					return nil, fmt.Errorf("%s: %w", j.label, err)
				}
			}
			if round >= warm {
				times[i] = append(times[i], d)
			}
		}
	}
	return times, nil
}

// median of xs (which it sorts): durations and RSS figures alike.
func median[T ~int64 | ~float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// rssMB is VmRSS of pid in MB (10^6 bytes).
func rssMB(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "123456 kB"
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmRSS line %q", line)
			}
			kb, err := strconv.ParseFloat(f[0], 64)
			if err != nil {
				return 0, err
			}
			return kb * 1024 / 1e6, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// cpuTicks is utime+stime of pid (all its threads), in clock ticks.
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// fields are counted after its closing parenthesis.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad times in /proc/%d/stat", pid)
	}
	return utime + stime, nil
}

// app is a long-running GUI process under measurement.
type app struct {
	label string
	cmd   *exec.Cmd
	start time.Time
	errb  bytes.Buffer
	done  chan struct{}
}

func startApp(label string, cmd *exec.Cmd) (*app, error) {
	a := &app{label: label, cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = &a.errb
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true // its children go with it
	a.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	go func() { _ = cmd.Wait(); close(a.done) }()
	return a, nil
}

func (a *app) pid() int { return a.cmd.Process.Pid }

// exited reports an early exit with what the process said.
func (a *app) exited() error {
	select {
	case <-a.done:
		return fmt.Errorf("%s exited early: %s\n%s", a.label, a.cmd.ProcessState, strings.TrimSpace(a.errb.String()))
	default:
		return nil
	}
}

// stop ends the process (SIGTERM, then SIGKILL after 5 s) and waits for it.
func (a *app) stop() {
	select {
	case <-a.done:
		return
	default:
	}
	_ = syscall.Kill(-a.pid(), syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-a.pid(), syscall.SIGKILL)
		<-a.done
	}
}
