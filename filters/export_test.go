package filters

// GopherBenchDocs gives the external benchmarks the generated documents.
var GopherBenchDocs = gopherBenchDocs
