package outdir

import "strings"

// The kinds of rejected record, from the error text the reader gave it.
// report and serve count and filter rejected/ by these names.
const (
	RejectInvalidJSON = "invalid_json"    // not a JSON object, or malformed JSON
	RejectInvalidUTF8 = "invalid_utf8"    // bytes that are not UTF-8
	RejectMissingText = "missing_text"    // no text field or column
	RejectWrongType   = "wrong_type"      // a known field of the wrong type
	RejectTruncated   = "truncated"       // the input ends mid-stream (a cut .gz or .zst)
	RejectUnreadable  = "unreadable_file" // a whole input that could not be opened or read
	RejectOther       = "other"
)

// RejectKinds lists every kind RejectKind returns, with what it means.
var RejectKinds = []struct{ Name, Doc string }{
	{RejectInvalidJSON, "malformed JSON, or a record that is not an object"},
	{RejectInvalidUTF8, "bytes that are not UTF-8"},
	{RejectMissingText, "no text field or column"},
	{RejectWrongType, "a text, id or metadata field of the wrong type"},
	{RejectTruncated, "the input stops mid-stream (a cut compressed file)"},
	{RejectUnreadable, "a whole input that could not be opened or read"},
	{RejectOther, "any other error"},
}

// RejectKind classifies the error of a rejected/ record. Order matters: a
// field whose string holds invalid UTF-8 is invalid_utf8, not invalid_json.
func RejectKind(err string) string {
	e := strings.ToLower(err)
	switch {
	case e == "":
		return RejectOther
	case strings.Contains(e, "invalid utf-8"):
		return RejectInvalidUTF8
	case strings.Contains(e, "unexpected eof") || strings.Contains(e, "reading after line") || strings.Contains(e, "truncated"):
		return RejectTruncated
	case strings.HasPrefix(e, "no ") && (strings.Contains(e, " field") || strings.Contains(e, " column")):
		return RejectMissingText
	case strings.Contains(e, "invalid json") || strings.Contains(e, "json object") || strings.Contains(e, "invalid character") ||
		strings.Contains(e, "looking for beginning of"):
		return RejectInvalidJSON
	case strings.Contains(e, "must be a") || strings.Contains(e, "must be an") || strings.Contains(e, ", not a string"):
		return RejectWrongType
	case strings.Contains(e, "no such file") || strings.Contains(e, "permission denied") || strings.Contains(e, "not a readable") ||
		strings.Contains(e, "gzip:") || strings.Contains(e, "zstd:") || strings.Contains(e, "cannot tell the format") ||
		strings.Contains(e, "is a directory") || strings.Contains(e, "lz4"):
		return RejectUnreadable
	}
	return RejectOther
}
