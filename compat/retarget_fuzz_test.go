package compat

import (
	"reflect"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// sameVersionAsRef is sameVersionAs as first written: every type that
// holds one of the interface's resources is copied whole, lists and all;
// the reference the sharing version is checked against.
func sameVersionAsRef(o, n *wit.Interface) *wit.Interface {
	if o == nil || n == nil || o.Name == n.Name || wit.UnversionedName(o.Name) != wit.UnversionedName(n.Name) {
		return n
	}
	r := retargeterRef{from: n.Name, to: o.Name, memo: map[*wit.Type]*wit.Type{}}
	out := &wit.Interface{Name: o.Name, Docs: n.Docs,
		Types: make([]*wit.TypeDef, len(n.Types)), Functions: make([]*wit.Function, len(n.Functions))}
	for i, td := range n.Types {
		c := *td
		c.Type = r.typ(td.Type)
		out.Types[i] = &c
	}
	for i, f := range n.Functions {
		c := *f
		c.Params = make([]wit.Param, len(f.Params))
		for k, p := range f.Params {
			c.Params[k] = wit.Param{Name: p.Name, Type: r.typ(p.Type)}
		}
		c.Result = r.typ(f.Result)
		out.Functions[i] = &c
	}
	return out
}

type retargeterRef struct {
	from, to string
	memo     map[*wit.Type]*wit.Type
}

func (r *retargeterRef) typ(t *wit.Type) *wit.Type {
	if t == nil {
		return nil
	}
	if c, ok := r.memo[t]; ok {
		return c
	}
	r.memo[t] = t
	c := *t
	changed := false
	if t.Kind == wit.Resource && t.Owner == r.from {
		c.Owner, changed = r.to, true
	}
	sub := func(x *wit.Type) *wit.Type {
		y := r.typ(x)
		changed = changed || y != x
		return y
	}
	if len(t.Fields) > 0 {
		c.Fields = make([]wit.Field, len(t.Fields))
		for i, f := range t.Fields {
			c.Fields[i] = wit.Field{Name: f.Name, Type: sub(f.Type), Docs: f.Docs}
		}
	}
	if len(t.Cases) > 0 {
		c.Cases = make([]wit.Case, len(t.Cases))
		for i, cs := range t.Cases {
			c.Cases[i] = wit.Case{Name: cs.Name, Type: sub(cs.Type), Docs: cs.Docs}
		}
	}
	if len(t.Elems) > 0 {
		c.Elems = make([]*wit.Type, len(t.Elems))
		for i, e := range t.Elems {
			c.Elems[i] = sub(e)
		}
	}
	c.Elem, c.Ok, c.Err = sub(t.Elem), sub(t.Ok), sub(t.Err)
	if !changed {
		return t
	}
	r.memo[t] = &c
	return &c
}

// fuzzInterface builds an interface named name from b: types made one
// after the other, each from a byte (its kind) and the types before it
// (its parts, shared: a graph, as readers build), then functions over
// them. Resources are owned by name or by another interface.
func fuzzInterface(b []byte, name string) *wit.Interface {
	in := &wit.Interface{Name: name}
	var types []*wit.Type
	next := func() byte {
		if len(b) == 0 {
			return 0
		}
		c := b[0]
		b = b[1:]
		return c
	}
	pick := func() *wit.Type {
		if len(types) == 0 {
			return wit.Prim(wit.U32)
		}
		return types[int(next())%len(types)]
	}
	for len(b) > 0 && len(types) < 64 {
		var t *wit.Type
		k := next()
		switch k % 12 {
		case 0:
			t = wit.Prim(wit.String)
		case 1:
			owner := name
			if k&0x80 != 0 {
				owner = "x:y/other@1.0.0"
			}
			t = &wit.Type{Kind: wit.Resource, Name: "r", Owner: owner}
		case 2:
			t = &wit.Type{Kind: wit.Own, Elem: pick()}
		case 3:
			t = &wit.Type{Kind: wit.Borrow, Elem: pick()}
		case 4:
			t = &wit.Type{Kind: wit.Record, Name: "rec", Owner: name, Fields: []wit.Field{{Name: "a", Type: pick(), Docs: "d"}, {Name: "b", Type: pick()}}}
		case 5:
			t = &wit.Type{Kind: wit.Variant, Name: "v", Owner: name, Cases: []wit.Case{{Name: "a", Type: pick()}, {Name: "b"}, {Name: "c", Type: pick()}}}
		case 6:
			t = &wit.Type{Kind: wit.List, Elem: pick()}
		case 7:
			t = &wit.Type{Kind: wit.Option, Elem: pick()}
		case 8:
			t = &wit.Type{Kind: wit.Result, Ok: pick(), Err: pick()}
		case 9:
			t = &wit.Type{Kind: wit.Tuple, Elems: []*wit.Type{pick(), pick(), pick()}}
		case 10:
			t = &wit.Type{Kind: wit.Enum, Name: "e", Owner: name, Labels: []string{"x", "y"}}
		default:
			t = &wit.Type{Kind: wit.Resource, Name: "alias", Owner: name, Elem: pick()}
		}
		types = append(types, t)
		if k&0x40 != 0 {
			in.Types = append(in.Types, &wit.TypeDef{Name: "t", Type: t})
		}
		if k&0x20 != 0 {
			f := &wit.Function{Name: "f", Params: []wit.Param{{Name: "p", Type: pick()}, {Name: "q", Type: t}}}
			if k&0x10 != 0 {
				f.Result = pick()
			}
			in.Functions = append(in.Functions, f)
		}
	}
	return in
}

// FuzzSameVersionAs: sameVersionAs gives what the reference gives (the
// same types, structure by structure), leaves its input as it was, and
// shares what holds none of the interface's resources.
func FuzzSameVersionAs(f *testing.F) {
	f.Add([]byte{1, 0x62, 0x64, 0x76, 0x67, 0x28, 0x39})
	f.Add([]byte{0x81, 0x62, 0x43, 0x64, 0x01, 0x66, 0x77, 0x48, 0x29, 0x6a, 0x2b})
	f.Add([]byte{4, 5, 6, 7, 8, 9, 10, 11, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := fuzzInterface(b, "d:x/i@2.0.0")
		before := fuzzInterface(b, "d:x/i@2.0.0") // the same, made again
		o := &wit.Interface{Name: "d:x/i@1.0.0"}
		got, want := sameVersionAs(o, n), sameVersionAsRef(o, n)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("sameVersionAs differs from the reference on %x", b)
		}
		if !reflect.DeepEqual(n, before) {
			t.Fatalf("sameVersionAs modified its input (%x)", b)
		}
		// What the reference leaves shared, sameVersionAs leaves shared.
		for i, f := range n.Functions {
			for k, p := range f.Params {
				if want.Functions[i].Params[k].Type == p.Type && got.Functions[i].Params[k].Type != p.Type {
					t.Fatalf("parameter %d of function %d copied though unchanged (%x)", k, i, b)
				}
			}
		}
	})
}
