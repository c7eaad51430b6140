package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/keytray/keytray/keys/vault"
)

// wantKey accepts stdout that is exactly key (give or take a final newline).
func wantKey(key string) func([]byte) error {
	return func(out []byte) error {
		if string(bytes.TrimRight(out, "\n")) != key {
			return fmt.Errorf("printed something other than the stored key (%d bytes)", len(out))
		}
		return nil
	}
}

// wantLines accepts stdout of n lines.
func wantLines(n int) func([]byte) error {
	return func(out []byte) error {
		if got := bytes.Count(out, []byte("\n")); got != n {
			return fmt.Errorf("printed %d lines, want %d", got, n)
		}
		return nil
	}
}

// getFloors: `keytray get` against two floors reading the same item, while
// the keyring holds that one item.
func (b *bench) getFloors() error {
	key := benchKey(b.oneName)
	jobs := []job{
		{"secret-tool lookup", func() *exec.Cmd {
			return b.one.command("secret-tool", "lookup", "service", "keytray", "username", b.oneName)
		}, wantKey(key), nil},
		{"floor-keyring", func() *exec.Cmd { return b.one.command(b.floorKeyring, b.oneName) }, wantKey(key), nil},
		{"keytray get (headless)", func() *exec.Cmd { return b.one.command(b.headless, "get", b.oneName) }, wantKey(key), nil},
		{"keytray get (desktop)", func() *exec.Cmd { return b.one.command(b.desktop, "get", b.oneName) }, wantKey(key), nil},
	}
	t, err := interleave(3, b.runs, jobs)
	if err != nil {
		return err
	}
	st, fk, hl, dt := median(t[0]), median(t[1]), median(t[2]), median(t[3])
	g := "`keytray get NAME` (median of " + fmt.Sprint(b.runs) + " interleaved runs)"
	b.rows = append(b.rows,
		timeRow(g, "headless build vs go-keyring floor", hl, fk, "floor-keyring", 1.2),
		timeRow(g, "desktop build vs `secret-tool lookup`", dt, st, "secret-tool", 1.0),
		timeRow(g, "desktop build vs go-keyring floor (cost of linking Fyne)", dt, fk, "floor-keyring", 0),
		timeRow(g, "go-keyring floor vs `secret-tool lookup`", fk, st, "secret-tool", 0),
	)
	return nil
}

// scale: list and get with 1,000 keys across 50 servers against one key.
func (b *bench) scale() error {
	t0 := time.Now()
	names, err := seed(b.many, "many", 1000, 50)
	if err != nil {
		return err
	}
	b.manyNames = names
	b.notes = append(b.notes, fmt.Sprintf("Seeding 1,000 keys across 50 servers (in process, one index write, 1,000 keyring writes) took %.1f s.", time.Since(t0).Seconds()))
	pick := names[len(names)/2]
	jobs := []job{
		{"list, 1 key", func() *exec.Cmd { return b.one.command(b.headless, "list") }, wantLines(2), nil},
		{"list, 1,000 keys", func() *exec.Cmd { return b.many.command(b.headless, "list") }, wantLines(1001), nil},
		{"get, 1 key", func() *exec.Cmd { return b.one.command(b.headless, "get", b.oneName) }, wantKey(benchKey(b.oneName)), nil},
		{"get, 1,000 keys", func() *exec.Cmd { return b.many.command(b.headless, "get", pick) }, wantKey(benchKey(pick)), nil},
	}
	t, err := interleave(2, b.runs, jobs)
	if err != nil {
		return err
	}
	g := "1,000 keys across 50 servers vs 1 key (headless build, median of " + fmt.Sprint(b.runs) + ")"
	b.rows = append(b.rows,
		timeRow(g, "`keytray list`", median(t[1]), median(t[0]), "1 key", 2),
		timeRow(g, "`keytray get NAME`", median(t[3]), median(t[2]), "1 key", 2),
	)
	return nil
}

// backups: export (age, passphrase) and import into an empty profile.
func (b *bench) backups() error {
	pass := filepath.Join(b.tmp, "passphrase")
	// Not a secret: a throwaway passphrase for throwaway keys.
	if err := os.WriteFile(pass, []byte("keytray bench passphrase\n"), 0o600); err != nil {
		return err
	}
	n := 0
	outFile := func() string { n++; return filepath.Join(b.tmp, fmt.Sprintf("backup-%d.age", n)) }
	export := func(p profile) func() *exec.Cmd {
		return func() *exec.Cmd {
			return p.command(b.headless, "export", "--out", outFile(), "--passphrase-file", pass)
		}
	}
	// The files that the imports read, made once.
	oneFile, manyFile := filepath.Join(b.tmp, "one.age"), filepath.Join(b.tmp, "many.age")
	for _, c := range []*exec.Cmd{
		b.one.command(b.headless, "export", "--out", oneFile, "--passphrase-file", pass),
		b.many.command(b.headless, "export", "--out", manyFile, "--passphrase-file", pass),
	} {
		if out, err := c.CombinedOutput(); err != nil {
			return fmt.Errorf("export: %v\n%s", err, out)
		}
	}
	// Each import goes into an empty profile of its own, made beforehand.
	// Three runs: an import of 1,000 keys writes 1,000 keyring items.
	runs := 3
	importInto := func(name, file string) (func() *exec.Cmd, error) {
		ps := make([]profile, runs)
		for i := range ps {
			var err error
			if ps[i], err = newProfile(b.tmp, fmt.Sprintf("import-%s-%d", name, i)); err != nil {
				return nil, err
			}
		}
		next := 0
		return func() *exec.Cmd {
			p := ps[next%runs]
			next++
			return p.command(b.headless, "import", file, "--passphrase-file", pass)
		}, nil
	}
	importOne, err := importInto("one", oneFile)
	if err != nil {
		return err
	}
	importMany, err := importInto("many", manyFile)
	if err != nil {
		return err
	}
	// An import meets a keyring without the backup's items, as on a new
	// computer: the profiles share one keyring, and an item that already
	// holds the backup's key is taken as it is, with no write to measure.
	jobs := []job{
		{"export, 1 key", export(b.one), nil, nil},
		{"export, 1,000 keys", export(b.many), nil, nil},
		{"import, 1 key", importOne, nil, func() error { return deleteItems([]string{b.oneName}) }},
		{"import, 1,000 keys", importMany, nil, func() error { return deleteItems(b.manyNames) }},
	}
	t, err := interleave(0, runs, jobs)
	if err != nil {
		return err
	}
	floor, err := b.keyringWrites()
	if err != nil {
		return err
	}
	g := fmt.Sprintf("Backups: age with a passphrase (scrypt), 1,000 keys vs 1 key (median of %d)", runs)
	b.rows = append(b.rows,
		timeRow(g, "`keytray export` of 1,000 keys", median(t[1]), median(t[0]), "1 key", 0),
		timeRow(g, "`keytray import` of 1,000 keys into an empty profile", median(t[3]), median(t[2]), "1 key", 0),
		timeRow(g, "`keytray import` of 1,000 keys vs the keyring's own writes", median(t[3]), floor, "go-keyring Set ×1,000", 0),
	)
	b.notes = append(b.notes, fmt.Sprintf("Import floor: go-keyring's Set of the same 1,000 items, in one process, took %.1f s. "+
		"Beyond those writes an import does one bulk read of the items it replaces (to put them back if it fails), "+
		"the scrypt of the passphrase and its own start: together about a 1-key import (%.2f s).",
		floor.Seconds(), median(t[2]).Seconds()))
	return nil
}

// keyringWrites is the floor of an import: go-keyring's Set of the same
// 1,000 items, in one process, as the imports above left them (each import
// replaces the items, since every profile shares the keyring service). Once:
// it takes as long as an import.
func (b *bench) keyringWrites() (time.Duration, error) {
	// Into absent items, as the import it is the floor of.
	if err := deleteItems(b.manyNames); err != nil {
		return 0, err
	}
	t0 := time.Now()
	for _, name := range b.manyNames {
		if err := keyring.Set(vault.Service, name, benchKey(name)); err != nil {
			return 0, fmt.Errorf("keyring floor: %w", err)
		}
	}
	return time.Since(t0), nil
}

// window: start to window mapped, and RSS 5 s after start, for the floor and
// Keytray (1 key, 1,000 keys) started one after another in a rotating order.
func (b *bench) window() error {
	var err error
	if b.xmap, err = startMapWatch(); err != nil {
		return err
	}
	type target struct {
		label string
		cmd   func() *exec.Cmd
	}
	targets := []target{
		{"floor-fyne", func() *exec.Cmd { return b.one.command(b.floorFyne) }},
		{"keytray, 1 key", func() *exec.Cmd { return b.one.command(b.desktop) }},
		{"keytray, 1,000 keys", func() *exec.Cmd { return b.many.command(b.desktop) }},
	}
	mapped := make([][]time.Duration, len(targets))
	rss := make([][]float64, len(targets))
	for round := 0; round < b.winRounds+1; round++ { // round 0 warms caches, not counted
		apps := make([]*app, len(targets))
		for k := range targets {
			i := (k + round) % len(targets)
			b.xmap.drain()
			a, err := startApp(targets[i].label, targets[i].cmd())
			if err != nil {
				return err
			}
			apps[i] = a
			d, err := b.xmap.wait(a, 30*time.Second)
			if err != nil {
				stopAll(apps)
				return err
			}
			if round > 0 {
				mapped[i] = append(mapped[i], d)
			}
		}
		for i, a := range apps {
			time.Sleep(time.Until(a.start.Add(5 * time.Second)))
			if err := a.exited(); err != nil {
				stopAll(apps)
				return err
			}
			m, err := rssMB(a.pid())
			if err != nil {
				stopAll(apps)
				return err
			}
			if round > 0 {
				rss[i] = append(rss[i], m)
			}
		}
		stopAll(apps)
	}
	g := fmt.Sprintf("Desktop app vs minimal Fyne window + tray (median of %d rounds)", b.winRounds)
	b.rows = append(b.rows,
		timeRow(g, "start to window mapped, 1 key", median(mapped[1]), median(mapped[0]), "floor-fyne", 1.3),
		memRow(g, "RSS 5 s after start, 1 key", median(rss[1]), median(rss[0]), 1.25),
		timeRow(g, "start to window mapped, 1,000 keys", median(mapped[2]), median(mapped[0]), "floor-fyne", 0),
		memRow(g, "RSS 5 s after start, 1,000 keys", median(rss[2]), median(rss[0]), 0),
	)
	return nil
}

func stopAll(apps []*app) {
	for _, a := range apps {
		if a != nil {
			a.stop()
		}
	}
}

// idleCPU: Keytray (tray only, clipboard guard on, plain text on the
// clipboard) and the floor (tray only), side by side for b.idle.
func (b *bench) idleCPU() error {
	clip := exec.Command("xclip", "-quiet", "-selection", "clipboard")
	clip.Stdin = strings.NewReader("plain text on the clipboard, read by the guard every second")
	owner, err := startApp("xclip", clip)
	if err != nil {
		return err
	}
	defer owner.stop()

	labels := []string{"floor-fyne", "keytray, 1 key", "keytray, 1,000 keys"}
	cmds := []*exec.Cmd{
		b.one.command(b.floorFyne, "-hidden"),
		b.one.command(b.desktop, "--hidden"),
		b.many.command(b.desktop, "--hidden"),
	}
	apps := make([]*app, len(cmds))
	defer stopAll(apps)
	for i, c := range cmds {
		if apps[i], err = startApp(labels[i], c); err != nil {
			return err
		}
		if err := b.sni.waitRegistered(apps[i], 30*time.Second); err != nil {
			return err
		}
	}
	// Let start-up work (Keytray reads the masks of 1,000 keys) finish.
	time.Sleep(5 * time.Second)
	before := make([]int64, len(apps))
	for i, a := range apps {
		if before[i], err = cpuTicks(a.pid()); err != nil {
			return err
		}
	}
	t0 := time.Now()
	time.Sleep(b.idle)
	wall := time.Since(t0).Seconds()
	pct := make([]float64, len(apps))
	for i, a := range apps {
		if err := a.exited(); err != nil {
			return err
		}
		after, err := cpuTicks(a.pid())
		if err != nil {
			return err
		}
		pct[i] = float64(after-before[i]) / clockTicks / wall * 100
	}
	g := fmt.Sprintf("Idle in the tray for %.0f s, side by side (clipboard guard on)", b.idle.Seconds())
	b.rows = append(b.rows,
		cpuRow(g, "CPU, 1 key", pct[1], pct[0], 0.3),
		cpuRow(g, "CPU, 1,000 keys", pct[2], pct[0], 0),
	)
	return nil
}

// deleteItems removes the keyring items of names (absent ones are fine).
func deleteItems(names []string) error {
	for _, name := range names {
		if err := keyring.Delete(vault.Service, name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("deleting %s: %w", name, err)
		}
	}
	return nil
}
