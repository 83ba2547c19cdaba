#!/usr/bin/env bash
# bench-pipeline.sh measures saring end to end on one core, per CPU-second
# (user + system), on a corpus of real prose (scripts/get-webcorpus.sh) and
# on the generated corpus (bench/gencorpus), with the limits measured in the
# same run: `zstd -dc | zstd -c` on the same file, a plain word split and
# xxh3 over every word (bench/baseline).
#
# Rows: the spine (read + write, no steps), the language step, the six
# filters of bench/filters.yaml, the default pipeline without extract
# (JSONL.zst in and out, exact_dedup and minhash included), and the default
# pipeline from the WARC of the real pages (extract included), in pages per
# CPU-second.
#
# Every row is the sum of REPS runs (default 3), so that short runs are
# timed above the clock's resolution.
#
#   scripts/bench-pipeline.sh [GEN_MB]   (default 100; 0 skips the generated corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
gen_mb=${1:-100}
work=${BENCH_DIR:-/tmp/saring-bench}
mkdir -p "$work"
for t in zstd /usr/bin/time taskset; do command -v "$t" >/dev/null || { echo "bench: need $t (apt-get install zstd time util-linux)" >&2; exit 1; }; done
scripts/get-webcorpus.sh "$work/webcorpus" >/dev/null
go build -trimpath -o bin/saring ./cmd/saring
go build -trimpath -o bin/bench-baseline ./bench/baseline
corpora=("web:$work/webcorpus/web.jsonl.zst")
if [[ $gen_mb != 0 ]]; then
	g=$work/corpus-$gen_mb.jsonl.zst
	[[ -f $g ]] || go run ./bench/gencorpus -o "$g" -mb "$gen_mb" >/dev/null
	corpora+=("gen:$g")
fi

reps=${REPS:-3}
[[ -f models/lid.176.ftz ]] || scripts/get-model.sh >/dev/null
# Time files hold one /usr/bin/time -v report per repetition: CPU seconds
# are summed over them, peak memory is the largest.
cpu() { awk '/User time/ {u+=$NF} /System time/ {s+=$NF} END {print u+s}' "$1"; }
rss() { awk '/Maximum resident set size/ {if ($NF > m) m = $NF} END {printf "%.0f", m/1024}' "$1"; }
one() { # time-file command...
	local tf=$1 i
	shift
	: > "$tf"
	for ((i = 0; i < reps; i++)); do
		[[ $1 == ./bin/saring ]] && rm -rf "$work/out-run"
		GOMAXPROCS=1 /usr/bin/time -v -a -o "$tf" taskset -c 0 "$@" >/dev/null 2> "$tf.err" || {
			echo "bench: failed: $*" >&2
			cat "$tf.err" >&2
			exit 1
		}
	done
}
nocomment() { grep -v '^ *#' "$1"; }
# The default pipeline minus its first step, for JSONL input.
nocomment pipeline/default.yaml | grep -v '^  - extract$' > "$work/default-noextract.yaml"

echo "machine: $(nproc) cores, $(awk '/model name/ {for(i=4;i<=NF;i++) printf $i" "; print ""; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo
echo "| corpus | run (1 core) | CPU s | MB per CPU-second | peak RSS MiB |"
echo "|---|---|---|---|---|"
for c in "${corpora[@]}"; do
	name=${c%%:*} f=${c#*:}
	raw=$(zstd -dc "$f" | wc -c)
	row() { awk -v n="$name" -v what="$1" -v raw="$((raw * reps))" -v s="$(cpu "$2")" -v r="$(rss "$2")" 'BEGIN { printf "| %s | %s | %.1f | %.1f | %s |\n", n, what, s, raw/1e6/s, r }'; }
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
	awk -v z="$(cpu "$work/z.time")" -v s="$(cpu "$work/spine.time")" -v l="$(cpu "$work/lang.time")" -v f="$(cpu "$work/filters.time")" -v raw="$((raw * reps))" -v n="$name" 'BEGIN {
		printf "| %s | spine / zstd (aim >= 0.7) | | %.2f | |\n", n, z/s
		printf "| %s | language step alone (language - spine) | %.1f | %.1f | |\n", n, l-s, raw/1e6/(l-s)
		printf "| %s | six filters alone (filters - language) | %.1f | %.1f | |\n", n, f-l, raw/1e6/(f-l) }'
done
pages=$(awk 'END {print NR}' "$work/webcorpus/pages.tsv")
one "$work/warc.time" ./bin/saring run -q -i "$work/webcorpus/web.warc.gz" -o "$work/out-run" --workers 1 --format jsonl.zst
awk -v s="$(cpu "$work/warc.time")" -v p="$((pages * reps))" -v r="$(rss "$work/warc.time")" 'BEGIN {
	printf "\n| WARC of the real pages, default pipeline (extract included) | %d pages | %.1f CPU s | %.0f pages per CPU-second | %s MiB |\n", p, s, p/s, r }'
