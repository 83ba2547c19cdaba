// Package fasttext runs supervised fastText models (language identification
// with lid.176, quality and topic classifiers) in pure Go.
//
// It reads the C++ program's .bin files and quantized .ftz files (product
// quantization of the input matrix, optionally of the output matrix, with
// or without quantized norms) and predicts with hierarchical softmax,
// softmax, one-vs-all and negative-sampling models. Tokenization, the
// end-of-sentence token, character and word n-gram hashing, pruned n-gram
// tables and the float32 arithmetic (down to the C library's expf) follow
// fastText 0.9.2, so predictions print byte for byte what
// `fasttext predict-prob` prints.
//
// A Model is read-only once loaded and may be shared by goroutines; a
// Predictor holds one goroutine's buffers and predicts without allocating.
// Loading checks every size in the file against the bytes present, so a
// truncated or corrupt file is an error, not a panic or a huge allocation.
package fasttext
