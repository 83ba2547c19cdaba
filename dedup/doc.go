// Package dedup removes duplicate documents and duplicate lines across a
// corpus: exact duplicates of normalized text or URL (exact_dedup,
// url_dedup), near duplicates by MinHash and locality-sensitive hashing
// (minhash), and boilerplate lines repeated across many documents
// (line_dedup).
//
// Every step here is a saring.CorpusStep: a first pass (Add) stores something
// small per document, Finish decides, a second pass (Process) applies the
// decision. Every choice depends on doc.Seq only, so decisions are identical
// for any worker count and any order of Add calls.
//
// Every step also has a distributed form (saring.Distributed, in
// distributed.go), which the runner uses for every run, in one process or
// in many tasks: a first pass per input unit (keys, line hashes or MinHash
// signatures and band runs), a decision per partition (keys and line hashes
// partitioned by hash; MinHash clusters in one partition, in bounded memory),
// and decisions applied by the tasks of the next stage. Every intermediate
// file carries a checksum, and is verified when read.
package dedup
