package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zeebo/xxh3"
)

// Partitioned output (output.partition_by: KEY) puts each kept document
// under kept/KEY=VALUE/, as Hive-style and datatrove's ${KEY} outputs do:
// kept/language=ind_Latn/part-01-000003-00000.jsonl.zst. VALUE is the
// document's metadata value, written so that every value has its own
// directory and no value can escape kept/:
//
//   - bytes other than A-Z a-z 0-9 . _ - become %XX (uppercase hex), and so
//     does a leading dot;
//   - numbers are written as JSON writes them (3, 0.25), lists and objects as
//     compact JSON, then escaped;
//   - a document without the key, or with null or "", goes to KEY=__none__
//     (a real value "__none__" is written %5F_none__);
//   - a value longer than 200 bytes once escaped is cut to 180 and ends in
//     ~ and the 16 hex digits of the xxh3 of the whole value.
//
// Shard names inside a partition are those of an undivided run, so a
// partition's files in name order are its documents in input order, the
// same for any task count.

// NonePartition is the value directory of documents without the key.
const NonePartition = "__none__"

const maxPartitionValue = 200

// ValidPartitionKey reports whether key can name partition directories: a
// metadata key of letters, digits, '_', '-' and '.', not starting with '.'.
func ValidPartitionKey(key string) error {
	if key == "" {
		return errors.New("must not be empty")
	}
	if key[0] == '.' {
		return errors.New("must not start with a dot")
	}
	for i := 0; i < len(key); i++ {
		if !plainByte(key[i]) {
			return fmt.Errorf("%q: a partition key is letters, digits, '_', '-' and '.'", key)
		}
	}
	return nil
}

func plainByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// PartitionDir is the directory, relative to kept/, of a document whose
// metadata holds v under key (ok false when it has no such key).
func PartitionDir(key string, v any, ok bool) string {
	return key + "=" + PartitionValue(v, ok)
}

// PartitionValue is the VALUE of KEY=VALUE for a metadata value.
func PartitionValue(v any, ok bool) string {
	s, present := partitionString(v)
	if !ok || !present || s == "" {
		return NonePartition
	}
	return escapePartition(s)
}

func partitionString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return strconv.FormatInt(int64(x), 10), true
		}
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case float32:
		return partitionString(float64(x))
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case json.Number:
		return x.String(), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), true
	}
	return string(b), true
}

func escapePartition(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainByte(c) && !(i == 0 && c == '.') && !(i == 0 && s == NonePartition) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	out := b.String()
	if len(out) <= maxPartitionValue {
		return out
	}
	cut := 180
	// Do not cut an escape in two.
	if i := strings.LastIndexByte(out[:cut], '%'); i >= cut-2 {
		cut = i
	}
	return fmt.Sprintf("%s~%016x", out[:cut], xxh3.HashString(s))
}

// IsPartitionDir reports whether a directory name under kept/ (or removed/)
// is a partition: KEY=VALUE, not hidden.
func IsPartitionDir(name string) bool {
	return !strings.HasPrefix(name, ".") && strings.Contains(name, "=")
}

// TokenFileSuffixes end the names of tokenized output files (Megatron's
// .bin and .idx, datatrove's .ds, .ds.index and .ds.metadata).
var TokenFileSuffixes = []string{".bin", ".idx", ".ds", ".ds.index", ".ds.metadata"}

// IsTokenFile reports whether a shard holds token ids rather than documents:
// readers of documents (the viewer, report) pass over it.
func IsTokenFile(name string) bool {
	for _, s := range TokenFileSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// PartitionDirs lists the partition directories of one kind, in name order.
func (d Dir) PartitionDirs(kind string) ([]string, error) {
	entries, err := os.ReadDir(d.Path(kind))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && IsPartitionDir(e.Name()) {
			out = append(out, d.Path(kind, e.Name()))
		}
	}
	return out, nil
}

// AllFiles lists every finished output file of one kind, token shards
// included, in name order: partitions in name order, each partition's
// files in name order (input order).
func (d Dir) AllFiles(kind string) ([]string, error) { return d.listShards(kind, true) }

func (d Dir) listShards(kind string, tokens bool) ([]string, error) {
	entries, err := os.ReadDir(d.Path(kind))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	add := func(dir string, e fs.DirEntry) {
		if !e.IsDir() && IsShard(e.Name()) && (tokens || !IsTokenFile(e.Name())) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	for _, e := range entries {
		if e.IsDir() && IsPartitionDir(e.Name()) {
			sub := d.Path(kind, e.Name())
			subs, err := os.ReadDir(sub)
			if err != nil {
				return nil, err
			}
			for _, s := range subs {
				add(sub, s)
			}
			continue
		}
		add(d.Path(kind), e)
	}
	// os.ReadDir lists by name: a partition's files come together, in
	// the order of its name among the others.
	return out, nil
}
