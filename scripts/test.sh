#!/usr/bin/env bash
# test.sh — every test, in stages, with one summary line at the end:
#   format       gofmt -l finds nothing
#   vet          go vet, for the desktop build and for the ci, integration tags;
#                keys/ for Windows and macOS too (the core has no Linux-only
#                code), app/, cli/ and internal/ for Windows (the platform
#                files compile), internal/autostart for macOS
#   staticcheck  staticcheck (pinned in go.mod as a tool) on every build-tag
#                set that ships: desktop, headless, the test tags, Windows
#   unit         go test -race -tags ci ./...  (Fyne's headless test driver)
#   fuzz         a short pass over every Fuzz target (scripts/fuzz.sh)
#   build        the real desktop binary and the static headless one (make
#                build, make cli: the same flags users get)
#   integration  go test -tags integration inside scripts/testenv.sh
# A failed stage does not stop the later ones (more to read per run), except
# that integration needs the binaries from build. Exit status 1 if any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cache=$PWD/.cache
GUI_TAGS=migrated_fynedo # as the Makefile builds the desktop app
mkdir -p "$cache"
results=()
failed=0
start=$SECONDS

stage() { # stage NAME CMD… — run CMD, record NAME ok/FAILED with its duration
	local name=$1 t0=$SECONDS
	shift
	echo
	echo "==> $name"
	if "$@"; then
		results+=("$name ok ($((SECONDS - t0))s)")
		return 0
	fi
	results+=("$name FAILED ($((SECONDS - t0))s)")
	failed=1
	return 1
}

skip() { # skip NAME WHY
	results+=("$1 skipped ($2)")
	failed=1
}

gofiles() {
	find . \( -path ./.cache -o -path ./dist -o -path ./.git \) -prune -o -name '*.go' -print
}

check_format() {
	local bad
	bad=$(gofiles | xargs -r gofmt -l)
	if [ -n "$bad" ]; then
		echo "gofmt -l lists files that are not formatted (run gofmt -w on them):"
		echo "$bad"
		return 1
	fi
}

vet() {
	local rc=0
	go vet ./... || rc=1
	go vet -tags ci ./... || rc=1
	go vet -tags integration ./... || rc=1
	GOOS=windows go vet ./keys/... || rc=1
	GOOS=darwin go vet ./keys/... || rc=1
	GOOS=windows go vet -tags ci ./app/... ./cli/... ./internal/... || rc=1
	GOOS=darwin go vet ./internal/autostart/ || rc=1
	return $rc
}

# The tag sets the project ships or tests with. Test files are checked too,
# with the tags their packages are tested with.
static_check() {
	local rc=0 sc
	# Built for this machine once; GOOS below only says which platform's
	# files to check (`GOOS=windows go tool …` would build a Windows binary).
	sc=$(go tool -n staticcheck) || return 1
	"$sc" -tags "$GUI_TAGS" ./... || rc=1
	"$sc" -tags headless . ./cli/... ./keys/... ./internal/... || rc=1
	"$sc" -tags ci ./... || rc=1
	"$sc" -tags integration ./integration/... ./internal/itest/... ./internal/usersession/... || rc=1
	# What ships for Windows (bench/ drives Linux processes; it is not built there).
	GOOS=windows "$sc" -tags "ci $GUI_TAGS" . ./app/... ./cli/... ./keys/... ./internal/... || rc=1
	return $rc
}

build() {
	# First cgo build with an empty cache takes about 2.5 minutes (go-gl);
	# vet has usually compiled the same packages already.
	make --no-print-directory build BIN="$cache/keytray" &&
		make --no-print-directory cli CLI_OUT="$cache/keytray-cli"
}

# -p 1: the packages share one X display, clipboard and session bus; run in
# parallel, one package's clipboard or window checks see the other's.
integration() {
	local pkgs=(./internal/itest/... ./internal/usersession/...)
	[ ! -d integration ] || pkgs+=(./integration/...)
	scripts/testenv.sh env KEYTRAY_BIN="$cache/keytray" KEYTRAY_CLI_BIN="$cache/keytray-cli" \
		go test -tags integration -count=1 -p 1 -timeout 8m "${pkgs[@]}"
}

stage format check_format
stage vet vet
stage staticcheck static_check
stage unit go test -race -tags ci -timeout 5m ./...
stage fuzz scripts/fuzz.sh "${FUZZ_BUDGET:-40}"
if stage build build; then
	stage integration integration
else
	skip integration "build failed"
fi

total=$((SECONDS - start))
summary=$(
	IFS=,
	echo "${results[*]}" | sed 's/,/, /g'
)
echo
if [ "$failed" = 0 ]; then
	echo "make test: PASS in $((total / 60))m$((total % 60))s — $summary"
else
	echo "make test: FAIL in $((total / 60))m$((total % 60))s — $summary"
fi
exit "$failed"
