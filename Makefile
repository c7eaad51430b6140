# Keytray. On a fresh Debian/Ubuntu machine two commands are enough:
#   make run    build the desktop app and start it
#   make test   every test (installs what it needs when run as root)
# Set-up logic lives in scripts/ so that it can be read and run on its own.

GO ?= go
CACHE := .cache

# What `keytray --version` and the About dialog show (internal/version):
# the release from `git describe` (FyneApp.toml's Version without tags), the
# build number from FyneApp.toml, the commit from git (-dirty when the tree
# has changes). Override any of them: make package VERSION=1.0.0
APP_VERSION := $(shell sed -nE 's/^Version *= *"(.*)"/\1/p' FyneApp.toml)
APP_BUILD := $(shell sed -nE 's/^Build *= *([0-9]+).*/\1/p' FyneApp.toml)
VERSION ?= $(shell git describe --tags --dirty 2>/dev/null || echo $(APP_VERSION))
COMMIT ?= $(shell git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null)
VERSION_PKG := github.com/keytray/keytray/internal/version
LDFLAGS_X := -X=$(VERSION_PKG).Version=$(VERSION) -X=$(VERSION_PKG).Build=$(APP_BUILD) -X=$(VERSION_PKG).Commit=$(COMMIT)
# FyneApp.toml declares the fyneDo migration done; `fyne package` then builds
# with this tag, and so do `make build` and `make windows`, so that the binary
# the tests run is the one users install.
GUI_TAGS := migrated_fynedo
BIN ?= keytray
CLI_OUT ?= dist/keytray-cli
# Dates written into generated files (man pages): the last commit's, so that
# two builds of one commit are identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
MAN_OUT ?= dist/man

# `make help` lists the targets: each documented one has a "## what it does"
# comment on its own line right above it.
.DEFAULT_GOAL := help
.PHONY: help run display run-xvfb build cli deps-build deps-test test fuzz bench clean man

## list the targets and what each one does
help:
	@awk '/^## / { doc = substr($$0, 4); next } \
		/^[a-zA-Z][a-zA-Z0-9_-]*:/ && doc != "" { split($$0, t, ":"); printf "  make %-12s %s\n", t[1], doc } \
		{ doc = "" }' $(MAKEFILE_LIST)

## build the desktop app and start it (needs a desktop session; see run-xvfb)
run: display build
	./keytray

# Checked before building, so a machine without a display learns it at once.
display:
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "Keytray is a desktop app and needs a desktop session (DISPLAY or WAYLAND_DISPLAY is not set)."; \
		echo "On a machine without one, try it in a throwaway Xvfb session: make run-xvfb"; \
		exit 1; \
	fi

# For machines without a desktop: the app in a private Xvfb + D-Bus + keyring
# session (scripts/testenv.sh). Everything it stores is thrown away at exit.
## start the app in a throwaway Xvfb + keyring session (no desktop needed)
run-xvfb: deps-test build
	@echo "Starting Keytray in a throwaway Xvfb session; its keyring and settings are deleted when it exits."
	@echo "Screenshot from another shell: DISPLAY=<shown below> import -window root shot.png"
	scripts/testenv.sh sh -c 'echo "DISPLAY=$$DISPLAY"; exec ./keytray'

## build ./keytray, the desktop app and command line in one binary
build: deps-build
	$(GO) build -tags '$(GUI_TAGS)' -ldflags '$(LDFLAGS_X)' -o $(BIN) .

# The static, Fyne-free command line (servers, CI): every CLI command, no GUI.
## build dist/keytray-cli: the static command line, without the desktop app
cli:
	CGO_ENABLED=0 $(GO) build -tags headless -ldflags '$(LDFLAGS_X)' -o $(CLI_OUT) .

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

## run every test: format, vet, staticcheck, unit, fuzz, build, integration
test: deps-test
	@scripts/test.sh

# Longer fuzzing: FUZZ_SECONDS shared by all targets (make fuzz FUZZ_SECONDS=3600).
FUZZ_SECONDS ?= 600
## fuzz every parser for longer (FUZZ_SECONDS each, default 600)
fuzz:
	FUZZTIME_MAX=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_SECONDS)

# Keytray against floors measured in the same run (secret-tool, go-keyring,
# a minimal Fyne app; bench/), in a private Xvfb + D-Bus + keyring session,
# plus the Go benchmarks of the hot paths. Prints one table and writes it to
# docs/benchmarks.md. BENCH_ARGS go to bench/run (e.g. BENCH_ARGS='-idle 20s').
BENCH_ARGS ?=
## measure Keytray against its floors; writes docs/benchmarks.md
bench: deps-test
	scripts/bench.sh $(BENCH_ARGS)

## remove what the build made (./keytray, dist/, .cache/)
clean:
	rm -rf keytray dist $(CACHE)

# PNGs of the window's main screens (English and Chinese, light and dark),
# rendered from fake data, in docs/screenshots/.
## render the window's screens (both languages, both themes) to docs/screenshots/
screenshots:
	scripts/screenshots.sh

.PHONY: screenshots

# The Linux packages (scripts/package.sh): dist/keytray-linux-<arch>.tar.xz
# (binary, .desktop file, icon), made by `fyne package -os linux` on a
# throwaway copy of the source so that its Build bump does not dirty
# FyneApp.toml, with the man pages added; and from the same binary
# dist/keytray_<version>_amd64.deb and dist/keytray-<version>.x86_64.rpm,
# made by nfpm from packaging/nfpm.yaml (installed under /usr, with the
# AppStream metainfo, hicolor icons, man pages and licence), dated
# SOURCE_DATE_EPOCH so that one commit always gives the same bytes.
## build dist/: the tarball, keytray_<version>_amd64.deb and keytray-<version>.x86_64.rpm
package: deps-build man
	LDFLAGS_X='$(LDFLAGS_X)' PKG_VERSION='$(VERSION)' SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) \
		scripts/package.sh dist

# Install the package for the current user (~/.local/bin, ~/.local/share/
# applications, ~/.local/share/icons, ~/.local/share/man), or remove it;
# keys and settings stay.
## install for you only: ~/.local/bin/keytray, menu entry, icon, man pages
install: package
	scripts/install.sh install dist/keytray-linux-$$($(GO) env GOARCH).tar.xz

## remove what install installed (keys and settings stay)
uninstall:
	scripts/install.sh uninstall

# keytray.exe for windows/amd64, cgo through MinGW-w64 (installed by
# scripts/deps.sh windows). A console program, not -H windowsgui, because the
# same exe is the command line: windowsgui would silence `keytray get`.
## cross-compile dist/keytray.exe for Windows (MinGW-w64) and zip it for users
windows:
	@scripts/deps.sh windows
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags '$(GUI_TAGS)' -ldflags '$(LDFLAGS_X)' -o dist/keytray.exe .
	cd dist && rm -f keytray-windows-amd64.zip && zip -q -X keytray-windows-amd64.zip keytray.exe

.PHONY: package install uninstall windows

# keytray.exe run, not only built: under Wine 8 in a private prefix and Xvfb
# (scripts/test-windows.sh; installs Wine and MinGW-w64 when run as root).
## run the Windows exe's tests under Wine: CLI, Run key, pipe, window, clipboard
test-windows:
	@scripts/test-windows.sh

# The .deb and .rpm as package managers meet them (scripts/test-package.sh,
# root: dpkg -i, run, validate, purge; rpm -qpl; two builds, same bytes).
## check the .deb and .rpm: reproducible, install, run, validate, remove
test-package:
	@scripts/test-package.sh

.PHONY: test-windows test-package

# keytray.1 and one page per command, generated from the same command
# definitions the program runs (cli/mangen).
## write the man pages (keytray.1, keytray-get.1, …) to dist/man
man:
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GO) run ./cli/mangen -out $(MAN_OUT) -version $(VERSION)
