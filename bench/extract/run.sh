#!/usr/bin/env bash
# Measures saring's WARC reader against zcat on the same file, and HTML
# extraction per core.
#
#   bench/extract/run.sh [COPIES]   (BENCHTIME=3s: the go test -benchtime)
#
# COPIES (default 12000) is how many times mkwarc writes the example pages,
# each under its own URL: 12000 gives a ~200 MB .warc.gz in $TMPDIR (not kept
# in the repository). All timings are single-core (GOMAXPROCS=1 and
# taskset -c 0, or -cpu 1).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
bench_need zcat
copies=${1:-12000}
benchtime=${BENCHTIME:-3s}
tmp=${TMPDIR:-/tmp}/saring-extract-bench
mkdir -p "$tmp"
big=$tmp/pages-$copies.warc.gz

echo "== machine: $(bench_machine)"
go build -o "$tmp/warcread" ./bench/extract/warcread
(cd bench/extract/gowarcpeer && go build -o "$tmp/gowarcpeer" .)
if [ ! -f "$big" ]; then
  go run ./examples/pages/mkwarc -copies "$copies" -o "$big"
fi
size=$(stat -c %s "$big")
raw=$(bench_bytes "$big")
echo "== file: $big: $((size / 1000000)) MB compressed, $((raw / 1000000)) MB uncompressed"

# Each program's own report is per wall second; the line after it is the
# same pass per CPU-second (bench/lib.sh), over the uncompressed WARC bytes.
t=$tmp/time
for round in 1 2; do
  rm -f "$t"
  bench_time1 "$t" sh -c "zcat '$big' > /dev/null"
  z=$(bench_wall "$t")
  echo "== round $round: zcat FILE > /dev/null: $(printf %.2f "$z")s, $(bench_mbps "$size" "$z") MB/s of file, $(bench_mbps "$raw" "$z") MB/s uncompressed"
  bench_result "   zcat" "$t" "$raw"
  echo "== round $round: saring WARC reader (GOMAXPROCS=1):"
  rm -f "$t" && bench_time1 "$t" "$tmp/warcread" "$big"
  bench_result "   saring WARC reader" "$t" "$raw"
  echo "== round $round: peer: github.com/nlnwa/gowarc v3 (GOMAXPROCS=1; payload read raw, no decoding):"
  rm -f "$t" && bench_time1 "$t" "$tmp/gowarcpeer" "$big"
  bench_result "   gowarc" "$t" "$raw"
done

echo "== extract on the first 6000 pages of the file, one core:"
rm -f "$t" && bench_time1 "$t" "$tmp/warcread" -extract -limit 6000 "$big"
bench_result "   whole process (reading included)" "$t"

echo "== go test benchmarks, one core (-benchtime $benchtime):"
go test ./extract -run '^$' -bench . -benchtime "$benchtime" -cpu 1 | grep -E '^Benchmark'
go test ./formats -run '^$' -bench 'WARCReader|GzipOnly' -benchtime "$benchtime" -cpu 1 | grep -E '^Benchmark'
