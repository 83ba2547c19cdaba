#!/usr/bin/env bash
# Language-ID benchmark: `saring lid` against the C++ `fasttext predict-prob`
# (Debian's fastText 0.9.2) with lid.176.ftz, on the same input, one core
# each (taskset -c 0, GOMAXPROCS=1), in one run, alternating the two so that
# a busy machine slows both alike.
#
#   bash bench/lid/run.sh               # prints a Markdown table
#   RESULTS=bench/results/lid.md bash bench/lid/run.sh   # also appends it there
#   REPEAT=4 RUNS=5 K=5 bash bench/lid/run.sh
#
# The full CLI is also measured as bench/lid/lidonly, the same engine
# linked alone, because the CLI's start-up (package initialisation of the
# HTML-extraction dependencies) costs more than the model does.
#
# Input: every lingua sentence (75 languages) concatenated, REPEAT times.
# Reports lines/s and MB/s over CPU time (user+sys) and over wall time,
# peak RSS (bench/lib.sh), model load time (empty input), and whether the
# two printed the same bytes. Needs ../shared beside the repository,
# `apt-get install -y fasttext`, and npm for scripts/get-model.sh.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
OUT=${OUT:-/tmp/saring-lid-bench}
REPEAT=${REPEAT:-2}
RUNS=${RUNS:-3}
K=${K:-1}
mkdir -p "$OUT"

bench_need fasttext
bench_need_data "$bench_lingua" "$bench_lingua_how"
scripts/get-model.sh >/dev/null
model=models/lid.176.ftz
go build -o "$OUT/saring" ./cmd/saring
go build -o "$OUT/lidonly" ./bench/lid/lidonly

input=$OUT/input.txt
: >"$input"
for _ in $(seq "$REPEAT"); do cat "$bench_lingua"/*.txt >>"$input"; done
lines=$(wc -l <"$input")
bytes=$(wc -c <"$input")

# run NAME CMD...: one timed run on the input, pinned to core 0; its cost
# is appended to $OUT/NAME.time.
run() {
	local name=$1
	shift
	bench_time1 "$OUT/$name.time" "$@" <"$input" >"$OUT/$name.out"
}

# load NAME CMD...: median wall time of 5 runs on empty input (load + exit).
load() {
	local name=$1
	shift
	rm -f "$OUT/load-$name.time"
	for _ in 1 2 3 4 5; do
		bench_time "$OUT/load-$name.time" taskset -c 0 "$@" </dev/null >/dev/null
	done
	sort -n "$OUT/load-$name.time" | sed -n 3p | cut -d' ' -f1
}

machine=$(bench_machine)
rm -f "$OUT"/{cpp,saring,lidonly}.time
for _ in $(seq "$RUNS"); do
	run cpp fasttext predict-prob "$model" - "$K"
	run saring "$OUT/saring" lid --model "$model" -k "$K"
	run lidonly "$OUT/lidonly" "$model" "$K"
done
same=no
cmp -s "$OUT/cpp.out" "$OUT/saring.out" && cmp -s "$OUT/cpp.out" "$OUT/lidonly.out" && same=yes
declare -A label=([cpp]="fasttext predict-prob (C++ 0.9.2)" [saring]="saring lid (full CLI)" [lidonly]="saring engine alone (bench/lid/lidonly)")
declare -A loadtime=([cpp]=$(load cpp fasttext predict-prob "$model" - 1) [saring]=$(load saring "$OUT/saring" lid --model "$model")
	[lidonly]=$(load lidonly "$OUT/lidonly" "$model" 1))
# Per program: the mean CPU and wall seconds of a run.
declare -A cpu wall
for p in cpp saring lidonly; do
	n=$(bench_runs "$OUT/$p.time")
	cpu[$p]=$(awk -v s="$(bench_cpu "$OUT/$p.time")" -v n="$n" 'BEGIN { print s / n }')
	wall[$p]=$(awk -v s="$(bench_wall "$OUT/$p.time")" -v n="$n" 'BEGIN { print s / n }')
done
table=$(
	echo "| program | lines/s (CPU) | MB/s (CPU) | lines/s (wall) | peak RSS | model load |"
	echo "|---|---:|---:|---:|---:|---:|"
	for p in cpp saring lidonly; do
		bench_row "${label[$p]}" "$(awk -v n="$lines" -v s="${cpu[$p]}" 'BEGIN { printf "%.0f", n / s }')" "$(bench_mbps "$bytes" "${cpu[$p]}" 2)" \
			"$(awk -v n="$lines" -v s="${wall[$p]}" 'BEGIN { printf "%.0f", n / s }')" "$(bench_rss "$OUT/$p.time") MiB" "$(printf %.3f "${loadtime[$p]}") s"
	done
	echo
	awk -v cpp="${cpu[cpp]}" -v s="${cpu[saring]}" -v l="${cpu[lidonly]}" 'BEGIN {
		printf "Per-core speedup over C++ (CPU time): saring lid %.2fx, engine alone %.2fx.\n", cpp / s, cpp / l }'
)

report=$(
	cat <<MD
### lid.176.ftz, k=$K: saring lid vs fasttext predict-prob ($(date -u +%F))

Command: \`REPEAT=$REPEAT RUNS=$RUNS K=$K bash bench/lid/run.sh\`; machine: $machine.
Input: the lingua sentences (75 languages) x $REPEAT = $lines lines, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB; each program pinned to one core, $RUNS runs each, alternating; mean of runs.
Outputs byte-identical: $same.

$table
MD
)
echo "$report"
if [[ -n ${RESULTS:-} ]]; then
	printf '\n%s\n' "$report" >>"$RESULTS"
fi
