#!/usr/bin/env bash
# setup.sh prepares a fresh machine for saring's demo (`setup.sh demo`) or
# for its whole test suite (`setup.sh test`). It installs only what is
# missing, so running it again is quick.
#
#   demo: the Go toolchain must be present; fetches the language-ID model.
#   test: also the C++ fastText program (the reference the pure-Go engine is
#         checked against), headless Chromium (report and viewer tests),
#         Node.js with npm (an independent WARC writer) and Debian's numpy
#         (the independent reader of tokenized output).
set -euo pipefail
mode=${1:-demo}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ! command -v go >/dev/null 2>&1; then
	if [[ -x /usr/local/go/bin/go ]]; then
		export PATH=$PATH:/usr/local/go/bin
	else
		echo "setup: Go 1.26 or newer is needed (https://go.dev/doc/install)" >&2
		exit 1
	fi
fi

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have npm || need+=(npm)
if [[ $mode == test ]]; then
	have fasttext || need+=(fasttext)
	have chromium || need+=(chromium)
	have node || need+=(nodejs)
	/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
fi
if ((${#need[@]})); then
	if [[ $(id -u) -ne 0 ]] && ! have sudo; then
		echo "setup: please install these Debian packages: ${need[*]}" >&2
		exit 1
	fi
	sudo=""
	[[ $(id -u) -ne 0 ]] && sudo=sudo
	echo "setup: installing ${need[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

"$root/scripts/get-model.sh"
if [[ $mode == test ]]; then "$root/scripts/get-tokenizers.sh"; fi

# Services the end-to-end tests start themselves: a single-node Slurm and a
# MinIO server. Each script installs only what is missing.
if [[ $mode == test ]]; then
	for s in slurm minio; do
		if [[ -x "$root/scripts/setup-$s.sh" ]]; then
			"$root/scripts/setup-$s.sh"
		fi
	done
fi
