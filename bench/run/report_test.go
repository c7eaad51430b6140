package main

import "testing"

func TestFmtValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{
		{0.0014, "ms", "1.4 µs"},
		{0.3334, "ms", "333.4 µs"},
		{6.62, "ms", "6.6 ms"},
		{152.4, "ms", "152 ms"},
		{21430, "ms", "21.43 s"},
		{163.2, "MB", "163 MB"},
		{0.951, "%", "0.95 %"},
	} {
		if got := fmtValue(c.v, c.unit); got != c.want {
			t.Errorf("fmtValue(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
