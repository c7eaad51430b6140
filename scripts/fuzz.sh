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

failed=0
for t in "${targets[@]}"; do
	read -r d name <<<"$t"
	echo "fuzz: $name in $d for ${per}s"
	if ! go test -tags ci -run '^$' -fuzz "^${name}\$" -fuzztime "${per}s" "$d"; then
		echo "fuzz: $name in $d FAILED (the failing input is saved under $d/testdata/fuzz/$name)" >&2
		failed=1
	fi
done
exit "$failed"
