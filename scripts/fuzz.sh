#!/usr/bin/env bash
# fuzz.sh [BUDGET_SECONDS] — run every Fuzz target in the module for a share of
# BUDGET_SECONDS (default 40; at most FUZZTIME_MAX seconds per target, default 4,
# and at least 1). `make test` uses the default for a quick pass over the
# seed corpus and a little new input; `make fuzz` passes a larger budget.
#
# Targets are found with grep (cheap) and confirmed with `go test -list`, so a
# Fuzz function in a file excluded by build tags is not run. Packages build with
# -tags ci so that those importing Fyne use its headless test driver.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

budget=${1:-40}
max=${FUZZTIME_MAX:-4}

mapfile -t dirs < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Z0-9_]' . |
	grep -vE '^\./(\.cache|dist|testdata)/' | xargs -r -n1 dirname | sort -u)

targets=() # "pkgdir name"
for d in "${dirs[@]}"; do
	while IFS= read -r name; do
		targets+=("$d $name")
	done < <(go test -tags ci -list '^Fuzz' "$d" | grep -E '^Fuzz')
done

if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz: no Fuzz targets found"
	exit 0
fi

per=$((budget / ${#targets[@]}))
[ "$per" -le "$max" ] || per=$max
[ "$per" -ge 1 ] || per=1

# fuzz_once DIR NAME: one run; its output goes to stdout and to $log.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz_once() {
	go test -tags ci -run '^$' -fuzz "^${2}\$" -fuzztime "${per}s" "$1" 2>&1 | tee "$log"
	return "${PIPESTATUS[0]}"
}

# inputs DIR NAME: how many failing inputs are saved for the target.
inputs() {
	if [ -d "$1/testdata/fuzz/$2" ]; then
		find "$1/testdata/fuzz/$2" -type f | wc -l
	else
		echo 0
	fi
}

failed=0
for t in "${targets[@]}"; do
	read -r d name <<<"$t"
	echo "fuzz: $name in $d for ${per}s"
	before=$(inputs "$d" "$name")
	fuzz_once "$d" "$name" && continue
	# Go 1.26's fuzzing coordinator can fail a target at the -fuzztime
	# deadline with a bare "context deadline exceeded" and no input
	# (golang/go#75804, fixed in Go 1.27). Only that is run again, once; a
	# saved input, or any other failure, fails at once.
	if [ "$(inputs "$d" "$name")" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log"; then
		echo "fuzz: $name stopped on Go's fuzztime deadline race (golang/go#75804) without an input; running it again" >&2
		fuzz_once "$d" "$name" && continue
	fi
	echo "fuzz: $name in $d FAILED (a failing input, if any, is saved under $d/testdata/fuzz/$name)" >&2
	failed=1
done
exit "$failed"
