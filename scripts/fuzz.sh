#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module for a while each.
#   scripts/fuzz.sh [DURATION]   (default 20s per target)
set -euo pipefail
t=${1:-20s}
cd "$(dirname "$0")/.."
for pkg in $(go list ./...); do
	for f in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		echo "== $pkg $f"
		go test "$pkg" -run '^$' -fuzz "^$f\$" -fuzztime "$t"
	done
done
