// Writes WARC files with warcio.js (webrecorder), a WARC writer independent
// of saring, so the Go reader is tested on files it did not produce.
//
//   node write.mjs OUTDIR
//
// OUTDIR gets records.warc (WARC/1.0, uncompressed), records.warc.gz
// (WARC/1.1, one gzip member per record) and expected.json: the documents a
// reader must yield ({url, text}) and the records it must skip, by reason.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import iconv from "iconv-lite";
import { WARCRecord, WARCSerializer } from "warcio";

const out = process.argv[2];
if (!out) {
  console.error("usage: node write.mjs OUTDIR");
  process.exit(2);
}

const page = (lang, title, body) =>
  `<!DOCTYPE html><html lang="${lang}"><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

const idPage = page("id", "Jembatan baru diresmikan", "<p>Presiden meresmikan jembatan sepanjang 1,2 kilometer yang menghubungkan dua kecamatan di Kalimantan Barat.</p>");
const enPage = page("en", "Ferry services resume", "<p>Ferry services between Bali and Lombok resumed on Tuesday after high waves forced a two-day suspension.</p>");
const frPage = page("fr", "Café à Paris", "<p>Le café « L’Étoile » coûte 3 € — c’est déjà très cher, disent les habitués.</p>");
const jaPage = page("ja", "東京の天気", "<p>明日の東京は晴れのち曇り、最高気温は二十五度の予想です。</p>");
const gzPage = page("en", "Compressed page", "<p>This body was sent with Content-Encoding gzip and chunked transfer coding.</p>");
const brPage = page("id", "Halaman brotli", "<p>Isi halaman ini dikirim dengan kompresi brotli oleh server.</p>");
const dfPage = page("en", "Deflate page", "<p>This body was sent with Content-Encoding deflate.</p>");

function chunked(buf, size) {
  const parts = [];
  for (let i = 0; i < buf.length; i += size) {
    const c = buf.subarray(i, i + size);
    parts.push(Buffer.from(c.length.toString(16) + "\r\n"), c, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

// Each entry: record options, payload bytes, and what a reader must make of it.
const date = "2024-07-01T12:00:00Z";
const entries = [
  { type: "request", url: "https://berita.example/jembatan", payload: Buffer.alloc(0), statusline: "GET /jembatan HTTP/1.1", httpHeaders: { Host: "berita.example" }, skip: "warc_request" },
  { type: "response", url: "https://berita.example/jembatan", payload: Buffer.from(idPage), httpHeaders: { "Content-Type": "text/html; charset=utf-8" }, text: idPage },
  { type: "response", url: "https://news.example/ferry", payload: chunked(Buffer.from(enPage), 37), httpHeaders: { "Content-Type": "text/html", "Transfer-Encoding": "chunked" }, text: enPage },
  { type: "response", url: "https://cafe.example/paris", payload: iconv.encode(frPage, "windows-1252"), httpHeaders: { "Content-Type": "text/html; charset=windows-1252" }, text: frPage },
  { type: "response", url: "https://tenki.example/tokyo", payload: iconv.encode(jaPage.replace("<head>", '<head><meta charset="Shift_JIS">'), "shift_jis"), httpHeaders: { "Content-Type": "text/html" }, text: jaPage.replace("<head>", '<head><meta charset="Shift_JIS">') },
  { type: "response", url: "https://news.example/gz", payload: chunked(zlib.gzipSync(Buffer.from(gzPage)), 50), httpHeaders: { "Content-Type": "text/html; charset=UTF-8", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked" }, text: gzPage },
  { type: "response", url: "https://berita.example/br", payload: zlib.brotliCompressSync(Buffer.from(brPage)), httpHeaders: { "Content-Type": "text/html", "Content-Encoding": "br" }, text: brPage },
  { type: "response", url: "https://news.example/deflate", payload: zlib.deflateSync(Buffer.from(dfPage)), httpHeaders: { "Content-Type": "text/html", "Content-Encoding": "deflate" }, text: dfPage },
  { type: "response", url: "https://news.example/missing", payload: Buffer.from("<html><body>Not here</body></html>"), statusline: "HTTP/1.1 404 Not Found", httpHeaders: { "Content-Type": "text/html" }, skip: "http_status_404" },
  { type: "response", url: "https://news.example/logo.png", payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), httpHeaders: { "Content-Type": "image/png" }, skip: "not_html" },
  { type: "metadata", url: "https://news.example/ferry", payload: Buffer.from("fetchTimeMs: 113\r\n"), contentType: "application/warc-fields", skip: "warc_metadata" },
  { type: "resource", url: "https://news.example/notes.txt", payload: Buffer.from("plain resource"), contentType: "text/plain", skip: "warc_resource" },
  { type: "conversion", url: "https://news.example/ferry", payload: Buffer.from("Ferry services resume\nFerry services between Bali and Lombok resumed."), contentType: "text/plain", text: "Ferry services resume\nFerry services between Bali and Lombok resumed." },
];

async function* once(buf) {
  yield new Uint8Array(buf);
}

async function write(file, warcVersion, gzip) {
  const parts = [];
  const info = WARCRecord.createWARCInfo({ filename: path.basename(file), warcVersion }, { software: "warcio.js", format: `WARC File Format ${warcVersion.slice(5)}` });
  parts.push(await WARCSerializer.serialize(info, { gzip }));
  for (const e of entries) {
    const opts = { url: e.url, date, type: e.type, warcVersion };
    if (e.type === "request" || e.type === "response") {
      opts.httpHeaders = e.httpHeaders;
      opts.statusline = e.statusline || "HTTP/1.1 200 OK";
    } else {
      opts.warcHeaders = { "Content-Type": e.contentType };
    }
    const rec = WARCRecord.create(opts, once(e.payload));
    parts.push(await WARCSerializer.serialize(rec, { gzip }));
  }
  fs.writeFileSync(file, Buffer.concat(parts.map((p) => Buffer.from(p))));
}

fs.mkdirSync(out, { recursive: true });
await write(path.join(out, "records.warc"), "WARC/1.0", false);
await write(path.join(out, "records.warc.gz"), "WARC/1.1", true);
const skipped = { warc_warcinfo: 1 };
for (const e of entries) if (e.skip) skipped[e.skip] = (skipped[e.skip] || 0) + 1;
const docs = entries.filter((e) => e.text !== undefined).map((e) => ({ url: e.url, text: e.text }));
fs.writeFileSync(path.join(out, "expected.json"), JSON.stringify({ docs, skipped }, null, 1));
