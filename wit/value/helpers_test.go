package value

import (
	"math"
	"math/rand"
	"strconv"

	"github.com/wfcompat/wfcompat/wit"
)

// Type builders for tests.

func prim(k wit.Kind) *wit.Type                 { return wit.Prim(k) }
func listOf(e *wit.Type) *wit.Type              { return &wit.Type{Kind: wit.List, Elem: e} }
func fixedList(e *wit.Type, n uint32) *wit.Type { return &wit.Type{Kind: wit.List, Elem: e, Len: n} }
func optionOf(e *wit.Type) *wit.Type            { return &wit.Type{Kind: wit.Option, Elem: e} }
func resultOf(ok, err *wit.Type) *wit.Type      { return &wit.Type{Kind: wit.Result, Ok: ok, Err: err} }
func tupleOf(es ...*wit.Type) *wit.Type         { return &wit.Type{Kind: wit.Tuple, Elems: es} }
func field(n string, t *wit.Type) wit.Field     { return wit.Field{Name: n, Type: t} }
func cse(n string, t *wit.Type) wit.Case        { return wit.Case{Name: n, Type: t} }
func enumOf(ls ...string) *wit.Type             { return &wit.Type{Kind: wit.Enum, Labels: ls} }
func flagsOf(ls ...string) *wit.Type            { return &wit.Type{Kind: wit.Flags, Labels: ls} }
func recordOf(fs ...wit.Field) *wit.Type        { return &wit.Type{Kind: wit.Record, Fields: fs} }
func variantOf(cs ...wit.Case) *wit.Type        { return &wit.Type{Kind: wit.Variant, Cases: cs} }
func resource(name, owner string) *wit.Type {
	return &wit.Type{Kind: wit.Resource, Name: name, Owner: owner}
}
func ownOf(r *wit.Type) *wit.Type    { return &wit.Type{Kind: wit.Own, Elem: r} }
func borrowOf(r *wit.Type) *wit.Type { return &wit.Type{Kind: wit.Borrow, Elem: r} }
func named(name string, t *wit.Type) *wit.Type {
	c := *t
	c.Name = name
	return &c
}

var (
	tyBool   = prim(wit.Bool)
	tyU8     = prim(wit.U8)
	tyU16    = prim(wit.U16)
	tyU32    = prim(wit.U32)
	tyU64    = prim(wit.U64)
	tyS8     = prim(wit.S8)
	tyS16    = prim(wit.S16)
	tyS32    = prim(wit.S32)
	tyS64    = prim(wit.S64)
	tyF32    = prim(wit.F32)
	tyF64    = prim(wit.F64)
	tyChar   = prim(wit.Char)
	tyString = prim(wit.String)
)

// Random types and values (seeded math/rand) for property tests and fuzz seeds.

var randNames = []string{"a", "b", "red", "green", "blue", "qty", "id", "name", "x-y", "item2", "HTTP", "true", "false", "some", "none", "ok", "err", "inf", "nan", "list", "v-1-a"}

var scalarKinds = []wit.Kind{wit.Bool, wit.S8, wit.U8, wit.S16, wit.U16, wit.S32, wit.U32, wit.S64, wit.U64, wit.F32, wit.F64, wit.Char, wit.String}

func randLabels(r *rand.Rand, min, max int) []string {
	n := min + r.Intn(max-min+1)
	perm := r.Perm(len(randNames))
	ls := make([]string, n)
	for i := range ls {
		ls[i] = randNames[perm[i]]
	}
	return ls
}

var testResources = []*wit.Type{resource("cart", "shop:api/cart@1.0.0"), resource("order", "shop:api/cart@1.0.0")}

func randType(r *rand.Rand, depth int) *wit.Type {
	if depth <= 0 || r.Intn(3) == 0 {
		return prim(scalarKinds[r.Intn(len(scalarKinds))])
	}
	sub := func() *wit.Type { return randType(r, depth-1) }
	maybe := func() *wit.Type {
		if r.Intn(3) == 0 {
			return nil
		}
		return sub()
	}
	var t *wit.Type
	switch r.Intn(11) {
	case 0:
		t = listOf(sub())
	case 1:
		t = fixedList(sub(), uint32(1+r.Intn(3)))
	case 2:
		t = optionOf(sub())
	case 3:
		t = resultOf(maybe(), maybe())
	case 4:
		n := 1 + r.Intn(3)
		t = &wit.Type{Kind: wit.Tuple}
		for range n {
			t.Elems = append(t.Elems, sub())
		}
	case 5:
		t = &wit.Type{Kind: wit.Record}
		for _, l := range randLabels(r, 1, 4) {
			t.Fields = append(t.Fields, field(l, sub()))
		}
	case 6:
		t = &wit.Type{Kind: wit.Variant}
		for _, l := range randLabels(r, 1, 4) {
			t.Cases = append(t.Cases, cse(l, maybe()))
		}
	case 7:
		t = enumOf(randLabels(r, 1, 5)...)
	case 8:
		t = flagsOf(randLabels(r, 0, 6)...)
	case 9:
		res := testResources[r.Intn(len(testResources))]
		if r.Intn(2) == 0 {
			t = ownOf(res)
		} else {
			t = borrowOf(res)
		}
	default:
		t = optionOf(optionOf(sub()))
	}
	if r.Intn(3) == 0 && t.Kind != wit.Own && t.Kind != wit.Borrow {
		t.Name = "t" + strconv.Itoa(r.Intn(5))
		t.Owner = "test:pkg/types@1.0.0"
	}
	return t
}

var specialF64 = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e300, -1e-300, 5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 3.4028234663852886e38, 1.401298464324817e-45, 16777217}

var specialRunes = []rune{'a', 'Z', ' ', '\'', '"', '\\', '\n', '\t', '\r', 0, 0x7f, 0x80, 0xa0, 0xad, 0x301, 0x200b, 0x2028, 0xfeff, '☃', '🌊', 0x10ffff, 0xe000, 0xd7ff, 0xe01ef}

func randRune(r *rand.Rand) rune {
	if r.Intn(2) == 0 {
		return specialRunes[r.Intn(len(specialRunes))]
	}
	for {
		x := rune(r.Intn(0x110000))
		if validScalar(uint64(x)) {
			return x
		}
	}
}

func randValue(r *rand.Rand, t *wit.Type) Value {
	switch t.Kind {
	case wit.Bool:
		return Bool(r.Intn(2) == 0)
	case wit.S8, wit.S16, wit.S32, wit.S64, wit.U8, wit.U16, wit.U32, wit.U64:
		k := kindOf(t.Kind)
		x := r.Uint64()
		switch r.Intn(4) {
		case 0:
			x = uint64(r.Intn(10))
		case 1:
			x = ^uint64(r.Intn(3)) // -1, -2, -3
		}
		n := k.intBits()
		if k.isSigned() {
			v := int64(x<<(64-n)) >> (64 - n)
			return Value{k: k, bits: uint64(v)}
		}
		if n < 64 {
			x &= 1<<n - 1
		}
		return Value{k: k, bits: x}
	case wit.F32:
		if r.Intn(2) == 0 {
			return F32(float32(specialF64[r.Intn(len(specialF64))]))
		}
		return F32(math.Float32frombits(r.Uint32()))
	case wit.F64:
		if r.Intn(2) == 0 {
			return F64(specialF64[r.Intn(len(specialF64))])
		}
		return F64(math.Float64frombits(r.Uint64()))
	case wit.Char:
		return Char(randRune(r))
	case wit.String:
		n := r.Intn(6)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = randRune(r)
		}
		return String(string(rs))
	case wit.List:
		n := int(t.Len)
		if n == 0 {
			n = r.Intn(4)
		}
		elems := make([]Value, n)
		for i := range elems {
			elems[i] = randValue(r, t.Elem)
		}
		return List(elems...)
	case wit.Tuple:
		elems := make([]Value, len(t.Elems))
		for i, e := range t.Elems {
			elems[i] = randValue(r, e)
		}
		return Tuple(elems...)
	case wit.Record:
		fs := make([]Value, len(t.Fields))
		for i, f := range t.Fields {
			fs[i] = randValue(r, f.Type)
		}
		return Record(fs...)
	case wit.Variant:
		c := r.Intn(len(t.Cases))
		if t.Cases[c].Type == nil {
			return Variant(c)
		}
		return Variant(c, randValue(r, t.Cases[c].Type))
	case wit.Enum:
		return Enum(r.Intn(len(t.Labels)))
	case wit.Flags:
		var set uint64
		for i := range t.Labels {
			if r.Intn(2) == 0 {
				set |= 1 << i
			}
		}
		return Flags(set)
	case wit.Option:
		if r.Intn(3) == 0 {
			return None()
		}
		return Some(randValue(r, t.Elem))
	case wit.Result:
		if r.Intn(2) == 0 {
			if t.Ok == nil {
				return Ok()
			}
			return Ok(randValue(r, t.Ok))
		}
		if t.Err == nil {
			return Err()
		}
		return Err(randValue(r, t.Err))
	case wit.Own, wit.Borrow:
		return Handle(t.Kind, r.Uint32())
	}
	panic("randValue: " + t.WIT())
}
