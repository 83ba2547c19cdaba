#!/usr/bin/env bash
# bench-storage.sh measures the object-storage layer against a local MinIO
# (started by the test on 127.0.0.1; scripts/setup-minio.sh installs it):
# write and read of one object of SARING_BENCH_MB MiB (default 1024) next to
# a plain single GET of the same bytes, requests per GB, and the time to
# list SARING_BENCH_KEYS keys (default 100000). Results: BENCHMARKS.md,
# "Object storage".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
scripts/setup-minio.sh >/dev/null
SARING_BENCH_STORAGE=1 \
SARING_BENCH_MB=${SARING_BENCH_MB:-1024} \
SARING_BENCH_KEYS=${SARING_BENCH_KEYS:-100000} \
	go test ./storage -run '^TestStorageThroughput$' -count=1 -v -timeout 60m | grep -E 'write|read|paced|list|created|ok|FAIL'
