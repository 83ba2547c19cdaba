// This module stands in for github.com/RadhiFadlillah/whatlanggo (see the
// replace directive in saring's go.mod). go-trafilatura guesses each
// extracted page's language with it, which took about 40 % of extraction
// time; saring identifies languages in its own language step (fastText
// lid.176) and never reads that guess, so here the guess is "unknown".
module github.com/RadhiFadlillah/whatlanggo

go 1.22.0
