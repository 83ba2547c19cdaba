#!/usr/bin/env bash
# Language ID on whole documents, one core, per CPU-second (user + sys), in
# one run: the language step (`saring run --steps language`, minus the
# spine: `--steps ""` on the same file) at a base commit and at the working
# tree, and, on the same documents as single lines (newlines as spaces, as
# the step classifies them), `saring lid -k 2` and the C++
# `fasttext predict-prob ... 2` as the peer, whose outputs must be equal
# byte for byte. Runs alternate, RUNS times; the table shows each row's
# best (least CPU) run, as a busy machine only ever adds time.
#
#   bash bench/lid/docs.sh [BASE]     (BASE: a commit, default HEAD~4)
#
# Corpora: the web corpus (scripts/get-webcorpus.sh) and the lingua
# sentences joined 20 to a document by language (../shared).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
base=${1:-HEAD~4}
RUNS=${RUNS:-3}
work=${BENCH_DIR:-/tmp/saring-bench}/lid-docs
model=${SARING_LID_MODEL:-models/lid.176.ftz}
export SARING_LID_MODEL=$model
mkdir -p "$work"
bench_need fasttext zstd jq
bench_need_data "$bench_lingua" "$bench_lingua_how"
scripts/get-webcorpus.sh >/dev/null

rm -rf "$work/base" && mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && go build -trimpath -o "$work/saring-base" ./cmd/saring)
go build -trimpath -o "$work/saring-new" ./cmd/saring

web=${BENCH_DIR:-/tmp/saring-bench}/webcorpus/web.jsonl.zst
lingua=$work/lingua-docs.jsonl.zst
if [[ ! -f $lingua ]]; then
	for f in "$bench_lingua"/*.txt; do
		l=$(basename "$f" .txt)
		awk -v l="$l" 'NR % 20 == 1 && NR > 1 { print "\n---" } { print }' "$f" |
			jq -Rsc --arg l "$l" 'split("\n---\n") | to_entries[] | {id: "\($l)-\(.key)", text: (.value | rtrimstr("\n"))}'
	done | zstd -q -3 -o "$lingua"
fi

# one TIME-FILE CMD...: a run on one core, its cost appended to TIME-FILE.
one() {
	local tf=$1
	shift
	bench_time1 "$tf" "$@" >/dev/null
}

echo "machine: $(bench_machine)"
echo "base: $(git rev-parse --short "$base"); new: $(git rev-parse --short HEAD)$(git diff --quiet -- fasttext langid || echo '+changes')"
echo
echo "| corpus | MB | run (1 core, best of $RUNS) | CPU s | MB per CPU-second |"
echo "|---|---:|---|---:|---:|"
for c in "web:$web" "lingua-docs:$lingua"; do
	name=${c%%:*} f=${c#*:}
	lines=$work/$name.lines.txt
	zstd -q -dc "$f" | jq -r '.text | gsub("\n"; " ")' >"$lines"
	mb=$(zstd -q -dc "$f" | jq -j '.text' | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
	for r in spine-base lang-base spine-new lang-new lid-new cpp; do rm -f "$work/$name.$r.time"; done
	for _ in $(seq "$RUNS"); do
		for v in base new; do
			rm -rf "$work/out"
			one "$work/$name.spine-$v.time" "$work/saring-$v" run -q -i "$f" -o "$work/out" --workers 1 --format jsonl.zst --steps ""
			rm -rf "$work/out"
			one "$work/$name.lang-$v.time" "$work/saring-$v" run -q -i "$f" -o "$work/out" --workers 1 --format jsonl.zst --steps language
		done
		bench_time1 "$work/$name.lid-new.time" "$work/saring-new" lid --model "$model" -k 2 <"$lines" >"$work/$name.saring.out"
		bench_time1 "$work/$name.cpp.time" fasttext predict-prob "$model" - 2 <"$lines" >"$work/$name.cpp.out"
	done
	same=no
	cmp -s "$work/$name.saring.out" "$work/$name.cpp.out" && same=yes
	row() { awk -v n="$name" -v mb="$mb" -v what="$1" -v s="$2" 'BEGIN { printf "| %s | %s | %s | %.2f | %.1f |\n", n, mb, what, s, mb / s }'; }
	for v in base new; do
		s=$(bench_cpu_best "$work/$name.spine-$v.time") l=$(bench_cpu_best "$work/$name.lang-$v.time")
		row "saring run, spine only ($v)" "$s"
		row "saring run --steps language ($v)" "$l"
		row "**language step alone ($v: language - spine)**" "$(awk -v a="$l" -v b="$s" 'BEGIN { print a - b }')"
	done
	row "saring lid -k 2, documents as lines (new)" "$(bench_cpu_best "$work/$name.lid-new.time")"
	row "fasttext predict-prob 2 (C++ 0.9.2), same lines" "$(bench_cpu_best "$work/$name.cpp.time")"
	echo "| $name | | saring lid and fasttext outputs byte-identical: $same ($(wc -l <"$work/$name.cpp.out") lines) | | |"
done
