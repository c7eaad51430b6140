package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys/openwebui"
)

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

func (c *cli) newCheckCmd() *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "check [NAME...] [--json]",
		Short: "verify keys against their servers",
		Long: `Asks each server whether its keys still work (all keys, or the NAMEs given)
and records the result. Exits 1 if any key is not known to work.

Statuses: valid; rejected (revoked or replaced); disabled (API keys switched
off, or the account lacks the permission); restricted (the server's endpoint
allow-list blocks the check; the key may still work where allowed); unknown
(the check itself failed, e.g. the server was unreachable);
rotation-interrupted (a rotation's answer was lost and the stored key does
not work: fetch the current one with ` + "`keytray login URL --email E`" + `).

--json prints an array of objects with the fields name, server, ok, status,
detail, error, checked. The format is stable.`,
		Example: `  keytray check
  keytray check work --json`,
		ValidArgsFunction: c.completeStoredNames(-1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.check(args, jsonOut) },
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (stable fields)")
	return cmd
}

func (c *cli) check(names []string, jsonOut bool) error {
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
		if jsonOut {
			return writeJSON(c.stdout, []checkItem{})
		}
		c.errorf("no keys stored yet, so there is nothing to check.")
		return nil
	}

	items := make([]checkItem, 0, len(results))
	var failed []string
	for _, r := range results {
		it := checkItem{Name: r.Entry.Name, Server: r.Entry.Instance, OK: r.OK(), Status: string(r.Status)}
		switch {
		case r.Interrupted:
			it.Status = "rotation-interrupted"
			it.Error = errtext.Explain(r.InterruptedError()).String()
		case r.Err != nil:
			it.Status = "unknown"
			it.Error = errtext.Explain(errtext.WithServer(errtext.WithName(r.Err, r.Entry.Name), r.Entry.Instance)).String()
		default:
			it.Detail = r.Entry.LastDetail
			it.Checked = timeOrNil(r.Entry.LastChecked)
		}
		items = append(items, it)
		if !it.OK {
			failed = append(failed, it.Name)
		}
	}

	if jsonOut {
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
		case it.Status == "rotation-interrupted":
			c.errorf("%s: %s", it.Name, it.Error)
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
