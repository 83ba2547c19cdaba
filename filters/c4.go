package filters

import "github.com/saring/saring"

func registerC4(r *saring.Registry) {}
