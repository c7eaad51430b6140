package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// row is one line of the table: Keytray's figure, the floor's, and the budget.
type row struct {
	group, what  string
	value, floor float64
	unit         string // "ms", "MB", "%"
	floorName    string
	// limit is the budget: a ratio (value ≤ limit × floor), or with
	// additive, percentage points over the floor. 0 = no budget.
	limit    float64
	additive bool
}

func timeRow(group, what string, v, floor time.Duration, floorName string, limit float64) row {
	return row{group: group, what: what, value: ms(v), floor: ms(floor), unit: "ms", floorName: floorName, limit: limit}
}

func memRow(group, what string, v, floor float64, limit float64) row {
	return row{group: group, what: what, value: v, floor: floor, unit: "MB", floorName: "floor-fyne", limit: limit}
}

func cpuRow(group, what string, v, floor float64, points float64) row {
	return row{group: group, what: what, value: v, floor: floor, unit: "%", floorName: "floor-fyne", limit: points, additive: true}
}

func (r row) ratio() float64 {
	if r.floor == 0 {
		return 0
	}
	return r.value / r.floor
}

func (r row) budget() string {
	switch {
	case r.limit == 0:
		return "—"
	case r.additive:
		return fmt.Sprintf("≤ floor + %.1f pp", r.limit)
	default:
		return fmt.Sprintf("≤ %g×", r.limit)
	}
}

func (r row) verdict() string {
	switch {
	case r.limit == 0:
		return ""
	case r.additive && r.value <= r.floor+r.limit, !r.additive && r.ratio() <= r.limit:
		return "pass"
	default:
		return "**FAIL**"
	}
}

func fmtValue(v float64, unit string) string {
	switch unit {
	case "ms":
		if v >= 1000 {
			return fmt.Sprintf("%.2f s", v/1000)
		}
		if v >= 100 {
			return fmt.Sprintf("%.0f ms", v)
		}
		if v < 1 {
			return fmtNs(v * 1e6) // 1.4 µs, not "0.0 ms"
		}
		return fmt.Sprintf("%.1f ms", v)
	case "MB":
		return fmt.Sprintf("%.0f MB", v)
	case "%":
		return fmt.Sprintf("%.2f %%", v)
	}
	return fmt.Sprint(v)
}

func (r row) ratioText() string {
	if r.additive {
		return fmt.Sprintf("%+.2f pp", r.value-r.floor)
	}
	return fmt.Sprintf("%.2f×", r.ratio())
}

func (b *bench) report() string {
	var w strings.Builder
	fmt.Fprintf(&w, "# Benchmarks\n\n")
	fmt.Fprintf(&w, "Written by `make bench` (bench/run) on %s. Every budget is a ratio against a floor measured in the same run,\n", time.Now().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&w, "on the same machine, with the runs interleaved so that noise falls on both alike; absolute times on a\n")
	fmt.Fprintf(&w, "shared machine say little. Floors: `secret-tool lookup` (libsecret's C client), bench/floor-keyring (go-keyring's\n")
	fmt.Fprintf(&w, "`Get`, printed), bench/floor-fyne (a minimal Fyne window + tray from the same toolchain), or Keytray itself with one key.\n\n")

	fmt.Fprintf(&w, "Machine:\n\n")
	for _, kv := range b.machine() {
		fmt.Fprintf(&w, "- %s: %s\n", kv[0], kv[1])
	}
	fmt.Fprintf(&w, "\n| Measure | Keytray | Floor | | Ratio | Budget | |\n|---|---:|---:|---|---:|---|---|\n")
	group := ""
	for _, r := range b.rows {
		if r.group != group {
			group = r.group
			fmt.Fprintf(&w, "| **%s** | | | | | | |\n", group)
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %s | %s |\n", r.what, fmtValue(r.value, r.unit),
			fmtValue(r.floor, r.unit), r.floorName, r.ratioText(), r.budget(), r.verdict())
	}
	fmt.Fprintf(&w, "\n## Go benchmarks (`go test -bench`, hot paths)\n\n")
	fmt.Fprintf(&w, "| Benchmark | Package | Time/op | B/op | allocs/op |\n|---|---|---:|---:|---:|\n")
	for _, g := range b.goBenches {
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s |\n", g.name, g.pkg, fmtNs(g.nsPerOp), g.bytes, g.allocs)
	}
	if len(b.notes) > 0 {
		fmt.Fprintf(&w, "\n## Notes\n\n")
		for _, n := range b.notes {
			fmt.Fprintf(&w, "- %s\n", n)
		}
	}
	return w.String()
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

// machine describes where the numbers come from.
func (b *bench) machine() [][2]string {
	out := func(name string, args ...string) string {
		o, err := exec.Command(name, args...).Output()
		if err != nil {
			return "unknown (" + err.Error() + ")"
		}
		return strings.TrimSpace(string(o))
	}
	cpu := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return [][2]string{
		{"System", "`" + out("uname", "-a") + "`"},
		{"CPU", fmt.Sprintf("%s, %d logical CPUs", cpu, runtime.NumCPU())},
		{"Go", out("go", "env", "GOVERSION")},
		{"Fyne", out("go", "list", "-m", "-f", "{{.Version}}", "fyne.io/fyne/v2")},
		{"Session", "Xvfb (Mesa software GL), " + firstLine(out("gnome-keyring-daemon", "--version")) + ", private D-Bus session (scripts/testenv.sh)"},
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// goBench is one line of `go test -bench` output.
type goBench struct {
	pkg, name     string
	nsPerOp       float64
	bytes, allocs string
}

// goBenchPkgs hold the benchmarks of the hot paths.
var goBenchPkgs = []string{"./cli", "./keys/credential", "./keys/vault", "./keys/backup", "./app/tray", "./app/clip", "./app"}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(.*)$`)

// goBench runs the Go benchmarks once (-tags ci: Fyne's test driver) and adds
// the window and tray figures with 1,000 keys to the table.
func (b *bench) goBench() error {
	args := append([]string{"test", "-tags", "ci", "-run", "^$", "-bench", ".", "-benchmem"}, goBenchPkgs...)
	cmd := exec.Command("go", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go test -bench: %v\n%s%s", err, out.String(), errb.String())
	}
	pkg := ""
	for _, line := range strings.Split(out.String(), "\n") {
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(p, "github.com/keytray/keytray/")
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		g := goBench{pkg: pkg, name: m[1], nsPerOp: ns}
		f := strings.Fields(m[3])
		for i := 1; i < len(f); i++ {
			switch f[i] {
			case "B/op":
				g.bytes = f[i-1]
			case "allocs/op":
				g.allocs = f[i-1]
			}
		}
		b.goBenches = append(b.goBenches, g)
	}
	find := func(name string) float64 {
		for _, g := range b.goBenches {
			if g.name == name {
				return g.nsPerOp
			}
		}
		return 0
	}
	grp := "Window and tray with 1,000 keys vs 1 key (Go benchmarks, Fyne test driver)"
	nsRow := func(what, name1000, name1 string) row {
		return row{group: grp, what: what, value: find(name1000) / 1e6, floor: find(name1) / 1e6, unit: "ms", floorName: "1 key"}
	}
	b.rows = append(b.rows,
		nsRow("window: build, load and first paint of the list", "BenchmarkWindowFirstPaint/keys=1000", "BenchmarkWindowFirstPaint/keys=1"),
		nsRow("window: apply a search filter and paint", "BenchmarkWindowSearch/keys=1000", "BenchmarkWindowSearch/keys=1"),
		nsRow("tray: rebuild the menu (grouped by server)", "BenchmarkTrayRebuild/keys=1000", "BenchmarkTrayRebuild/keys=1"),
	)
	return nil
}
