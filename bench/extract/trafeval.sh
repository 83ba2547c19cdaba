#!/usr/bin/env bash
# Scores saring's extract step, go-trafilatura and go-readability on
# trafilatura's own evaluation set (the pages and expectations shipped in the
# go-trafilatura module this repository already depends on; nothing is
# copied), overall, per tune/held-out split and per declared language.
#
#   bench/extract/trafeval.sh [-misses tune] [-only saring] [-fallback-below N] [-clean-lines=false]
#
# One core (GOMAXPROCS=1); CPU seconds are user+sys of the process, measured
# around each extractor's pass over all pages, in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=${TMPDIR:-/tmp}/saring-extract-bench
mkdir -p "$tmp"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
echo "== data: $(go list -m github.com/markusmobius/go-trafilatura)"
go build -o "$tmp/trafeval" ./bench/extract/trafeval
GOMAXPROCS=1 "$tmp/trafeval" "$@"
