package version

import (
	"os"
	"regexp"
	"testing"
)

// ReleasedInChangelog is the newest released version in CHANGELOG.md (Keep a
// Changelog: "## [Unreleased]" first, then "## [X.Y.Z] - YYYY-MM-DD").
func releasedInChangelog(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	heads := regexp.MustCompile(`(?m)^## \[([^\]]+)\](.*)$`).FindAllStringSubmatch(string(b), -1)
	if len(heads) < 2 || heads[0][1] != "Unreleased" {
		t.Fatalf("CHANGELOG.md must start with an ## [Unreleased] section, then the releases: %q", heads)
	}
	if !regexp.MustCompile(`^ - \d{4}-\d{2}-\d{2}$`).MatchString(heads[1][2]) {
		t.Errorf("the release heading %q has no date (## [X.Y.Z] - YYYY-MM-DD)", heads[1][0])
	}
	return heads[1][1]
}

// `keytray --version` reports FyneApp.toml's Version (the Makefile passes it
// when git has no tag), so the changelog's newest release must be that one.
func TestChangelogAgreesWithFyneAppVersion(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	if got := releasedInChangelog(t); got != string(m[1]) {
		t.Errorf("CHANGELOG.md's newest release is %s, FyneApp.toml says %s: add the release to the changelog or bump FyneApp.toml", got, m[1])
	}
}
