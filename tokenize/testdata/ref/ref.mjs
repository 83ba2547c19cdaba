// ref.mjs encodes texts with the reference tokenizers, for saring's parity
// tests and benchmarks.
//
//   node ref.mjs INPUT.jsonl OUTDIR SPEC...
//
// INPUT.jsonl holds one JSON string per line. SPEC is LABEL=hf:PATH (a
// Hugging Face tokenizer.json, run by the tokenizers library's native addon)
// or LABEL=tiktoken:NAME (tiktoken's WASM build, encode_ordinary). For each
// spec, OUTDIR/LABEL.ids gets one line per input: its ids, space-separated,
// with no special tokens added. OUTDIR/LABEL.time.json gets the CPU seconds
// spent encoding (process.cpuUsage: user + system, every thread), the
// number of texts, tokens and UTF-8 bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { Tokenizer } from "@anush008/tokenizers";
import { get_encoding } from "tiktoken";

const [input, outdir, ...specs] = process.argv.slice(2);
const texts = readFileSync(input, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);

function cpu(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

for (const spec of specs) {
  const [label, rest] = spec.split(/=(.*)/s);
  const [kind, arg] = rest.split(/:(.*)/s);
  let ids;
  let seconds;
  if (kind === "hf") {
    const tok = await Tokenizer.fromFile(arg);
    ids = [];
    const batch = 1000;
    const start = process.cpuUsage();
    for (let i = 0; i < texts.length; i += batch) {
      const encs = await tok.encodeBatch(texts.slice(i, i + batch), { addSpecialTokens: false });
      for (const e of encs) ids.push(e.getIds());
    }
    seconds = cpu(start);
  } else if (kind === "tiktoken") {
    const enc = get_encoding(arg);
    ids = [];
    const start = process.cpuUsage();
    for (const t of texts) ids.push(enc.encode_ordinary(t));
    seconds = cpu(start);
    enc.free();
  } else {
    throw new Error(`unknown spec ${spec}`);
  }
  let tokens = 0;
  const lines = ids.map((x) => {
    tokens += x.length;
    return Array.from(x).join(" ");
  });
  writeFileSync(`${outdir}/${label}.ids`, lines.join("\n") + "\n");
  writeFileSync(`${outdir}/${label}.time.json`, JSON.stringify({ seconds, texts: texts.length, tokens, bytes }) + "\n");
}
