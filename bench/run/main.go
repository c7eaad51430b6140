package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 25, "interleaved runs per command-line measurement (median)")
	idle := flag.Duration("idle", 60*time.Second, "how long to measure idle CPU")
	windowRounds := flag.Int("window-rounds", 7, "rounds of start-to-window and RSS measurements (median)")
	out := flag.String("out", "docs/benchmarks.md", "markdown file to write (empty: print only)")
	only := flag.String("only", "", "run only the steps whose name contains this, e.g. \"guard\" (building and seeding always run; the report is printed, not written)")
	flag.Parse()
	if *only != "" {
		*out = ""
	}
	if err := run(*runs, *windowRounds, *idle, *out, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bench holds the binaries, profiles and results of one run.
type bench struct {
	bin string // folder of the built binaries
	tmp string

	desktop, headless, floorKeyring, floorFyne string

	one, many       profile  // 1 key; 1,000 keys across 50 servers
	oneName         string   // the single key's entry name
	manyNames       []string // the 1,000 names
	sni             *sniWatcher
	xmap            *mapWatch
	rows            []row
	goBenches       []goBench
	notes           []string
	runs, winRounds int
	idle            time.Duration
}

func run(runs, winRounds int, idle time.Duration, out, only string) error {
	if os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return errors.New("run me inside scripts/testenv.sh (it needs a private X server, session bus and unlocked keyring): make bench")
	}
	for _, tool := range []string{"secret-tool", "xev", "stdbuf", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is missing (scripts/deps.sh test installs it)", tool)
		}
	}
	tmp, err := os.MkdirTemp("", "keytray-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{bin: filepath.Join(".cache", "bench"), tmp: tmp, runs: runs, winRounds: winRounds, idle: idle}
	began := time.Now()

	steps := []struct {
		what string
		fn   func() error
	}{
		{"building binaries", b.build},
		{"seeding profiles", b.seed},
		{"keytray get against secret-tool and go-keyring", b.getFloors},
		{"list and get with 1,000 keys", b.scale},
		{"export and import", b.backups},
		{"start-up and memory", b.window},
		{"idle CPU", b.idleCPU},
		{"clipboard guard latency on X11", b.guardLatency},
		{"clipboard guard latency on Wayland", b.guardLatencyWayland},
		{"keytray scan against ripgrep", b.scanTree},
		{"Go benchmarks", b.goBench},
	}
	defer func() {
		if b.xmap != nil {
			b.xmap.stop()
		}
		if b.sni != nil {
			b.sni.close()
		}
	}()
	if b.sni, err = startSNIWatcher(os.Getenv("DBUS_SESSION_BUS_ADDRESS")); err != nil {
		return err
	}
	for _, s := range steps {
		if only != "" && s.fn != nil && !strings.Contains(s.what, only) && s.what != "building binaries" && s.what != "seeding profiles" {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s…\n", s.what)
		t0 := time.Now()
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
		fmt.Fprintf(os.Stderr, "bench: %s done in %.1f s\n", s.what, time.Since(t0).Seconds())
	}
	b.notes = append(b.notes, fmt.Sprintf("`make bench` took %.0f s.", time.Since(began).Seconds()))

	report := b.report()
	fmt.Print(report)
	if out != "" {
		if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: written to %s\n", out)
	}
	return nil
}

// build makes every binary once, as users get them: the desktop build as
// `make build` makes it, the headless one as the packaging does.
func (b *bench) build() error {
	b.desktop = filepath.Join(b.bin, "keytray")
	b.headless = filepath.Join(b.bin, "keytray-cli")
	b.floorKeyring = filepath.Join(b.bin, "floor-keyring")
	b.floorFyne = filepath.Join(b.bin, "floor-fyne")
	builds := []struct {
		out  string
		env  []string
		args []string
	}{
		{b.desktop, nil, []string{"."}},
		{b.headless, []string{"CGO_ENABLED=0"}, []string{"-tags", "headless", "."}},
		{b.floorKeyring, nil, []string{"./bench/floor-keyring"}},
		{b.floorFyne, nil, []string{"./bench/floor-fyne"}},
	}
	for _, bd := range builds {
		args := append([]string{"build", "-o", bd.out}, bd.args...)
		cmd := exec.Command("go", args...)
		cmd.Env = append(os.Environ(), bd.env...)
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = os.Stderr, &errb
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %v: %v\n%s", args, err, errb.String())
		}
	}
	return nil
}

func (b *bench) seed() error {
	var err error
	if b.one, err = newProfile(b.tmp, "one"); err != nil {
		return err
	}
	if b.many, err = newProfile(b.tmp, "many"); err != nil {
		return err
	}
	names, err := seed(b.one, "single", 1, 1)
	if err != nil {
		return err
	}
	b.oneName = names[0]
	return nil // the 1,000 keys come after the floors are measured
}
