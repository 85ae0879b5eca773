package abi

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

func TestLayout(t *testing.T) {
	res := tResource("r")
	for _, c := range []struct {
		name        string
		t           *wit.Type
		size, align uint32
		flat        []CoreType
	}{
		{"bool", tBool, 1, 1, []CoreType{I32}},
		{"s16", tS16, 2, 2, []CoreType{I32}},
		{"u64", tU64, 8, 8, []CoreType{I64}},
		{"f32", tF32, 4, 4, []CoreType{F32}},
		{"char", tChar, 4, 4, []CoreType{I32}},
		{"string", tString, 8, 4, []CoreType{I32, I32}},
		{"list<u64>", tList(tU64), 8, 4, []CoreType{I32, I32}},
		{"list<u16, 3>", tArray(tU16, 3), 6, 2, []CoreType{I32, I32, I32}},
		{"tuple<u8, u32, u8>", tTuple(tU8, tU32, tU8), 12, 4, []CoreType{I32, I32, I32}},
		{"tuple<u8, u64>", tTuple(tU8, tU64), 16, 8, []CoreType{I32, I64}},
		{"record{a: u8, b: list<u8, 3>}", tRecord(fld("a", tU8), fld("b", tArray(tU8, 3))), 4, 1, []CoreType{I32, I32, I32, I32}},
		{"option<u8>", tOption(tU8), 2, 1, []CoreType{I32, I32}},
		{"option<u64>", tOption(tU64), 16, 8, []CoreType{I32, I64}},
		{"option<string>", tOption(tString), 12, 4, []CoreType{I32, I32, I32}},
		{"result", tResult(nil, nil), 1, 1, []CoreType{I32}},
		{"result<u32, f32>", tResult(tU32, tF32), 8, 4, []CoreType{I32, I32}},
		{"result<f32, f64>", tResult(tF32, tF64), 16, 8, []CoreType{I32, I64}},
		{"result<f32, f32>", tResult(tF32, tF32), 8, 4, []CoreType{I32, F32}},
		{"variant{a(u64), b(f32, f32)}", tVariant(cas("a", tU64), cas("b", tTuple(tF32, tF32))), 16, 8, []CoreType{I32, I64, F32}},
		{"variant{a(f64), b(u8)}", tVariant(cas("a", tF64), cas("b", tU8)), 16, 8, []CoreType{I32, I64}},
		{"enum 256", tEnum(labels(256)...), 1, 1, []CoreType{I32}},
		{"enum 257", tEnum(labels(257)...), 2, 2, []CoreType{I32}},
		{"flags 8", tFlags(labels(8)...), 1, 1, []CoreType{I32}},
		{"flags 9", tFlags(labels(9)...), 2, 2, []CoreType{I32}},
		{"flags 17", tFlags(labels(17)...), 4, 4, []CoreType{I32}},
		{"own", tOwn(res), 4, 4, []CoreType{I32}},
		{"borrow", tBorrow(res), 4, 4, []CoreType{I32}},
	} {
		l, err := compileType(c.t)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if l.size != c.size || l.align != c.align {
			t.Errorf("%s: size %d align %d, want %d %d", c.name, l.size, l.align, c.size, c.align)
		}
		if d := cmp.Diff(c.flat, l.flat); d != "" {
			t.Errorf("%s: flat (-want +got)\n%s", c.name, d)
		}
	}
}

func TestLayoutRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		t    *wit.Type
	}{
		{"empty record", tRecord()},
		{"empty tuple", tTuple()},
		{"no flags", tFlags()},
		{"33 flags", tFlags(labels(33)...)},
		{"empty variant", tVariant()},
		{"stream", &wit.Type{Kind: wit.Stream}},
		{"future", &wit.Type{Kind: wit.Future}},
		{"error-context", wit.Prim(wit.ErrorContext)},
		{"resource itself", tResource("r")},
		{"nil list element", &wit.Type{Kind: wit.List}},
	} {
		if _, err := compileType(c.t); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

// TestVariantCoercion checks lift_flat_variant's and lower_flat_variant's
// coercions between a case's flat types and the joined ones.
func TestVariantCoercion(t *testing.T) {
	v := tVariant(cas("i", tS32), cas("f", tF32), cas("d", tF64), cas("l", tS64))
	cx, _ := mkcx(nil, UTF8)
	l, _ := cx.layoutOf(v)
	for _, c := range []struct {
		v    value.Value
		flat []uint64
	}{
		{value.Variant(0, value.S32(-1)), []uint64{0, 0xffffffff}},
		{value.Variant(1, value.F32(1.5)), []uint64{1, uint64(f32bits(1.5))}},
		{value.Variant(2, value.F64(-2.25)), []uint64{2, f64bits(-2.25)}},
		{value.Variant(3, value.S64(-1)), []uint64{3, 0xffffffffffffffff}},
	} {
		flat, err := cx.lowerFlat(nil, l, c.v)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(c.flat, flat); d != "" {
			t.Errorf("%v: (-want +got)\n%s", c.v, d)
		}
		got, err := cx.liftFlat(l, NewCoreValues(flat))
		if err != nil || !got.Equal(c.v) {
			t.Errorf("%v: lifted %v, %v", c.v, got, err)
		}
	}
	// A 32-bit case reads only the low half of a joined i64 slot.
	got, err := cx.liftFlat(l, NewCoreValues([]uint64{1, 0xdead_beef_3fc0_0000}))
	if err != nil || !got.Equal(value.Variant(1, value.F32(1.5))) {
		t.Errorf("low half: %v, %v", got, err)
	}
}

// TestStringReallocCalls checks the realloc calls of definitions.py's
// transcoding for a utf8 source.
func TestStringReallocCalls(t *testing.T) {
	for _, c := range []struct {
		enc   StringEncoding
		s     string
		calls [][4]uint32
		tcu   uint32
	}{
		{UTF8, "héllo", [][4]uint32{{0, 0, 1, 6}}, 6},
		{UTF8, "", [][4]uint32{{0, 0, 1, 0}}, 0},
		{UTF16, "abc", [][4]uint32{{0, 0, 2, 6}}, 3},
		{UTF16, "héllo", [][4]uint32{{0, 0, 2, 12}, {8, 12, 2, 10}}, 5},
		{Latin1UTF16, "abc", [][4]uint32{{0, 0, 2, 3}}, 3},
		{Latin1UTF16, "héllo", [][4]uint32{{0, 0, 2, 6}, {8, 6, 2, 5}}, 5},
		{Latin1UTF16, "h✓", [][4]uint32{{0, 0, 2, 4}, {8, 4, 2, 8}, {12, 8, 2, 4}}, 2 | UTF16Tag},
	} {
		h := newHeap(make([]byte, 64))
		h.lastAlloc = 8
		cx := &CallContext{Opts: h.opts(c.enc)}
		_, tcu, err := cx.storeStringIntoRange(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(c.calls, h.calls); d != "" || tcu != c.tcu {
			t.Errorf("%s %q: tcu %#x (want %#x), realloc calls (-want +got)\n%s", c.enc, c.s, tcu, c.tcu, d)
		}
	}
}

// TestLowerMismatch: a value of another type is the host's mistake, an
// error that is not a trap.
func TestLowerMismatch(t *testing.T) {
	for _, c := range []struct {
		t *wit.Type
		v value.Value
	}{
		{tU8, value.U16(1)},
		{tRecord(fld("a", tU8)), value.Record()},
		{tOption(tU8), value.Some(value.Bool(true))},
		{tResult(nil, tU8), value.Err()},
		{tVariant(cas("a", nil)), value.Variant(3)},
		{tArray(tU8, 2), value.List(value.U8(1))},
		{tString, value.String("\xff")},
		{tChar, value.Char(0xd800)},
		{tList(tU8), value.List(value.S8(1))},
	} {
		cx, _ := mkcx(make([]byte, 64), UTF8)
		_, err := LowerFlatValues(cx, MaxFlatParams, []value.Value{c.v}, []*wit.Type{c.t}, nil)
		var tr *Trap
		if err == nil || errors.As(err, &tr) {
			t.Errorf("%s %v: got %v, want a non-trap error", typeName(c.t), c.v, err)
		}
	}
	_, err := LowerFlatValues(&CallContext{}, MaxFlatParams, []value.Value{value.String("x")}, []*wit.Type{tString}, nil)
	if !errors.Is(err, errNoMemory) {
		t.Errorf("no memory: %v", err)
	}
	_, err = LowerFlatValues(&CallContext{Opts: &Options{Memory: newHeap(nil)}}, MaxFlatParams, []value.Value{value.String("x")}, []*wit.Type{tString}, nil)
	if !errors.Is(err, errNoRealloc) {
		t.Errorf("no realloc: %v", err)
	}
}

func TestLayoutBounds(t *testing.T) {
	big := tArray(tArray(tU8, 1024), 1024) // 2^20 flat values: the limit
	if _, err := compileType(big); err != nil {
		t.Fatalf("2^20 flat values refused: %v", err)
	}
	fields := make([]wit.Field, 8)
	for i := range fields {
		fields[i] = fld(labels(8)[i], big)
	}
	if _, err := compileType(tRecord(fields...)); err == nil {
		t.Fatal("a record of 2^23 flat values was accepted")
	}
	deep := tU8
	for range maxTypeDepth + 5 {
		deep = tOption(deep)
	}
	if _, err := compileType(deep); err == nil {
		t.Fatal("a type deeper than the limit was accepted")
	}
}
