package dedup

import "github.com/saring/saring/outdir"

func (o *MinhashOptions) ReadsMetadata() []string {
	if o.PerLanguage {
		return []string{outdir.MetaLanguage}
	}
	return nil
}

func (o *MinhashOptions) WritesMetadata() []string {
	return []string{outdir.MetaMinhashClusterSize}
}
