package filters

import "github.com/saring/saring/outdir"

// The metadata each filter reads as configured: with language or
// language_params set to auto it takes the document's language, which a
// language step (or the input) must have written.

func readsLanguage(auto bool) []string {
	if auto {
		return []string{outdir.MetaLanguage}
	}
	return nil
}

func (o *GopherQualityOptions) ReadsMetadata() []string {
	return readsLanguage(o.Language == "auto" || o.LanguageParams == lpModeAuto)
}

func (o *GopherRepetitionOptions) ReadsMetadata() []string {
	return readsLanguage(o.Language == "auto" || o.LanguageParams == lpModeAuto)
}

func (o *FineWebQualityOptions) ReadsMetadata() []string {
	return readsLanguage(o.Language == "auto" || o.LanguageParams == lpModeAuto)
}

func (o *C4QualityOptions) ReadsMetadata() []string { return readsLanguage(o.Language == "auto") }

// The length step counts whitespace words unless told to split by language.
func (o *LengthOptions) ReadsMetadata() []string {
	return readsLanguage(o.Words != "whitespace" && o.Language == "auto")
}
