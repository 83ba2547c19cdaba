#!/usr/bin/env bash
# Measures report generation, viewer index build and viewer page latency on
# a synthetic run output of 1M small documents (jsonl.zst) under /tmp. The
# program times its parts itself; the last line is the whole process
# (writing the output included).
# Usage: bench/report/run.sh [DOCS] [DIR]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
docs=${1:-1000000}
dir=${2:-/tmp/saring-bench-report-$docs}
go build -trimpath -o "$bench_bin/bench-report" ./bench/report
rm -f "$bench_bin/bench-report.time"
bench_time "$bench_bin/bench-report.time" "$bench_bin/bench-report" -docs "$docs" -dir "$dir" -requests 3000 -clients 4 -max-time 90s
bench_result "whole process" "$bench_bin/bench-report.time"
