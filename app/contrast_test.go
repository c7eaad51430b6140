package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of c (alpha ignored: the
// colours measured are opaque).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	r, g, b := n.R, n.G, n.B
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two colours (1 to 21).
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over composes c (which may be translucent) over an opaque background.
func over(c, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{mix(f.R, b.R), mix(f.G, b.G), mix(f.B, b.B), 255}
}

// The status words (works, warnings, failures) and the error lines reach
// WCAG AA (4.5:1) against the window's background and the selected row's
// tint, in the light and the dark theme, computed from the theme's colours.
func TestStatusColoursReachAA(t *testing.T) {
	test.NewTempApp(t)
	for _, setting := range []string{"light", "dark"} {
		th := themeFor(setting)
		bg := th.Color(theme.ColorNameBackground, 0)
		backgrounds := map[string]color.Color{
			"background":   bg,
			"selected row": over(th.Color(theme.ColorNameSelection, 0), bg),
		}
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError, theme.ColorNameForeground, theme.ColorNamePlaceHolder} {
			for where, b := range backgrounds {
				r := contrast(th.Color(n, 0), b)
				t.Logf("%s: %s on %s: %.2f:1", setting, n, where, r)
				if r < 4.5 {
					t.Errorf("%s theme: %s text on the %s measures %.2f:1, under 4.5:1", setting, n, where, r)
				}
			}
		}
		// A danger button's words on its red.
		if r := contrast(th.Color(theme.ColorNameForegroundOnError, 0), th.Color(theme.ColorNameError, 0)); r < 4.5 {
			t.Errorf("%s theme: a danger button's text measures %.2f:1", setting, r)
		} else {
			t.Logf("%s: danger button text: %.2f:1", setting, r)
		}
	}
}
