package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/keytray/keytray/internal/errtext"
	"github.com/keytray/keytray/keys"
)

func (c *cli) config(args []string) error {
	fs := newFlags("config")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 2 {
		return usagef("unexpected argument %q: config takes a setting and a value.", pos[2])
	}
	names := keys.SettingNames()
	if len(pos) > 0 && !slices.Contains(names, pos[0]) {
		return usagef("there is no setting %q; the settings are %s.", pos[0], strings.Join(names, ", "))
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	st, err := svc.Settings()
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		for _, name := range names {
			value, err := keys.GetSetting(st, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%s=%s\n", name, value)
		}
		return nil
	case 1:
		value, err := keys.GetSetting(st, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, value)
		return nil
	}
	if err := keys.SetSetting(&st, pos[0], pos[1]); err != nil {
		return usagef("%q is not a valid value for %s: %s", pos[1], pos[0], settingHint(err, pos[0], pos[1]))
	}
	return svc.SaveSettings(st)
}

func (c *cli) doctor(args []string) error {
	fs := newFlags("doctor")
	_, err := parseExact(fs, args)
	if err != nil {
		return err
	}
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

// settingHint is what SetSetting said about a bad value, without the parts
// the sentence already has (the setting, the value, the error kind).
func settingHint(err error, name, value string) string {
	msg := strings.TrimSuffix(err.Error(), ": "+keys.ErrBadSettingValue.Error())
	msg = strings.TrimPrefix(msg, name+" ")
	msg = strings.TrimPrefix(msg, fmt.Sprintf("%q: ", value))
	return fixSentence(msg)
}
