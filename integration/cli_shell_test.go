//go:build integration

package integration

// The command line as a shell user meets it: tab completion in a real bash,
// the man pages rendered by man's own formatter, and `config start-at-login`
// making and removing the real login item.

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keytray/keytray/internal/itest"
)

// completeInBash sources `keytray completion bash` in a real bash and asks
// it to complete line (the cursor at its end); it returns what bash offers.
func completeInBash(t *testing.T, p *itest.Profile, env []string, line string) []string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed for the completion test")
	}
	// The script calls `keytray __complete …` through PATH, as it does for users.
	binDir := filepath.Join(p.Dir, "bin")
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := p.Bin
	if bin == "" {
		bin = itest.Bin(t)
	}
	link := filepath.Join(binDir, "keytray")
	if _, err := os.Lstat(link); err != nil {
		if err := os.Symlink(bin, link); err != nil {
			t.Fatal(err)
		}
	}
	script := `set -e
source <(keytray completion bash)
read -r -a COMP_WORDS <<<"$LINE"
case "$LINE" in *" ") COMP_WORDS+=("") ;; esac
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$LINE
COMP_POINT=${#LINE}
__start_keytray keytray "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(slices.Clone(env), "PATH="+binDir+":"+os.Getenv("PATH"), "LINE="+line)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("completing %q in bash: %v\n%s", line, err, out)
	}
	var words []string
	for _, w := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, w)
		}
	}
	return words
}

func TestBashCompletesStoredNamesWithoutTheKeyring(t *testing.T) {
	p := cliProfile(t)
	work, home := p.Name("work"), p.Name("home")
	for _, name := range []string{work, home} {
		if _, stderr, code := p.Run(t, randomKey(t)+"\n", "add", "https://chat.example.com", "--key-stdin", "--no-verify", "--name", name); code != 0 {
			t.Fatalf("add %s: exit %d: %s", name, code, stderr)
		}
	}

	// Completing reads the index only: with no session bus at all (so no
	// keyring could be reached) the names are still offered.
	offline := append(slices.DeleteFunc(slices.Clone(p.Env), func(kv string) bool {
		return strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=")
	}), "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(p.Dir, "no-bus"))

	got := completeInBash(t, p, offline, "keytray get ")
	slices.Sort(got)
	want := []string{home, work}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("keytray get <TAB> offers %q, want %q", got, want)
	}
	if got := completeInBash(t, p, offline, "keytray lis"); !slices.Equal(got, []string{"list"}) {
		t.Errorf("keytray lis<TAB> offers %q", got)
	}
	if got := completeInBash(t, p, offline, "keytray config theme "); !slices.Equal(got, []string{"system", "light", "dark"}) {
		t.Errorf("keytray config theme <TAB> offers %q", got)
	}
	if got := completeInBash(t, p, offline, "keytray export --format "); !slices.Equal(got, []string{"env", "json"}) {
		t.Errorf("keytray export --format <TAB> offers %q", got)
	}
}

func TestManPagesRender(t *testing.T) {
	for _, tool := range []string{"go", "man"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to render the man pages (scripts/deps.sh installs man-db)", tool)
		}
	}
	dir := t.TempDir()
	gen := exec.Command("go", "run", "./cli/mangen", "-out", dir, "-version", "9.9.9")
	gen.Dir = ".."
	gen.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1764547200") // 2025-12-01
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("cli/mangen: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	if len(pages) < 18 {
		t.Fatalf("mangen wrote %d pages, want keytray.1 and one per command: %v", len(pages), pages)
	}
	render := func(page string) string {
		t.Helper()
		cmd := exec.Command("man", "--warnings", "-l", filepath.Join(dir, page))
		cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat", "LC_ALL=C.UTF-8")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("man -l %s: %v\n%s", page, err, out)
		}
		if strings.Contains(string(out), "warning:") {
			t.Errorf("man -l %s warns:\n%s", page, out)
		}
		return string(out)
	}
	get := render("keytray-get.1")
	for _, want := range []string{"keytray-get - print a key alone on stdout", "SYNOPSIS", "keytray get NAME",
		"keytray get work | wl-copy", "Keytray 9.9.9", "Dec 2025", "keytray(1)"} {
		if !strings.Contains(get, want) {
			t.Errorf("man keytray-get has no %q:\n%s", want, get)
		}
	}
	login := render("keytray-login.1")
	for _, want := range []string{"--password-stdin", "<email local part>@<host>"} {
		if !strings.Contains(login, want) {
			t.Errorf("man keytray-login has no %q:\n%s", want, login)
		}
	}
	if root := render("keytray.1"); !strings.Contains(root, "keytray-exec(1)") || !strings.Contains(root, "--hidden") {
		t.Errorf("man keytray does not lead to the commands:\n%s", root)
	}
}

func TestConfigStartAtLoginMakesTheLoginItem(t *testing.T) {
	p := itest.NewProfile(t) // the desktop build: it has an app to start
	entry := filepath.Join(p.ConfigDir, "autostart", "io.github.keytray.desktop")

	if _, stderr, code := p.Run(t, "", "config", "start-at-login", "on"); code != 0 {
		t.Fatalf("config start-at-login on: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(entry)
	if err != nil {
		t.Fatalf("config start-at-login on made no autostart entry: %v", err)
	}
	bin, _ := filepath.Abs(itest.Bin(t))
	if !strings.Contains(string(b), "Exec="+bin+" --hidden") && !strings.Contains(string(b), "Exec=\""+bin+"\" --hidden") {
		t.Errorf("the autostart entry does not start this binary hidden:\n%s", b)
	}
	if out, err := exec.Command("desktop-file-validate", entry).CombinedOutput(); err != nil {
		t.Errorf("desktop-file-validate: %v\n%s", err, out)
	}
	if stdout, _, _ := p.Run(t, "", "config", "start-at-login"); strings.TrimSpace(stdout) != "on" {
		t.Errorf("start-at-login = %q", stdout)
	}

	if _, stderr, code := p.Run(t, "", "config", "start-at-login", "off"); code != 0 {
		t.Fatalf("config start-at-login off: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("config start-at-login off left the autostart entry (%v)", err)
	}

	// The headless build has no desktop app to start: it says so and changes nothing.
	if os.Getenv("KEYTRAY_CLI_BIN") != "" {
		p.Bin = itest.CLIBin(t)
		_, stderr, code := p.Run(t, "", "config", "start-at-login", "on")
		if code != 1 || !strings.Contains(stderr, "headless build") {
			t.Errorf("headless config start-at-login on: exit %d, stderr %q", code, stderr)
		}
		if _, err := os.Stat(entry); !os.IsNotExist(err) {
			t.Errorf("the headless build made an autostart entry (%v)", err)
		}
		if stdout, _, _ := p.Run(t, "", "config", "start-at-login"); strings.TrimSpace(stdout) != "off" {
			t.Errorf("the headless build saved start-at-login = %q", stdout)
		}
	}
}
