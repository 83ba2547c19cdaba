package repair

import (
	"context"
	"strings"

	"github.com/saring/saring"
)

// PIIOptions configure the pii step. Replacement lists are used in turn;
// which one a match gets depends only on the document's Seq and the match's
// rank in it, so output does not depend on worker scheduling.
type PIIOptions struct {
	Emails           bool     `yaml:"emails" doc:"replace e-mail addresses"`
	IPs              bool     `yaml:"ips" doc:"replace IPv4 and IPv6 addresses"`
	OnlyPublicIPs    bool     `yaml:"only_public_ips" doc:"only replace public addresses (private, loopback and documentation ranges are not personal)"`
	Phones           bool     `yaml:"phones" doc:"replace phone numbers (+62 812-3456-7890, 0812 3456 7890, (021) 555-1234, +1 555 123 4567)"`
	Cards            bool     `yaml:"cards" doc:"replace payment card numbers that pass the Luhn check"`
	EmailReplacement []string `yaml:"email_replacement" doc:"replacements for e-mail addresses, used in turn"`
	IPReplacement    []string `yaml:"ip_replacement" doc:"replacements for IPv4 addresses, used in turn"`
	IPv6Replacement  []string `yaml:"ipv6_replacement" doc:"replacements for IPv6 addresses, used in turn"`
	PhoneReplacement []string `yaml:"phone_replacement" doc:"replacements for phone numbers, used in turn"`
	CardReplacement  []string `yaml:"card_replacement" doc:"replacements for card numbers, used in turn"`
}

// DefaultPIIOptions returns the defaults; the e-mail and IPv4 replacements are
// datatrove's PIIFormatter defaults.
func DefaultPIIOptions() PIIOptions {
	return PIIOptions{
		Emails: true, IPs: true, OnlyPublicIPs: true, Phones: true, Cards: true,
		EmailReplacement: []string{"email@example.com", "firstname.lastname@example.org"},
		IPReplacement: []string{
			"22.214.171.124", "126.96.36.199", "188.8.131.52",
			"184.108.40.206", "220.127.116.11", "18.104.22.168",
		},
		IPv6Replacement:  []string{"2001:db8::1"},
		PhoneReplacement: []string{"<PHONE>"},
		CardReplacement:  []string{"<CARD>"},
	}
}

// Validate checks the option values.
func (o *PIIOptions) Validate() error {
	for _, c := range []struct {
		on   bool
		key  string
		list []string
	}{
		{o.Emails, "email_replacement", o.EmailReplacement},
		{o.IPs, "ip_replacement", o.IPReplacement},
		{o.IPs, "ipv6_replacement", o.IPv6Replacement},
		{o.Phones, "phone_replacement", o.PhoneReplacement},
		{o.Cards, "card_replacement", o.CardReplacement},
	} {
		if c.on && len(c.list) == 0 {
			return &saring.FieldError{Field: c.key, Msg: "must list at least one replacement (or turn the kind off)"}
		}
	}
	return nil
}

func piiSpec() saring.Spec {
	return saring.NewSpec("pii",
		"replaces e-mail addresses, public IP addresses, phone numbers and payment card numbers with placeholders",
		DefaultPIIOptions,
		func(o PIIOptions, _ saring.Env) (*PII, error) { return NewPII(o), nil })
}

// PII is the pii step. It scans bytes rather than running regular
// expressions: e-mails are found from their '@', numbers from a digit, '+'
// or '(' at a word boundary, IPv6 addresses from their colons.
//
// What counts:
//   - e-mail: local@domain with a dotted domain whose last label is 2+
//     letters; unlike datatrove (lowercase only) upper case matches too;
//   - IPv4: four dot-separated numbers 0–255 without leading zeros, not part
//     of a longer dotted number or a word ("v1.2.3.4" is a version);
//   - IPv6: what net/netip parses, with at least two colons;
//   - phone: "+" and 8–15 digits in groups; "(0xx) …" or "(xxx) xxx-xxxx";
//     "0" followed by 9–13 digits whose first group has 3+ digits
//     (0812 3456 7890, 021-555-1234); "xxx-xxx-xxxx";
//   - card: 13–19 digits, ungrouped or in groups of 4 (or 4-6-5, 4-6-4),
//     starting with 2–6 (the card networks' ranges) and passing Luhn.
//
// Dates (2023-07-24, 24/7/2023), prices (Rp 1.250.000, $1,299.99), years,
// version numbers and ISBNs match none of these.
type PII struct {
	opts PIIOptions
}

// NewPII returns a pii step; opts must be valid.
func NewPII(opts PIIOptions) *PII { return &PII{opts: opts} }

func (p *PII) Name() string { return "pii" }

// PII kinds, as counted in metadata.pii.
const (
	kindEmail uint8 = iota
	kindIPv4
	kindIPv6
	kindPhone
	kindCard
	numKinds
)

var kindNames = [numKinds]string{"email", "ip", "ipv6", "phone", "card"}

type piiMatch struct {
	start, end int
	kind       uint8
}

func (p *PII) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	matches := p.find(doc.Text, nil)
	var counts [numKinds]int
	for _, m := range matches {
		counts[m.kind]++
	}
	for k := range numKinds {
		doc.Record("pii", kindNames[k], float64(counts[k]))
	}
	if len(matches) == 0 {
		return saring.Kept(), nil
	}
	lists := [numKinds][]string{p.opts.EmailReplacement, p.opts.IPReplacement, p.opts.IPv6Replacement, p.opts.PhoneReplacement, p.opts.CardReplacement}
	var seen [numKinds]uint64
	var b strings.Builder
	s := doc.Text
	b.Grow(len(s))
	last := 0
	for _, m := range matches {
		b.WriteString(s[last:m.start])
		list := lists[m.kind]
		b.WriteString(list[(doc.Seq+seen[m.kind])%uint64(len(list))])
		seen[m.kind]++
		last = m.end
	}
	b.WriteString(s[last:])
	doc.Text = b.String()
	meta := map[string]any{}
	for k := range numKinds {
		if counts[k] > 0 {
			meta[kindNames[k]] = counts[k]
		}
	}
	doc.SetMeta("pii", meta)
	return saring.Rewritten(), nil
}

// Explain counts what would be replaced; pii never drops, so every check passes.
func (p *PII) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	var counts [numKinds]int
	for _, m := range p.find(doc.Text, nil) {
		counts[m.kind]++
	}
	checks := make([]saring.Check, 0, numKinds)
	for k := range numKinds {
		checks = append(checks, saring.Check{Rule: kindNames[k], Value: float64(counts[k]), Op: ">=", Threshold: 0, Pass: true, Note: "replaced with a placeholder"})
	}
	return checks, nil
}
