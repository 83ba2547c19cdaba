#!/usr/bin/env bash
# bench-core.sh measures the pipeline's spine: JSONL.zst in, JSONL.zst out,
# no steps, one core, next to `zstd -dc FILE | zstd -c > /dev/null` on the
# same file in the same run; and peak memory for a small and a large input.
#
#   scripts/bench-core.sh [SIZES_MB...]   (default: 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100 1000}")
[[ $# -eq 0 ]] && sizes=(100 1000)
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
for t in zstd /usr/bin/time taskset; do command -v "$t" >/dev/null || { echo "bench: need $t (apt-get install zstd time util-linux)" >&2; exit 1; }; done
go build -trimpath -o bin/saring ./cmd/saring

secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
# CPU seconds (user + system): per-core throughput that does not depend on
# what else the machine is doing.
cpu() { awk '/User time/ {u=$NF} /System time/ {s=$NF} END {print u+s}' "$1"; }
rss() { awk '/Maximum resident set size/ {print $NF}' "$1"; }

echo "machine: $(nproc) cores, $(awk '/model name/ {for(i=4;i<=NF;i++) printf $i" "; print ""; exit}' /proc/cpuinfo)"
echo "Throughput is uncompressed MB per CPU-second (user+system), both pinned to one core."
echo "| input (uncompressed) | output level | zstd -dc \\| zstd -c | saring run, no steps | ratio saring/zstd | saring wall | saring peak RSS |"
echo "|---|---|---|---|---|---|---|"
for mb in "${sizes[@]}"; do
	f=$work/corpus-$mb.jsonl.zst
	[[ -f $f ]] || go run ./bench/gencorpus -o "$f" -mb "$mb" >/dev/null
	raw=$(zstd -dc "$f" | wc -c)
	for lv in "default 3" "fastest 1"; do
		set -- $lv
		/usr/bin/time -v taskset -c 0 bash -c "zstd -q -dc '$f' | zstd -q -$2 -c > /dev/null" 2> "$work/base.time"
		rm -rf "$work/out"
		GOMAXPROCS=1 /usr/bin/time -v taskset -c 0 ./bin/saring run -q -i "$f" -o "$work/out" --steps "" --workers 1 --format jsonl.zst --compression "$1" 2> "$work/saring.time"
		b=$(cpu "$work/base.time"); s=$(cpu "$work/saring.time"); w=$(secs "$work/saring.time")
		awk -v raw="$raw" -v b="$b" -v s="$s" -v w="$w" -v r="$(rss "$work/saring.time")" -v lv="$1 (zstd -$2)" 'BEGIN {
			printf "| %d MB | %s | %.0f MB/s | %.0f MB/s | %.2f | %.1f s | %.0f MiB |\n", raw/1e6, lv, raw/1e6/b, raw/1e6/s, b/s, w, r/1024 }'
	done
done
