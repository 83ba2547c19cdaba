package filters

import "github.com/saring/saring"

func registerFineweb(r *saring.Registry) {}
