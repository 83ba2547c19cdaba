package filters

import (
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/saring/saring"
)

// URLFilterOptions configures url_filter. saring ships no block lists (datatrove
// bundles its own): give files, inline lists, or both. List files hold one
// entry per line; lines starting with # are skipped.
type URLFilterOptions struct {
	URLField            string   `yaml:"url_field" doc:"metadata key or input field holding the document's URL"`
	MissingURL          string   `yaml:"missing_url" doc:"what to do with a document without URL: error (stop, as datatrove), keep or drop"`
	SoftWordThreshold   int      `yaml:"soft_word_threshold" doc:"drop when the URL has at least this many soft-banned words"`
	DomainsFile         string   `yaml:"domains_file" path:"file" doc:"blocked registered domains or full host names, one per line"`
	URLsFile            string   `yaml:"urls_file" path:"file" doc:"blocked URLs (exact), one per line"`
	BannedWordsFile     string   `yaml:"banned_words_file" path:"file" doc:"words that block a URL containing them as a whole word"`
	BannedSubwordsFile  string   `yaml:"banned_subwords_file" path:"file" doc:"strings that block a URL containing them anywhere (after removing non-alphanumerics)"`
	SoftBannedWordsFile string   `yaml:"soft_banned_words_file" path:"file" doc:"words of which soft_word_threshold block a URL"`
	Domains             []string `yaml:"domains" doc:"more blocked domains"`
	URLs                []string `yaml:"urls" doc:"more blocked URLs"`
	BannedWords         []string `yaml:"banned_words" doc:"more banned words"`
	BannedSubwords      []string `yaml:"banned_subwords" doc:"more banned subwords"`
	SoftBannedWords     []string `yaml:"soft_banned_words" doc:"more soft-banned words"`
}

// DefaultURLFilterOptions returns datatrove's defaults, without its lists.
func DefaultURLFilterOptions() URLFilterOptions {
	return URLFilterOptions{URLField: "url", MissingURL: "error", SoftWordThreshold: 2}
}

// Validate checks option values.
func (o *URLFilterOptions) Validate() error {
	if o.URLField == "" {
		return &saring.FieldError{Field: "url_field", Msg: "must name the field holding the URL, e.g. url"}
	}
	switch o.MissingURL {
	case "error", "keep", "drop":
	default:
		return &saring.FieldError{Field: "missing_url", Msg: "must be error, keep or drop"}
	}
	if o.SoftWordThreshold < 1 {
		return &saring.FieldError{Field: "soft_word_threshold", Msg: "must be >= 1"}
	}
	if o.DomainsFile == "" && o.URLsFile == "" && o.BannedWordsFile == "" && o.BannedSubwordsFile == "" &&
		o.SoftBannedWordsFile == "" && len(o.Domains)+len(o.URLs)+len(o.BannedWords)+len(o.BannedSubwords)+len(o.SoftBannedWords) == 0 {
		return &saring.FieldError{Field: "domains_file", Msg: "no block list given: set at least one of domains_file, urls_file, banned_words_file, banned_subwords_file, soft_banned_words_file or an inline list"}
	}
	return nil
}

// URLFilter is the url_filter step.
type URLFilter struct {
	o         URLFilterOptions
	domains   map[string]struct{}
	urls      map[string]struct{}
	banned    map[string]struct{}
	soft      map[string]struct{}
	subwords  c4Trie
	nSubwords int
	rules     rules[urlVerdict]
}

// NewURLFilter builds a url_filter step, reading its list files.
func NewURLFilter(o URLFilterOptions) (*URLFilter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &URLFilter{o: o}
	var err error
	load := func(key, file string, inline []string, normalize bool) map[string]struct{} {
		set := map[string]struct{}{}
		if err != nil {
			return set
		}
		if file != "" {
			b, rerr := os.ReadFile(file)
			if rerr != nil {
				err = &saring.FieldError{Field: key, Msg: rerr.Error()}
				return set
			}
			for _, e := range urlParseList(string(b), normalize) {
				set[e] = struct{}{}
			}
		}
		for _, e := range inline {
			if e = urlListEntry(e, normalize); e != "" {
				set[e] = struct{}{}
			}
		}
		return set
	}
	s.domains = load("domains_file", o.DomainsFile, o.Domains, false)
	s.urls = load("urls_file", o.URLsFile, o.URLs, false)
	s.banned = load("banned_words_file", o.BannedWordsFile, o.BannedWords, true)
	s.soft = load("soft_banned_words_file", o.SoftBannedWordsFile, o.SoftBannedWords, true)
	sub := load("banned_subwords_file", o.BannedSubwordsFile, o.BannedSubwords, true)
	if err != nil {
		return nil, err
	}
	for w := range sub {
		s.subwords.add(w)
	}
	s.nSubwords = len(sub)
	s.rules = urlRules(&s.o)
	return s, nil
}

// urlRules are datatrove's rules, in its order.
func urlRules(o *URLFilterOptions) rules[urlVerdict] {
	type m = urlVerdict
	flag := func(reason string, hit func(m) bool, message func(m) string, note func(m) string) rule[m] {
		r := rule[m]{reason: reason, op: "==", value: func(x m) float64 { return c4Bool(hit(x)) },
			message: func(x m, _, _ float64) string { return message(x) }}
		if note != nil {
			r.note = func(x m, _ string) string { return note(x) }
		}
		return r
	}
	return rules[m]{
		flag("domain", func(x m) bool { return x.domain },
			func(x m) string { return "domain " + x.registered + " is blocked" },
			func(x m) string { return "registered domain " + x.registered }),
		flag("subdomain", func(x m) bool { return x.subdomain },
			func(x m) string { return "host " + x.fqdn + " is blocked" },
			func(x m) string { return "host " + x.fqdn }),
		flag("url", func(x m) bool { return x.exact }, func(m) string { return "URL is blocked" }, nil),
		flag("hard_blacklisted", func(x m) bool { return x.banned != "" },
			func(x m) string { return fmt.Sprintf("URL contains banned word %q", x.banned) },
			func(x m) string { return x.banned }),
		{reason: "soft_blacklisted", record: "soft_banned_words", op: "<", limit: float64(o.SoftWordThreshold),
			value: func(x m) float64 { return float64(x.soft) },
			message: func(x m, _, _ float64) string {
				return fmt.Sprintf("URL contains %d soft-banned words >= %d", x.soft, o.SoftWordThreshold)
			}},
		flag("blacklisted_subword", func(x m) bool { return x.subword }, func(m) string { return "URL contains a banned subword" }, nil),
	}
}

func (*URLFilter) Name() string { return "url_filter" }

// urlVerdict is every rule's outcome for one URL, in datatrove's order.
type urlVerdict struct {
	registered, fqdn         string
	domain, subdomain, exact bool
	banned                   string // first banned word found
	soft                     int
	subword                  bool
}

func (s *URLFilter) judge(url string) urlVerdict {
	var v urlVerdict
	v.registered, v.fqdn = urlDomains(url)
	if v.registered != "" {
		_, v.domain = s.domains[v.registered]
	}
	if v.fqdn != "" {
		_, v.subdomain = s.domains[v.fqdn]
	}
	_, v.exact = s.urls[url]
	// url_words = set(re.split("[^a-zA-Z0-9]+", url)): case is kept.
	var seenSoft []string
	urlSplitWords(url, func(w string) {
		if _, ok := s.banned[w]; ok && v.banned == "" {
			v.banned = w
		}
		if _, ok := s.soft[w]; ok {
			for _, x := range seenSoft {
				if x == w {
					return
				}
			}
			seenSoft = append(seenSoft, w)
		}
	})
	v.soft = len(seenSoft)
	if s.nSubwords > 0 {
		v.subword = s.subwords.contains(urlNormalize(url))
	}
	return v
}

func (s *URLFilter) url(doc *saring.Document) (string, bool) {
	u, ok := doc.Lookup(s.o.URLField)
	return u, ok && u != ""
}

func (s *URLFilter) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	url, ok := s.url(doc)
	if !ok {
		switch s.o.MissingURL {
		case "keep":
			return saring.Kept(), nil
		case "drop":
			return saring.Dropped("missing_url", "no %q field", s.o.URLField), nil
		}
		return saring.Result{}, fmt.Errorf("url_filter: document %q (%s) has no %q field: set url_field to the field holding the URL, or missing_url: keep|drop", doc.ID, doc.Source, s.o.URLField)
	}
	v := s.judge(url)
	// Every rule is judged before the first decides: record them all.
	s.rules.record(v, doc, "url_filter")
	return s.rules.decide(v, nil, ""), nil
}

func (s *URLFilter) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	url, ok := s.url(doc)
	if !ok {
		return []saring.Check{{Rule: "missing_url", Value: 0, Op: "==", Threshold: 1, Pass: s.o.MissingURL == "keep", Note: "no " + s.o.URLField + " field"}}, nil
	}
	return s.rules.explain(s.judge(url)), nil
}

// urlIsAlnum is [a-zA-Z0-9], datatrove's notion of a URL word character.
func urlIsAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// urlSplitWords calls f for each piece of re.split("[^a-zA-Z0-9]+", s),
// including the empty first/last pieces when s starts/ends with a separator.
func urlSplitWords(s string, f func(string)) {
	start := 0
	for i := 0; i < len(s); {
		if urlIsAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !urlIsAlnum(s[j]) {
			j++
		}
		f(s[start:i])
		start, i = j, j
	}
	f(s[start:])
}

// urlNormalize is datatrove's normalize: drop every character but
// [a-zA-Z0-9], then lower-case.
func urlNormalize(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlIsAlnum(c) {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	return string(b)
}

// urlListEntry cleans one list entry: normalized for word lists, stripped
// (Python str.strip) for domain and URL lists. "" means skip.
func urlListEntry(line string, normalize bool) string {
	if strings.HasPrefix(line, "#") {
		return ""
	}
	if normalize {
		return urlNormalize(line)
	}
	return c4Strip(line)
}

// urlParseList reads a list file as datatrove's parse_list does, except that
// entries that come out empty are skipped: datatrove would keep "" and, for
// word lists, then block every URL that ends in a non-alphanumeric.
func urlParseList(text string, normalize bool) []string {
	var out []string
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if e := urlListEntry(line, normalize); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// urlDomains returns tldextract's registered_domain and fqdn for url, with
// ICANN suffixes only (tldextract's default): "" when the host has no known
// public suffix (localhost, IP addresses) or is itself a suffix. Labels keep
// their case, as in tldextract.
func urlDomains(url string) (registered, fqdn string) {
	host := urlLenientNetloc(url)
	host = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".").Replace(host)
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		return "", "" // IPv6 literal
	}
	labels := strings.Split(host, ".")
	k := urlSuffixLabels(labels)
	if k == 0 {
		return "", ""
	}
	n := len(labels)
	suffix := strings.Join(labels[n-k:], ".")
	if n-k < 1 || labels[n-k-1] == "" {
		return "", ""
	}
	domain := labels[n-k-1]
	registered = domain + "." + suffix
	fqdn = registered
	if sub := strings.Join(labels[:n-k-1], "."); sub != "" {
		fqdn = sub + "." + registered
	}
	return registered, fqdn
}

// urlSuffixLabels returns how many trailing labels form the ICANN public
// suffix, 0 if none. Lookups use lower-case punycode, as the list does.
func urlSuffixLabels(labels []string) int {
	ascii := make([]string, len(labels))
	for i, l := range labels {
		l = strings.ToLower(l)
		if !urlIsASCII(l) {
			if p, err := idna.Punycode.ToASCII(l); err == nil {
				l = p
			}
		}
		if l == "" && i == len(labels)-1 {
			return 0
		}
		ascii[i] = l
	}
	d := strings.Join(ascii, ".")
	for d != "" {
		ps, icann := publicsuffix.PublicSuffix(d)
		if icann {
			return strings.Count(ps, ".") + 1
		}
		// A private suffix (blogspot.com) or no rule at all: look for
		// the ICANN suffix inside it.
		i := strings.IndexByte(ps, '.')
		if i < 0 {
			return 0
		}
		d = ps[i+1:]
	}
	return 0
}

func urlIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// urlLenientNetloc is tldextract's lenient_netloc: the host part of a
// URL-like string, without scheme, user info, port or trailing dots.
func urlLenientNetloc(url string) string {
	s := urlSchemeless(url)
	for _, sep := range []string{"/", "?", "#"} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if s != "" && s[0] == '[' {
		if i := strings.IndexByte(s, ']'); i >= 0 {
			return s[:i+1]
		}
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = c4Strip(s)
	return strings.TrimRight(s, ".\u3002\uff0e\uff61")
}

func urlSchemeless(url string) string {
	i := strings.Index(url, "//")
	if i == 0 {
		return url[2:]
	}
	if i < 2 || url[i-1] != ':' {
		return url
	}
	for j := 0; j < i-1; j++ {
		c := url[j]
		if !(urlIsAlnum(c) || c == '+' || c == '-' || c == '.') {
			return url
		}
	}
	return url[i+2:]
}
