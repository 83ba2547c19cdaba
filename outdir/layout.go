package outdir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Dir is an output directory. Root is a local directory; with Remote set,
// Root is the staging directory of the remote one.
type Dir struct {
	Root   string
	Remote *Remote
}

// The kinds of document output.
const (
	Kept     = "kept"
	Removed  = "removed"
	Rejected = "rejected"
)

// Kinds are the document output directories, in the order readers list them.
var Kinds = []string{Kept, Removed, Rejected}

func (d Dir) Path(elem ...string) string {
	return filepath.Join(append([]string{d.Root}, elem...)...)
}

// Stats is OUT/stats.json.
func (d Dir) Stats() string { return d.Path("stats.json") }

// State is OUT/.saring, where plans, markers, locks and work files live.
func (d Dir) State() string { return d.Path(".saring") }

// Plan is the run's plan file.
func (d Dir) Plan() string { return d.Path(".saring", "plan.json") }

// RunLock is held by a process that runs every stage itself.
func (d Dir) RunLock() string { return d.Path(".saring", "run.lock") }

// Done is written when the run is complete.
func (d Dir) Done() string { return d.Path(".saring", "done.json") }

// Logs holds per-task logs written by cluster executors.
func (d Dir) Logs() string { return d.Path(".saring", "logs") }

// Stage is the state directory of one stage.
func (d Dir) Stage(stage int) string { return d.Path(".saring", fmt.Sprintf("stage-%02d", stage)) }

// UnitMarker is the marker of one unit of a stage.
func (d Dir) UnitMarker(stage, unit int) string {
	return filepath.Join(d.Stage(stage), "units", fmt.Sprintf("%06d.json", unit))
}

// TaskMarker is the marker of one task of a stage.
func (d Dir) TaskMarker(stage, task int) string {
	return filepath.Join(d.Stage(stage), "tasks", fmt.Sprintf("%05d.json", task))
}

// TaskLock is held while a task runs.
func (d Dir) TaskLock(stage, task int) string {
	return filepath.Join(d.Stage(stage), "tasks", fmt.Sprintf("%05d.lock", task))
}

// Work is a stage's work directory (spools, first-pass records, decisions).
func (d Dir) Work(stage int) string { return filepath.Join(d.Stage(stage), "work") }

// ShardPrefix is the name prefix of a unit's output files of one stage:
// part-SS-UUUUUU. ShardWriter appends -NNNNN.EXT.
func ShardPrefix(stage, unit int) string { return fmt.Sprintf("part-%02d-%06d", stage, unit) }

// IsShard reports whether a file name is a finished output shard (not a
// temporary file of a writer that did not finish).
func IsShard(name string) bool {
	return strings.HasPrefix(name, "part-") && !strings.HasSuffix(name, ".tmp")
}

// Rel returns path relative to the root, with forward slashes, for markers.
func (d Dir) Rel(path string) string {
	r, err := filepath.Rel(d.Root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// Abs undoes Rel.
func (d Dir) Abs(rel string) string { return filepath.Join(d.Root, filepath.FromSlash(rel)) }

// Files lists the finished document files of one kind (kept, removed or
// rejected) in name order, which is input order; partition directories
// (partition.go) are listed in name order, each with its files in name
// order. Token shards (.bin, .idx, .ds ...) hold no documents and are left
// out; AllFiles lists them too.
func (d Dir) Files(kind string) ([]string, error) { return d.listShards(kind, false) }

// Concat returns the bytes of every file of one kind, one after the other,
// in name order (AllFiles): the same for any number of tasks.
func (d Dir) Concat(kind string) ([]byte, error) {
	files, err := d.AllFiles(kind)
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, f := range files {
		c, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		b = append(b, c...)
	}
	return b, nil
}
