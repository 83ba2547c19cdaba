#!/usr/bin/env bash
# bench-filters.sh measures the quality filter set on one core over a
# generated multilingual news-like corpus: the whole `saring run` with the
# six steps, next to the same run with no steps (reading and writing only),
# and the per-step time from stats.json.
#
#   scripts/bench-filters.sh [SIZE_MB]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-300}
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
go build -trimpath -o bin/saring ./cmd/saring
f=$work/corpus-$mb.jsonl.zst
[[ -f $f ]] || go run ./bench/gencorpus -o "$f" -mb "$mb" >/dev/null
raw=$(zstd -dc "$f" | wc -c)
cpu() { awk '/User time/ {u=$NF} /System time/ {s=$NF} END {print u+s}' "$1"; }
run() { # name args...
	local name=$1
	shift
	rm -rf "$work/out-$name"
	GOMAXPROCS=1 /usr/bin/time -v taskset -c 0 ./bin/saring run -q -i "$f" -o "$work/out-$name" --workers 1 --format jsonl.zst "$@" 2> "$work/$name.time"
}
run none --steps ""
run lang --steps language
run filters bench/filters.yaml
n=$(cpu "$work/lang.time"); s=$(cpu "$work/filters.time"); z=$(cpu "$work/none.time")
echo "corpus: $(awk -v r="$raw" 'BEGIN{printf "%.0f MB", r/1e6}') uncompressed, $(zstd -dc "$f" | wc -l) documents, 10 languages (go run ./bench/gencorpus -mb $mb)"
awk -v raw="$raw" -v n="$n" -v s="$s" -v z="$z" 'BEGIN {
	printf "| run (1 core) | CPU s | MB per CPU-second |\n|---|---|---|\n"
	printf "| read + write only | %.1f | %.0f |\n", z, raw/1e6/z
	printf "| read + language + write | %.1f | %.0f |\n", n, raw/1e6/n
	printf "| read + language + six filters + write | %.1f | %.0f |\n", s, raw/1e6/s
	printf "| the six filters alone (difference) | %.1f | %.0f |\n", s-n, raw/1e6/(s-n) }'
python3 - "$work/out-filters/stats.json" "$raw" <<'PY'
import json, sys
st = json.load(open(sys.argv[1])); raw = int(sys.argv[2])
print("\n| step | seconds (stats.json) | MB/s of its input | removed |\n|---|---|---|---|")
for s in st["steps"]:
    print(f"| {s['name']} | {s['seconds']:.1f} | {s['bytes_in']/1e6/max(s['seconds'],1e-9):.0f} | {s['removed']} |")
PY
