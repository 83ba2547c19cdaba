#!/usr/bin/env bash
# bench/pipeline/run.sh measures saring end to end on one core, per
# CPU-second (user + system), on a corpus of real prose
# (scripts/get-webcorpus.sh) and on the generated corpus (bench/gencorpus),
# with the limits measured in the same run: `zstd -dc | zstd -c` on the same
# file, a plain word split and xxh3 over every word (bench/baseline).
#
# Rows: the spine (read + write, no steps), the language step, the six
# filters of bench/filters.yaml, the default pipeline without extract
# (JSONL.zst in and out, exact_dedup and minhash included), and the default
# pipeline from the WARC of the real pages (extract included), in pages per
# CPU-second.
#
# Every row is the sum of REPS runs (default 3), so that short runs are
# timed well above the clock's resolution.
#
#   bench/pipeline/run.sh [GEN_MB]   (default 100; 0 skips the generated corpus)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
gen_mb=${1:-100}
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
bench_need zstd
scripts/get-webcorpus.sh "$work/webcorpus" >/dev/null
go build -trimpath -o bin/saring ./cmd/saring
go build -trimpath -o bin/bench-baseline ./bench/baseline
corpora=("web:$work/webcorpus/web.jsonl.zst")
if [[ $gen_mb != 0 ]]; then
	g=$work/corpus-$gen_mb.jsonl.zst
	[[ -f $g ]] || go run ./bench/gencorpus -data "$bench_lingua" -o "$g" -mb "$gen_mb" >/dev/null
	corpora+=("gen:$g")
fi

reps=${REPS:-3}
[[ -f models/lid.176.ftz ]] || scripts/get-model.sh >/dev/null
# one TIME-FILE CMD...: REPS runs of CMD on one core, their costs in TIME-FILE.
one() {
	local tf=$1 i
	shift
	rm -f "$tf"
	for ((i = 0; i < reps; i++)); do
		[[ $1 == ./bin/saring ]] && rm -rf "$work/out-run"
		bench_time1 "$tf" "$@" >/dev/null 2>"$tf.err" || {
			echo "$bench_script: failed: $*" >&2
			cat "$tf.err" >&2
			exit 1
		}
	done
}
nocomment() { grep -v '^ *#' "$1"; }
# The default pipeline minus its first step, for JSONL input.
nocomment pipeline/default.yaml | grep -v '^  - extract$' >"$work/default-noextract.yaml"

echo "machine: $(bench_machine)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo
echo "| corpus | run (1 core) | CPU s | MB per CPU-second | peak RSS MiB |"
echo "|---|---|---|---|---|"
for c in "${corpora[@]}"; do
	name=${c%%:*} f=${c#*:}
	raw=$(bench_bytes "$f")
	row() { bench_row "$name" "$1" "$(awk -v s="$(bench_cpu "$2")" 'BEGIN { printf "%.1f", s }')" "$(bench_mbps "$((raw * reps))" "$(bench_cpu "$2")")" "$(bench_rss "$2" 0)"; }
	one "$work/z.time" bash -c "zstd -q -dc '$f' | zstd -q -3 -c > /dev/null"
	row 'zstd -dc \| zstd -c (limit)' "$work/z.time"
	one "$work/w.time" bash -c "zstd -q -dc '$f' | ./bin/bench-baseline words"
	row 'zstd -dc + plain word split (limit)' "$work/w.time"
	one "$work/x.time" bash -c "zstd -q -dc '$f' | ./bin/bench-baseline xxh3"
	row 'zstd -dc + xxh3 of every word (limit)' "$work/x.time"
	run() { # label time-name args...
		local label=$1 tn=$2
		shift 2
		one "$work/$tn.time" ./bin/saring run -q -i "$f" -o "$work/out-run" --workers 1 --format jsonl.zst "$@"
		row "$label" "$work/$tn.time"
	}
	run 'spine: read + write, no steps' spine --steps ""
	run 'language' lang --steps language
	run 'language + six filters (bench/filters.yaml)' filters bench/filters.yaml
	run 'default pipeline without extract' default "$work/default-noextract.yaml"
	awk -v z="$(bench_cpu "$work/z.time")" -v s="$(bench_cpu "$work/spine.time")" -v l="$(bench_cpu "$work/lang.time")" -v f="$(bench_cpu "$work/filters.time")" -v raw="$((raw * reps))" -v n="$name" 'BEGIN {
		printf "| %s | spine / zstd (aim >= 0.7) | | %.2f | |\n", n, z/s
		printf "| %s | language step alone (language - spine) | %.1f | %.1f | |\n", n, l-s, raw/1e6/(l-s)
		printf "| %s | six filters alone (filters - language) | %.1f | %.1f | |\n", n, f-l, raw/1e6/(f-l) }'
done
pages=$(awk 'END {print NR}' "$work/webcorpus/pages.tsv")
one "$work/warc.time" ./bin/saring run -q -i "$work/webcorpus/web.warc.gz" -o "$work/out-run" --workers 1 --format jsonl.zst
awk -v s="$(bench_cpu "$work/warc.time")" -v p="$((pages * reps))" -v r="$(bench_rss "$work/warc.time" 0)" 'BEGIN {
	printf "\n| WARC of the real pages, default pipeline (extract included) | %d pages | %.1f CPU s | %.0f pages per CPU-second | %s MiB |\n", p, s, p/s, r }'
