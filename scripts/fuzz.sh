#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module for a while each.
#   scripts/fuzz.sh [DURATION]   (default 20s per target)
#
# A target that fails is a failure, with one exception: Go's fuzzing engine
# sometimes ends a run on a loaded machine with "context deadline exceeded"
# and no failing input (its workers miss the -fuzztime deadline). Such a
# run is tried once more; a real finding always writes its input under
# testdata/fuzz and fails at once.
set -euo pipefail
t=${1:-20s}
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz() { go test "$pkg" -run '^$' -fuzz "^$f\$" -fuzztime "$t" 2>&1 | tee "$log"; return "${PIPESTATUS[0]}"; }
for pkg in $(go list ./...); do
	for f in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		echo "== $pkg $f"
		fuzz && continue
		if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
			echo "fuzz: $f ended on the fuzzing engine's deadline without a failing input; running it once more"
			fuzz && continue
		fi
		exit 1
	done
done
