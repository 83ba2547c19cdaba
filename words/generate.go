package words

// The tables in spacy_exceptions.go, spacy_lists.go, spacy_classes.go and
// langmap_gen.go are generated from spaCy, datatrove and the Unicode
// character database; internal/gen says which versions. SPACY and
// DATATROVE name source checkouts, UCD the UnicodeData.txt of Unicode
// 14.0.0.
//
//go:generate go run ./internal/gen -spacy $SPACY -datatrove $DATATROVE -ucd $UCD
