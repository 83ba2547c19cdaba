#!/usr/bin/env bash
# bench/filters/run.sh measures the quality filter set on one core over a
# generated multilingual news-like corpus: the whole `saring run` with the
# six steps of bench/filters.yaml, next to the same run with no steps
# (reading and writing only), and the per-step time from stats.json.
#
#   bench/filters/run.sh [SIZE_MB]   (default 300)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
mb=${1:-300}
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
bench_need zstd python3
go build -trimpath -o bin/saring ./cmd/saring
f=$work/corpus-$mb.jsonl.zst
[[ -f $f ]] || go run ./bench/gencorpus -data "$bench_lingua" -o "$f" -mb "$mb" >/dev/null
raw=$(bench_bytes "$f")
run() { # name args...
	local name=$1
	shift
	rm -rf "$work/out-$name" "$work/$name.time"
	bench_time1 "$work/$name.time" ./bin/saring run -q -i "$f" -o "$work/out-$name" --workers 1 --format jsonl.zst "$@"
}
run none --steps ""
run lang --steps language
run filters bench/filters.yaml
n=$(bench_cpu "$work/lang.time") s=$(bench_cpu "$work/filters.time") z=$(bench_cpu "$work/none.time")
echo "machine: $(bench_machine)"
echo "corpus: $((raw / 1000000)) MB uncompressed, $(zstd -q -dc "$f" | wc -l) documents, 10 languages (go run ./bench/gencorpus -mb $mb)"
echo "| run (1 core) | CPU s | MB per CPU-second |"
echo "|---|---|---|"
awk -v raw="$raw" -v n="$n" -v s="$s" -v z="$z" 'BEGIN {
	printf "| read + write only | %.1f | %.0f |\n", z, raw/1e6/z
	printf "| read + language + write | %.1f | %.0f |\n", n, raw/1e6/n
	printf "| read + language + six filters + write | %.1f | %.0f |\n", s, raw/1e6/s
	printf "| the six filters alone (difference) | %.1f | %.0f |\n", s-n, raw/1e6/(s-n) }'
python3 - "$work/out-filters/stats.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
print("\n| step | seconds (stats.json) | MB/s of its input | removed |\n|---|---|---|---|")
for s in st["steps"]:
    print(f"| {s['name']} | {s['seconds']:.1f} | {s['bytes_in']/1e6/max(s['seconds'],1e-9):.0f} | {s['removed']} |")
PY
