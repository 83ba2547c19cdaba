package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// AST of the Python subset.

type expr interface{}

type (
	eName    struct{ name string }
	eConst   struct{ v value }
	eFString struct {
		parts []fpart
		line  int
	}
	eList  struct{ items []expr }
	eTuple struct{ items []expr }
	eDict  struct{ keys, vals []expr }
	eSet   struct{ items []expr }
	eAttr  struct {
		x    expr
		name string
	}
	eCall struct {
		fn     expr
		args   []expr
		kwName []string
		kwVal  []expr
		line   int
	}
	eIndex struct{ x, i expr }
	eSlice struct{ x, lo, hi expr }
	eBin   struct {
		op   string
		l, r expr
		line int
	}
	eNot    struct{ x expr }
	eNeg    struct{ x expr }
	eLambda struct {
		params []string
		body   expr
	}
	eComp struct { // [elt for target in iter if cond]
		elt    expr
		target expr
		iter   expr
		conds  []expr
	}
	eCond struct{ then, cond, els expr }
)

type fpart struct {
	lit string
	x   expr // nil for a literal part
}

type stmt interface{}

type (
	sExpr   struct{ x expr }
	sAssign struct {
		targets []expr // a = b = value
		value   expr
		op      string // "" or "+" for +=
		line    int
	}
	sFor struct {
		target expr
		iter   expr
		body   []stmt
	}
	sIf struct {
		cond expr
		body []stmt
		els  []stmt
	}
	sImport struct {
		level  int
		module string
		names  []string // nil: import module itself
		as     []string
		line   int
	}
	sPass struct{}
)

type parser struct {
	toks []token
	pos  int
	file string
}

func parsePython(file, src string) ([]stmt, error) {
	toks, err := lexPython(src)
	if err != nil {
		return nil, fmt.Errorf("%s:%v", file, err)
	}
	p := &parser{toks: toks, file: file}
	var out []stmt
	for p.peek().kind != tEOF {
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) errf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file, p.peek().line, fmt.Sprintf(format, args...))
}

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}
func (p *parser) isName(s string) bool {
	t := p.peek()
	return t.kind == tName && t.text == s
}

func (p *parser) expectOp(s string) error {
	if !p.isOp(s) {
		return p.errf("expected %q, found %v", s, p.peek())
	}
	p.next()
	return nil
}

func (p *parser) expectNewline() error {
	if p.isOp(";") {
		p.next()
	}
	if p.peek().kind != tNewline {
		return p.errf("expected end of line, found %v", p.peek())
	}
	p.next()
	return nil
}

func (p *parser) block() ([]stmt, error) {
	if err := p.expectOp(":"); err != nil {
		return nil, err
	}
	if p.peek().kind != tNewline {
		s, err := p.simple()
		return s, err
	}
	p.next()
	if p.peek().kind != tIndent {
		return nil, p.errf("expected an indented block")
	}
	p.next()
	var out []stmt
	for p.peek().kind != tDedent && p.peek().kind != tEOF {
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	p.next()
	return out, nil
}

func (p *parser) statement() ([]stmt, error) {
	t := p.peek()
	if t.kind == tName {
		switch t.text {
		case "for":
			p.next()
			target, err := p.targetList()
			if err != nil {
				return nil, err
			}
			if !p.isName("in") {
				return nil, p.errf("expected \"in\"")
			}
			p.next()
			iter, err := p.exprList()
			if err != nil {
				return nil, err
			}
			body, err := p.block()
			if err != nil {
				return nil, err
			}
			return []stmt{sFor{target, iter, body}}, nil
		case "if":
			p.next()
			return p.ifRest()
		case "def", "class", "while", "try", "with", "return", "del", "global", "raise", "async":
			return nil, p.errf("%q statements are not supported", t.text)
		}
	}
	return p.simple()
}

func (p *parser) ifRest() ([]stmt, error) {
	cond, err := p.expr()
	if err != nil {
		return nil, err
	}
	body, err := p.block()
	if err != nil {
		return nil, err
	}
	s := sIf{cond: cond, body: body}
	if p.isName("elif") {
		p.next()
		s.els, err = p.ifRest()
		if err != nil {
			return nil, err
		}
	} else if p.isName("else") {
		p.next()
		s.els, err = p.block()
		if err != nil {
			return nil, err
		}
	}
	return []stmt{s}, nil
}

// simple parses one simple statement and its end of line.
func (p *parser) simple() ([]stmt, error) {
	t := p.peek()
	line := t.line
	if t.kind == tName && (t.text == "from" || t.text == "import") {
		s, err := p.importStmt()
		if err != nil {
			return nil, err
		}
		return []stmt{s}, p.expectNewline()
	}
	if t.kind == tName && t.text == "pass" {
		p.next()
		return []stmt{sPass{}}, p.expectNewline()
	}
	first, err := p.exprList()
	if err != nil {
		return nil, err
	}
	if p.isOp(":") { // annotated assignment: x: T = v
		p.next()
		if _, err := p.expr(); err != nil {
			return nil, err
		}
		if !p.isOp("=") {
			return []stmt{sPass{}}, p.expectNewline()
		}
	}
	if p.isOp("+=") {
		p.next()
		v, err := p.exprList()
		if err != nil {
			return nil, err
		}
		return []stmt{sAssign{targets: []expr{first}, value: v, op: "+", line: line}}, p.expectNewline()
	}
	if !p.isOp("=") {
		return []stmt{sExpr{first}}, p.expectNewline()
	}
	targets := []expr{first}
	var value expr
	for p.isOp("=") {
		p.next()
		v, err := p.exprList()
		if err != nil {
			return nil, err
		}
		targets = append(targets, v)
	}
	value = targets[len(targets)-1]
	targets = targets[:len(targets)-1]
	return []stmt{sAssign{targets: targets, value: value, line: line}}, p.expectNewline()
}

func (p *parser) dotted() (string, error) {
	t := p.next()
	if t.kind != tName {
		return "", p.errf("expected a module name")
	}
	name := t.text
	for p.isOp(".") {
		p.next()
		t := p.next()
		if t.kind != tName {
			return "", p.errf("expected a module name")
		}
		name += "." + t.text
	}
	return name, nil
}

func (p *parser) importStmt() (stmt, error) {
	line := p.peek().line
	if p.next().text == "import" {
		mod, err := p.dotted()
		if err != nil {
			return nil, err
		}
		as := mod
		if p.isName("as") {
			p.next()
			as = p.next().text
		}
		return sImport{module: mod, as: []string{as}, line: line}, nil
	}
	s := sImport{line: line}
	for p.isOp(".") {
		p.next()
		s.level++
	}
	if !p.isName("import") {
		mod, err := p.dotted()
		if err != nil {
			return nil, err
		}
		s.module = mod
	}
	if !p.isName("import") {
		return nil, p.errf("expected \"import\"")
	}
	p.next()
	paren := p.isOp("(")
	if paren {
		p.next()
	}
	for {
		t := p.next()
		if t.kind != tName {
			return nil, p.errf("expected a name to import")
		}
		as := t.text
		if p.isName("as") {
			p.next()
			as = p.next().text
		}
		s.names = append(s.names, t.text)
		s.as = append(s.as, as)
		if !p.isOp(",") {
			break
		}
		p.next()
		if paren && p.isOp(")") {
			break
		}
	}
	if paren {
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// targetList parses the target of a for loop: names, optionally a tuple.
func (p *parser) targetList() (expr, error) {
	var items []expr
	for {
		x, err := p.arith()
		if err != nil {
			return nil, err
		}
		items = append(items, x)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if len(items) == 1 {
		return items[0], nil
	}
	return eTuple{items}, nil
}

// exprList parses expressions separated by commas (a bare tuple).
func (p *parser) exprList() (expr, error) {
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !p.isOp(",") {
		return x, nil
	}
	items := []expr{x}
	for p.isOp(",") {
		p.next()
		if p.endOfList() {
			break
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, x)
	}
	return eTuple{items}, nil
}

func (p *parser) endOfList() bool {
	t := p.peek()
	return t.kind == tNewline || t.kind == tEOF || (t.kind == tOp && (t.text == ")" || t.text == "]" || t.text == "}" || t.text == "=" || t.text == ":"))
}

func (p *parser) expr() (expr, error) {
	if p.isName("lambda") {
		p.next()
		var params []string
		for !p.isOp(":") {
			t := p.next()
			if t.kind != tName {
				return nil, p.errf("expected a parameter name")
			}
			params = append(params, t.text)
			if p.isOp(",") {
				p.next()
			}
		}
		p.next()
		body, err := p.expr()
		if err != nil {
			return nil, err
		}
		return eLambda{params, body}, nil
	}
	x, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if p.isName("if") {
		p.next()
		cond, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		if !p.isName("else") {
			return nil, p.errf("expected \"else\"")
		}
		p.next()
		els, err := p.expr()
		if err != nil {
			return nil, err
		}
		return eCond{x, cond, els}, nil
	}
	return x, nil
}

// leftAssoc parses sub (op sub)*, with op one of the given keywords or
// operators, into a left-leaning tree.
func (p *parser) leftAssoc(sub func() (expr, error), ops ...string) (expr, error) {
	x, err := sub()
	for err == nil {
		t := p.peek()
		if (t.kind != tName && t.kind != tOp) || !slices.Contains(ops, t.text) {
			break
		}
		p.next()
		var r expr
		r, err = sub()
		x = eBin{t.text, x, r, t.line}
	}
	return x, err
}

func (p *parser) orExpr() (expr, error)  { return p.leftAssoc(p.andExpr, "or") }
func (p *parser) andExpr() (expr, error) { return p.leftAssoc(p.notExpr, "and") }

func (p *parser) notExpr() (expr, error) {
	if p.isName("not") {
		p.next()
		x, err := p.notExpr()
		return eNot{x}, err
	}
	return p.comparison()
}

func (p *parser) comparison() (expr, error) {
	x, err := p.arith()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		op := ""
		switch {
		case t.kind == tOp && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">="):
			op = t.text
			p.next()
		case t.kind == tName && t.text == "in":
			op = "in"
			p.next()
		case t.kind == tName && t.text == "not" && p.toks[p.pos+1].kind == tName && p.toks[p.pos+1].text == "in":
			op = "not in"
			p.pos += 2
		case t.kind == tName && t.text == "is":
			p.next()
			op = "is"
			if p.isName("not") {
				p.next()
				op = "is not"
			}
		default:
			return x, nil
		}
		r, err := p.arith()
		if err != nil {
			return nil, err
		}
		x = eBin{op, x, r, t.line}
	}
}

func (p *parser) arith() (expr, error) { return p.leftAssoc(p.term, "+", "-") }
func (p *parser) term() (expr, error)  { return p.leftAssoc(p.unary, "*", "%", "//") }

func (p *parser) unary() (expr, error) {
	if p.isOp("-") {
		p.next()
		x, err := p.unary()
		return eNeg{x}, err
	}
	if p.isOp("+") {
		p.next()
		return p.unary()
	}
	return p.postfix()
}

func (p *parser) postfix() (expr, error) {
	x, err := p.atom()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.isOp("."):
			p.next()
			t := p.next()
			if t.kind != tName {
				return nil, p.errf("expected an attribute name")
			}
			x = eAttr{x, t.text}
		case p.isOp("("):
			line := p.next().line
			c := eCall{fn: x, line: line}
			for !p.isOp(")") {
				if p.peek().kind == tName && p.toks[p.pos+1].kind == tOp && p.toks[p.pos+1].text == "=" {
					name := p.next().text
					p.next()
					v, err := p.expr()
					if err != nil {
						return nil, err
					}
					c.kwName = append(c.kwName, name)
					c.kwVal = append(c.kwVal, v)
				} else {
					if p.isOp("*") {
						return nil, p.errf("star arguments are not supported")
					}
					v, err := p.expr()
					if err != nil {
						return nil, err
					}
					if p.isName("for") { // generator argument
						v, err = p.comprehension(v)
						if err != nil {
							return nil, err
						}
					}
					c.args = append(c.args, v)
				}
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			x = c
		case p.isOp("["):
			p.next()
			var lo, hi expr
			var err error
			if !p.isOp(":") {
				lo, err = p.exprList()
				if err != nil {
					return nil, err
				}
			}
			if p.isOp(":") {
				p.next()
				if !p.isOp("]") {
					hi, err = p.expr()
					if err != nil {
						return nil, err
					}
				}
				if err := p.expectOp("]"); err != nil {
					return nil, err
				}
				x = eSlice{x, lo, hi}
				continue
			}
			if err := p.expectOp("]"); err != nil {
				return nil, err
			}
			x = eIndex{x, lo}
		default:
			return x, nil
		}
	}
}

func (p *parser) comprehension(elt expr) (expr, error) {
	p.next() // for
	target, err := p.targetList()
	if err != nil {
		return nil, err
	}
	if !p.isName("in") {
		return nil, p.errf("expected \"in\"")
	}
	p.next()
	iter, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	c := eComp{elt: elt, target: target, iter: iter}
	for p.isName("if") {
		p.next()
		cond, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		c.conds = append(c.conds, cond)
	}
	if p.isName("for") {
		return nil, p.errf("nested comprehensions are not supported")
	}
	return c, nil
}

func (p *parser) atom() (expr, error) {
	t := p.next()
	switch t.kind {
	case tName:
		switch t.text {
		case "None":
			return eConst{nil}, nil
		case "True":
			return eConst{true}, nil
		case "False":
			return eConst{false}, nil
		}
		return eName{t.text}, nil
	case tNumber:
		v, err := strconv.Atoi(t.text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: unsupported number %s", p.file, t.line, t.text)
		}
		return eConst{v}, nil
	case tString:
		// adjacent literals concatenate
		toks := []token{t}
		for p.peek().kind == tString {
			toks = append(toks, p.next())
		}
		return p.stringExpr(toks)
	case tOp:
		switch t.text {
		case "(":
			if p.isOp(")") {
				p.next()
				return eTuple{}, nil
			}
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.isName("for") {
				x, err = p.comprehension(x)
				if err != nil {
					return nil, err
				}
				return x, p.expectOp(")")
			}
			if p.isOp(")") {
				p.next()
				return x, nil
			}
			items := []expr{x}
			for p.isOp(",") {
				p.next()
				if p.isOp(")") {
					break
				}
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				items = append(items, x)
			}
			return eTuple{items}, p.expectOp(")")
		case "[":
			var items []expr
			for !p.isOp("]") {
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				if p.isName("for") && len(items) == 0 {
					c, err := p.comprehension(x)
					if err != nil {
						return nil, err
					}
					return c, p.expectOp("]")
				}
				items = append(items, x)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			return eList{items}, p.expectOp("]")
		case "{":
			var d eDict
			var set []expr
			for !p.isOp("}") {
				k, err := p.expr()
				if err != nil {
					return nil, err
				}
				if p.isOp(":") {
					p.next()
					v, err := p.expr()
					if err != nil {
						return nil, err
					}
					d.keys = append(d.keys, k)
					d.vals = append(d.vals, v)
				} else {
					set = append(set, k)
				}
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			if err := p.expectOp("}"); err != nil {
				return nil, err
			}
			if len(set) > 0 {
				if len(d.keys) > 0 {
					return nil, fmt.Errorf("%s:%d: mixed set and dict literal", p.file, t.line)
				}
				return eSet{set}, nil
			}
			return d, nil
		}
	}
	return nil, fmt.Errorf("%s:%d: unexpected %v", p.file, t.line, t)
}

// stringExpr joins adjacent literals; f-strings become parts with fields.
func (p *parser) stringExpr(toks []token) (expr, error) {
	var parts []fpart
	hasF := false
	for _, t := range toks {
		if !t.fstr {
			parts = append(parts, fpart{lit: t.text})
			continue
		}
		hasF = true
		body := t.text
		lit := ""
		for i := 0; i < len(body); i++ {
			c := body[i]
			switch {
			case c == '{' && i+1 < len(body) && body[i+1] == '{':
				lit += "{"
				i++
			case c == '}' && i+1 < len(body) && body[i+1] == '}':
				lit += "}"
				i++
			case c == '{':
				j := i + 1
				depth := 1
				for j < len(body) && depth > 0 {
					switch body[j] {
					case '{':
						depth++
					case '}':
						depth--
					}
					j++
				}
				if depth != 0 {
					return nil, fmt.Errorf("%s:%d: unclosed field in f-string", p.file, t.line)
				}
				field := body[i+1 : j-1]
				// a ":" or a "!" that is not part of "!=" starts a format spec or a
				// conversion, which the data never uses
				if strings.Contains(strings.ReplaceAll(field, "!=", ""), "!") || strings.Contains(field, ":") {
					return nil, fmt.Errorf("%s:%d: f-string conversions and format specs are not supported", p.file, t.line)
				}
				sub, err := lexPython(field)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: in f-string field: %v", p.file, t.line, err)
				}
				fp := &parser{toks: sub, file: p.file}
				x, err := fp.expr()
				if err != nil {
					return nil, err
				}
				if fp.peek().kind != tNewline && fp.peek().kind != tEOF {
					return nil, fmt.Errorf("%s:%d: unexpected text in f-string field", p.file, t.line)
				}
				parts = append(parts, fpart{lit: lit}, fpart{x: x})
				lit = ""
				i = j - 1
			case c == '}':
				return nil, fmt.Errorf("%s:%d: single '}' in f-string", p.file, t.line)
			default:
				lit += body[i : i+1]
			}
		}
		parts = append(parts, fpart{lit: lit})
	}
	if !hasF {
		s := ""
		for _, pt := range parts {
			s += pt.lit
		}
		return eConst{s}, nil
	}
	return eFString{parts: parts, line: toks[0].line}, nil
}
