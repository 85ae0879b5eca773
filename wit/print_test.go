package wit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrint(t *testing.T) {
	cart := &Type{Kind: Resource, Name: "cart", Owner: "shop:api/cart@1.0.0"}
	order := &Type{Kind: Record, Name: "order", Owner: "shop:api/types", Fields: []Field{
		{Name: "id", Type: Prim(U64)},
		{Name: "tags", Type: &Type{Kind: List, Elem: Prim(String)}},
		{Name: "type", Type: Prim(U8)},
	}}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"prim", Prim(U32).WIT(), "u32"},
		{"list", (&Type{Kind: List, Elem: Prim(U8)}).WIT(), "list<u8>"},
		{"fixed list", (&Type{Kind: List, Elem: Prim(U8), Len: 4}).WIT(), "list<u8, 4>"},
		{"tuple", (&Type{Kind: Tuple, Elems: []*Type{Prim(U32), Prim(String)}}).WIT(), "tuple<u32, string>"},
		{"result empty", (&Type{Kind: Result}).WIT(), "result"},
		{"result ok", (&Type{Kind: Result, Ok: Prim(U8)}).WIT(), "result<u8>"},
		{"result err", (&Type{Kind: Result, Err: Prim(String)}).WIT(), "result<_, string>"},
		{"option named", (&Type{Kind: Option, Elem: order}).WIT(), "option<order>"},
		{"own", (&Type{Kind: Own, Elem: cart}).WIT(), "cart"},
		{"borrow", (&Type{Kind: Borrow, Elem: cart}).WIT(), "borrow<cart>"},
		{"future empty", (&Type{Kind: Future}).WIT(), "future"},
		{"stream", (&Type{Kind: Stream, Elem: Prim(U8)}).WIT(), "stream<u8>"},
		{"record def", order.DefinitionWIT(), "record order {\n  id: u64,\n  tags: list<string>,\n  %type: u8,\n}"},
		{"enum def", (&TypeDef{Name: "color", Type: &Type{Kind: Enum, Labels: []string{"red", "green"}}}).WIT(), "enum color {\n  red,\n  green,\n}"},
		{"variant def", (&TypeDef{Name: "v", Type: &Type{Kind: Variant, Cases: []Case{{Name: "a"}, {Name: "b", Type: Prim(U32)}}}}).WIT(), "variant v {\n  a,\n  b(u32),\n}"},
		{"alias def", (&TypeDef{Name: "id", Type: Prim(U64)}).WIT(), "type id = u64"},
		{"resource def", (&TypeDef{Name: "cart", Type: cart, Docs: "A cart."}).WIT(), "/// A cart.\nresource cart"},
		{"func", (&Function{Name: "f1", Params: []Param{{Name: "speed-ms", Type: Prim(U64)}}, Result: Prim(U64)}).WIT(), "f1: func(speed-ms: u64) -> u64"},
		{"func no result", (&Function{Name: "list"}).WIT(), "%list: func()"},
		{"method", (&Function{Name: "[method]cart.add", Params: []Param{{Name: "self", Type: &Type{Kind: Borrow, Elem: cart}}}}).WIT(), "[method]cart.add: func(self: borrow<cart>)"},
		{"async", (&Function{Name: "save", Async: true, Result: &Type{Kind: List, Elem: Prim(U8)}}).WIT(), "save: async func() -> list<u8>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("WIT mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrintInterface(t *testing.T) {
	i := &Interface{
		Name:      "golem:api/save-snapshot@0.2.0",
		Functions: []*Function{{Name: "save", Result: &Type{Kind: List, Elem: Prim(U8)}}},
	}
	want := "interface save-snapshot {\n  save: func() -> list<u8>;\n}"
	if diff := cmp.Diff(want, i.WIT()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	w := &World{Name: "root", Exports: []*Item{{Name: i.Name, Kind: ItemInterface, Interface: i}}}
	wantW := "world root {\n  export golem:api/save-snapshot@0.2.0 {\n    save: func() -> list<u8>;\n  }\n}\n"
	if diff := cmp.Diff(wantW, w.WIT()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFunctionKind(t *testing.T) {
	tests := []struct {
		name     string
		kind     FuncKind
		resource string
		base     string
	}{
		{"f1", Freestanding, "", "f1"},
		{"[method]cart.add-item", Method, "cart", "add-item"},
		{"[static]cart.merge", Static, "cart", "merge"},
		{"[constructor]cart", Constructor, "cart", "cart"},
		{"[async]run", Freestanding, "", "run"},
		{"[async method]conn.read", Method, "conn", "read"},
		{"[async static]conn.open", Static, "conn", "open"},
	}
	for _, tt := range tests {
		f := &Function{Name: tt.name}
		if f.Kind() != tt.kind || f.Resource() != tt.resource || f.BaseName() != tt.base {
			t.Errorf("%s: got (%s, %q, %q), want (%s, %q, %q)", tt.name, f.Kind(), f.Resource(), f.BaseName(), tt.kind, tt.resource, tt.base)
		}
	}
}

func TestQName(t *testing.T) {
	tests := []struct {
		in   string
		want QName
	}{
		{"wasi:io/streams@0.2.0", QName{"wasi", "io", "streams", "0.2.0"}},
		{"golem:api/save-snapshot", QName{"golem", "api", "save-snapshot", ""}},
		{"run", QName{Interface: "run"}},
		{"wasi:http/types@0.2.0-rc-2023-11-10", QName{"wasi", "http", "types", "0.2.0-rc-2023-11-10"}},
	}
	for _, tt := range tests {
		got := ParseQName(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseQName(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
}

func TestSemverCompatible(t *testing.T) {
	tests := []struct {
		have, want string
		ok         bool
	}{
		{"1.1.0", "1.0.0", true},
		{"1.0.0", "1.1.0", false},
		{"2.0.0", "1.0.0", false},
		{"0.2.1", "0.2.0", true},
		{"0.2.0", "0.2.1", false},
		{"0.3.0", "0.2.0", false},
		{"0.2.0", "0.1.0", false},
		{"0.0.2", "0.0.1", false},
		{"1.1.0-rc1", "1.1.0", false},
		{"1.1.0-rc1", "1.1.0-rc1", true},
		{"", "", true},
		{"1.0", "1.0.0", false},
		// Not three numbers: never compatible but with itself.
		{"1.1.0.0", "1.0.0", false},
		{"1.1.0", "1.0.0.0", false},
		{"1..0", "1.0.0", false},
		{"1.1.", "1.0.0", false},
		{"1.1.x", "1.0.0", false},
		{"1.1.0+build.5", "1.0.0", true},
	}
	for _, tt := range tests {
		if got := SemverCompatible(tt.have, tt.want); got != tt.ok {
			t.Errorf("SemverCompatible(%q, %q) = %v, want %v", tt.have, tt.want, got, tt.ok)
		}
	}
}
