#!/usr/bin/env bash
# bench/storage/run.sh measures the object-storage layer against a local
# MinIO (started by the test on 127.0.0.1; scripts/setup-minio.sh installs
# it): write and read of one object of SARING_BENCH_MB MiB (default 1024)
# next to a plain single GET of the same bytes, requests per GB, and the
# time to list SARING_BENCH_KEYS keys (default 100000). The test reports
# each part's CPU seconds itself; the last line is the whole test process,
# the MinIO server it started and waited for included.
# Results: BENCHMARKS.md, "Object storage".
#
#   bench/storage/run.sh
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$bench_root"
scripts/setup-minio.sh >/dev/null
echo "machine: $(bench_machine)"
go test -c -o "$bench_bin/storage.test" ./storage
rm -f "$bench_bin/storage.time"
# In the package's directory, as `go test` runs it.
cd storage
SARING_BENCH_STORAGE=1 \
SARING_BENCH_MB=${SARING_BENCH_MB:-1024} \
SARING_BENCH_KEYS=${SARING_BENCH_KEYS:-100000} \
	bench_time "$bench_bin/storage.time" "$bench_bin/storage.test" -test.run '^TestStorageThroughput$' -test.count=1 -test.v -test.timeout 60m |
	grep -E 'write|read|paced|list|created|ok|FAIL|PASS'
bench_result "whole test process, MinIO included" "$bench_bin/storage.time"
