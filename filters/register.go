package filters

import "github.com/saring/saring"

// Register adds the filter steps to r: every filter's spec is here, in one
// place, so that the steps saring offers can be read off one list.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec("gopher_quality",
		"Gopher quality rules (datatrove GopherQualityFilter): word count, mean word length, symbols, bullets, ellipses, alphabetic words, stop words",
		DefaultGopherQualityOptions, noEnv(NewGopherQuality)))
	r.Register(saring.NewSpec("gopher_repetition",
		"Gopher repetition rules (datatrove GopherRepetitionFilter): duplicated paragraphs, lines and n-grams, by count and by characters",
		DefaultGopherRepetitionOptions, noEnv(NewGopherRepetition)))
	r.Register(saring.NewSpec("c4_quality",
		"C4 line rules (datatrove C4QualityFilter): drop lines without end punctuation, short, javascript, policy; drop lorem ipsum, { and docs with few sentences",
		DefaultC4QualityOptions, noEnv(NewC4Quality)))
	r.Register(saring.NewSpec("c4_paragraph",
		"mC4 paragraph rule (datatrove C4ParagraphFilter): keep docs with at least 3 lines of 200+ characters",
		DefaultC4ParagraphOptions, noEnv(NewC4Paragraph)))
	r.Register(saring.NewSpec("c4_badwords",
		"C4 bad-words rule (datatrove C4BadWordsFilter): drop documents containing a listed word or phrase of their language",
		DefaultC4BadWordsOptions, noEnv(NewC4BadWords)))
	r.Register(saring.NewSpec("fineweb_quality",
		"FineWeb quality rules (datatrove FineWebQualityFilter): line punctuation, short lines, duplicated lines, newline-to-word ratio",
		DefaultFineWebQualityOptions, noEnv(NewFineWebQuality)))
	r.Register(saring.NewSpec("length",
		"drop documents with too few or too many characters or words",
		DefaultLengthOptions, noEnv(NewLength)))
	r.Register(saring.NewSpec("url_filter",
		"drop documents by URL (datatrove URLFilter): blocked domains and URLs, banned words and subwords, soft-banned words",
		DefaultURLFilterOptions, noEnv(NewURLFilter)))
}

// noEnv adapts a constructor that needs only its options (no filter keeps
// state in the run's directories) to saring.NewSpec's build function.
func noEnv[O any, S saring.Step](build func(O) (S, error)) func(O, saring.Env) (S, error) {
	return func(o O, _ saring.Env) (S, error) { return build(o) }
}
