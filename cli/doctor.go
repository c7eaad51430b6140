package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/clipboard/sysclip"
	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
	"github.com/keytray/keytray/keys/vault"
)

// doctorOptions are doctor's flags.
type doctorOptions struct {
	adopt  bool
	server string
}

func (c *cli) newDoctorCmd() *cobra.Command {
	var o doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor [--adopt [--server URL]]",
		Short: "check the keyring, the index and every server",
		Long: `Checks that the keyring can store, read and delete an item, where the index
file is (and whether it had to be recovered), whether the keyring holds
Keytray items that the index does not list (orphans, e.g. after the index was
moved aside), which rotations were interrupted, and whether each server is
reachable and which Open WebUI version it runs. Exits 1 if anything is broken,
with what to do about it.

--adopt takes orphaned items back into the index: each one's key is checked
with the known servers, and the server that accepts it becomes its server.
With --server URL, an item that no server accepts is adopted under URL.`,
		Example: `  keytray doctor
  keytray doctor --adopt
  keytray doctor --adopt --server chat.example.com`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			if o.server != "" && !o.adopt {
				return usagef("--server goes with --adopt.")
			}
			if o.adopt {
				return c.adopt(o.server)
			}
			return c.doctor()
		},
	}
	cmd.Flags().BoolVar(&o.adopt, "adopt", false, "take keyring items the index does not list back into it")
	cmd.Flags().StringVar(&o.server, "server", "", "with --adopt: the server `URL` of items no known server accepts")
	return cmd
}

// adopt takes orphaned keyring items back into the index.
func (c *cli) adopt(server string) error {
	svc, err := c.service()
	if err != nil {
		return err
	}
	ctx, cancel := doctorContext()
	defer cancel()
	res, err := svc.Adopt(ctx, keys.Server{URL: server})
	if err != nil {
		return err
	}
	if len(res) == 0 {
		c.errorf("the keyring holds no Keytray item that the index does not list: nothing to adopt.")
		return nil
	}
	failed := false
	for _, a := range res {
		if a.Err != nil {
			failed = true
			c.errorf("%q left alone: %s", a.Name, errtext.Explain(errtext.WithName(a.Err, a.Name)).String())
			continue
		}
		fmt.Fprintln(c.stdout, a.Entry.Name)
		c.errorf("adopted %q (%s on %s).", a.Entry.Name, orDefault(a.Entry.Email, "account unknown"), a.Entry.Instance)
	}
	if failed {
		return exitStatus(exitFailure)
	}
	return nil
}

func (c *cli) doctor() error {
	// Not c.service(): that loads (and so recovers) the index, and doctor
	// should report the recovery itself, and still run when the index is unusable.
	svc, err := c.openService()
	if err != nil {
		return err
	}
	ctx, cancel := doctorContext()
	defer cancel()
	rep := svc.Doctor(ctx)
	if !writeDoctor(c.stdout, rep) {
		return exitStatus(exitFailure)
	}
	return nil
}

// writeDoctor prints the report and says whether everything works.
func writeDoctor(w io.Writer, rep keys.DoctorReport) bool {
	healthy := true
	line := func(ok bool, format string, a ...any) {
		mark := "✓"
		if !ok {
			mark, healthy = "✗", false
		}
		fmt.Fprintf(w, "%s "+format+"\n", append([]any{mark}, a...)...)
	}
	fmt.Fprint(w, strings.SplitN(versionText(), "\n", 2)[0]+"\n")

	if rep.KeyringErr == nil {
		line(true, "keyring: a test item was stored, read back and deleted")
	} else {
		line(false, "keyring: %s", errtext.Explain(rep.KeyringErr).String())
	}
	if rep.IndexErr == nil {
		line(true, "index: %s", rep.IndexPath)
	} else {
		line(false, "index: %s: %s", rep.IndexPath, errtext.Explain(errtext.WithPath(rep.IndexErr, rep.IndexPath)).String())
	}
	if rep.Recovery != nil {
		fmt.Fprintf(w, "! index: %s\n", errtext.RecoveryNotice(rep.Recovery).String())
	}
	switch {
	case errors.Is(rep.OrphansErr, vault.ErrCannotList):
		fmt.Fprintln(w, "  orphans: this keyring cannot list its items, so orphaned items cannot be looked for")
	case rep.OrphansErr != nil:
		line(false, "orphans: could not look for them: %s", errtext.Explain(rep.OrphansErr).String())
	case len(rep.Orphans) > 0:
		line(false, "orphans: the keyring holds %s that the index does not list: %s; take them back with `keytray doctor --adopt`",
			countKeys(len(rep.Orphans)), strings.Join(quoteAll(rep.Orphans), ", "))
	case rep.KeyringErr == nil && rep.IndexErr == nil:
		line(true, "orphans: none (every Keytray item in the keyring is in the index)")
	}
	for _, e := range rep.Interrupted {
		line(false, "%s: %s", e.Name, errtext.Explain(&keys.RotationInterruptedError{Name: e.Name, Server: e.Instance, Email: e.Email,
			Err: errors.New("interrupted")}).String())
	}
	if len(rep.Servers) == 0 {
		fmt.Fprintln(w, "  servers: none yet (add one with `keytray login URL --email E`)")
	}
	for _, s := range rep.Servers {
		if s.Err != nil {
			line(false, "server %s (%s): %s", s.URL, countKeys(s.Entries), errtext.Explain(errtext.WithServer(s.Err, s.URL)).String())
			continue
		}
		what := "Open WebUI"
		if s.Info.Version != "" {
			what += " " + s.Info.Version
		}
		if s.Info.Name != "" && s.Info.Name != "Open WebUI" {
			what += fmt.Sprintf(" (%q)", s.Info.Name)
		}
		line(true, "server %s: reachable, %s, %s", s.URL, what, countKeys(s.Entries))
	}
	if tool := clipboardToolFound(); tool != "" {
		fmt.Fprintf(w, "  clipboard: %s (for `keytray inspect --clipboard`)\n", tool)
	} else {
		fmt.Fprintln(w, "  clipboard: no clipboard tool found; `keytray inspect --clipboard` needs wl-clipboard, xclip or xsel")
	}
	fmt.Fprintf(w, "  clipboard path of the desktop app: %s\n", sysclip.Describe(os.Getenv))
	return healthy
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

// clipboardToolFound names the clipboard tool inspect would use, or "".
func clipboardToolFound() string {
	for _, tool := range clipboardTools(runtime.GOOS, os.Getenv("WAYLAND_DISPLAY") != "") {
		if _, err := exec.LookPath(tool.name); err == nil {
			return tool.name
		}
	}
	return ""
}

// doctorContext bounds doctor's work by doctorTimeout, and Ctrl-C ends it.
func doctorContext() (context.Context, context.CancelFunc) {
	ctx, stop := interruptible()
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	return ctx, func() { cancel(); stop() }
}

// doctorTimeout bounds the whole report, so a hanging server cannot stall it.
const doctorTimeout = 30 * time.Second
