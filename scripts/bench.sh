#!/usr/bin/env bash
# bench.sh [ARGS…] — `make bench`: measure Keytray against its floors in a
# private desktop session (scripts/testenv.sh) and write docs/benchmarks.md.
# ARGS go to bench/run (e.g. -runs 25 -idle 60s -window-rounds 7 -out FILE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec scripts/testenv.sh go run ./bench/run "$@"
