package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/scan"
)

// scanItem is one element of `keytray scan --json` (documented in doc.go).
type scanItem struct {
	Path     string     `json:"path"`
	Line     int        `json:"line"`
	Column   int        `json:"column"`
	Kind     string     `json:"kind"`
	Masked   string     `json:"masked"`
	Account  string     `json:"account"`
	Server   string     `json:"server"`
	Expires  *time.Time `json:"expires"`
	Expired  bool       `json:"expired"`
	StoredAs string     `json:"stored_as"`
	Fix      string     `json:"fix"`
	Fixed    bool       `json:"fixed"`
	Problem  string     `json:"problem"`
}

func (c *cli) newScanCmd() *cobra.Command {
	var jsonOut, fix, dryRun bool
	cmd := &cobra.Command{
		Use:   "scan [PATH...] [--json] [--fix] [--dry-run]",
		Short: "find session tokens and API keys in files, and replace them with references",
		Long: `Walks each PATH (default: the current folder) and finds Open WebUI session
tokens (JWTs) and sk- API keys pasted into files: scripts, .env and compose
files, notebooks. It respects .gitignore files, and skips VCS folders, binary
files, files over 8 MiB and symbolic links. A secret is never printed: each
finding shows where it is (path:line:column), what it is, the key's mask or
the token's account (matched with the stored accounts, or else asked of the
stored servers the file names, or of each stored server when it names none),
when a token expires or that it has expired, and the
reference that replaces it.

--fix rewrites the files in place: a stored key becomes its reference
(keytray://NAME); a session token becomes the reference of its account's key.
When that key is not stored yet, Keytray uses the token once to read the
account's key (creating one only when there is none) and stores it. A token
that no longer works is reported with what to do instead. Only the secret's
bytes change; each file is replaced atomically and keeps its mode and owner.
With --dry-run (which implies --fix) nothing is written or stored: a unified
diff shows what --fix would change. Then run the files' commands through
` + "`keytray run`" + `, which resolves the references.

Exit status: 0 when nothing was found (or --fix replaced everything found),
1 when a secret is left in a file, 2 on a usage error — so it works as a CI
step or a pre-commit hook. --json prints an array of findings with the fields
path, line, column, kind (api_key|session_token), masked, account, server,
expires (RFC 3339, null when none), expired, stored_as, fix (the reference),
fixed and problem. The format is stable.`,
		Example: `  keytray scan
  keytray scan ~/projects --json
  keytray scan --fix --dry-run
  keytray scan --fix && keytray run --env-file .env -- docker compose up`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(_ *cobra.Command, args []string) error {
			return c.scan(args, jsonOut, fix || dryRun, dryRun)
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (stable fields; never a secret)")
	cmd.Flags().BoolVar(&fix, "fix", false, "replace each secret with its keytray:// reference")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show a unified diff of what --fix would change; write nothing")
	return cmd
}

func (c *cli) scan(roots []string, jsonOut, fix, dryRun bool) error {
	if len(roots) == 0 {
		roots = []string{"."}
	}
	for _, root := range roots {
		if _, err := os.Lstat(root); err != nil {
			return usagef("cannot scan %s: %s.", root, pathReason(err))
		}
	}
	res, err := scan.Walk(roots)
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		c.warnf("skipped: %s.", strings.TrimSuffix(p.Error(), "."))
	}

	var found []keys.Found
	svc, serr := c.service()
	ctx, stop := interruptible()
	defer stop()
	if serr == nil && len(res.Findings) > 0 {
		found, serr = svc.Identify(ctx, res.Findings, true)
	}
	if serr != nil {
		if len(res.Findings) > 0 {
			c.warnf("the findings cannot be matched with stored keys: %s", errtext.Explain(serr).String())
		}
		found = found[:0]
		for _, f := range res.Findings {
			found = append(found, keys.Found{Finding: f})
		}
	}

	now := time.Now()
	if svc != nil {
		now = svc.Now()
	}
	items := make([]scanItem, len(found))
	edits := map[string][]scan.Edit{}
	var paths []string
	for i, f := range found {
		it := scanItem{
			Path: f.Path, Line: f.Line, Column: f.Column, Kind: "api_key",
			Masked: credential.Mask(f.Secret()), Account: f.Account, Server: f.Server,
		}
		if f.Kind == credential.SessionJWT {
			it.Kind = "session_token"
			it.Expires = timeOrNil(f.JWT.ExpiresAt)
			it.Expired = f.Expired(now)
		}
		if f.Entry != nil {
			it.StoredAs, it.Fix = f.Entry.Name, keys.Reference(*f.Entry)
		}
		if fix && !dryRun && f.Entry == nil && serr == nil {
			// Uses the token once to store its account's key.
			e, err := svc.KeyForFound(ctx, f)
			if err == nil {
				it.StoredAs, it.Fix = e.Name, keys.Reference(e)
				if it.Account == "" {
					it.Account = e.Email
				}
			} else {
				it.Problem = scanProblem(f, err, it.Expired)
			}
		} else if it.Fix == "" {
			it.Problem = scanProblem(f, nil, it.Expired)
		}
		if fix && it.Fix != "" {
			if _, ok := edits[f.Path]; !ok {
				paths = append(paths, f.Path)
			}
			edits[f.Path] = append(edits[f.Path], scan.Edit{Offset: f.Offset, Old: f.Secret(), New: it.Fix, Shown: it.Masked})
		}
		items[i] = it
	}

	var failed error
	if fix {
		for _, p := range paths {
			if dryRun {
				if err := c.printDiff(p, edits[p]); err != nil {
					c.errorf("%s: %s.", p, strings.TrimSuffix(err.Error(), "."))
					failed = exitStatus(exitFailure)
				}
				continue
			}
			if err := scan.Rewrite(p, edits[p]); err != nil {
				c.errorf("%s was not changed: %s", p, errtext.Explain(errtext.WithPath(err, p)).String())
				failed = exitStatus(exitFailure)
				continue
			}
			for i := range items {
				if items[i].Path == p && items[i].Fix != "" {
					items[i].Fixed = true
				}
			}
		}
	}

	if jsonOut {
		if err := writeJSON(c.stdout, items); err != nil {
			return err
		}
	} else if !dryRun {
		c.printFindings(items, now)
	}
	left := 0
	for _, it := range items {
		if !it.Fixed {
			left++
		}
	}
	switch {
	case len(items) == 0:
		c.errorf("no session tokens or API keys found in %s.", plural(res.Files, "file"))
	case dryRun:
		would := 0
		for _, it := range items {
			if it.Fix != "" {
				would++
			} else if !jsonOut {
				c.errorf("%s:%d:%d: not replaced: %s.", it.Path, it.Line, it.Column, it.Problem)
			}
		}
		c.errorf("--dry-run: %d of %s would be replaced (the diff is on stdout); nothing was changed.", would, plural(len(items), "secret"))
	case fix:
		c.errorf("%d of %s replaced with references; run the commands that read those files with `keytray run`.",
			len(items)-left, plural(len(items), "secret"))
	default:
		c.errorf("%s found in %s; `keytray scan --fix` replaces them with keytray:// references.",
			plural(len(items), "secret"), plural(len(distinctPaths(items)), "file"))
	}
	if failed != nil {
		return failed
	}
	if left > 0 {
		return exitStatus(exitFailure)
	}
	return nil
}

// printDiff prints what --fix would change in one file.
func (c *cli) printDiff(path string, edits []scan.Edit) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	d, err := scan.Diff(path, data, edits)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(c.stdout, d)
	return err
}

// printFindings prints one line per finding: where, what, whose, and the fix.
func (c *cli) printFindings(items []scanItem, now time.Time) {
	for _, it := range items {
		var b strings.Builder
		fmt.Fprintf(&b, "%s:%d:%d: ", it.Path, it.Line, it.Column)
		if it.Kind == "session_token" {
			b.WriteString("session token (JWT)")
		} else {
			fmt.Fprintf(&b, "API key %s", it.Masked)
		}
		if it.Account != "" {
			fmt.Fprintf(&b, " of %s", it.Account)
		}
		if it.Server != "" {
			fmt.Fprintf(&b, " on %s", it.Server)
		}
		if it.Expires != nil {
			when := it.Expires.Local().Format("2006-01-02 15:04")
			if it.Expired {
				fmt.Fprintf(&b, ", expired %s", when)
			} else {
				fmt.Fprintf(&b, ", expires %s (in %s)", when, roughDuration(it.Expires.Sub(now)))
			}
		}
		switch {
		case it.Fixed:
			fmt.Fprintf(&b, ": replaced with %s", it.Fix)
		case it.Fix != "":
			fmt.Fprintf(&b, ": use %s", it.Fix)
		case it.Problem != "":
			fmt.Fprintf(&b, ": %s", it.Problem)
		}
		fmt.Fprintln(c.stdout, b.String())
	}
}

// scanProblem says what to do about a finding --fix cannot replace (or did
// not try to: err nil).
func scanProblem(f keys.Found, err error, expired bool) string {
	server := orDefault(f.Server, "URL")
	switch {
	case f.Kind == credential.APIKey:
		return "this key is not stored; store it with `keytray add " + server + " --key-stdin`, then run `keytray scan --fix`"
	case err == nil && f.Accepted:
		return "its account's key is not stored yet; `keytray scan --fix` fetches it with this token and puts the reference in its place"
	case expired, err == nil, errors.Is(err, keys.ErrTokenUnusable):
		why := "no stored server accepts this token (it expired, was signed out, or the server's secret changed)"
		if expired {
			why = "this token has expired"
		}
		return why + "; sign in with `keytray login " + server + "`, then run `keytray scan --fix` to put the account's keytray:// reference in its place"
	}
	return strings.TrimSuffix(errtext.Explain(err).String(), ".")
}

func distinctPaths(items []scanItem) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		m[it.Path] = true
	}
	return m
}

// plural is "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// roughDuration says how long d is, briefly.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// pathReason says why a path cannot be read.
func pathReason(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
