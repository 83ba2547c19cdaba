// Package report reads a run's output directory (stats.json and the kept,
// removed and rejected document files) and renders it: a self-contained HTML
// report with inline SVG charts (Generate), and the building blocks the
// document viewer (package report/viewer) shares with it — listing output
// files, opening them whatever their compression, and streaming their records.
//
// Everything here is tolerant: a missing stats.json, a missing key or a value
// of the wrong type leaves a hole in the report, never an error.
package report
