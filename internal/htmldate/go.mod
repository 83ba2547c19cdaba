// This module stands in for github.com/markusmobius/go-htmldate (see the
// replace directive in saring's go.mod). go-trafilatura needs only its date
// types and FromDocument; the original's date-parsing dependency builds large
// tables at program start (about 0.9 s and 70 MB for every saring command),
// so saring finds publication dates with this small extractor instead.
module github.com/markusmobius/go-htmldate

go 1.22.0

require golang.org/x/net v0.29.0
