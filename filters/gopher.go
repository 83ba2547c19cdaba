package filters

import "github.com/saring/saring"

func registerGopher(r *saring.Registry) {}
