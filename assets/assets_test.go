package assets

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestIconsArePNGsOfTheRightSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		size int
	}{
		{"Icon", Icon, 512},
		{"TrayLight", TrayLight, 64},
		{"TrayDark", TrayDark, 64},
	} {
		img, err := png.Decode(bytes.NewReader(tc.data))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != tc.size || b.Dy() != tc.size {
			t.Errorf("%s is %dx%d, want %dx%d", tc.name, b.Dx(), b.Dy(), tc.size, tc.size)
		}
		if !hasTransparency(img) {
			t.Errorf("%s has no transparent pixels; icons need a transparent background", tc.name)
		}
	}
}

// The two tray icons must contrast with the panels they are made for: the
// light-panel glyph dark, the dark-panel glyph light.
func TestTrayGlyphsContrastWithTheirPanels(t *testing.T) {
	light := meanOpaqueLuma(t, TrayLight)
	dark := meanOpaqueLuma(t, TrayDark)
	if light > 0.35 {
		t.Errorf("TrayLight glyph luma %.2f, want dark (<= 0.35)", light)
	}
	if dark < 0.65 {
		t.Errorf("TrayDark glyph luma %.2f, want light (>= 0.65)", dark)
	}
}

func hasTransparency(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a == 0 {
				return true
			}
		}
	}
	return false
}

// meanOpaqueLuma is the mean luma (0..1) of the mostly opaque pixels.
func meanOpaqueLuma(t *testing.T, data []byte) float64 {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	var n int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a < 0xc000 {
				continue
			}
			// Un-premultiply, then Rec. 601 luma.
			sum += (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / float64(a)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no opaque pixels")
	}
	return sum / float64(n)
}
