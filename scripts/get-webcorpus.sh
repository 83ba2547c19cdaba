#!/usr/bin/env bash
# get-webcorpus.sh builds the real-prose benchmark corpus (bench/webcorpus):
# Debian's documentation packages — the Debian Administrator's Handbook in 26
# languages (GPL-2+ / CC BY-SA 3.0) and the Debian Reference in 11 languages
# (GPL-2+), Indonesian in both — downloaded with apt-get (no root install,
# nothing written outside DEST), checked against the sha256 sums below,
# unpacked, and turned into:
#
#   DEST/web.jsonl.zst   ~8,400 documents, 22 MB of text, ~3.9x with zstd -3
#   DEST/web.warc.gz     the 3,467 HTML pages as a crawler stores them
#
# The corpus is built on the machine that runs the benchmark and never
# committed. Running it again reuses what is already there.
#
# usage: scripts/get-webcorpus.sh [DEST]   (default: /tmp/saring-bench/webcorpus)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-${BENCH_DIR:-/tmp/saring-bench}/webcorpus}
mkdir -p "$dest/debs"
dest=$(cd "$dest" && pwd)

# package=version sha256 of the .deb (Debian 12 "bookworm").
pins=(
	"debian-handbook=11.20220922 3d5dbeac1f1afc9c094eab9d0f701f6ecff99c4927d5a4794cf6c85678134faa"
	"debian-reference-de=2.100 3b0ce65fd63e75ddf8eb07ca36293425135080e690a07e06a6ac8bc8040ef0aa"
	"debian-reference-en=2.100 9f31d3a17df505de09689ca255512ea58c1fc47c59bb1b0c7bf1c23362e9743f"
	"debian-reference-es=2.100 a59b68c96f83d3cf29a476c847aee38364764603ea62eee592791e0a843a269e"
	"debian-reference-fr=2.100 01424cba9bfa2e13166da22d3d692d33a22ec7d8ef935ec81fd8802746087f65"
	"debian-reference-id=2.100 3848a0593476c4f8429698c93eb0e367320d8bd78147304666eff3a82a5df3e2"
	"debian-reference-it=2.100 7894062a5e9203a57ec6cb8d6a47d5ffb58c41dc004766522f1b4d78b2a8e0c6"
	"debian-reference-ja=2.100 f67140e0b994409413bd5fcc8dfcce832445c99d724401f0275fa238daf30325"
	"debian-reference-pt-br=2.100 da2d405b1c9af9177d620e6ff478bb987bcf2ac906d884aa87faad3f25874116"
	"debian-reference-pt=2.100 c9c5d30a8608485bad60f7bd7ce6c755af4a129c2b30511ee733b90ac17e7dfa"
	"debian-reference-zh-cn=2.100 6d2d8d9a646397e28b04cdff23d2e4374101ebf9be348e35961af62c8a2d0977"
	"debian-reference-zh-tw=2.100 d2785bbfcb9c3eb6343a37520df595a720bb30fa634d4cf0750d1c04a0226057"
)

if [[ -f $dest/web.jsonl.zst && -f $dest/web.warc.gz ]]; then
	echo "get-webcorpus: $dest/web.jsonl.zst and web.warc.gz are present"
	exit 0
fi
command -v apt-get >/dev/null || { echo "get-webcorpus: needs apt-get (Debian) to download the documentation packages" >&2; exit 1; }
for pin in "${pins[@]}"; do
	set -- $pin
	pkg=${1%%=*} ver=${1#*=}
	deb=$dest/debs/${pkg}_${ver}_all.deb
	if [[ ! -f $deb ]]; then
		(cd "$dest/debs" && apt-get download -q "$1" 2>/dev/null) || {
			echo "get-webcorpus: apt-get download $1 failed; run apt-get update, or the archive no longer has this version (update the pin and its sha256 here)" >&2
			exit 1
		}
	fi
	got=$(sha256sum "$deb" | cut -d' ' -f1)
	if [[ $got != "$2" ]]; then
		echo "get-webcorpus: $deb has sha256 $got, want $2; not using it" >&2
		exit 1
	fi
	dpkg-deb -x "$deb" "$dest/src"
done
cd "$root"
go run ./bench/webcorpus -src "$dest/src" -o "$dest/web.jsonl.zst" -manifest "$dest/pages.tsv"
go run ./examples/pages/mkwarc -manifest "$dest/pages.tsv" -o "$dest/web.warc.gz"
rm -rf "$dest/debs"
echo "get-webcorpus: wrote $dest/web.jsonl.zst and $dest/web.warc.gz"
