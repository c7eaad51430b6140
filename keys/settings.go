package keys

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keytray/keytray/keys/vault"
)

// ErrUnknownSetting: `keytray config` was given a name it does not know.
var ErrUnknownSetting = errors.New("unknown setting")

// ErrBadSettingValue: a setting was given a value it cannot take.
var ErrBadSettingValue = errors.New("invalid setting value")

// Bounds of check-interval: checks more often than every minute would only
// load the servers; less often than weekly is as good as off.
const (
	minCheckInterval = time.Minute
	maxCheckInterval = 7 * 24 * time.Hour
)

// maxClipboardClear keeps a typo ("30h" for "30s") from leaving a key on the
// clipboard for days.
const maxClipboardClear = 24 * time.Hour

// Settings reads the settings.
func (s *Service) Settings() (vault.Settings, error) { return s.Vault.Settings() }

// SaveSettings writes the settings.
func (s *Service) SaveSettings(st vault.Settings) error { return s.Vault.SaveSettings(st) }

// setting is one `keytray config` key.
type setting struct {
	name   string
	help   string
	values []string // what shell completion offers
	get    func(vault.Settings) string
	set    func(*vault.Settings, string) error
}

var settings = []setting{
	{
		name: "clipboard-clear", values: []string{"30s", "10s", "1m", "2m", "5m", "0"}, help: "clear a copied key after this long (0 = never)",
		get: func(st vault.Settings) string { return time.Duration(st.ClipboardClear).String() },
		set: func(st *vault.Settings, v string) error {
			d, err := parseClear(v)
			st.ClipboardClear = vault.Duration(d)
			return err
		},
	},
	{
		name: "clipboard-watch", values: []string{"on", "off"}, help: "warn when a session token is copied (on/off)",
		get: func(st vault.Settings) string { return onOff(st.ClipboardWatch) },
		set: func(st *vault.Settings, v string) (err error) { st.ClipboardWatch, err = parseOnOff(v); return },
	},
	{
		name: "start-at-login", values: []string{"on", "off"}, help: "start Keytray in the tray when you log in (on/off)",
		get: func(st vault.Settings) string { return onOff(st.StartAtLogin) },
		set: func(st *vault.Settings, v string) (err error) { st.StartAtLogin, err = parseOnOff(v); return },
	},
	{
		name: "start-hidden", values: []string{"on", "off"}, help: "start in the tray without opening the window (on/off)",
		get: func(st vault.Settings) string { return onOff(st.StartHidden) },
		set: func(st *vault.Settings, v string) (err error) { st.StartHidden, err = parseOnOff(v); return },
	},
	{
		name: "close-quits", values: []string{"on", "off"}, help: "closing the window quits Keytray instead of keeping it in the tray (on/off)",
		get: func(st vault.Settings) string { return onOff(st.CloseQuits) },
		set: func(st *vault.Settings, v string) (err error) { st.CloseQuits, err = parseOnOff(v); return },
	},
	{
		name: "check-interval", values: []string{"6h", "1h", "12h", "24h", "0"}, help: "how often the desktop app checks every stored key (0 = never)",
		get: func(st vault.Settings) string { return formatInterval(time.Duration(st.CheckInterval)) },
		set: func(st *vault.Settings, v string) error {
			d, err := parseInterval(v)
			st.CheckInterval = vault.Duration(d)
			return err
		},
	},
	{
		name: "theme", values: []string{"system", "light", "dark"}, help: "window theme: system, light or dark",
		get: func(st vault.Settings) string { return st.Theme },
		set: func(st *vault.Settings, v string) error {
			switch v = strings.ToLower(v); v {
			case "system", "light", "dark":
				st.Theme = v
				return nil
			}
			return fmt.Errorf("theme %s: use system, light or dark: %w", quote(v), ErrBadSettingValue)
		},
	},
}

// SettingNames lists the keys `keytray config` knows, in display order.
func SettingNames() []string {
	names := make([]string, len(settings))
	for i, st := range settings {
		names[i] = st.name
	}
	return names
}

// SettingHelp is a one-line description of a setting.
func SettingHelp(name string) string {
	if st, ok := lookupSetting(name); ok {
		return st.help
	}
	return ""
}

// SettingValues are typical values of a setting, for shell completion (a
// duration setting takes others too).
func SettingValues(name string) []string {
	if st, ok := lookupSetting(name); ok {
		return st.values
	}
	return nil
}

// GetSetting formats one setting as `keytray config` prints it.
func GetSetting(st vault.Settings, name string) (string, error) {
	def, ok := lookupSetting(name)
	if !ok {
		return "", unknownSetting(name)
	}
	return def.get(st), nil
}

// SetSetting parses value into the named setting.
func SetSetting(st *vault.Settings, name, value string) error {
	def, ok := lookupSetting(name)
	if !ok {
		return unknownSetting(name)
	}
	return def.set(st, strings.TrimSpace(value))
}

func lookupSetting(name string) (setting, bool) {
	for _, st := range settings {
		if st.name == name {
			return st, true
		}
	}
	return setting{}, false
}

func unknownSetting(name string) error {
	return fmt.Errorf("%s (known: %s): %w", quote(name), strings.Join(SettingNames(), ", "), ErrUnknownSetting)
}

// parseClear reads "30s", "2m", "1m30s", a bare number of seconds, or 0/never/off.
func parseClear(v string) (time.Duration, error) {
	switch strings.ToLower(v) {
	case "0", "never", "off":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		var secs int
		if _, serr := fmt.Sscanf(v, "%d", &secs); serr != nil || fmt.Sprint(secs) != v {
			return 0, fmt.Errorf("clipboard-clear %s: use a duration such as 30s or 2m, or 0 for never: %w", quote(v), ErrBadSettingValue)
		}
		d = time.Duration(secs) * time.Second
	}
	if d < 0 || d > maxClipboardClear {
		return 0, fmt.Errorf("clipboard-clear %s: use a duration between 0 and 24h: %w", quote(v), ErrBadSettingValue)
	}
	return d, nil
}

// parseInterval reads "6h", "30m", "1h30m", or 0/never/off.
func parseInterval(v string) (time.Duration, error) {
	switch strings.ToLower(v) {
	case "0", "never", "off":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < minCheckInterval || d > maxCheckInterval {
		return 0, fmt.Errorf("check-interval %s: use a duration between 1m and 168h, such as 6h, or 0 to turn the checks off: %w", quote(v), ErrBadSettingValue)
	}
	return d, nil
}

// formatInterval writes d without zero units: "6h", "1h30m", "0".
func formatInterval(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func parseOnOff(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return false, fmt.Errorf("%s: use on or off: %w", quote(v), ErrBadSettingValue)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
