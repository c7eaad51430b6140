# Keytray. On a fresh Debian/Ubuntu machine two commands are enough:
#   make run    build the desktop app and start it
#   make test   every test (installs what it needs when run as root)
# Set-up logic lives in scripts/ so that it can be read and run on its own.

GO ?= go
CACHE := .cache

.PHONY: run display run-xvfb build cli deps-build deps-test test fuzz bench clean

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
run-xvfb: deps-test build
	@echo "Starting Keytray in a throwaway Xvfb session; its keyring and settings are deleted when it exits."
	@echo "Screenshot from another shell: DISPLAY=<shown below> import -window root shot.png"
	scripts/testenv.sh sh -c 'echo "DISPLAY=$$DISPLAY"; exec ./keytray'

build: deps-build
	$(GO) build -o keytray .

# The static, Fyne-free command line (servers, CI): every CLI command, no GUI.
cli:
	CGO_ENABLED=0 $(GO) build -tags headless -o dist/keytray-cli .

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

test: deps-test
	@scripts/test.sh

# Longer fuzzing: FUZZ_SECONDS shared by all targets (make fuzz FUZZ_SECONDS=3600).
FUZZ_SECONDS ?= 600
fuzz:
	FUZZTIME_MAX=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_SECONDS)

# Go benchmarks, plus the floor programs that Keytray's start-up and idle
# costs are compared with (bench/floor-*; built without -tags ci: real GL).
bench:
	$(GO) test -tags ci -run '^$$' -bench . -benchmem ./...
	$(GO) build -o $(CACHE)/bench/floor-keyring ./bench/floor-keyring
	$(GO) build -o $(CACHE)/bench/floor-fyne ./bench/floor-fyne

clean:
	rm -rf keytray dist $(CACHE)

# PNGs of the window's main screens (English and Chinese, light and dark),
# rendered from fake data, in docs/screenshots/.
screenshots:
	scripts/screenshots.sh

.PHONY: screenshots
