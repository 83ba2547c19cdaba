package outdir

// Metadata keys saring writes on documents.
const (
	MetaRemoved            = "removed"              // {step, reason, message}, on removed documents
	MetaDuplicateOf        = "duplicate_of"         // id of the document kept in its place
	MetaRepairs            = "repairs"              // what repair steps cut
	MetaLanguage           = "language"             // set by the language step
	MetaLanguageScore      = "language_score"       // its probability
	MetaMinhashClusterSize = "minhash_cluster_size" // on the kept document of a near-duplicate cluster
	MetaRepeat             = "repeat"               // copies of a document to train on (the sample step's rehydration); tokenized output writes them
)
