package langid

import "github.com/saring/saring/outdir"

func (o *LanguageOptions) WritesMetadata() []string {
	return []string{outdir.MetaLanguage, outdir.MetaLanguageScore}
}

func (o *ClassifierOptions) WritesMetadata() []string {
	return []string{o.Key, o.Key + "_score"}
}
