// Package saring holds the few nouns every part of saring shares: the
// Document that flows through a pipeline, the Step every stage implements,
// the Result a step returns, and the Registry that names steps for pipeline
// files. It imports nothing else from this module, so any package can use it.
package saring
