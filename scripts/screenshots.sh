#!/usr/bin/env bash
# Writes docs/screenshots/report.png, viewer.png and viewer-doc.png: builds
# saring, runs it over examples/ (or, with FIXTURE=1 or when the runner is
# not available, writes a synthetic run output), renders the report, serves
# the viewer on 127.0.0.1 and photographs both with headless Chromium.
#
#   scripts/screenshots.sh            # needs chromium (apt-get install -y chromium)
#   FIXTURE=1 scripts/screenshots.sh  # synthetic output of 3,000 documents
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out_png=$root/docs/screenshots
mkdir -p "$out_png"
chromium=${SARING_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
	echo "screenshots: chromium not found (apt-get install -y chromium)" >&2
	exit 1
fi
work=$(mktemp -d)
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/saring" ./cmd/saring
go build -o "$work/reportdev" ./report/internal/reportdev
# The report and serve commands, from saring when it has them.
if "$work/saring" report --help >/dev/null 2>&1; then tool=$work/saring; else tool=$work/reportdev; fi

outdir=$work/out
if [ "${FIXTURE:-0}" != 1 ] && "$work/saring" run -i examples/ -o "$outdir" -q >"$work/run.log" 2>&1; then
	echo "screenshots: ran saring over examples/"
else
	[ "${FIXTURE:-0}" = 1 ] || { echo "screenshots: saring run failed, using a synthetic output:"; tail -3 "$work/run.log" || true; }
	rm -rf "$outdir"
	go run ./report/internal/gentool -docs 3000 -per-file 1000 -compression zst "$outdir"
fi
# Relative paths, so that the pictures show "out", not a temporary directory.
(cd "$work" && "$tool" report out >/dev/null)

shot() { # file width height url
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$work/chromium" --hide-scrollbars --force-device-scale-factor=1 \
		--window-size="$2,$3" --screenshot="$1" "$4" >/dev/null 2>&1
	echo "screenshots: wrote ${1#$root/}"
}
shot "$out_png/report.png" 1100 2000 "file://$outdir/report.html"

port=$((20000 + RANDOM % 20000))
if [ "$tool" = "$work/saring" ]; then
	(cd "$work" && exec "$tool" serve out --addr "127.0.0.1:$port") >"$work/serve.log" 2>&1 &
else
	(cd "$work" && exec "$tool" serve out "127.0.0.1:$port") >"$work/serve.log" 2>&1 &
fi
server_pid=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
shot "$out_png/viewer.png" 1280 900 "http://127.0.0.1:$port/?set=removed"
# A repaired document: the first one the repaired filter lists.
doc=$(curl -fsS "http://127.0.0.1:$port/?repaired=1&set=kept" | grep -o 'href="/doc/[0-9]*' | head -1 | sed 's/href="//')
[ -n "$doc" ] || doc=$(curl -fsS "http://127.0.0.1:$port/?repaired=1" | grep -o 'href="/doc/[0-9]*' | head -1 | sed 's/href="//')
[ -n "$doc" ] && shot "$out_png/viewer-doc.png" 1280 900 "http://127.0.0.1:$port$doc"
