#!/usr/bin/env bash
# Near-duplicate benchmark: saring's minhash step against a baseline on
# github.com/ekzhu/minhash-lsh, same shingles (word 5-grams), permutations
# (128) and threshold, on the same corpus, in one run.
#
#   bash bench/dedup/run.sh            # hard benchmark (tune + held-out, sweep) + classic benchmark + 100k scale
#   HARD=0 ... / CLASSIC=0 ...         # skip the hard benchmark / everything after it
#   SCALE_1M=1 bash bench/dedup/run.sh # also 1M synthetic ~5 KB documents (5 GB of JSONL)
#   SWEEP=0 ...                        # skip the threshold sweep
#
# Needs ../shared/data/lingua-sentences beside the repository. Writes to
# $OUT (default /tmp/saring-dedup-bench); prints JSON lines.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
bench_need python3
bench_need_data "$bench_lingua" "$bench_lingua_how"
OUT=${OUT:-/tmp/saring-dedup-bench}
STORIES=${STORIES:-10000}
HARD_STORIES=${HARD_STORIES:-4000}
PEER_THRESHOLDS=${PEER_THRESHOLDS:-0.4 0.45 0.5 0.55 0.6 0.7}
PEER_T=${PEER_T:-0.5} # the baseline's best threshold on the tuning split (PEER_THRESHOLDS above)
mkdir -p "$OUT/bin"
for p in gen ours eval sweep; do go build -o "$OUT/bin/$p" "./bench/dedup/$p"; done
# The peer is its own module, so that its library stays out of saring's go.mod.
(cd bench/dedup/peer && go build -o "$OUT/bin/peer" .)
B=$OUT/bin

# timed LABEL CMD...: runs CMD (bench/lib.sh), prints its JSON line with
# the wall time, CPU seconds and peak RSS the kernel measured.
timed() {
	local label=$1
	shift
	rm -f "$OUT/time.txt"
	bench_time "$OUT/time.txt" "$@" >"$OUT/res.json"
	python3 - "$label" "$(bench_wall "$OUT/time.txt")" "$(bench_cpu "$OUT/time.txt")" "$(bench_rss "$OUT/time.txt")" "$OUT/res.json" <<'PY'
import json, sys
label, wall, cpu, rss, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
d = json.load(open(path))
for k in list(d):
    if isinstance(d[k], float):
        d[k] = round(d[k], 3)
d.update({"run": label, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "max_rss_mib": rss})
print(json.dumps(d))
PY
}

echo "== machine: $(bench_machine)"
if [ "${HARD:-1}" = 1 ]; then
	# The hard benchmark: defaults are chosen on the tuning split only
	# (bench/dedup/sweep); the held-out split has other seeds, languages and
	# edit parameters and is only scored.
	echo "== hard benchmark: tune and held-out splits ($HARD_STORIES stories each)"
	for s in tune heldout; do
		"$B"/gen -data "$bench_lingua" -split $s -stories "$HARD_STORIES" -out "$OUT/$s" 2>/dev/null
		wc -l <"$OUT/$s/corpus.jsonl" | xargs echo "$s documents:"
	done
	if [ "${SWEEP:-1}" = 1 ]; then
		echo "== sweep on the tuning split (choice scored on held-out last)"
		"$B"/sweep -tune "$OUT/tune" -heldout "$OUT/heldout" -t 0.5,0.55,0.6,0.65 -n 3,4,5 -sketch 0,256 \
			-containment 0,0.8,0.9 -rep 0,0.3 >"$OUT/sweep.jsonl"
		tail -1 "$OUT/sweep.jsonl"
	fi
	echo "== defaults, per kind, both splits"
	"$B"/sweep -defaults -tune "$OUT/tune" -heldout "$OUT/heldout" | tail -1
	for s in tune heldout; do
		timed "saring-$s" "$B"/ours -in "$OUT/$s/corpus.jsonl" -removed "$OUT/$s/ours.tsv"
		"$B"/eval -label "saring-defaults-$s" -truth "$OUT/$s/truth.tsv" -removed "$OUT/$s/ours.tsv"
	done
	# The baseline's threshold is chosen on the tuning split the same way.
	for t in $PEER_THRESHOLDS; do
		"$B"/peer -in "$OUT/tune/corpus.jsonl" -removed "$OUT/tune/peer-$t.tsv" -threshold "$t" -perms 128 >/dev/null
		"$B"/eval -label "peer-tune-$t" -truth "$OUT/tune/truth.tsv" -removed "$OUT/tune/peer-$t.tsv"
	done
	for s in tune heldout; do
		timed "peer-$s-$PEER_T" "$B"/peer -in "$OUT/$s/corpus.jsonl" -removed "$OUT/$s/peer.tsv" -threshold "$PEER_T" -perms 128
		"$B"/eval -label "peer-$s-$PEER_T" -truth "$OUT/$s/truth.tsv" -removed "$OUT/$s/peer.tsv"
	done
fi
[ "${CLASSIC:-1}" = 1 ] || exit 0
echo "== classic news-syndication corpus ($STORIES stories)"
"$B"/gen -data "$bench_lingua" -split classic -stories "$STORIES" -out "$OUT/news" 2>/dev/null
wc -l <"$OUT/news/corpus.jsonl" | xargs echo documents:
# This machine may be shared: compare CPU seconds (total_cpu_s: the stages
# only; cpu_s: the whole process) as well as wall time. -preload times deduplication alone (corpus in memory).
for mode in "" -preload; do
	timed "saring$mode-1" "$B"/ours $mode -in "$OUT/news/corpus.jsonl" -removed "$OUT/news/ours.tsv"
	timed "peer$mode-1" "$B"/peer $mode -in "$OUT/news/corpus.jsonl" -removed "$OUT/news/peer.tsv" -threshold 0.6 -perms 128
done
"$B"/eval -label saring-default -truth "$OUT/news/truth.tsv" -removed "$OUT/news/ours.tsv"
"$B"/eval -label peer -truth "$OUT/news/truth.tsv" -removed "$OUT/news/peer.tsv"

if [ "${SWEEP:-1}" = 1 ]; then
echo "== threshold sweep (saring, both schemes) and a datatrove-like setting"
for scheme in oph permutations; do
	for t in 0.5 0.55 0.6 0.65 0.7 0.75 0.8; do
		"$B"/ours -in "$OUT/news/corpus.jsonl" -removed "$OUT/news/s.tsv" -threshold $t -scheme $scheme >"$OUT/res.json"
		python3 -c "import json; d=json.load(open('$OUT/res.json')); print('$scheme t=$t bands=%d rows=%d total_s=%.2f' % (d['bands'], d['rows'], d['total_s']), end=' ')"
		"$B"/eval -label "$scheme-$t" -truth "$OUT/news/truth.tsv" -removed "$OUT/news/s.tsv"
	done
done
"$B"/ours -in "$OUT/news/corpus.jsonl" -removed "$OUT/news/s.tsv" -scheme permutations -perms 112 -bands 14 -rows 8 -verify=false >/dev/null
"$B"/eval -label "datatrove-like 14x8 no verification" -truth "$OUT/news/truth.tsv" -removed "$OUT/news/s.tsv"
fi

echo "== scale: 100k synthetic ~5 KB documents"
"$B"/gen -data "$bench_lingua" -scale 100000 -out "$OUT/s100k" 2>/dev/null
timed saring-100k "$B"/ours -in "$OUT/s100k/corpus.jsonl" -removed "$OUT/s100k/ours.tsv" -mem 256
"$B"/eval -label saring-100k -truth "$OUT/s100k/truth.tsv" -removed "$OUT/s100k/ours.tsv"
timed peer-100k "$B"/peer -in "$OUT/s100k/corpus.jsonl" -removed "$OUT/s100k/peer.tsv" -threshold 0.6 -perms 128
"$B"/eval -label peer-100k -truth "$OUT/s100k/truth.tsv" -removed "$OUT/s100k/peer.tsv"
timed saring-100k-preload "$B"/ours -preload -in "$OUT/s100k/corpus.jsonl" -removed "$OUT/s100k/ours.tsv" -mem 256
timed peer-100k-preload "$B"/peer -preload -in "$OUT/s100k/corpus.jsonl" -removed "$OUT/s100k/peer.tsv" -threshold 0.6 -perms 128

if [ "${SCALE_1M:-0}" = 1 ]; then
	echo "== scale: 1M synthetic ~5 KB documents, memory budget 512 MiB"
	"$B"/gen -data "$bench_lingua" -scale 1000000 -out "$OUT/s1m" 2>/dev/null
	timed saring-1m "$B"/ours -in "$OUT/s1m/corpus.jsonl" -removed "$OUT/s1m/ours.tsv" -mem 512
	"$B"/eval -label saring-1m -truth "$OUT/s1m/truth.tsv" -removed "$OUT/s1m/ours.tsv"
	rm -rf "$OUT/s1m"
fi
