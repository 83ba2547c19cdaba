package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Values: nil (None), bool, int, string, *pyList, pyTuple, *pyDict,
// *pyFunc, *builtin, *module, symbol, opaque.
type value interface{}

type pyList struct{ items []value }
type pyTuple []value

// pyDict keeps insertion order, as Python's dict does. Sets are dicts with
// nil values (their iteration order is Python's hash order, which nothing
// here depends on: every table is sorted or keyed before it is written).
type pyDict struct {
	keys  []value
	vals  []value
	index map[value]int
	isSet bool
}

type pyFunc struct {
	params []string
	body   expr
	env    *scope
}

type builtin struct {
	name string
	fn   func(args []value, kw map[string]value) (value, error)
}

type module struct {
	name string
	vars map[string]value
}

// symbol stands for a constant of a compiled module (spacy.symbols).
type symbol string

// opaque stands for a value the data never looks inside (compiled regexes).
type opaque string

type scope struct {
	vars   map[string]value
	parent *scope
}

func (s *scope) lookup(name string) (value, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func newDict() *pyDict { return &pyDict{index: map[value]int{}} }

func (d *pyDict) get(k value) (value, bool) {
	i, ok := d.index[k]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

func (d *pyDict) set(k, v value) error {
	if !hashable(k) {
		return fmt.Errorf("unhashable key %s", pyRepr(k))
	}
	if i, ok := d.index[k]; ok {
		d.vals[i] = v
		return nil
	}
	d.index[k] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	return nil
}

func (d *pyDict) del(k value) bool {
	i, ok := d.index[k]
	if !ok {
		return false
	}
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	delete(d.index, k)
	for j := i; j < len(d.keys); j++ {
		d.index[d.keys[j]] = j
	}
	return true
}

func (d *pyDict) copy() *pyDict {
	c := newDict()
	c.isSet = d.isSet
	for i, k := range d.keys {
		c.set(k, d.vals[i])
	}
	return c
}

func hashable(v value) bool {
	switch v.(type) {
	case nil, bool, int, string, symbol:
		return true
	}
	return false
}

// interp loads modules from a source tree, as Python's import would.
type interp struct {
	root     string             // directory that holds the top-level packages
	modules  map[string]*module // by dotted name
	builtins map[string]*module // modules provided in Go
	loading  map[string]bool
	// budget bounds the work a program may make the reader do (expressions
	// evaluated and items built), so that no input can hang or exhaust it;
	// spaCy's data needs about 1.3 million.
	budget int
}

func newInterp(root string) *interp {
	in := &interp{root: root, modules: map[string]*module{}, builtins: map[string]*module{}, loading: map[string]bool{}, budget: 1 << 30}
	in.builtins["typing"] = &module{"typing", map[string]value{}}
	for _, n := range []string{"Dict", "List", "Any", "Optional", "Union", "Set", "Tuple", "Callable", "Iterable", "Sequence"} {
		in.builtins["typing"].vars[n] = opaque("typing." + n)
	}
	in.builtins["re"] = &module{"re", map[string]value{
		"compile": &builtin{"re.compile", func(args []value, kw map[string]value) (value, error) {
			return opaque("compiled regex"), nil
		}},
	}}
	return in
}

// load imports a module by dotted name and returns it.
func (in *interp) load(name string) (*module, error) {
	if m, ok := in.builtins[name]; ok {
		return m, nil
	}
	if m, ok := in.modules[name]; ok {
		return m, nil
	}
	if in.loading[name] {
		return nil, fmt.Errorf("import cycle at %s", name)
	}
	in.loading[name] = true
	defer delete(in.loading, name)
	rel := strings.ReplaceAll(name, ".", "/")
	path := filepath.Join(in.root, rel+".py")
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		path = filepath.Join(in.root, rel, "__init__.py")
		src, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", name, err)
	}
	return in.exec(name, path, string(src), strings.HasSuffix(path, "__init__.py"))
}

// exec runs src as the module name (pkg tells whether it is a package's
// __init__, which changes what a relative import is relative to).
func (in *interp) exec(name, file, src string, pkg bool) (*module, error) {
	prog, err := parsePython(file, src)
	if err != nil {
		return nil, err
	}
	m := &module{name: name, vars: map[string]value{}}
	ev := &evaluator{in: in, file: file, mod: m, pkg: pkg}
	if err := ev.run(prog, &scope{vars: m.vars}); err != nil {
		return nil, err
	}
	in.modules[name] = m
	return m, nil
}

type evaluator struct {
	in   *interp
	file string
	mod  *module
	pkg  bool
	line int
}

func (ev *evaluator) errf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", ev.file, ev.line, fmt.Sprintf(format, args...))
}

func (ev *evaluator) run(prog []stmt, sc *scope) error {
	for _, s := range prog {
		if err := ev.stmt(s, sc); err != nil {
			return err
		}
	}
	return nil
}

func (ev *evaluator) stmt(s stmt, sc *scope) error {
	switch s := s.(type) {
	case sPass:
		return nil
	case sExpr:
		_, err := ev.eval(s.x, sc)
		return err
	case sAssign:
		ev.line = s.line
		v, err := ev.eval(s.value, sc)
		if err != nil {
			return err
		}
		if s.op == "+" {
			old, err := ev.eval(s.targets[0], sc)
			if err != nil {
				return err
			}
			if l, ok := old.(*pyList); ok { // += extends the list in place
				items, err := iterate(v)
				if err != nil {
					return ev.errf("%v", err)
				}
				l.items = append(l.items, items...)
				return nil
			}
			v, err = ev.binop("+", old, v)
			if err != nil {
				return err
			}
		}
		for _, t := range s.targets {
			if err := ev.assign(t, v, sc); err != nil {
				return err
			}
		}
		return nil
	case sFor:
		it, err := ev.eval(s.iter, sc)
		if err != nil {
			return err
		}
		items, err := iterate(it)
		if err != nil {
			return ev.errf("%v", err)
		}
		for _, item := range items {
			if err := ev.assign(s.target, item, sc); err != nil {
				return err
			}
			if err := ev.run(s.body, sc); err != nil {
				return err
			}
		}
		return nil
	case sIf:
		c, err := ev.eval(s.cond, sc)
		if err != nil {
			return err
		}
		if truthy(c) {
			return ev.run(s.body, sc)
		}
		return ev.run(s.els, sc)
	case sImport:
		ev.line = s.line
		return ev.importStmt(s, sc)
	}
	return ev.errf("unsupported statement %T", s)
}

func (ev *evaluator) importStmt(s sImport, sc *scope) error {
	name := s.module
	if s.level > 0 {
		parts := strings.Split(ev.mod.name, ".")
		if !ev.pkg {
			parts = parts[:len(parts)-1]
		}
		up := s.level - 1
		if up >= len(parts) {
			return ev.errf("relative import beyond the top package")
		}
		base := strings.Join(parts[:len(parts)-up], ".")
		if name == "" {
			name = base
		} else if base != "" {
			name = base + "." + name
		}
	}
	if s.names == nil {
		m, err := ev.in.load(name)
		if err != nil {
			return ev.errf("%v", err)
		}
		sc.vars[s.as[0]] = m
		return nil
	}
	m, err := ev.in.load(name)
	if err != nil {
		return ev.errf("%v", err)
	}
	for i, n := range s.names {
		v, ok := m.vars[n]
		if !ok {
			// a submodule: from . import x
			sub, err := ev.in.load(name + "." + n)
			if err != nil {
				return ev.errf("cannot import %s from %s", n, name)
			}
			v = sub
		}
		sc.vars[s.as[i]] = v
	}
	return nil
}

func (ev *evaluator) assign(t expr, v value, sc *scope) error {
	switch t := t.(type) {
	case eName:
		sc.vars[t.name] = v
		return nil
	case eTuple:
		items, err := iterate(v)
		if err != nil {
			return ev.errf("%v", err)
		}
		if len(items) != len(t.items) {
			return ev.errf("cannot unpack %d values into %d names", len(items), len(t.items))
		}
		for i, x := range t.items {
			if err := ev.assign(x, items[i], sc); err != nil {
				return err
			}
		}
		return nil
	case eList:
		return ev.assign(eTuple{t.items}, v, sc)
	case eIndex:
		x, err := ev.eval(t.x, sc)
		if err != nil {
			return err
		}
		k, err := ev.eval(t.i, sc)
		if err != nil {
			return err
		}
		switch x := x.(type) {
		case *pyDict:
			if err := x.set(k, v); err != nil {
				return ev.errf("%v", err)
			}
			return nil
		case *pyList:
			i, ok := k.(int)
			if !ok {
				return ev.errf("list index must be an int")
			}
			if i < 0 {
				i += len(x.items)
			}
			if i < 0 || i >= len(x.items) {
				return ev.errf("list index out of range")
			}
			x.items[i] = v
			return nil
		}
		return ev.errf("cannot assign into %s", typeName(x))
	}
	return ev.errf("cannot assign to %T", t)
}

func iterate(v value) ([]value, error) {
	switch v := v.(type) {
	case *pyList:
		return append([]value(nil), v.items...), nil
	case pyTuple:
		return []value(v), nil
	case *pyDict:
		return append([]value(nil), v.keys...), nil
	case string:
		var out []value
		for _, r := range v {
			out = append(out, string(r))
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s is not iterable", typeName(v))
}

func truthy(v value) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int:
		return v != 0
	case string:
		return v != ""
	case *pyList:
		return len(v.items) > 0
	case pyTuple:
		return len(v) > 0
	case *pyDict:
		return len(v.keys) > 0
	}
	return true
}

func typeName(v value) string {
	switch v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int:
		return "int"
	case string:
		return "str"
	case *pyList:
		return "list"
	case pyTuple:
		return "tuple"
	case *pyDict:
		return "dict"
	case *pyFunc, *builtin:
		return "function"
	case *module:
		return "module"
	}
	return fmt.Sprintf("%T", v)
}

func pyRepr(v value) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return fmt.Sprintf("%q", v)
	case symbol:
		return string(v)
	}
	return fmt.Sprint(v)
}

func equal(a, b value) bool {
	switch a := a.(type) {
	case *pyList:
		b, ok := b.(*pyList)
		if !ok || len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !equal(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	case pyTuple:
		b, ok := b.(pyTuple)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case *pyDict:
		b, ok := b.(*pyDict)
		if !ok || len(a.keys) != len(b.keys) {
			return false
		}
		for i, k := range a.keys {
			bv, ok := b.get(k)
			if !ok || !equal(a.vals[i], bv) {
				return false
			}
		}
		return true
	}
	if !hashable(a) || !hashable(b) {
		return false
	}
	return a == b
}

func contains(container, x value) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := x.(string)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires a string")
		}
		return strings.Contains(c, s), nil
	case *pyDict:
		if !hashable(x) {
			return false, fmt.Errorf("unhashable %s", typeName(x))
		}
		_, ok := c.index[x]
		return ok, nil
	}
	items, err := iterate(container)
	if err != nil {
		return false, err
	}
	for _, it := range items {
		if equal(it, x) {
			return true, nil
		}
	}
	return false, nil
}

func (ev *evaluator) eval(x expr, sc *scope) (value, error) {
	if err := ev.spend(1); err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case eConst:
		return x.v, nil
	case eName:
		if v, ok := sc.lookup(x.name); ok {
			return v, nil
		}
		if b, ok := builtins[x.name]; ok {
			return b, nil
		}
		return nil, ev.errf("name %q is not defined", x.name)
	case eFString:
		ev.line = x.line
		var b strings.Builder
		for _, p := range x.parts {
			if p.x == nil {
				b.WriteString(p.lit)
				continue
			}
			v, err := ev.eval(p.x, sc)
			if err != nil {
				return nil, err
			}
			s, err := pyStr(v)
			if err != nil {
				return nil, ev.errf("%v", err)
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case eList:
		items, err := ev.evalAll(x.items, sc)
		return &pyList{items}, err
	case eTuple:
		items, err := ev.evalAll(x.items, sc)
		return pyTuple(items), err
	case eSet:
		items, err := ev.evalAll(x.items, sc)
		if err != nil {
			return nil, err
		}
		d := newDict()
		d.isSet = true
		for _, v := range items {
			if err := d.set(v, nil); err != nil {
				return nil, ev.errf("%v", err)
			}
		}
		return d, nil
	case eDict:
		keys, err := ev.evalAll(x.keys, sc)
		if err != nil {
			return nil, err
		}
		vals, err := ev.evalAll(x.vals, sc)
		if err != nil {
			return nil, err
		}
		d := newDict()
		for i, k := range keys {
			if err := d.set(k, vals[i]); err != nil {
				return nil, ev.errf("%v", err)
			}
		}
		return d, nil
	case eComp:
		it, err := ev.eval(x.iter, sc)
		if err != nil {
			return nil, err
		}
		items, err := iterate(it)
		if err != nil {
			return nil, ev.errf("%v", err)
		}
		inner := &scope{vars: map[string]value{}, parent: sc}
		out := &pyList{}
	items:
		for _, item := range items {
			if err := ev.assign(x.target, item, inner); err != nil {
				return nil, err
			}
			for _, c := range x.conds {
				cv, err := ev.eval(c, inner)
				if err != nil {
					return nil, err
				}
				if !truthy(cv) {
					continue items
				}
			}
			v, err := ev.eval(x.elt, inner)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, v)
		}
		return out, nil
	case eLambda:
		return &pyFunc{params: x.params, body: x.body, env: sc}, nil
	case eCond:
		c, err := ev.eval(x.cond, sc)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return ev.eval(x.then, sc)
		}
		return ev.eval(x.els, sc)
	case eNot:
		v, err := ev.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		return !truthy(v), nil
	case eNeg:
		v, err := ev.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		i, ok := v.(int)
		if !ok {
			return nil, ev.errf("bad operand for unary -: %s", typeName(v))
		}
		return -i, nil
	case eBin:
		ev.line = x.line
		l, err := ev.eval(x.l, sc)
		if err != nil {
			return nil, err
		}
		switch x.op {
		case "and":
			if !truthy(l) {
				return l, nil
			}
			return ev.eval(x.r, sc)
		case "or":
			if truthy(l) {
				return l, nil
			}
			return ev.eval(x.r, sc)
		}
		r, err := ev.eval(x.r, sc)
		if err != nil {
			return nil, err
		}
		return ev.binop(x.op, l, r)
	case eAttr:
		v, err := ev.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		return ev.attr(v, x.name)
	case eIndex:
		v, err := ev.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		k, err := ev.eval(x.i, sc)
		if err != nil {
			return nil, err
		}
		return ev.index(v, k)
	case eSlice:
		v, err := ev.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		var lo, hi value
		if x.lo != nil {
			if lo, err = ev.eval(x.lo, sc); err != nil {
				return nil, err
			}
		}
		if x.hi != nil {
			if hi, err = ev.eval(x.hi, sc); err != nil {
				return nil, err
			}
		}
		return ev.slice(v, lo, hi)
	case eCall:
		fn, err := ev.eval(x.fn, sc)
		if err != nil {
			return nil, err
		}
		args, err := ev.evalAll(x.args, sc)
		if err != nil {
			return nil, err
		}
		var kw map[string]value
		if len(x.kwName) > 0 {
			kw = map[string]value{}
			for i, n := range x.kwName {
				v, err := ev.eval(x.kwVal[i], sc)
				if err != nil {
					return nil, err
				}
				kw[n] = v
			}
		}
		ev.line = x.line
		return ev.call(fn, args, kw)
	}
	return nil, ev.errf("unsupported expression %T", x)
}

// spend takes n from the budget.
func (ev *evaluator) spend(n int) error {
	ev.in.budget -= n
	if ev.in.budget < 0 {
		return ev.errf("the program does more work than the reader allows")
	}
	return nil
}

// evalAll evaluates xs in order (Python's left-to-right rule).
func (ev *evaluator) evalAll(xs []expr, sc *scope) ([]value, error) {
	out := make([]value, 0, len(xs))
	for _, x := range xs {
		v, err := ev.eval(x, sc)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (ev *evaluator) call(fn value, args []value, kw map[string]value) (value, error) {
	switch f := fn.(type) {
	case *builtin:
		v, err := f.fn(args, kw)
		if err != nil {
			return nil, ev.errf("%s: %v", f.name, err)
		}
		switch r := v.(type) { // what a builtin builds counts too
		case string:
			err = ev.spend(len(r))
		case *pyList:
			err = ev.spend(len(r.items))
		}
		if err != nil {
			return nil, err
		}
		return v, nil
	case *pyFunc:
		if len(args) != len(f.params) || len(kw) > 0 {
			return nil, ev.errf("lambda takes %d arguments, %d given", len(f.params), len(args))
		}
		inner := &scope{vars: map[string]value{}, parent: f.env}
		for i, p := range f.params {
			inner.vars[p] = args[i]
		}
		return ev.eval(f.body, inner)
	}
	return nil, ev.errf("%s is not callable", typeName(fn))
}

func (ev *evaluator) binop(op string, l, r value) (value, error) {
	switch op {
	case "+":
		switch a := l.(type) {
		case string:
			if b, ok := r.(string); ok {
				if err := ev.spend(len(a) + len(b)); err != nil {
					return nil, err
				}
				return a + b, nil
			}
		case int:
			if b, ok := r.(int); ok {
				return a + b, nil
			}
		case *pyList:
			if b, ok := r.(*pyList); ok {
				if err := ev.spend(len(a.items) + len(b.items)); err != nil {
					return nil, err
				}
				items := append(append([]value(nil), a.items...), b.items...)
				return &pyList{items}, nil
			}
		case pyTuple:
			if b, ok := r.(pyTuple); ok {
				return append(append(pyTuple(nil), a...), b...), nil
			}
		}
	case "-", "*", "//", "%":
		a, ok1 := l.(int)
		b, ok2 := r.(int)
		if ok1 && ok2 {
			switch op {
			case "-":
				return a - b, nil
			case "*":
				return a * b, nil
			}
		}
		if s, ok := l.(string); ok && op == "*" && ok2 {
			if err := ev.spend(len(s) * max(b, 0)); err != nil {
				return nil, err
			}
			return strings.Repeat(s, max(b, 0)), nil
		}
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "is":
		return l == nil && r == nil || (hashable(l) && hashable(r) && l == r), nil
	case "is not":
		return !(l == nil && r == nil || (hashable(l) && hashable(r) && l == r)), nil
	case "in", "not in":
		ok, err := contains(r, l)
		if err != nil {
			return nil, ev.errf("%v", err)
		}
		return ok == (op == "in"), nil
	case "<", ">", "<=", ">=":
		a, ok1 := l.(int)
		b, ok2 := r.(int)
		if ok1 && ok2 {
			switch op {
			case "<":
				return a < b, nil
			case ">":
				return a > b, nil
			case "<=":
				return a <= b, nil
			}
			return a >= b, nil
		}
	}
	return nil, ev.errf("unsupported operand types for %s: %s and %s", op, typeName(l), typeName(r))
}

func (ev *evaluator) index(v, k value) (value, error) {
	switch c := v.(type) {
	case *pyDict:
		if !hashable(k) {
			return nil, ev.errf("unhashable key")
		}
		x, ok := c.get(k)
		if !ok {
			return nil, ev.errf("key %s not found", pyRepr(k))
		}
		return x, nil
	case string, *pyList, pyTuple:
		i, ok := k.(int)
		if !ok {
			return nil, ev.errf("index must be an int")
		}
		items := seqItems(c)
		if i < 0 {
			i += len(items)
		}
		if i < 0 || i >= len(items) {
			return nil, ev.errf("index out of range")
		}
		return items[i], nil
	}
	return nil, ev.errf("%s is not subscriptable", typeName(v))
}

func seqItems(v value) []value {
	items, _ := iterate(v)
	return items
}

func (ev *evaluator) slice(v, lo, hi value) (value, error) {
	items := seqItems(v)
	if items == nil {
		if _, ok := v.(string); !ok {
			if _, ok := v.(*pyList); !ok {
				return nil, ev.errf("%s cannot be sliced", typeName(v))
			}
		}
	}
	n := len(items)
	bound := func(b value, def int) (int, error) {
		if b == nil {
			return def, nil
		}
		i, ok := b.(int)
		if !ok {
			return 0, ev.errf("slice bound must be an int")
		}
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n), nil
	}
	a, err := bound(lo, 0)
	if err != nil {
		return nil, err
	}
	b, err := bound(hi, n)
	if err != nil {
		return nil, err
	}
	if b < a {
		b = a
	}
	part := items[a:b]
	switch v.(type) {
	case string:
		var s strings.Builder
		for _, r := range part {
			s.WriteString(r.(string))
		}
		return s.String(), nil
	case pyTuple:
		return append(pyTuple(nil), part...), nil
	}
	return &pyList{append([]value(nil), part...)}, nil
}

func pyStr(v value) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case int:
		return fmt.Sprint(v), nil
	case bool:
		if v {
			return "True", nil
		}
		return "False", nil
	case nil:
		return "None", nil
	}
	return "", fmt.Errorf("cannot format %s as text", typeName(v))
}

func method(name string, fn func(args []value, kw map[string]value) (value, error)) *builtin {
	return &builtin{name: name, fn: fn}
}

func wantArgs(args []value, lo, hi int) error {
	if len(args) < lo || len(args) > hi {
		return fmt.Errorf("takes %d to %d arguments, %d given", lo, hi, len(args))
	}
	return nil
}

func strArg(args []value, i int) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", fmt.Errorf("argument %d must be a str, not %s", i+1, typeName(args[i]))
	}
	return s, nil
}

func (ev *evaluator) attr(v value, name string) (value, error) {
	switch x := v.(type) {
	case *module:
		if a, ok := x.vars[name]; ok {
			return a, nil
		}
		return nil, ev.errf("module %s has no attribute %s", x.name, name)
	case opaque:
		return opaque(string(x) + "." + name), nil
	case string:
		if m := strMethod(x, name); m != nil {
			return m, nil
		}
	case *pyList:
		if m := listMethod(x, name); m != nil {
			return m, nil
		}
	case *pyDict:
		if m := dictMethod(x, name); m != nil {
			return m, nil
		}
	}
	return nil, ev.errf("%s has no attribute %s", typeName(v), name)
}

func strMethod(s, name string) *builtin {
	one := func(f func(string) string) *builtin {
		return method("str."+name, func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 0); err != nil {
				return nil, err
			}
			return f(s), nil
		})
	}
	switch name {
	case "upper":
		return one(pyUpper)
	case "lower":
		return one(pyLower)
	case "title":
		return one(pyTitle)
	case "capitalize":
		return one(func(s string) string {
			r := []rune(s)
			if len(r) == 0 {
				return s
			}
			return pyUpperTitle(string(r[0]), true) + pyLower(string(r[1:]))
		})
	case "strip", "lstrip", "rstrip":
		return method("str."+name, func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			cut := func(r rune) bool { return pyIsSpace(r) }
			if len(args) == 1 && args[0] != nil {
				chars, err := strArg(args, 0)
				if err != nil {
					return nil, err
				}
				cut = func(r rune) bool { return strings.ContainsRune(chars, r) }
			}
			switch name {
			case "lstrip":
				return strings.TrimLeftFunc(s, cut), nil
			case "rstrip":
				return strings.TrimRightFunc(s, cut), nil
			}
			return strings.TrimFunc(s, cut), nil
		})
	case "split":
		return method("str.split", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			l := &pyList{}
			if len(args) == 0 || args[0] == nil {
				for _, f := range strings.FieldsFunc(s, pyIsSpace) {
					l.items = append(l.items, f)
				}
				return l, nil
			}
			sep, err := strArg(args, 0)
			if err != nil {
				return nil, err
			}
			if sep == "" {
				return nil, fmt.Errorf("empty separator")
			}
			for _, f := range strings.Split(s, sep) {
				l.items = append(l.items, f)
			}
			return l, nil
		})
	case "replace":
		return method("str.replace", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 2, 2); err != nil {
				return nil, err
			}
			a, err := strArg(args, 0)
			if err != nil {
				return nil, err
			}
			b, err := strArg(args, 1)
			if err != nil {
				return nil, err
			}
			if a == "" {
				return nil, fmt.Errorf("replacing the empty string is not supported")
			}
			return strings.ReplaceAll(s, a, b), nil
		})
	case "join":
		return method("str.join", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			items, err := iterate(args[0])
			if err != nil {
				return nil, err
			}
			parts := make([]string, len(items))
			for i, it := range items {
				p, ok := it.(string)
				if !ok {
					return nil, fmt.Errorf("sequence item %d: expected str, %s found", i, typeName(it))
				}
				parts[i] = p
			}
			return strings.Join(parts, s), nil
		})
	case "startswith", "endswith":
		return method("str."+name, func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			a, err := strArg(args, 0)
			if err != nil {
				return nil, err
			}
			if name == "startswith" {
				return strings.HasPrefix(s, a), nil
			}
			return strings.HasSuffix(s, a), nil
		})
	case "format":
		return method("str.format", func(args []value, kw map[string]value) (value, error) {
			return pyFormat(s, args, kw)
		})
	}
	return nil
}

// pyFormat implements str.format for plain {name}, {0} and {} fields.
func pyFormat(s string, args []value, kw map[string]value) (value, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '{' && i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		if c == '}' && i+1 < len(s) && s[i+1] == '}' {
			b.WriteByte('}')
			i++
			continue
		}
		if c == '}' {
			return nil, fmt.Errorf("single '}' in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("single '{' in format string")
		}
		field := s[i+1 : i+j]
		i += j
		if strings.ContainsAny(field, ":![.") {
			return nil, fmt.Errorf("format field %q: conversions, specs and lookups are not supported", field)
		}
		var v value
		switch {
		case field == "":
			if auto >= len(args) {
				return nil, fmt.Errorf("not enough arguments for format string")
			}
			v = args[auto]
			auto++
		case field[0] >= '0' && field[0] <= '9':
			n := 0
			fmt.Sscan(field, &n)
			if n >= len(args) {
				return nil, fmt.Errorf("format index %d out of range", n)
			}
			v = args[n]
		default:
			a, ok := kw[field]
			if !ok {
				return nil, fmt.Errorf("format field %q has no value", field)
			}
			v = a
		}
		str, err := pyStr(v)
		if err != nil {
			return nil, err
		}
		b.WriteString(str)
	}
	return b.String(), nil
}

func listMethod(l *pyList, name string) *builtin {
	switch name {
	case "append":
		return method("list.append", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			l.items = append(l.items, args[0])
			return nil, nil
		})
	case "extend":
		return method("list.extend", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			items, err := iterate(args[0])
			if err != nil {
				return nil, err
			}
			l.items = append(l.items, items...)
			return nil, nil
		})
	case "remove":
		return method("list.remove", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			for i, it := range l.items {
				if equal(it, args[0]) {
					l.items = append(l.items[:i:i], l.items[i+1:]...)
					return nil, nil
				}
			}
			return nil, fmt.Errorf("%s not in list", pyRepr(args[0]))
		})
	}
	return nil
}

func dictMethod(d *pyDict, name string) *builtin {
	switch name {
	case "update":
		return method("dict.update", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			o, ok := args[0].(*pyDict)
			if !ok {
				return nil, fmt.Errorf("argument must be a dict")
			}
			for i, k := range o.keys {
				d.set(k, o.vals[i])
			}
			return nil, nil
		})
	case "pop":
		return method("dict.pop", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 2); err != nil {
				return nil, err
			}
			v, ok := d.get(args[0])
			if !ok {
				if len(args) == 2 {
					return args[1], nil
				}
				return nil, fmt.Errorf("key %s not found", pyRepr(args[0]))
			}
			d.del(args[0])
			return v, nil
		})
	case "get":
		return method("dict.get", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 2); err != nil {
				return nil, err
			}
			if v, ok := d.get(args[0]); ok {
				return v, nil
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return nil, nil
		})
	case "keys", "values", "items":
		return method("dict."+name, func(args []value, kw map[string]value) (value, error) {
			l := &pyList{}
			for i, k := range d.keys {
				switch name {
				case "keys":
					l.items = append(l.items, k)
				case "values":
					l.items = append(l.items, d.vals[i])
				default:
					l.items = append(l.items, pyTuple{k, d.vals[i]})
				}
			}
			return l, nil
		})
	case "add":
		if d.isSet {
			return method("set.add", func(args []value, kw map[string]value) (value, error) {
				if err := wantArgs(args, 1, 1); err != nil {
					return nil, err
				}
				return nil, d.set(args[0], nil)
			})
		}
	}
	return nil
}

var builtins map[string]*builtin

func init() {
	builtins = map[string]*builtin{
		"list": method("list", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			if len(args) == 0 {
				return &pyList{}, nil
			}
			items, err := iterate(args[0])
			return &pyList{items}, err
		}),
		"tuple": method("tuple", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			if len(args) == 0 {
				return pyTuple{}, nil
			}
			items, err := iterate(args[0])
			return pyTuple(items), err
		}),
		"set": method("set", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			d := newDict()
			d.isSet = true
			if len(args) == 0 {
				return d, nil
			}
			items, err := iterate(args[0])
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if err := d.set(it, nil); err != nil {
					return nil, err
				}
			}
			return d, nil
		}),
		"dict": method("dict", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 0, 1); err != nil {
				return nil, err
			}
			d := newDict()
			if len(args) == 1 {
				o, ok := args[0].(*pyDict)
				if !ok || o.isSet {
					return nil, fmt.Errorf("dict() of %s is not supported", typeName(args[0]))
				}
				d = o.copy()
			}
			keys := make([]string, 0, len(kw))
			for k := range kw {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				d.set(k, kw[k])
			}
			return d, nil
		}),
		"range": method("range", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 2); err != nil {
				return nil, err
			}
			lo, hi := 0, 0
			var ok1, ok2 bool = true, true
			if len(args) == 1 {
				hi, ok1 = args[0].(int)
			} else {
				lo, ok1 = args[0].(int)
				hi, ok2 = args[1].(int)
			}
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("arguments must be ints")
			}
			if hi-lo > 1<<20 {
				return nil, fmt.Errorf("range of %d numbers is too long", hi-lo)
			}
			l := &pyList{}
			for i := lo; i < hi; i++ {
				l.items = append(l.items, i)
			}
			return l, nil
		}),
		"len": method("len", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			if d, ok := args[0].(*pyDict); ok {
				return len(d.keys), nil
			}
			items, err := iterate(args[0])
			return len(items), err
		}),
		"str": method("str", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 1, 1); err != nil {
				return nil, err
			}
			return pyStr(args[0])
		}),
	}
}

// Python's case mappings. Python uses the full (SpecialCasing) mappings;
// these handle the one-to-many cases that Latin text meets and fall back
// to the simple mappings, which is what Go's unicode package has.
var fullUpper = map[rune]string{'ß': "SS", 'ŉ': "ʼN", 'ﬀ': "FF", 'ﬁ': "FI", 'ﬂ': "FL", 'ﬃ': "FFI", 'ﬄ': "FFL", 'ﬅ': "ST", 'ﬆ': "ST"}
var fullTitle = map[rune]string{'ß': "Ss", 'ŉ': "ʼN", 'ﬀ': "Ff", 'ﬁ': "Fi", 'ﬂ': "Fl", 'ﬃ': "Ffi", 'ﬄ': "Ffl", 'ﬅ': "St", 'ﬆ': "St"}

func pyUpperTitle(s string, title bool) string {
	var b strings.Builder
	for _, r := range s {
		m := fullUpper
		if title {
			m = fullTitle
		}
		if x, ok := m[r]; ok {
			b.WriteString(x)
			continue
		}
		if title {
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func pyUpper(s string) string { return pyUpperTitle(s, false) }

func pyLower(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == 'İ' {
			b.WriteString("i̇")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func pyCased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// pyTitle is str.title: a cased letter after an uncased character starts a
// word and is title-cased; the other cased letters are lower-cased.
func pyTitle(s string) string {
	var b strings.Builder
	prevCased := false
	for _, r := range s {
		if prevCased {
			b.WriteString(pyLower(string(r)))
		} else {
			b.WriteString(pyUpperTitle(string(r), true))
		}
		prevCased = pyCased(r)
	}
	return b.String()
}

// pyIsSpace is str.isspace for the characters str.split and str.strip
// treat as whitespace.
func pyIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x1c, 0x1d, 0x1e, 0x1f, 0x85:
		return true
	}
	return r > 0x7f && unicode.Is(unicode.Zs, r) || r == 0x2028 || r == 0x2029
}
