package filters

import "github.com/saring/saring"

func registerURL(r *saring.Registry) {}
