package repair

import "github.com/saring/saring"

// Register adds this package's steps to r. Each step's file holds its spec.
func Register(r *saring.Registry) {
	r.Register(normalizeSpec())
	r.Register(repetitionSpec())
	r.Register(boilerplateSpec())
	r.Register(piiSpec())
}
