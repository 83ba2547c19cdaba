#!/usr/bin/env bash
# Measures report generation, viewer index build and viewer page latency on
# a synthetic run output of 1M small documents (jsonl.zst) under /tmp.
# Usage: bench/report/run.sh [DOCS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-1000000}
dir=${2:-/tmp/saring-bench-report-$docs}
go run ./bench/report -docs "$docs" -dir "$dir" -requests 3000 -clients 4 -max-time 90s
