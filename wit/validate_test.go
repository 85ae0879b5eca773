package wit

import "testing"

func TestTypeValidate(t *testing.T) {
	u8 := Prim(U8)
	for _, tc := range []struct {
		name string
		ty   *Type
		want string
	}{
		{"prim", u8, ""},
		{"record", &Type{Kind: Record, Fields: []Field{{Name: "a", Type: u8}}}, ""},
		{"list without elem", &Type{Kind: List}, "list without elem"},
		{"record with cases", &Type{Kind: Record, Cases: []Case{{Name: "x"}}}, `a record type has no "cases"`},
		{"nested null", &Type{Kind: Record, Fields: []Field{{Name: "a", Type: &Type{Kind: Tuple, Elems: []*Type{u8, nil}}}}}, "/fields/0/type/elems/1: null type"},
		{"unknown kind", &Type{Kind: "u128"}, `unknown type kind "u128"`},
		{"nil", nil, "null type"},
		{"resource alias", &Type{Kind: Resource, Name: "headers", Elem: &Type{Kind: Resource, Name: "fields"}}, ""},
		{"resource alias of a record", &Type{Kind: Resource, Name: "h", Elem: &Type{Kind: Record, Fields: []Field{{Name: "a", Type: u8}}}},
			"a resource's elem is the resource it aliases, not a record"},
		{"resource alias of an alias", &Type{Kind: Resource, Name: "h", Elem: &Type{Kind: Resource, Name: "g", Elem: &Type{Kind: Resource, Name: "f"}}},
			"a resource's elem is the resource it aliases, not a resource"},
	} {
		err := tc.ty.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && err.Error() != tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	deep := u8
	for i := 0; i <= MaxTypeDepth+1; i++ {
		deep = &Type{Kind: Option, Elem: deep}
	}
	if err := deep.Validate(); err == nil {
		t.Error("a type nested past MaxTypeDepth validated")
	}
}
