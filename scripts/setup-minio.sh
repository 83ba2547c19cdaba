#!/usr/bin/env bash
# setup-minio.sh installs the MinIO server that the object-storage tests start
# on 127.0.0.1 (storage/). MinIO is a separate program under the AGPL: it is
# built from its Go module and run as its own process, never linked into
# saring.
#
# The binary is cached in a fixed directory so that a machine that has it
# skips the build (about 3 minutes on 2 cores):
#   $SARING_MINIO              if set and executable, nothing is done
#   /var/cache/saring/bin      when that directory can be written (root)
#   $HOME/.cache/saring/bin    otherwise
# The tests look in the same places (storage/minio_test.go).
set -euo pipefail

if [[ -n ${SARING_MINIO:-} && -x ${SARING_MINIO} ]]; then
	echo "setup-minio: using $SARING_MINIO"
	exit 0
fi

dir=/var/cache/saring/bin
if ! mkdir -p "$dir" 2>/dev/null || [[ ! -w $dir ]]; then
	dir=$HOME/.cache/saring/bin
	mkdir -p "$dir"
fi

if [[ -x $dir/minio ]]; then
	echo "setup-minio: $dir/minio is installed"
	exit 0
fi

if ! command -v go >/dev/null 2>&1; then
	export PATH=$PATH:/usr/local/go/bin
fi
echo "setup-minio: building the MinIO server into $dir (a few minutes)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Build outside any module so that saring's go.mod is neither read nor changed.
# SARING_MINIO_VERSION pins a version (a release tag or pseudo-version).
(cd "$tmp" && GOFLAGS=-mod=mod GOBIN="$tmp" go install "github.com/minio/minio@${SARING_MINIO_VERSION:-latest}")
mv "$tmp/minio" "$dir/minio.partial"
mv "$dir/minio.partial" "$dir/minio"
"$dir/minio" --version | head -1
