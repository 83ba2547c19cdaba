package pipeline

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
)

// decoder decodes YAML nodes into option structs strictly, collecting
// errors with positions instead of stopping at the first.
type decoder struct {
	file string
	errs Errors
}

func (d *decoder) fail(n *yaml.Node, path, msg string) {
	e := &Error{File: d.file, Path: path, Msg: msg}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// keyNode returns the key node of key in mapping m, or m itself when the
// key is absent (so errors still point somewhere useful).
func (d *decoder) keyNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return m
}

// valueNode returns the value node of key in mapping m, or m itself when
// the key is absent.
func (d *decoder) valueNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return m
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var yamlLinePrefix = regexp.MustCompile(`^(yaml: )?(unmarshal errors:\s*)?(line \d+: )?`)

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// decodeStruct decodes mapping n into the struct dst points to.
func (d *decoder) decodeStruct(n *yaml.Node, dst any, path string) {
	v := reflect.ValueOf(dst).Elem()
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping of options")
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		if seen[key] {
			d.fail(k, join(path, key), "given twice")
			continue
		}
		seen[key] = true
		idx, ok := fields[key]
		if !ok {
			known := make([]string, 0, len(fields))
			for name := range fields {
				known = append(known, name)
			}
			sort.Strings(known)
			d.fail(k, join(path, key), fmt.Sprintf("unknown key%s (known keys: %s)", suggest(key, known), strings.Join(known, ", ")))
			continue
		}
		fv := v.Field(idx)
		if fv.Kind() == reflect.Struct && !reflect.PointerTo(fv.Type()).Implements(unmarshalerType) {
			d.decodeStruct(val, fv.Addr().Interface(), join(path, key))
			continue
		}
		if err := val.Decode(fv.Addr().Interface()); err != nil {
			msg := err.Error()
			var te *yaml.TypeError
			if errors.As(err, &te) && len(te.Errors) > 0 {
				msg = te.Errors[0]
			}
			msg = yamlLinePrefix.ReplaceAllString(msg, "")
			d.fail(val, join(path, key), msg)
		}
	}
}

// yamlFields maps yaml keys to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i, name := range yamlKeys(t) {
		if name != "" {
			m[name] = i
		}
	}
	return m
}

// yamlKeys returns each field's yaml key, "" for fields YAML does not see.
func yamlKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch name {
		case "-":
		case "":
			keys[i] = strings.ToLower(f.Name)
		default:
			keys[i] = name
		}
	}
	return keys
}

// decodeSteps reads the steps list: each item is a step name, or a mapping
// of one step name to its options.
func (d *decoder) decodeSteps(n *yaml.Node, reg *saring.Registry) []StepConfig {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "steps", "expected a list of steps")
		return nil
	}
	var out []StepConfig
	for i, item := range n.Content {
		path := fmt.Sprintf("steps[%d]", i)
		var name string
		var optsNode, nameNode *yaml.Node
		switch item.Kind {
		case yaml.ScalarNode:
			name, nameNode = item.Value, item
		case yaml.MappingNode:
			if len(item.Content) != 2 {
				d.fail(item, path, "a step is a name, or one name mapped to its options (`- gopher_quality: {min_doc_words: 50}`)")
				continue
			}
			name, nameNode, optsNode = item.Content[0].Value, item.Content[0], item.Content[1]
		default:
			d.fail(item, path, "a step is a name, or one name mapped to its options")
			continue
		}
		spec, ok := reg.Lookup(name)
		if !ok {
			d.fail(nameNode, path, fmt.Sprintf("unknown step %q%s (list them with `saring steps`)", name, suggest(name, reg.Names())))
			continue
		}
		sc := StepConfig{Name: name, line: nameNode.Line, col: nameNode.Column}
		if spec.Options != nil {
			opts := spec.Options()
			before := len(d.errs)
			if optsNode != nil {
				d.decodeStruct(optsNode, opts, path+"."+name)
			}
			if len(d.errs) == before {
				if v, ok := opts.(saring.Validator); ok {
					if err := v.Validate(); err != nil {
						var fe *saring.FieldError
						if errors.As(err, &fe) {
							d.fail(d.valueNode(optsNode, fe.Field), path+"."+name+"."+fe.Field, fe.Msg)
						} else {
							d.fail(nameNode, path+"."+name, err.Error())
						}
					}
				}
			}
			sc.Options = opts
		} else if optsNode != nil && !(optsNode.Kind == yaml.ScalarNode && optsNode.Tag == "!!null") {
			d.fail(optsNode, path+"."+name, "this step takes no options")
		}
		out = append(out, sc)
	}
	return out
}

// OptionDoc describes one option of a step, for `saring steps`.
type OptionDoc struct {
	Key     string `json:"key"`
	Type    string `json:"type"`
	Default any    `json:"default"`
	Doc     string `json:"doc"`
}

// DescribeOptions lists the options of an options struct with their defaults.
func DescribeOptions(opts any) []OptionDoc {
	if opts == nil {
		return nil
	}
	v := reflect.ValueOf(opts)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []OptionDoc
	t := v.Type()
	for i, name := range yamlKeys(t) {
		if name == "" {
			continue
		}
		f := t.Field(i)
		out = append(out, OptionDoc{Key: name, Type: typeName(f.Type), Default: v.Field(i).Interface(), Doc: f.Tag.Get("doc")})
	}
	return out
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map of " + typeName(t.Elem())
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	}
	return t.String()
}
