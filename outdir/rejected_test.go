package outdir

import "testing"

// The messages are those the readers and the runner write to rejected/.
func TestRejectKind(t *testing.T) {
	for _, c := range []struct{ err, want string }{
		{"invalid JSON at byte 0: a record must be a JSON object", RejectInvalidJSON},
		{"invalid JSON at byte 12: expected ',' or '}'", RejectInvalidJSON},
		{`field "text": invalid JSON at byte 28: invalid UTF-8 in string`, RejectInvalidUTF8},
		{"invalid UTF-8 at byte 3 of the line", RejectInvalidUTF8},
		{`no "text" field (name the text field with --text-key or input.text_key)`, RejectMissingText},
		{`no "body" column (name it with --text-key or input.text_key)`, RejectMissingText},
		{`field "text" must be a string`, RejectWrongType},
		{`field "metadata" must be an object`, RejectWrongType},
		{`column "text" is int64, not a string`, RejectWrongType},
		{"reading after line 1204 (byte 99000): unexpected EOF", RejectTruncated},
		{"open /data/x.jsonl: permission denied", RejectUnreadable},
		{"/data/x.jsonl.gz: gzip: invalid header", RejectUnreadable},
		{"/data/x.parquet: not a readable Parquet file: no PAR1 magic at its start and end", RejectUnreadable},
		{"", RejectOther},
		{"something else entirely", RejectOther},
	} {
		if got := RejectKind(c.err); got != c.want {
			t.Errorf("RejectKind(%q) = %q, want %q", c.err, got, c.want)
		}
	}
	names := map[string]bool{}
	for _, k := range RejectKinds {
		names[k.Name] = true
	}
	for _, k := range []string{RejectInvalidJSON, RejectInvalidUTF8, RejectMissingText, RejectWrongType, RejectTruncated, RejectUnreadable, RejectOther} {
		if !names[k] {
			t.Errorf("RejectKinds lacks %q", k)
		}
	}
}
