#!/usr/bin/env bash
# Tasks benchmark: the cost of splitting a run into tasks and of resuming.
#
#   bash bench/tasks/run.sh            # prints Markdown tables
#
# 1. The default pipeline (exact_dedup and minhash included) over the same
#    input (FILES files of the generated corpus, JSONL.zst, MB in all) as
#    one process with 2 workers, and as 2 tasks with --parallel 2 (one
#    worker each): wall time, CPU seconds (user+sys of every process), MB
#    per CPU-second, and whether the outputs are the same bytes.
# 2. Resume: a finished run of NTASKS tasks over NTASKS tiny input files,
#    run again (every marker verified by size, then with --verify by
#    checksum), and `saring status` over it.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
OUT=${OUT:-/tmp/saring-tasks-bench}
FILES=${FILES:-8}
MB=${MB:-12}
NTASKS=${NTASKS:-10000}
mkdir -p "$OUT"
bench_need zstd
scripts/get-model.sh >/dev/null
go build -trimpath -o bin/saring ./cmd/saring

# tm NAME CMD...: CMD's cost (every process it waited for) in $OUT/NAME.time.
tm() {
	local name=$1
	shift
	rm -f "$OUT/$name.time"
	bench_time "$OUT/$name.time" "$@"
}

in=$OUT/in
if [[ ! -d $in ]]; then
	mkdir -p "$in"
	for i in $(seq 1 "$FILES"); do
		go run ./bench/gencorpus -data "$bench_lingua" -o "$in/part-$i.jsonl.zst" -mb "$MB" -seed "$i" >/dev/null
	done
fi
raw=$(for f in "$in"/*.jsonl.zst; do bench_bytes "$f"; done | awk '{ s += $1 } END { print s }')

echo "machine: $(bench_machine)"
echo
echo "| run | wall | CPU s (all processes) | MB per CPU-second | output |"
echo "|---|---|---|---|---|"
rm -rf "$OUT/one" "$OUT/two"
tm one ./bin/saring run -q -i "$in" -o "$OUT/one" --workers 2
tm two ./bin/saring run -q -i "$in" -o "$OUT/two" --tasks 2 --parallel 2
same=same
for k in kept removed rejected; do
	diff -rq "$OUT/one/$k" "$OUT/two/$k" >/dev/null 2>&1 || same=differs
done
for r in one two; do
	name="1 process, 2 workers"
	[[ $r == two ]] && name="2 tasks, --parallel 2"
	awk -v raw="$raw" -v c="$(bench_cpu "$OUT/$r.time")" -v w="$(bench_wall "$OUT/$r.time")" -v n="$name" -v s="$same" 'BEGIN {
		printf "| %s (%d MB) | %.1f s | %.1f | %.1f | %s |\n", n, raw/1e6, w, c, raw/1e6/c, s }'
done

echo
tiny=$OUT/tiny
if [[ ! -d $tiny ]]; then
	mkdir -p "$tiny"
	for i in $(seq -w 1 "$NTASKS"); do echo "{\"id\":\"$i\",\"text\":\"document $i\"}" > "$tiny/$i.jsonl"; done
fi
rm -rf "$OUT/many"
tm many ./bin/saring run -q -i "$tiny" -o "$OUT/many" --steps normalize --tasks "$NTASKS" --format jsonl
tm again ./bin/saring run -q -i "$tiny" -o "$OUT/many" --steps normalize --tasks "$NTASKS" --format jsonl
tm verify ./bin/saring run -q -i "$tiny" -o "$OUT/many" --steps normalize --tasks "$NTASKS" --format jsonl --verify
tm status ./bin/saring status "$OUT/many" >/dev/null || true
echo "| $NTASKS tasks, one input file each | wall | CPU s |"
echo "|---|---|---|"
for r in "many:first run (all tasks in one process)" "again:run again: verify every marker (sizes), nothing redone" "verify:run again with --verify (checksums)" "status:saring status"; do
	f=${r%%:*}
	awk -v c="$(bench_cpu "$OUT/$f.time")" -v w="$(bench_wall "$OUT/$f.time")" -v n="${r#*:}" 'BEGIN { printf "| %s | %.2f s | %.2f |\n", n, w, c }'
done
