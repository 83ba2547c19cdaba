package dedup

import (
	"context"
	"fmt"

	"github.com/saring/saring"
)

// KeyDedup is exact_dedup and url_dedup, which differ only in their key:
// documents with the same key are duplicates, the one with the smallest seq
// is kept.
type KeyDedup struct {
	name   string
	reason string
	what   string // what the key is, for messages
	key    func(doc *saring.Document) ([2]uint64, bool)
	seen   *firstSeen
	done   bool
	// loaded holds the decisions of a distributed run by seq (Load); nil
	// when the step runs its passes in memory.
	loaded map[uint64]keyDecision
}

func (k *KeyDedup) Name() string { return k.name }

func (k *KeyDedup) Add(ctx context.Context, doc *saring.Document) error {
	if key, ok := k.key(doc); ok {
		k.seen.add(key, doc.Seq, doc.ID)
	}
	return nil
}

func (k *KeyDedup) Finish(ctx context.Context) error {
	k.done = true
	return nil
}

func (k *KeyDedup) decide(doc *saring.Document) (e seen, dup, ok bool, err error) {
	if !k.done {
		return e, false, false, fmt.Errorf("%s: Process called before Finish", k.name)
	}
	if k.loaded != nil {
		d, ok := k.loaded[doc.Seq]
		if !ok {
			return e, false, false, nil // no key
		}
		e = seen{seq: doc.Seq, id: d.rep, count: d.count}
		return e, d.dup, true, nil
	}
	key, has := k.key(doc)
	if !has {
		return e, false, false, nil
	}
	e, ok = k.seen.get(key)
	if !ok {
		// Not seen in the first pass: the runner gave Process a document
		// Add never saw. Keep it; nothing is known against it.
		return e, false, false, nil
	}
	return e, e.seq != doc.Seq, true, nil
}

func (k *KeyDedup) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	e, dup, ok, err := k.decide(doc)
	if err != nil || !ok {
		return saring.Kept(), err
	}
	doc.Record(k.name, "copies", float64(e.count))
	if !dup {
		return saring.Kept(), nil
	}
	doc.SetMeta("duplicate_of", e.id)
	return saring.Dropped(k.reason, "same %s as %s", k.what, e.id), nil
}

func (k *KeyDedup) Explain(ctx context.Context, doc *saring.Document) ([]saring.Check, error) {
	e, dup, ok, err := k.decide(doc)
	if err != nil {
		return nil, err
	}
	c := saring.Check{Rule: k.reason, Value: 0, Op: "==", Threshold: 0, Pass: !dup, Note: "first of its " + k.what}
	if !ok {
		c.Note = "no " + k.what
	} else if dup {
		c.Value = 1
		c.Note = "same " + k.what + " as " + e.id
	}
	return []saring.Check{c}, nil
}
