package fasttext

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

const (
	fileMagic   = 793712314
	fileVersion = 12
)

// Loss names the output layer a model was trained with.
type Loss int32

const (
	LossHS      Loss = 1 // hierarchical softmax
	LossNS      Loss = 2 // negative sampling (predicts like one-vs-all)
	LossSoftmax Loss = 3
	LossOVA     Loss = 4 // one-vs-all: independent sigmoids
)

func (l Loss) String() string {
	switch l {
	case LossHS:
		return "hs"
	case LossNS:
		return "ns"
	case LossSoftmax:
		return "softmax"
	case LossOVA:
		return "ova"
	}
	return fmt.Sprintf("loss(%d)", int32(l))
}

// Args are the training arguments stored in a model file that matter for
// prediction.
type Args struct {
	Dim        int
	WordNgrams int
	Loss       Loss
	Bucket     int
	Minn, Maxn int
}

// Model is a supervised fastText model. It is read-only once loaded, so one
// Model may be shared by any number of goroutines.
type Model struct {
	args   Args
	dict   *dict
	input  *matrix
	output *matrix
	quant  bool
	// flat is the input matrix as dense float32 rows (decoded once when
	// quantized), which predictions add with vector instructions; nil for
	// a quantized matrix too large to decode.
	flat []float32

	eosID   int32
	eosHash uint32

	// hierarchical softmax tree: leaves are labels 0..nlabels-1, internal
	// node i uses output row i-nlabels; the root is the last node.
	left, right, parent []int32
	labelIDs            map[string]int32

	sigmoid [sigmoidTableSize + 1]float32

	pool sync.Pool
}

// Load reads a model from a .bin or .ftz file.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// headerSize covers the magic number, version and training arguments.
const headerSize = 8 + 12*4 + 8

// Read reads a model from r (a .bin or .ftz file's bytes).
func Read(r io.Reader) (*Model, error) {
	// Check the header before reading the rest: word-vector .bin files
	// run to gigabytes and cannot predict labels anyway.
	head := make([]byte, headerSize)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("fasttext model: %w", err)
	}
	if _, err := parseHeader(&decoder{b: head[:n]}); err != nil {
		return nil, fmt.Errorf("fasttext model: %w", err)
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("fasttext model: %w", err)
	}
	m, err := parse(append(head, rest...))
	if err != nil {
		return nil, fmt.Errorf("fasttext model: %w", err)
	}
	return m, nil
}

func parse(b []byte) (*Model, error) {
	d := &decoder{b: b}
	a, err := parseHeader(d)
	if err != nil {
		return nil, err
	}
	dc := readDict(d, a.Bucket)
	if d.err != nil {
		return nil, fmt.Errorf("dictionary: %w", d.err)
	}
	if len(dc.labels()) == 0 {
		return nil, errors.New("model has no labels")
	}

	m := &Model{args: a, dict: dc}
	m.quant = d.bool()
	if m.quant {
		m.input = readQuant(d)
	} else {
		m.input = readDense(d)
	}
	if d.err != nil {
		return nil, fmt.Errorf("input matrix: %w", d.err)
	}
	if !m.quant && dc.pruned >= 0 {
		return nil, errors.New("pruned dictionary with an unquantized matrix (an outdated model file; download it again)")
	}
	qout := d.bool()
	if m.quant && qout {
		m.output = readQuant(d)
	} else {
		m.output = readDense(d)
	}
	if d.err != nil {
		return nil, fmt.Errorf("output matrix: %w", d.err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	m.flat = m.input.flatten()
	m.eosID = dc.find([]byte(eosWord), fnv([]byte(eosWord)))
	m.eosHash = fnv([]byte(eosWord))
	if a.Loss == LossHS {
		m.buildTree()
	}
	m.labelIDs = make(map[string]int32, len(dc.labels()))
	for i, l := range dc.labels() {
		m.labelIDs[l] = int32(i)
	}
	m.initSigmoid()
	return m, nil
}

// parseHeader reads and checks the magic number, version and arguments.
func parseHeader(d *decoder) (Args, error) {
	var a Args
	magic, version := d.i32(), d.i32()
	if d.err != nil {
		return a, d.err
	}
	if magic != fileMagic {
		return a, errors.New("not a fastText model file (bad magic number)")
	}
	if version > fileVersion || version < 11 {
		return a, fmt.Errorf("unsupported fastText file version %d (want 11 or 12)", version)
	}
	a.Dim = int(d.i32())
	d.i32() // ws
	d.i32() // epoch
	d.i32() // minCount
	d.i32() // neg
	a.WordNgrams = int(d.i32())
	a.Loss = Loss(d.i32())
	model := d.i32()
	a.Bucket = int(d.i32())
	a.Minn, a.Maxn = int(d.i32()), int(d.i32())
	d.i32() // lrUpdateRate
	d.f64() // t
	if d.err != nil {
		return a, d.err
	}
	const supervised = 3
	if model != supervised {
		return a, fmt.Errorf("model kind %d is not supervised (word-vector models cannot predict labels)", model)
	}
	if version == 11 {
		a.Maxn = 0 // old supervised models have no character n-grams
	}
	if a.Loss < LossHS || a.Loss > LossOVA {
		return a, fmt.Errorf("unknown loss %d", int32(a.Loss))
	}
	if a.Dim <= 0 || a.Dim > maxDim {
		return a, fmt.Errorf("impossible dimension %d", a.Dim)
	}
	if a.Bucket < 0 || (a.Bucket == 0 && (a.Maxn > 0 || a.WordNgrams > 1)) {
		return a, fmt.Errorf("n-grams are on but bucket is %d", a.Bucket)
	}
	return a, nil
}

// check verifies that every row prediction can reach exists.
func (m *Model) check() error {
	dc := m.dict
	if m.input.cols != m.args.Dim || m.output.cols != m.args.Dim {
		return fmt.Errorf("matrix widths %d and %d differ from dim %d", m.input.cols, m.output.cols, m.args.Dim)
	}
	need := int64(dc.nwords)
	switch {
	case dc.pruned < 0:
		need += int64(m.args.Bucket)
	case dc.pruned > 0:
		for _, r := range dc.pruneRows {
			if int64(dc.nwords)+int64(r) >= int64(m.input.rows) {
				return fmt.Errorf("a pruned n-gram maps to row %d, past the input matrix's %d rows", dc.nwords+int(r), m.input.rows)
			}
		}
	}
	if int64(m.input.rows) < need {
		return fmt.Errorf("input matrix has %d rows, need %d", m.input.rows, need)
	}
	nl := len(dc.labels())
	if m.output.rows < nl {
		return fmt.Errorf("output matrix has %d rows for %d labels", m.output.rows, nl)
	}
	return nil
}

// Labels returns the model's labels as stored, e.g. "__label__en", in the
// model's order. The slice must not be modified.
func (m *Model) Labels() []string { return m.dict.labels() }

// Args returns the training arguments that shape prediction.
func (m *Model) Args() Args { return m.args }

// Quantized reports whether the model is a quantized (.ftz) one.
func (m *Model) Quantized() bool { return m.quant }

// Words returns the number of words in the vocabulary.
func (m *Model) Words() int { return m.dict.nwords }
