#!/usr/bin/env bash
# Measures saring's WARC reader against zcat on the same file, and HTML
# extraction per core.
#
#   bench/extract/run.sh [COPIES]
#
# COPIES (default 12000) is how many times mkwarc writes the example pages,
# each under its own URL: 12000 gives a ~200 MB .warc.gz in $TMPDIR (not kept
# in the repository). All timings are single-core (GOMAXPROCS=1, -cpu 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
copies=${1:-12000}
tmp=${TMPDIR:-/tmp}/saring-extract-bench
mkdir -p "$tmp"
big=$tmp/pages-$copies.warc.gz

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o "$tmp/warcread" ./bench/extract/warcread
(cd bench/extract/gowarcpeer && go build -o "$tmp/gowarcpeer" .)
if [ ! -f "$big" ]; then
  go run ./examples/pages/mkwarc -copies "$copies" -o "$big"
fi
size=$(stat -c %s "$big")
raw=$(zcat "$big" | wc -c)
echo "== file: $big: $((size / 1000000)) MB compressed, $((raw / 1000000)) MB uncompressed"

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
mbs() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

for round in 1 2; do
  z=$(secs sh -c "zcat '$big' > /dev/null")
  echo "== round $round: zcat FILE > /dev/null: ${z}s, $(mbs "$size" "$z") MB/s of file, $(mbs "$raw" "$z") MB/s uncompressed"
  echo "== round $round: saring WARC reader (GOMAXPROCS=1):"
  GOMAXPROCS=1 "$tmp/warcread" "$big"
  echo "== round $round: peer: github.com/nlnwa/gowarc v3 (GOMAXPROCS=1; payload read raw, no decoding):"
  GOMAXPROCS=1 "$tmp/gowarcpeer" "$big"
done

echo "== extract on the first 6000 pages of the file, one core:"
GOMAXPROCS=1 "$tmp/warcread" -extract -limit 6000 "$big"

echo "== go test benchmarks, one core:"
go test ./extract -run '^$' -bench . -benchtime 3s -cpu 1 | grep -E '^Benchmark'
go test ./formats -run '^$' -bench 'WARCReader|GzipOnly' -benchtime 3s -cpu 1 | grep -E '^Benchmark'
