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
# peak RSS (/usr/bin/time), model load time (empty input), and whether the
# two printed the same bytes. Needs ../shared beside the repository,
# `apt-get install -y fasttext time`, and npm for scripts/get-model.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/saring-lid-bench}
REPEAT=${REPEAT:-2}
RUNS=${RUNS:-3}
K=${K:-1}
mkdir -p "$OUT"

command -v fasttext >/dev/null || { echo "bench/lid: needs the C++ fasttext program: apt-get install -y fasttext" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench/lid: needs GNU time: apt-get install -y time" >&2; exit 1; }
scripts/get-model.sh >/dev/null
model=models/lid.176.ftz
go build -o "$OUT/saring" ./cmd/saring
go build -o "$OUT/lidonly" ./bench/lid/lidonly

input=$OUT/input.txt
: >"$input"
for _ in $(seq "$REPEAT"); do cat ../shared/data/lingua-sentences/*.txt >>"$input"; done
lines=$(wc -l <"$input")
bytes=$(wc -c <"$input")

# run NAME CMD...: one timed run on the input, pinned to core 0; appends
# "name wall cpu rss_kb" to $OUT/times.
run() {
	local name=$1
	shift
	GOMAXPROCS=1 /usr/bin/time -f '%e %U %S %M' -o "$OUT/t" taskset -c 0 "$@" <"$input" >"$OUT/$name.out"
	read -r wall user sys rss <"$OUT/t"
	echo "$name $wall $(echo "$user + $sys" | bc) $rss" >>"$OUT/times"
}

# load NAME CMD...: median wall time of 5 runs on empty input (load + exit).
load() {
	local name=$1
	shift
	for _ in 1 2 3 4 5; do
		/usr/bin/time -f '%e' -o "$OUT/t" taskset -c 0 "$@" </dev/null >/dev/null
		cat "$OUT/t"
	done | sort -n | sed -n 3p
}

: >"$OUT/times"
for _ in $(seq "$RUNS"); do
	run cpp fasttext predict-prob "$model" - "$K"
	run saring "$OUT/saring" lid --model "$model" -k "$K"
	run lidonly "$OUT/lidonly" "$model" "$K"
done
same=no
cmp -s "$OUT/cpp.out" "$OUT/saring.out" && cmp -s "$OUT/cpp.out" "$OUT/lidonly.out" && same=yes
load_cpp=$(load cpp fasttext predict-prob "$model" - 1)
load_saring=$(load saring "$OUT/saring" lid --model "$model")
load_lidonly=$(load lidonly "$OUT/lidonly" "$model" 1)

table=$(awk -v lines="$lines" -v bytes="$bytes" -v lc="$load_cpp" -v ls="$load_saring" -v lo="$load_lidonly" '
	{ n[$1]++; wall[$1] += $2; cpu[$1] += $3; if ($4 > rss[$1]) rss[$1] = $4 }
	END {
		print "| program | lines/s (CPU) | MB/s (CPU) | lines/s (wall) | peak RSS | model load |"
		print "|---|---:|---:|---:|---:|---:|"
		split("cpp saring lidonly", order, " ")
		name["cpp"] = "fasttext predict-prob (C++ 0.9.2)"; name["saring"] = "saring lid (full CLI)"
		name["lidonly"] = "saring engine alone (bench/lid/lidonly)"
		load["cpp"] = lc; load["saring"] = ls; load["lidonly"] = lo
		for (i = 1; i <= 3; i++) {
			p = order[i]; c = cpu[p] / n[p]; w = wall[p] / n[p]
			printf "| %s | %.0f | %.2f | %.0f | %.1f MiB | %.3f s |\n", name[p], lines / c, bytes / c / 1e6, lines / w, rss[p] / 1024, load[p]
		}
		printf "\nPer-core speedup over C++ (CPU time): saring lid %.2fx, engine alone %.2fx.\n", (cpu["cpp"] / n["cpp"]) / (cpu["saring"] / n["saring"]), (cpu["cpp"] / n["cpp"]) / (cpu["lidonly"] / n["lidonly"])
	}' "$OUT/times")

report=$(
	cat <<MD
### lid.176.ftz, k=$K: saring lid vs fasttext predict-prob ($(date -u +%F))

Command: \`REPEAT=$REPEAT RUNS=$RUNS K=$K bash bench/lid/run.sh\`; machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average at start $(cut -d' ' -f1-3 /proc/loadavg).
Input: the lingua sentences (75 languages) x $REPEAT = $lines lines, $(echo "scale=1; $bytes / 1000000" | bc) MB; each program pinned to one core, $RUNS runs each, alternating; mean of runs.
Outputs byte-identical: $same.

$table
MD
)
echo "$report"
if [[ -n ${RESULTS:-} ]]; then
	printf '\n%s\n' "$report" >>"$RESULTS"
fi
