package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
)

// ruleSetOf names the Go rule set for a tokenizer datatrove assigns, or ""
// for those the multi-language rules ("xx") stand in for.
func ruleSetOf(class, tokCode string) string {
	switch class {
	case "SpaCyTokenizer":
		switch tokCode {
		case "en", "id", "ms":
			return tokCode
		case "zh", "ja":
			return "chars"
		}
	case "ThaiTokenizer", "LaoTokenizer", "KhmerTokenizer", "BurmeseTokenizer", "TibetanTokenizer":
		return "chars"
	}
	return ""
}

// readAssignments follows datatrove's load_tokenizer_assignments: rows in
// file order; "code_script" keys are set by their first row, bare codes
// by every row marked as the default script (so the last such row wins);
// ISO 639-1 codes likewise, for rows marked as the default 639-1 code.
// The default columns are read as the booleans they spell. datatrove
// itself tests the strings for truth, so that "FALSE" counts as set too;
// read that way the table would send "ms", "msa" and "ms_Thai" to the Thai
// tokenizer and "kyu" to the Burmese one, and would drop "zh", "zho", "hak"
// and "nan" from the no-space rules. The committed table follows the
// columns as written.
func readAssignments(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("tokenizer_assignment.csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, h := range []string{"code_3", "code_1", "script", "type", "tok_code", "default_script", "default_code_1"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("tokenizer_assignment.csv: no %q column", h)
		}
	}
	assigned := map[string]string{} // key -> rule set ("" for xx)
	seen := map[string]bool{}
	line := 1
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("tokenizer_assignment.csv:%d: %v", line, err)
		}
		get := func(h string) string { return row[col[h]] }
		class := get("type")
		if class == "" {
			continue
		}
		set := ruleSetOf(class, get("tok_code"))
		defScript, err := csvBool(get("default_script"))
		if err != nil {
			return nil, fmt.Errorf("tokenizer_assignment.csv:%d: default_script: %v", line, err)
		}
		defCode1, err := csvBool(get("default_code_1"))
		if err != nil {
			return nil, fmt.Errorf("tokenizer_assignment.csv:%d: default_code_1: %v", line, err)
		}
		code3, code1, script := get("code_3"), get("code_1"), get("script")
		if k := code3 + "_" + script; !seen[k] {
			seen[k] = true
			assigned[k] = set
			if defScript {
				assigned[code3] = set
			}
		}
		if k := code1 + "_" + script; code1 != "" && defCode1 && !seen[k] {
			seen[k] = true
			assigned[k] = set
			if defScript {
				assigned[code1] = set
			}
		}
	}
	out := map[string]string{}
	for k, v := range assigned {
		if v != "" {
			out[k] = v
		}
	}
	return out, nil
}

func csvBool(s string) (bool, error) {
	switch s {
	case "TRUE":
		return true, nil
	case "FALSE", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not TRUE or FALSE", s)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
