package filters

import (
	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// languageAuto as a filter's language option means the document's own.
const languageAuto = "auto"

// fallbackLanguage is the language of a document no language step tagged,
// for the filters with language: auto: English, as in datatrove.
const fallbackLanguage = "en"

// languageOf is the language a filter judges doc in: opt, or for
// languageAuto metadata.language, else fallback. It is the one place that
// resolves auto, so that every filter falls back the same way.
func languageOf(doc *saring.Document, opt, fallback string) string {
	if opt != languageAuto {
		return opt
	}
	if l := doc.Language(); l != "" {
		return l
	}
	return fallback
}

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
	return readsLanguage(o.Language == languageAuto || o.LanguageParams == lpModeAuto)
}

func (o *GopherRepetitionOptions) ReadsMetadata() []string {
	return readsLanguage(o.Language == languageAuto || o.LanguageParams == lpModeAuto)
}

func (o *FineWebQualityOptions) ReadsMetadata() []string {
	return readsLanguage(o.Language == languageAuto || o.LanguageParams == lpModeAuto)
}

func (o *C4QualityOptions) ReadsMetadata() []string { return readsLanguage(o.Language == languageAuto) }

// The length step counts whitespace words unless told to split by language.
func (o *LengthOptions) ReadsMetadata() []string {
	return readsLanguage(o.Words != "whitespace" && o.Language == languageAuto)
}
