package repair

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// ParsePatterns reads a boilerplate pattern file: one regular expression (Go
// RE2 syntax) per line; blank lines and lines starting with '#' are skipped;
// leading and trailing spaces are ignored (write \x20 for a significant
// space, \# for a leading '#'). Each expression must match a whole line,
// trimmed of spaces (or also of leading bullets such as "-", "•", "#"), and
// matches case-insensitively: "Sponsored content" is enough to remove a line
// "SPONSORED CONTENT". name is used in error messages.
func ParsePatterns(r io.Reader, name string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		re, err := compileLinePattern(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v (fix the expression or comment it out with #)", name, n, err)
		}
		out = append(out, re)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, n+1, err)
	}
	return out, nil
}

// LoadPatterns reads a pattern file from disk; see ParsePatterns.
func LoadPatterns(path string) ([]*regexp.Regexp, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("patterns_file: %w", err)
	}
	defer f.Close()
	return ParsePatterns(f, path)
}

// compileLinePattern anchors an expression to the whole line and makes it
// case-insensitive.
func compileLinePattern(expr string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?i:` + expr + `)$`)
}
