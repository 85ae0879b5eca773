package witparse

import (
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// TestResourceAlias: an alias of a resource (type s = r, use i.{r as s})
// keeps its name and names the resource it aliases (Elem): resources are
// nominal, so both are one type (ResourceID), and it prints as an alias.
func TestResourceAlias(t *testing.T) {
	const src = `package t:x;
interface types { resource fields; type headers = fields; type trailers = headers; }
interface api { use types.{fields as f}; resource other; g: func(a: f, b: borrow<other>); }
world w { export types; export api; }
`
	res, err := LoadString("x.wit", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := res.World("w")
	if err != nil {
		t.Fatal(err)
	}
	types, api := w.Exports[0].Interface, w.Exports[1].Interface
	fields := types.TypeDef("fields").Type
	const want = "t:x/types#fields"
	for _, tc := range []struct {
		name string
		ty   *wit.Type
		id   string
		wit  string
	}{
		{"definition", fields, want, "resource fields"},
		{"alias", types.TypeDef("headers").Type, want, "type headers = fields"},
		{"alias of an alias", types.TypeDef("trailers").Type, want, "type trailers = fields"},
		{"renamed use", api.TypeDef("f").Type, want, "type f = fields"},
		{"another resource", api.TypeDef("other").Type, "t:x/api#other", "resource other"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ty.ResourceID(); got != tc.id {
				t.Errorf("ResourceID = %q, want %q", got, tc.id)
			}
			if got := tc.ty.DefinitionWIT(); got != tc.wit {
				t.Errorf("WIT = %q, want %q", got, tc.wit)
			}
			if err := tc.ty.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if p := api.Functions[0].Params[0].Type; p.Kind != wit.Own || p.Elem.ResourceID() != want || p.Elem.Name != "f" {
		t.Errorf("parameter a: %s, resource %s, want own<f> of %s", p.WIT(), p.Elem.ResourceID(), want)
	}
}
