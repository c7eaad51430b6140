package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/keytray/keytray/internal/errtext"
)

// maxSecret caps what is read from stdin or a file for one secret: a key or a
// JWT is well under 8 KiB; the cap only stops a mistaken `< bigfile`.
const maxSecret = 1 << 20

// isTerminal reports whether f (a stream given to Main) is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// secretSource says where one secret comes from and how to explain its absence.
type secretSource struct {
	what     string // "password", "API key", "session token"
	fromFlag bool   // --password-stdin / --key-stdin / --token-stdin was given
	flag     string // that flag's name, for the usage message
	prompt   string // shown on stderr before a no-echo read
}

// readSecret reads a secret from stdin when asked to (or when stdin is a
// terminal, with a no-echo prompt). It never reads flags or the environment.
func (c *cli) readSecret(src secretSource) (string, error) {
	if isTerminal(c.stdin) {
		// Even with the -stdin flag: reading a terminal "to EOF" would echo
		// the secret, so a terminal always gets the no-echo prompt.
		return c.promptSecret(src.prompt)
	}
	if !src.fromFlag {
		return "", usagef("no %s: stdin is not a terminal, so Keytray cannot ask for it. Pipe it in and add %s.", src.what, src.flag)
	}
	secret, err := readAllTrimmed(c.stdin)
	if err != nil {
		return "", fmt.Errorf("reading the %s from stdin: %w", src.what, err)
	}
	if secret == "" {
		return "", usagef("%s was given, but stdin was empty.", src.flag)
	}
	return secret, nil
}

// promptSecret asks on stderr and reads one line from the terminal on stdin
// without echo.
func (c *cli) promptSecret(prompt string) (string, error) {
	f := c.stdin.(*os.File) // isTerminal said so
	fmt.Fprint(c.stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("reading from the terminal: %w", err)
	}
	// Not trimmed: a password may begin or end with a space.
	s := string(b)
	if s == "" {
		return "", usagef("nothing was entered.")
	}
	return s, nil
}

// readAllTrimmed reads r to the end (capped) and drops one trailing newline.
func readAllTrimmed(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSecret+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxSecret {
		return "", errtext.ErrInputTooLong
	}
	s := string(b)
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, nil
}

// readSecretFile reads a passphrase file: one trailing newline dropped.
func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", errtext.WithPath(fmt.Errorf("opening passphrase file: %w", err), path)
	}
	defer f.Close()
	s, err := readAllTrimmed(f)
	if err != nil {
		return "", errtext.WithPath(fmt.Errorf("reading passphrase file: %w", err), path)
	}
	return s, nil
}

// clipboardTool is one program that prints the clipboard.
type clipboardTool struct {
	name string
	args []string
}

// clipboardTools lists what may print the clipboard here, best first.
func clipboardTools(goos string, wayland bool) []clipboardTool {
	switch goos {
	case "darwin":
		return []clipboardTool{{"pbpaste", nil}}
	case "windows":
		return []clipboardTool{{"powershell.exe", []string{"-NoProfile", "-NonInteractive", "-Command", "Get-Clipboard -Raw"}}}
	}
	x11 := []clipboardTool{
		{"xclip", []string{"-o", "-selection", "clipboard"}},
		{"xsel", []string{"--clipboard", "--output"}},
	}
	wl := clipboardTool{"wl-paste", []string{"--no-newline"}}
	if wayland {
		return append([]clipboardTool{wl}, x11...)
	}
	return append(x11, wl)
}

// readClipboard returns the clipboard's text by running the first clipboard
// tool found. The text is returned, never printed or logged.
func readClipboard(ctx context.Context) (string, error) {
	for _, tool := range clipboardTools(runtime.GOOS, os.Getenv("WAYLAND_DISPLAY") != "") {
		path, err := exec.LookPath(tool.name)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, path, tool.args...)
		cmd.Stdout = &out
		// The tool's own messages ("target STRING not available") say
		// nothing secret, but they are not ours to print either.
		cmd.Stderr = io.Discard
		if err := cmd.Run(); err != nil {
			return "", &errtext.ClipboardError{Tool: tool.name, Err: err}
		}
		return strings.TrimSpace(out.String()), nil
	}
	return "", errtext.ErrNoClipboardTool
}
