// Package version says which Keytray this binary is: the release, the build
// number, the commit, the Go toolchain and whether it is the desktop or the
// headless build. `keytray --version` and the window's About dialog both read
// it, so they cannot disagree.
//
// The Makefile sets Version, Build and Commit with -ldflags -X (from git and
// FyneApp.toml), because `make` builds with -buildvcs=false in some
// environments and a binary copied out of its checkout has no VCS to ask. A
// plain `go build` or `go install` falls back to what the Go tool embedded
// (module version, vcs.revision), if anything.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at build time, e.g.
//
//	go build -ldflags "-X github.com/keytray/keytray/internal/version.Version=1.2.3 \
//	  -X github.com/keytray/keytray/internal/version.Build=7 \
//	  -X github.com/keytray/keytray/internal/version.Commit=0123456789ab"
var (
	// Version is the release, e.g. "0.1.0" or a `git describe` string.
	Version = "dev"
	// Build is the build number from FyneApp.toml; empty when unknown.
	Build = ""
	// Commit is the git commit the binary was built from, possibly with a
	// "-dirty" suffix; empty when unknown.
	Commit = ""
)

// Links for users, shown by `keytray --version` and the About dialog.
const (
	ReadmeURL = "https://github.com/keytray/keytray#readme"
	// License is the licence Keytray is under (the LICENSE file).
	License    = "MIT"
	Copyright  = "Copyright (c) 2026 The Keytray authors"
	LicenseURL = "https://github.com/keytray/keytray/blob/main/LICENSE"
	APIKeysURL = "https://docs.openwebui.com/features/authentication-access/api-keys"
)

// Info is what the binary knows about itself. Empty fields are unknown.
type Info struct {
	Version  string
	Build    string // build number
	Commit   string
	Time     string // commit time, only when the Go tool embedded VCS information
	Go       string // toolchain, e.g. go1.26.0
	Platform string // GOOS/GOARCH
	Headless bool   // built with -tags headless: every command, no desktop app
}

// Read returns the facts about the running binary.
func Read() Info {
	return read(debug.ReadBuildInfo)
}

func read(buildInfo func() (*debug.BuildInfo, bool)) Info {
	in := Info{
		Version: Version, Build: Build, Commit: Commit,
		Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Headless: headless,
	}
	bi, ok := buildInfo()
	if !ok {
		return in
	}
	if in.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		in.Version = bi.Main.Version // go install github.com/keytray/keytray@v1.2.3
	}
	if in.Commit != "" {
		return in
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Commit = s.Value[:min(len(s.Value), 12)]
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && in.Commit != "" {
		in.Commit += "-dirty"
	}
	return in
}

// Kind names the build: "desktop", or "headless (no desktop app)".
func (in Info) Kind() string {
	if in.Headless {
		return "headless (no desktop app)"
	}
	return "desktop"
}

// String is the text of `keytray --version`; its first line is
// "keytray VERSION".
func (in Info) String() string {
	or := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "keytray %s\n", in.Version)
	fmt.Fprintf(&b, "build:  %s, %s\n", or(in.Build), in.Kind())
	fmt.Fprintf(&b, "go:     %s %s\n", in.Go, in.Platform)
	commit := or(in.Commit)
	if in.Time != "" {
		commit += " " + in.Time
	}
	fmt.Fprintf(&b, "commit: %s\n", commit)
	fmt.Fprintf(&b, "licence: %s, %s\n", License, Copyright)
	fmt.Fprintf(&b, "docs:   %s\n", ReadmeURL)
	fmt.Fprintf(&b, "        %s (Open WebUI API keys)\n", APIKeysURL)
	return b.String()
}
