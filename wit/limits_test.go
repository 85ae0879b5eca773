package wit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// treeShape is the definition CheckLimits must agree with, computed the
// plain way: the size of t expanded to a tree (capped above
// MaxWorldNodes) and its height, the root counted.
func treeShape(t *Type, memo map[*Type][2]int) (size, height int) {
	if t == nil {
		return 0, 0
	}
	if s, ok := memo[t]; ok {
		return s[0], s[1]
	}
	var kids []*Type
	for _, f := range t.Fields {
		kids = append(kids, f.Type)
	}
	for _, c := range t.Cases {
		kids = append(kids, c.Type)
	}
	kids = append(kids, t.Elems...)
	kids = append(kids, t.Elem, t.Ok, t.Err)
	size, height = 1, 1
	for _, k := range kids {
		s, h := treeShape(k, memo)
		size = min(size+s, MaxWorldNodes+1)
		height = max(height, h+1)
	}
	memo[t] = [2]int{size, height}
	return size, height
}

// wantLimit is what CheckLimits must say of w: "" when within the
// limits, else the Where of the first use (type definition, parameter,
// result, in world order) whose tree is deeper than MaxTypeDepth below
// it or brings the world's total past MaxWorldNodes, and which limit.
func wantLimit(w *World) (where, msg string) {
	memo := map[*Type][2]int{}
	total := 0
	use := func(t *Type) string {
		size, height := treeShape(t, memo)
		if height > MaxTypeDepth+1 {
			return "depth"
		}
		total += size
		if total > MaxWorldNodes {
			return "size"
		}
		return ""
	}
	for _, items := range [][]*Item{w.Imports, w.Exports} {
		for _, it := range items {
			if it.Interface == nil {
				continue
			}
			for _, td := range it.Interface.Types {
				if m := use(td.Type); m != "" {
					return it.Name + ", type " + td.Name, m
				}
			}
			for _, f := range it.Interface.Functions {
				for _, p := range f.Params {
					if m := use(p.Type); m != "" {
						return it.Name + ", function " + f.Name + ", parameter " + p.Name, m
					}
				}
				if m := use(f.Result); m != "" {
					return it.Name + ", function " + f.Name + ", result", m
				}
			}
		}
	}
	return "", ""
}

// randomWorld is an interface of n types, each built of earlier ones
// (records, variants, tuples, lists, options, results, handles) so that
// they share subtypes at random, and of functions using them; chains
// (deep: each type nests the last) and quadruplings reach the depth and
// size limits now and then.
func randomWorld(rng *rand.Rand, n int, deep bool) *World {
	prims := []*Type{Prim(U8), Prim(String), {Kind: Enum, Labels: []string{"a"}}, {Kind: Resource, Name: "r"}}
	types := append([]*Type(nil), prims...)
	picked := 0 // in this type
	pick := func() *Type {
		picked++
		if deep {
			// One part nests the last type, the others are leaves: the
			// world grows deep, not large.
			if picked == 1 {
				return types[len(types)-1]
			}
			return prims[rng.IntN(len(prims))]
		}
		// Mostly recent types: deep and large shapes build up.
		if rng.IntN(4) == 0 {
			return types[rng.IntN(len(types))]
		}
		return types[max(0, len(types)-1-rng.IntN(4))]
	}
	iface := &Interface{Name: "a:b/i"}
	for i := 0; i < n; i++ {
		var t *Type
		picked = 0
		kind := rng.IntN(9)
		if deep && (kind == 2 || kind == 6) {
			kind = 8 // no quadrupling, no handle: the depth is at stake
		}
		switch kind {
		case 0:
			t = &Type{Kind: Record, Fields: []Field{{Name: "x", Type: pick()}, {Name: "y", Type: pick()}}}
		case 1:
			t = &Type{Kind: Variant, Cases: []Case{{Name: "x", Type: pick()}, {Name: "y"}, {Name: "z", Type: pick()}}}
		case 2:
			k := pick()
			t = &Type{Kind: Tuple, Elems: []*Type{k, k, k, k}} // a quadrupling
		case 3:
			t = &Type{Kind: List, Elem: pick()}
		case 4:
			t = &Type{Kind: Result, Ok: pick()}
		case 5:
			t = &Type{Kind: Result, Ok: pick(), Err: pick()}
		case 6:
			t = &Type{Kind: Own, Elem: prims[3]}
		default:
			t = &Type{Kind: Option, Elem: types[len(types)-1]} // chains deepen
		}
		types = append(types, t)
		if rng.IntN(3) == 0 {
			iface.Types = append(iface.Types, &TypeDef{Name: fmt.Sprintf("t%d", i), Type: t})
		}
		if rng.IntN(5) == 0 {
			iface.Functions = append(iface.Functions, &Function{Name: fmt.Sprintf("f%d", i),
				Params: []Param{{Name: "p", Type: pick()}, {Name: "q", Type: pick()}}, Result: pick()})
		}
	}
	return &World{Name: "w", Exports: []*Item{{Name: "a:b/i", Kind: ItemInterface, Interface: iface}}}
}

// TestCheckLimitsDefinition: on random worlds whose types share subtypes,
// CheckLimits fails exactly where the plain tree definition does, with the
// same limit; the shared types' walk-once bookkeeping changes nothing.
func TestCheckLimitsDefinition(t *testing.T) {
	counts := map[string]int{}
	for seed := uint64(0); seed < 400; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		deep := seed%3 == 0
		n := 50 + rng.IntN(400)
		if deep {
			n = 180 + rng.IntN(200)
		}
		w := randomWorld(rng, n, deep)
		where, msg := wantLimit(w)
		counts[msg]++
		err := CheckLimits(w)
		var le *LimitError
		switch {
		case where == "" && err == nil:
		case where == "" || err == nil:
			t.Errorf("seed %d: CheckLimits = %v, want a failure at %q (%s)", seed, err, where, msg)
		case !errors.As(err, &le):
			t.Errorf("seed %d: %v is no *LimitError", seed, err)
		case le.Where != where:
			t.Errorf("seed %d: failed at %q, want %q (%s): %v", seed, le.Where, where, msg, err)
		case msg == "depth" && le.Msg != DepthMessage, msg == "size" && le.Msg == DepthMessage:
			t.Errorf("seed %d: %q, want the %s limit", seed, le.Msg, msg)
		}
	}
	// Each outcome must occur, or the worlds test too little.
	for _, m := range []string{"", "depth", "size"} {
		if counts[m] < 10 {
			t.Errorf("%d worlds with outcome %q, want 10 or more: %v", counts[m], m, counts)
		}
	}
	t.Logf("outcomes: %v", counts)
}

// TestCheckLimitsDepth: a type nested exactly MaxTypeDepth deep passes
// (alone, and shared under a shallow parent), one level more fails, also
// when the deep type was walked first at a shallow place and is reused
// deeper.
func TestCheckLimitsDepth(t *testing.T) {
	chain := func(n int) *Type { // option<option<…<u8>>>, height n+1
		t := Prim(U8)
		for i := 0; i < n; i++ {
			t = &Type{Kind: Option, Elem: t}
		}
		return t
	}
	world := func(ts ...*Type) *World {
		iface := &Interface{Name: "i"}
		for i, t := range ts {
			iface.Types = append(iface.Types, &TypeDef{Name: fmt.Sprintf("t%d", i), Type: t})
		}
		return &World{Exports: []*Item{{Name: "i", Kind: ItemInterface, Interface: iface}}}
	}
	deep := chain(MaxTypeDepth)
	for _, c := range []struct {
		name  string
		w     *World
		where string
	}{
		{"at the limit", world(deep), ""},
		{"one past", world(chain(MaxTypeDepth + 1)), "i, type t0"},
		{"shared, then one level deeper", world(deep, &Type{Kind: List, Elem: deep}), "i, type t1"},
		{"shared in a tuple", world(&Type{Kind: Tuple, Elems: []*Type{deep, &Type{Kind: Option, Elem: deep}}}), "i, type t0"},
	} {
		err := CheckLimits(c.w)
		var le *LimitError
		if c.where == "" && err != nil || c.where != "" && (!errors.As(err, &le) || le.Where != c.where || le.Msg != DepthMessage) {
			t.Errorf("%s: CheckLimits = %v, want a failure at %q", c.name, err, c.where)
		}
	}
}

// TestCheckLimitsCycle: a type that contains itself (no reader makes one;
// a hostile one might) is refused, not walked forever.
func TestCheckLimitsCycle(t *testing.T) {
	loop := &Type{Kind: List}
	loop.Elem = &Type{Kind: Option, Elem: loop}
	w := &World{Exports: []*Item{{Name: "f", Kind: ItemFunction, Function: &Function{Name: "f", Result: loop}}}}
	if err := CheckLimits(w); err == nil {
		t.Fatal("a cyclic type passed")
	}
}

// TestDepthMessage checks that the constant DepthMessage names the limit
// it reports.
func TestDepthMessage(t *testing.T) {
	if want := fmt.Sprintf("types nested more than %d deep", MaxTypeDepth); DepthMessage != want {
		t.Errorf("DepthMessage = %q, want %q", DepthMessage, want)
	}
}
