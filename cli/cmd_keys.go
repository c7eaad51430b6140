package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
	"github.com/keytray/keytray/keys/vault"
)

// listItem is one element of `keytray list --json` (documented in doc.go).
type listItem struct {
	Name        string     `json:"name"`
	Server      string     `json:"server"`
	ServerName  string     `json:"server_name"`
	Account     string     `json:"account"`
	UserID      string     `json:"user_id"`
	Role        string     `json:"role"`
	MaskedKey   string     `json:"masked_key"`
	Fingerprint string     `json:"fingerprint"`
	Created     time.Time  `json:"created"`
	LastChecked *time.Time `json:"last_checked"`
	LastStatus  string     `json:"last_status"`
	LastDetail  string     `json:"last_detail"`
}

func (c *cli) list(args []string) error {
	fs := newFlags("list")
	jsonOut := fs.Bool("json", false, "")
	_, err := parseExact(fs, args)
	if err != nil {
		return err
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	entries := c.index.Entries // read once, by service()

	// Masks come from the index (each entry keeps its key's last four
	// characters), so listing needs no keyring: it works with the keyring
	// locked, and 1,000 keys cost little more than one does.
	switch {
	case *jsonOut:
		serverNames := make(map[string]string, len(c.index.Instances))
		for _, inst := range c.index.Instances {
			serverNames[inst.URL] = inst.Name
		}
		items := make([]listItem, 0, len(entries))
		for _, e := range entries {
			items = append(items, listItem{
				Name: e.Name, Server: e.Instance, ServerName: serverNames[e.Instance],
				Account: e.Email, UserID: e.UserID, Role: e.Role,
				MaskedKey: credential.MaskHint(e.Hint), Fingerprint: e.Fingerprint, Created: e.Created,
				LastChecked: timeOrNil(e.LastChecked), LastStatus: e.LastStatus, LastDetail: e.LastDetail,
			})
		}
		// Buffered: one write for the whole listing.
		out := bufio.NewWriter(c.stdout)
		if err := writeJSON(out, items); err != nil {
			return err
		}
		return out.Flush()
	case len(entries) == 0:
		c.errorf("no keys stored yet: add one with `keytray login URL --email E` or `keytray add URL`.")
		return nil
	}
	now := svc.Now()
	t := newTable(len(entries), "NAME", "SERVER", "ACCOUNT", "KEY", "STATUS")
	for _, e := range entries {
		t.add(e.Name, e.Instance, orDefault(e.Email, "-"), orDefault(credential.MaskHint(e.Hint), "?"),
			statusCell(e.LastStatus, timeOrNil(e.LastChecked), now))
	}
	return t.write(c.stdout)
}

// statusCell is the STATUS column: the last status and how long ago.
func statusCell(status string, checked *time.Time, now time.Time) string {
	if status == "" || checked == nil {
		return "unchecked"
	}
	return status + " " + relativeTime(*checked, now)
}

// relativeTime says how long before now t was, briefly.
func relativeTime(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
	return t.Local().Format("2006-01-02")
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// statusSentence describes a check status in words.
func statusSentence(status, detail string) string {
	var s string
	switch openwebui.Status(status) {
	case openwebui.StatusValid:
		s = "the key works"
	case openwebui.StatusRejected:
		s = "the server rejected the key (it was revoked, or replaced by a newer one)"
	case openwebui.StatusDisabled:
		s = "the server refuses API keys for this account: API keys are switched off (an admin can enable them in " +
			"Admin Settings › General › Enable API Keys), or the account lacks the \"API Keys\" permission, or it is pending approval"
	case openwebui.StatusRestricted:
		s = "the server's API-key endpoint allow-list blocks the check; the key may still work on the endpoints it allows"
	default:
		s = status
	}
	if detail != "" {
		s += fmt.Sprintf(" (%s)", strings.TrimSuffix(detail, "."))
	}
	return s
}

// keyFor reads the entry and key for NAME: the whole of `get`, so it does the
// minimum (index, one keyring item) and never touches the network.
func (c *cli) keyFor(name string) (vault.Entry, string, error) {
	e, err := c.entry(name)
	if err != nil {
		return vault.Entry{}, "", err
	}
	key, err := c.svc.Vault.KeyOf(e) // the index is already read: no second parse
	if err != nil {
		return vault.Entry{}, "", errtext.WithName(err, name)
	}
	if e.LastStatus == string(openwebui.StatusRejected) {
		c.warnf("the last check (%s) found the key %q rejected by the server; run `keytray check %s`.",
			relativeTime(e.LastChecked, c.svc.Now()), name, name)
	}
	return e, key, nil
}

func (c *cli) get(args []string) error {
	fs := newFlags("get")
	pos, err := parseExact(fs, args, "NAME")
	if err != nil {
		return err
	}
	_, key, err := c.keyFor(pos[0])
	if err != nil {
		return err
	}
	if isTerminal(c.stdout) {
		key += "\n"
	}
	_, err = fmt.Fprint(c.stdout, key)
	return err
}

func (c *cli) env(args []string) error {
	fs := newFlags("env")
	export := fs.Bool("export", false, "")
	pos, err := parseExact(fs, args, "NAME")
	if err != nil {
		return err
	}
	e, key, err := c.keyFor(pos[0])
	if err != nil {
		return err
	}
	vars := [][2]string{{"OPENAI_API_KEY", key}, {"OPENAI_BASE_URL", keys.BaseURL(e)}}
	var b strings.Builder
	for _, v := range vars {
		if *export {
			fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
		} else {
			fmt.Fprintf(&b, "%s=%s\n", v[0], v[1])
		}
	}
	_, err = fmt.Fprint(c.stdout, b.String())
	return err
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// checkItem is one element of `keytray check --json` (documented in doc.go).
type checkItem struct {
	Name    string     `json:"name"`
	Server  string     `json:"server"`
	OK      bool       `json:"ok"`
	Status  string     `json:"status"`
	Detail  string     `json:"detail"`
	Error   string     `json:"error"`
	Checked *time.Time `json:"checked"`
}

func (c *cli) check(args []string) error {
	fs := newFlags("check")
	jsonOut := fs.Bool("json", false, "")
	names, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	svc, err := c.serviceFor(names)
	if err != nil {
		return err
	}
	ctx, stop := interruptible()
	defer stop()
	results, err := svc.Check(ctx, names...)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		if *jsonOut {
			return writeJSON(c.stdout, []checkItem{})
		}
		c.errorf("no keys stored yet, so there is nothing to check.")
		return nil
	}

	items := make([]checkItem, 0, len(results))
	var failed []string
	for _, r := range results {
		it := checkItem{Name: r.Entry.Name, Server: r.Entry.Instance, OK: r.OK(), Status: string(r.Status)}
		if r.Err != nil {
			it.Status = "unknown"
			it.Error = errtext.Explain(errtext.WithServer(errtext.WithName(r.Err, r.Entry.Name), r.Entry.Instance)).String()
		} else {
			it.Detail = r.Entry.LastDetail
			it.Checked = timeOrNil(r.Entry.LastChecked)
		}
		items = append(items, it)
		if !it.OK {
			failed = append(failed, it.Name)
		}
	}

	if *jsonOut {
		if err := writeJSON(c.stdout, items); err != nil {
			return err
		}
	} else {
		t := newTable(len(items), "NAME", "SERVER", "STATUS")
		for _, it := range items {
			t.add(it.Name, it.Server, it.Status)
		}
		if err := t.write(c.stdout); err != nil {
			return err
		}
	}

	for _, it := range items {
		switch {
		case it.OK:
		case it.Error != "":
			c.errorf("%s: could not check it: %s", it.Name, it.Error)
		case it.Status == string(openwebui.StatusRejected):
			c.errorf("%s: %s", it.Name, errtext.Explain(errtext.WithServer(errtext.WithName(openwebui.ErrKeyRejected, it.Name), it.Server)).String())
		default:
			c.errorf("%s: %s.", it.Name, statusSentence(it.Status, it.Detail))
		}
	}
	if len(failed) > 0 {
		return exitStatus(exitFailure)
	}
	return nil
}
