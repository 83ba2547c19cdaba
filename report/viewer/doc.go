// Package viewer serves a run's output directory to a browser: list, filter
// and search the kept, removed and rejected documents, and open one to see
// its text, metadata, removal reason and repaired lines.
//
// # Index
//
// The first open builds OUTDIR/.index/, streaming every output file once
// (listed by outdir.Dir.Files: kept, removed, rejected, each in name order,
// which is input order for any number of tasks). It is rebuilt when the
// list of output files, a file's size or modification time, or the time in
// .saring/done.json differs from what the manifest recorded, so an index
// built for other outputs, or before the run finished, is never used. A
// build writes into OUTDIR/.index.tmp-*, holding a lock file there, and
// renames it into place; directories left by builds that died are removed
// when the viewer starts.
//
// A run that is not finished (.saring/plan.json without .saring/done.json,
// or no stats.json) is served as far as it got, with a banner on every page
// and a warning in the log.
//
// The index holds:
//
//   - docs.idx: one fixed 40-byte record per document in set order (kept,
//     removed, rejected), then file order, then line order. A record holds the
//     document's set, step, reason and language (as numbers into the
//     manifest's dictionaries), language score, a repaired flag and where its
//     line is. Document N is at byte 40·N, so a page of an unfiltered list
//     is one read whatever the corpus size.
//   - blocks-NNNN.s2: for a compressed output file (.gz, .zst, .parquet), its
//     lines recompressed as independent S2 blocks of about 128 KiB of text
//     (S2 rather than zstd: several times faster to write, and the cache
//     only has to be smaller than the text, not small).
//     A record names its frame's offset and length and the line's place in
//     it, so opening a document decompresses 128 KiB, not the file up to it.
//     Plain .jsonl files need no copy: the record holds the line's offset.
//   - manifest.json: the file list it was built from, the dictionaries, the
//     counts per set, step, reason and language (for the filter menus).
//
// Memory stays bounded by the dictionaries and a small cache of decoded
// frames and filter results, never by the number of documents.
//
// # Filters and search
//
// A filter on set alone is a range of records. Any other filter scans
// docs.idx (40 MB per million documents, tens of milliseconds) once and
// caches the matching record numbers for paging. Full-text search is a
// streaming scan over the filtered documents, case-insensitive, that stops
// after a page of hits or a time budget and hands back a cursor to continue:
// no inverted index to build or keep in sync, at the cost of scanning.
package viewer
