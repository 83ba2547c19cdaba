package repair

import (
	"strings"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// span is one line of a text, s[start:end], without its '\n'.
type span struct{ start, end int }

// splitLines appends the lines of s to dst. A text ending in '\n' has an
// empty last line, so that joining the lines with '\n' gives s back.
func splitLines(s string, dst []span) []span {
	start := 0
	for {
		i := strings.IndexByte(s[start:], '\n')
		if i < 0 {
			return append(dst, span{start, len(s)})
		}
		dst = append(dst, span{start, start + i})
		start += i + 1
	}
}

// isBlank reports whether a line holds only spaces and tabs.
func isBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// rebuild returns s without the removed lines. Removing a line can leave two
// blank lines side by side, or a blank line at the start or end: those are
// dropped too, so that a repair leaves no holes. Blank lines away from removed
// lines are kept as they were.
func rebuild(s string, lines []span, removed []bool) string {
	var b strings.Builder
	b.Grow(len(s))
	emitted := 0
	lastBlank := false
	removedSince := false
	contentEnd := 0 // output length after the last non-blank line
	for i, ln := range lines {
		if removed[i] {
			removedSince = true
			continue
		}
		text := s[ln.start:ln.end]
		blank := isBlank(text)
		if blank && removedSince && (emitted == 0 || lastBlank) {
			continue
		}
		if emitted > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(text)
		emitted++
		lastBlank = blank
		if !blank {
			removedSince = false
			contentEnd = b.Len()
		}
	}
	out := b.String()
	if removedSince {
		// Removed lines at the end: drop the blank lines they leave behind.
		out = out[:contentEnd]
	}
	return out
}

// recorder collects the lines a step removed, for metadata["repairs"], up to
// a budget of characters so that a pathological page cannot bloat its record.
type recorder struct {
	step     string
	budget   int
	entries  []outdir.Repair
	lines    int // lines removed
	chars    int // characters (runes) removed
	unlisted int // removed lines not listed because the budget ran out
}

func (r *recorder) add(line int, text string) {
	n := utf8.RuneCountInString(text)
	r.lines++
	r.chars += n
	if n > r.budget {
		r.unlisted++
		r.budget = 0
		return
	}
	r.budget -= n
	r.entries = append(r.entries, outdir.Repair{Step: r.step, Line: line, Text: text})
}

// save writes the summary under metadata[step] and appends the listed lines
// to metadata["repairs"].
func (r *recorder) save(doc *saring.Document) {
	sum := map[string]any{"removed_lines": r.lines, "removed_chars": r.chars}
	if r.unlisted > 0 {
		sum["unlisted_lines"] = r.unlisted
	}
	doc.SetMeta(r.step, sum)
	outdir.AppendRepairs(doc, r.entries...)
}
