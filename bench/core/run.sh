#!/usr/bin/env bash
# bench/core/run.sh measures the pipeline's spine: JSONL.zst in, JSONL.zst
# out, no steps, one core, next to `zstd -dc FILE | zstd -c > /dev/null` on
# the same file in the same run; and peak memory for a small and a large
# input.
#
#   bench/core/run.sh [SIZES_MB...]   (default: 100 1000; `make bench`)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
sizes=("$@")
[[ $# -eq 0 ]] && sizes=(100 1000)
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
bench_need zstd
go build -trimpath -o bin/saring ./cmd/saring

echo "machine: $(bench_machine)"
echo "Throughput is uncompressed MB per CPU-second (user+system), both pinned to one core."
echo "| input (uncompressed) | output level | zstd -dc \\| zstd -c | saring run, no steps | ratio saring/zstd | saring wall | saring peak RSS |"
echo "|---|---|---|---|---|---|---|"
for mb in "${sizes[@]}"; do
	f=$work/corpus-$mb.jsonl.zst
	[[ -f $f ]] || go run ./bench/gencorpus -data "$bench_lingua" -o "$f" -mb "$mb" >/dev/null
	raw=$(bench_bytes "$f")
	for lv in "default 3" "fastest 1"; do
		read -r level zl <<<"$lv"
		rm -f "$work/base.time" "$work/saring.time" && rm -rf "$work/out"
		bench_time1 "$work/base.time" bash -c "zstd -q -dc '$f' | zstd -q -$zl -c > /dev/null"
		bench_time1 "$work/saring.time" ./bin/saring run -q -i "$f" -o "$work/out" --steps "" --workers 1 --format jsonl.zst --compression "$level"
		b=$(bench_cpu "$work/base.time") s=$(bench_cpu "$work/saring.time")
		bench_row "$((raw / 1000000)) MB" "$level (zstd -$zl)" "$(bench_mbps "$raw" "$b" 0) MB/s" "$(bench_mbps "$raw" "$s" 0) MB/s" \
			"$(awk -v b="$b" -v s="$s" 'BEGIN { printf "%.2f", b / s }')" "$(awk -v w="$(bench_wall "$work/saring.time")" 'BEGIN { printf "%.1f", w }') s" \
			"$(bench_rss "$work/saring.time" 0) MiB"
	done
done
