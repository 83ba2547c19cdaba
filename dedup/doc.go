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
// The MinHash stages are also usable on their own, for runs split into many
// tasks: SignatureWriter (one per task), BuildClusters (once), and
// LoadDecisions (in every filtering task). Their files carry a checksum
// trailer and a task is finished only when its done marker exists.
package dedup
