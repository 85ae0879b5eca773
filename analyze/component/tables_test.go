package component

import "testing"

// TestPrimTables checks that the constant tables of primitive types agree:
// every named primitive (and only those) has a shared elaborated type of
// its own and a wit kind.
func TestPrimTables(t *testing.T) {
	n := 0
	for b := range 256 {
		p := Prim(b)
		named := primNames[p] != ""
		if named {
			n++
		}
		if named != isPrim(byte(b)) {
			t.Errorf("%s: named %v, isPrim %v", p, named, isPrim(byte(b)))
		}
		if got := prims[p] != nil; got != named {
			t.Errorf("%s: elaborated type %v, named %v", p, got, named)
			continue
		}
		if !named {
			if witPrims[p] != "" {
				t.Errorf("%s: wit kind %v for an unnamed primitive", p, witPrims[p])
			}
			continue
		}
		if s := prims[p]; s.kind != tPrim || s.prim != p || s.size != 1 {
			t.Errorf("%s: elaborated type %+v", p, *s)
		}
		if witPrims[p] == "" {
			t.Errorf("%s: no wit kind", p)
		}
	}
	if n != 14 {
		t.Errorf("%d named primitives, want 14", n)
	}
}

// TestDefKind checks defKind against the kind names: every defined value
// type kind maps to a distinct elaborated kind, and no other kind does.
func TestDefKind(t *testing.T) {
	seen := map[tkind]TypeKind{}
	for b := range 256 {
		k := TypeKind(b)
		tk, ok := defKind(k)
		want := false
		switch k {
		case KindRecord, KindVariant, KindList, KindFixedList, KindTuple, KindFlags, KindEnum,
			KindOption, KindResult, KindOwn, KindBorrow, KindFuture, KindStream, KindMap:
			want = true
		}
		if ok != want {
			t.Errorf("defKind(%s) ok = %v, want %v", k, ok, want)
			continue
		}
		if !ok {
			continue
		}
		if tk == tPrim {
			t.Errorf("defKind(%s) = tPrim", k)
		}
		if prev, dup := seen[tk]; dup {
			t.Errorf("defKind(%s) = defKind(%s)", k, prev)
		}
		seen[tk] = k
	}
}
