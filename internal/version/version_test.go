package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadPrefersLinkerValuesOverBuildInfo(t *testing.T) {
	defer func(v, b, c string) { Version, Build, Commit = v, b, c }(Version, Build, Commit)
	Version, Build, Commit = "1.2.3", "7", "0123456789ab"
	bi := &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "ffffffffffffffffffff"}, {Key: "vcs.modified", Value: "true"},
	}}
	in := read(func() (*debug.BuildInfo, bool) { return bi, true })
	if in.Version != "1.2.3" || in.Build != "7" || in.Commit != "0123456789ab" {
		t.Errorf("read = %+v, want the -X values", in)
	}
}

func TestReadFallsBackToBuildInfo(t *testing.T) {
	defer func(v, b, c string) { Version, Build, Commit = v, b, c }(Version, Build, Commit)
	Version, Build, Commit = "dev", "", ""
	bi := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abcdef0123456789abcdef"},
		{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	in := read(func() (*debug.BuildInfo, bool) { return bi, true })
	if in.Version != "v1.4.0" || in.Commit != "abcdef012345-dirty" || in.Time != "2026-01-02T03:04:05Z" {
		t.Errorf("read = %+v", in)
	}

	bi.Main.Version = "(devel)"
	if in := read(func() (*debug.BuildInfo, bool) { return bi, true }); in.Version != "dev" {
		t.Errorf("a (devel) module version replaced dev: %q", in.Version)
	}
	if in := read(func() (*debug.BuildInfo, bool) { return nil, false }); in.Commit != "" || in.Go == "" {
		t.Errorf("without build info: %+v", in)
	}
}

func TestStringSaysEverythingAndUnknownForGaps(t *testing.T) {
	in := Info{Version: "0.1.0", Build: "3", Commit: "0123456789ab", Go: "go1.26.0", Platform: "linux/amd64"}
	s := in.String()
	for _, want := range []string{
		"keytray 0.1.0\n", "build:  3, desktop\n", "go:     go1.26.0 linux/amd64\n",
		"commit: 0123456789ab\n", ReadmeURL, APIKeysURL,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("String lacks %q:\n%s", want, s)
		}
	}
	in = Info{Version: "dev", Go: "go1.26.0", Platform: "linux/amd64", Headless: true}
	s = in.String()
	if !strings.Contains(s, "build:  unknown, headless (no desktop app)\n") || !strings.Contains(s, "commit: unknown\n") {
		t.Errorf("gaps not said as unknown:\n%s", s)
	}
}
