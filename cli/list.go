package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/credential"
	"github.com/keytray/keytray/keys/openwebui"
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
	Reference   string     `json:"reference"`
	// RotationInterrupted: a rotation was started and never finished; the
	// stored key may be one the server replaced (see keytray rotate).
	RotationInterrupted bool `json:"rotation_interrupted"`
}

func (c *cli) newListCmd() *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "list stored keys (masked) and their last status",
		Long: `Lists every stored key: NAME, SERVER, ACCOUNT, KEY (masked) and STATUS (the
last check's result and how long ago). The key itself is never shown.

--json prints an array of objects with the fields name, server, server_name,
account, user_id, role, masked_key, fingerprint, created, last_checked,
last_status, last_detail, rotation_interrupted and reference (keytray://NAME,
for env files and ` + "`keytray run`" + `); times in RFC 3339, last_checked null
when never checked. The format is stable.

STATUS "rotation interrupted" means a rotation was started and its answer
never arrived: the server may hold a newer key than the stored one. Fetch it
with ` + "`keytray login URL --email E`" + ` (or rotate again).`,
		Example: `  keytray list
  keytray list --json | jq -r '.[].name'`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(*cobra.Command, []string) error { return c.list(jsonOut) },
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (stable fields; never the key)")
	return cmd
}

func (c *cli) list(jsonOut bool) error {
	svc, err := c.service()
	if err != nil {
		return err
	}
	entries := c.index.Entries // read once, by service()

	// Masks come from the index (each entry keeps its key's last four
	// characters), so listing needs no keyring: it works with the keyring
	// locked, and 1,000 keys cost little more than one does.
	switch {
	case jsonOut:
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
				Reference:           keys.Reference(e),
				RotationInterrupted: e.RotationInterrupted(),
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
		status := statusCell(e.LastStatus, timeOrNil(e.LastChecked), now)
		if e.RotationInterrupted() {
			status = "rotation interrupted"
		}
		t.add(e.Name, e.Instance, orDefault(e.Email, "-"), orDefault(credential.MaskHint(e.Hint), "?"), status)
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
