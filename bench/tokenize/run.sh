#!/usr/bin/env bash
# bench/tokenize/run.sh measures tokens and MB per CPU-second of saring's
# tokenizers next to the references, on the same texts in the same run, each
# on one core (taskset -c 0): Hugging Face tokenizers' native library
# (encodeBatch, RAYON_NUM_THREADS=1) on tokenizer.json files, tiktoken (WASM,
# encode_ordinary) on the tiktoken encodings, and saring (GOMAXPROCS=1, one
# goroutine). CPU seconds cover encoding only, not loading. Every text's ids
# are checked against the reference's.
#
# Texts: the 37,412 lingua sentences (75 languages), and the same sentences
# joined ten at a time by newlines into documents.
#
# usage: bench/tokenize/run.sh [WORKDIR]   (needs scripts/get-tokenizers.sh and node)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${1:-$root/bench/work/tokenize}
lingua=${LINGUA:-$root/../shared/data/lingua-sentences}
tok=$root/models/tokenizers
ref=$root/tokenize/testdata/ref
mkdir -p "$work"
[[ -d $ref/node_modules/@anush008/tokenizers ]] || (cd "$ref" && npm ci --no-audit --no-fund >/dev/null)
(cd "$root" && go build -o "$work/tokenize-bench" ./bench/tokenize)

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
		mistral=hf:"$tok/mistral.json" gemma3=hf:"$tok/gemma3.json" albert=hf:"$tok/albert.json")
	GOMAXPROCS=1 taskset -c 0 "$work/tokenize-bench" -input "$work/$set.jsonl" -ref "$work/$set" \
		llama3="$tok/llama3.json" qwen3="$tok/qwen3.json" \
		cl100k_base="$tok/cl100k_base.json" o200k_base="$tok/o200k_base.json" \
		mistral="$tok/mistral.json" gemma3="$tok/gemma3.json" albert="$tok/albert.json" >"$work/$set/saring.jsonl"
	echo "== $set (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '%-12s %-9s %12s %10s %12s %10s %7s %s\n' tokenizer reference "ref tok/cs" "ref MB/cs" "saring tok/cs" "MB/cs" ratio "ids equal"
	node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const l of fs.readFileSync(dir + "/saring.jsonl", "utf8").split("\n").filter(Boolean)) {
  const s = JSON.parse(l); const r = JSON.parse(fs.readFileSync(`${dir}/${s.label}.time.json`, "utf8"));
  const kind = s.label.includes("k_base") ? "tiktoken" : "HF native";
  const f = (x) => Math.round(x).toLocaleString("en-US");
  console.log([s.label.padEnd(12), kind.padEnd(9), f(r.tokens / r.seconds).padStart(12), (r.bytes / 1e6 / r.seconds).toFixed(1).padStart(10),
    f(s.tokens / s.seconds).padStart(12), (s.bytes / 1e6 / s.seconds).toFixed(1).padStart(10), ((r.seconds / s.seconds).toFixed(2) + "x").padStart(7),
    `${s.equal_to_ref}/${s.texts}` + (s.tokens === r.tokens ? "" : " TOKENS DIFFER")].join(" "));
}' "$work/$set"
done
