package repair

import (
	"reflect"
	"testing"

	"github.com/saring/saring"
)

// Every step registers a spec whose options document themselves and whose
// defaults build a working step that can explain itself.
func TestRegister(t *testing.T) {
	r := saring.NewRegistry()
	Register(r)
	want := []string{"boilerplate", "normalize", "pii", "repetition_repair"}
	if got := r.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("names %v, want %v", got, want)
	}
	for _, name := range want {
		spec, _ := r.Lookup(name)
		if spec.Doc == "" || spec.Options == nil {
			t.Errorf("%s: missing doc or options", name)
			continue
		}
		opts := spec.Options()
		typ := reflect.TypeOf(opts).Elem()
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if f.Tag.Get("yaml") == "" || f.Tag.Get("doc") == "" {
				t.Errorf("%s.%s: missing yaml or doc tag", name, f.Name)
			}
		}
		if v, ok := opts.(saring.Validator); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("%s: defaults invalid: %v", name, err)
			}
		}
		step, err := spec.New(opts, saring.Env{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if step.Name() != name {
			t.Errorf("step name %q, want %q", step.Name(), name)
		}
		if _, ok := step.(saring.Explainer); !ok {
			t.Errorf("%s does not implement saring.Explainer", name)
		}
	}
}
