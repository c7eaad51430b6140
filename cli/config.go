package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keytray/keytray/internal/version"
	"github.com/keytray/keytray/keys"
)

func (c *cli) newConfigCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config [KEY [VALUE]]",
		Short: "show or change settings",
		Long: `With no arguments, prints every setting as KEY=VALUE. With KEY, prints its
value. With KEY VALUE, changes it; the change takes effect at once, in a
running desktop app too, and start-at-login makes or removes the login item
(an XDG autostart entry, the Windows Run key, or a macOS launch agent).

Settings:
  clipboard-clear   how long a copied key stays on the clipboard (30s, 2m; 0 = never). Default 30s.
  clipboard-watch   warn when a session token (JWT) is copied: on or off. Default on.
  start-at-login    start Keytray in the tray when you log in: on or off. Default off.
  start-hidden      start in the tray only, without opening the window: on or off. Default off.
  close-quits       closing the window quits Keytray instead of keeping it running in the
                    tray: on or off. Default off.
  theme             the window's theme: system, light or dark. Default system.
  check-interval    how often the running desktop app checks every stored key against its
                    server (6h, 30m; 0 = never). Default 6h.`,
		Example: `  keytray config
  keytray config clipboard-clear 45s
  keytray config start-at-login on`,
		ValidArgsFunction: completeConfig,
		RunE:              func(_ *cobra.Command, args []string) error { return c.config(args) },
	}
}

func (c *cli) config(pos []string) error {
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
	before := st.StartAtLogin
	if err := keys.SetSetting(&st, pos[0], pos[1]); err != nil {
		return usagef("%q is not a valid value for %s: %s", pos[1], pos[0], settingHint(err, pos[0], pos[1]))
	}
	if st.StartAtLogin && !before && version.Read().Headless {
		return errHeadlessStartAtLogin
	}
	if err := svc.SaveSettings(st); err != nil {
		return err
	}
	if pos[0] == "start-at-login" {
		return c.applyStartAtLogin(st.StartAtLogin)
	}
	return nil
}

// errHeadlessStartAtLogin: the headless build has no desktop app to start.
var errHeadlessStartAtLogin = errors.New("this is the headless build of Keytray, which has no desktop app to start at login; " +
	"run `keytray config start-at-login on` with the desktop build. Nothing was changed")

// applyStartAtLogin gives the setting its effect outside the index, as the
// window's settings do: the login item is made or removed at once (and made
// again when it went missing). A running desktop app notices the other
// settings (theme, clipboard) itself, by watching the index.
func (c *cli) applyStartAtLogin(on bool) error {
	if err := c.loginItem.apply(on); err != nil {
		return fmt.Errorf("the setting was saved, but the login item could not be changed: %w", err)
	}
	if on {
		c.errorf("Keytray will start in the tray when you log in.")
	} else {
		c.errorf("Keytray will not start when you log in.")
	}
	return nil
}

// settingHint is what SetSetting said about a bad value, without the parts
// the sentence already has (the setting, the value, the error kind).
func settingHint(err error, name, value string) string {
	msg := strings.TrimSuffix(err.Error(), ": "+keys.ErrBadSettingValue.Error())
	msg = strings.TrimPrefix(msg, name+" ")
	msg = strings.TrimPrefix(msg, fmt.Sprintf("%q: ", value))
	return fixSentence(msg)
}
