package filters

import "github.com/saring/saring"

func registerLength(r *saring.Registry) {}
