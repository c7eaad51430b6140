package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/app/clip/sysclip"
	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
)

func (c *cli) newDoctorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "check the keyring, the index and every server",
		Long: `Checks that the keyring can store, read and delete an item, where the index
file is (and whether it had to be recovered), and whether each server is
reachable and which Open WebUI version it runs. Exits 1 if anything is broken,
with what to do about it.`,
		Example:           `  keytray doctor`,
		Args:              exactly(),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(*cobra.Command, []string) error { return c.doctor() },
	}
}

func (c *cli) doctor() error {
	// Not c.service(): that loads (and so recovers) the index, and doctor
	// should report the recovery itself, and still run when the index is unusable.
	svc, err := c.openService()
	if err != nil {
		return err
	}
	ctx, stop := interruptible()
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
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

// clipboardToolFound names the clipboard tool inspect would use, or "".
func clipboardToolFound() string {
	for _, tool := range clipboardTools(runtime.GOOS, os.Getenv("WAYLAND_DISPLAY") != "") {
		if _, err := exec.LookPath(tool.name); err == nil {
			return tool.name
		}
	}
	return ""
}

// doctorTimeout bounds the whole report, so a hanging server cannot stall it.
const doctorTimeout = 30 * time.Second
