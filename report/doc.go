// Package report reads a run's output directory (stats.json and the kept,
// removed and rejected document files) and renders it: a self-contained HTML
// report with inline SVG charts (Generate), and the building blocks the
// document viewer (package report/viewer) shares with it — listing output
// files, opening them whatever their compression, and streaming their records.
//
// It reads the directory through package outdir, the contract of an output
// directory: outdir.Stats, the output files as outdir.Dir.Files lists them
// (part-SS-UUUUUU-NNNNN.EXT, many per run), the rejected-error kinds of
// outdir.RejectKind and the run state (a run without .saring/done.json is
// reported as unfinished, in a banner and in Summary.Unfinished). Lines,
// records and compressed files are read with package formats' reader,
// scanner and opener, the ones `saring run` reads its inputs with.
//
// Everything here is tolerant: a missing stats.json, a missing key or a value
// of the wrong type leaves a hole in the report, never an error.
package report
