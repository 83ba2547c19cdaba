#!/usr/bin/env bash
# Scores saring's extract step, go-trafilatura and go-readability on
# trafilatura's own evaluation set (the pages and expectations shipped in the
# go-trafilatura module this repository already depends on; nothing is
# copied), overall, per tune/held-out split and per declared language.
#
#   bench/extract/trafeval.sh [-misses tune] [-only saring] [-fallback-below N] [-clean-lines=false]
#
# One core (GOMAXPROCS=1); CPU seconds are user+sys of the process, measured
# around each extractor's pass over all pages, in the same run; the last
# line is the whole process (bench/lib.sh).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
tmp=${TMPDIR:-/tmp}/saring-extract-bench
mkdir -p "$tmp"
echo "== machine: $(bench_machine), $(go version | cut -d' ' -f3)"
echo "== data: $(go list -m github.com/markusmobius/go-trafilatura)"
go build -o "$tmp/trafeval" ./bench/extract/trafeval
rm -f "$tmp/trafeval.time"
bench_time "$tmp/trafeval.time" env GOMAXPROCS=1 "$tmp/trafeval" "$@"
bench_result "== whole process" "$tmp/trafeval.time"
