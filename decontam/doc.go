// Package decontam removes benchmark contamination from a corpus by word
// n-gram overlap, as GPT-3's overlap analysis and datatrove's n-gram
// decontamination do: benchmark passages (the fields of JSONL or Parquet
// records, or lines of text) are split into normalized words, every
// n-gram of 13 words (by default) is indexed, and a document holding one
// is dropped, or has the matched spans cut out.
//
// Normalization follows datatrove's simplify_text: compatibility
// decomposition with diacritics dropped, lower case, punctuation and
// symbols deleted, digit runs replaced by 0, words split at white space.
// A re-cased, re-punctuated or re-spaced copy of a passage therefore
// matches, and so does any run of n of its words inside other text.
// Languages written without spaces between words (Chinese, Japanese,
// Thai) have few "words" of this kind; their passages rarely match.
//
// A record's fields are read as one run of words, so n-grams that span
// the question and its answer are indexed too; datatrove by default leaves
// out the n-grams of the question alone (find_query_ngrams), here a
// question is found whether or not its answer follows. Punctuation and
// symbols are Unicode's P and S categories (a superset of datatrove's
// list). N-grams mostly of numbers are not indexed: with digits
// normalized, every table of figures would match every other.
//
// Matches are exact: the index keeps the normalized words of every
// passage and compares them on a hash hit (see Index for the memory).
package decontam
