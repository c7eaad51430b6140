package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Tree size for the scan measurement: source-like files in nested folders.
const (
	scanDirs  = 200
	scanFiles = 5000
)

// The two patterns ripgrep searches for: what `keytray scan` finds.
var rgPatterns = []string{`sk-[0-9a-f]{32}`, `eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`}

// scanTree: `keytray scan` over a generated tree of thousands of files
// against ripgrep searching the same tree for the same two patterns (both
// respecting the tree's .gitignore and reading hidden files such as .env).
// Keytray's profile is empty, so no finding sends anything anywhere.
func (b *bench) scanTree() error {
	if _, err := exec.LookPath("rg"); err != nil {
		return fmt.Errorf("rg is missing (scripts/deps.sh test installs ripgrep)")
	}
	tree := filepath.Join(b.tmp, "scan-tree")
	found, err := writeScanTree(tree)
	if err != nil {
		return err
	}
	empty, err := newProfile(b.tmp, "scan-profile")
	if err != nil {
		return err
	}
	rgArgs := []string{"--hidden", "--no-require-git", "-n"}
	for _, p := range rgPatterns {
		rgArgs = append(rgArgs, "-e", p)
	}
	rgArgs = append(rgArgs, tree)
	jobs := []job{
		{"rg", func() *exec.Cmd { return exec.Command("rg", rgArgs...) }, wantLines(found)},
		{"keytray scan", func() *exec.Cmd { return empty.command(b.headless, "scan", tree) }, wantLines(found)},
	}
	t, err := interleaveStatus(2, max(5, b.runs/2), jobs, []int{0, 1}) // scan: 1 = secrets found
	if err != nil {
		return err
	}
	g := fmt.Sprintf("`keytray scan` over %d files in %d folders vs ripgrep, same patterns (median)", scanFiles, scanDirs)
	b.rows = append(b.rows, timeRow(g, "`keytray scan` (headless build) vs `rg`", median(t[1]), median(t[0]), "rg", 2))
	return nil
}

// writeScanTree makes the tree and returns how many lines hold a secret.
func writeScanTree(root string) (int, error) {
	rng := rand.New(rand.NewPCG(14, 14))
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"id": "3f0c2d3e-bench-user", "exp": time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
	}).SignedString([]byte("bench secret"))
	if err != nil {
		return 0, err
	}
	words := strings.Fields("func return if else for range err nil value config server client request " +
		"response token header model prompt stream context timeout retry import from def class self")
	line := func() string {
		var s strings.Builder
		s.WriteString(strings.Repeat("\t", rng.IntN(3)))
		for range 4 + rng.IntN(8) {
			s.WriteString(words[rng.IntN(len(words))])
			s.WriteByte(' ')
		}
		return s.String()
	}
	found := 0
	if err := os.MkdirAll(root, 0o755); err != nil {
		return 0, err
	}
	// Ignored folders hold secrets too: both must skip them.
	if err := os.WriteFile(filepath.Join(root, ".gitignore"), []byte("build/\n*.log\n"), 0o644); err != nil {
		return 0, err
	}
	for i := range scanFiles {
		dir := filepath.Join(root, fmt.Sprintf("pkg%03d", i%scanDirs), fmt.Sprintf("sub%d", i%7))
		name := fmt.Sprintf("file%05d.py", i)
		switch i % 250 {
		case 1:
			name = ".env"
		case 2:
			dir = filepath.Join(root, "build", fmt.Sprint(i))
		case 3:
			name = fmt.Sprintf("run%05d.log", i)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return 0, err
		}
		var s strings.Builder
		for range 40 + rng.IntN(120) {
			s.WriteString(line())
			s.WriteByte('\n')
		}
		counted := !strings.Contains(dir, "build") && !strings.HasSuffix(name, ".log")
		switch i % 50 {
		case 1, 2, 3:
			fmt.Fprintf(&s, "OPENAI_API_KEY=%s\n", tok)
			if counted {
				found++
			}
		case 7:
			fmt.Fprintf(&s, "api_key = \"sk-%032x\"\n", rng.Uint64())
			if counted {
				found++
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s.String()), 0o644); err != nil {
			return 0, err
		}
	}
	return found, nil
}
