#!/bin/sh
# Interleaved ratios, derived / reference, pinned to one core (BENCHMARKS.md, "Method").
# Usage: scripts/ratios.sh [filter]   e.g. scripts/ratios.sh parse/   or   scripts/ratios.sh cache/
set -eu
cd "$(dirname "$0")/.."
cargo bench -p oauth-tests --bench compare --no-run
exec taskset -c "${BENCH_CPU:-1}" cargo bench -p oauth-tests --bench compare -- --ratios "$@"
