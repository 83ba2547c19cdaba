package formats

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/saring/saring"
)

// writePartitioned sends doc to the writer of its partition, a ShardWriter
// of DIR/PARTITION with this writer's settings, opened on first use. Every
// partition numbers its shards from 00000, so a partition's files in name
// order are its documents in input order.
func (w *ShardWriter) writePartitioned(doc *saring.Document) error {
	name := w.Partition(doc)
	p, ok := w.parts[name]
	if !ok {
		if !filepath.IsLocal(name) || name == "" {
			return fmt.Errorf("document %s: partition %q is not a directory name", doc.ID, name)
		}
		var err error
		if p, err = NewShardWriter(filepath.Join(w.Dir, name), w.Format, w.MaxDocs, w.MaxBytes); err != nil {
			return err
		}
		p.Level, p.Prefix, p.Tokens, p.inPartition = w.Level, w.Prefix, w.Tokens, true
		if w.parts == nil {
			w.parts = map[string]*ShardWriter{}
		}
		w.parts[name] = p
	}
	return p.Write(doc)
}

// bufSize is a shard's write buffer: smaller in a partition, where a unit
// may hold a writer open for each of hundreds of values.
func (w *ShardWriter) bufSize() int {
	if w.inPartition {
		return 64 << 10
	}
	return 1 << 20
}

// closePartitions closes every partition's writer and lists their files,
// partition by partition in name order.
func (w *ShardWriter) closePartitions() error {
	names := make([]string, 0, len(w.parts))
	for n := range w.parts {
		names = append(names, n)
	}
	sort.Strings(names)
	w.Files, w.Docs = w.Files[:0], w.Docs[:0]
	for _, n := range names {
		p := w.parts[n]
		if err := p.Close(); err != nil {
			return err
		}
		w.Files = append(w.Files, p.Files...)
		w.Docs = append(w.Docs, p.Docs...)
	}
	return nil
}

// Partitions lists the partitions written to, in name order.
func (w *ShardWriter) Partitions() []string {
	names := make([]string, 0, len(w.parts))
	for n := range w.parts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
