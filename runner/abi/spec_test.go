package abi

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// The cases of this file are those of the Component Model's
// design/mvp/canonical-abi/run_tests.py (test, test_pairs, test_nan32/64,
// test_string, test_heap, test_flatten, test_roundtrips, test_handles),
// written for this package's API.

// specCase is run_tests.py's test(): lift flat values of typ (want nil:
// it must trap), then lower the result into a fresh heap (of dstEnc) as
// lowerT and lift it back, expecting lowerV.
type specCase struct {
	name   string
	typ    *wit.Type
	flat   []uint64
	want   *value.Value // nil: the lift traps
	mem    []byte
	enc    StringEncoding
	dstEnc StringEncoding
	lowerT *wit.Type
	lowerV *value.Value
}

func ptr(v value.Value) *value.Value { return &v }

func runSpecCase(t *testing.T, c specCase) {
	t.Helper()
	cx, _ := mkcx(c.mem, c.enc)
	l, err := cx.layoutOf(c.typ)
	if err != nil {
		t.Fatalf("%s: layout: %v", c.name, err)
	}
	vi := NewCoreValues(c.flat)
	got, err := cx.liftFlat(l, vi)
	if c.want == nil {
		var tr *Trap
		if !errors.As(err, &tr) {
			t.Fatalf("%s: expected a trap, got %v, %v", c.name, got, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: lift: %v", c.name, err)
	}
	if !vi.Done() {
		t.Fatalf("%s: %d flat values left", c.name, len(vi.Remaining()))
	}
	if !got.Equal(*c.want) {
		t.Fatalf("%s: lift: got %v, want %v", c.name, got, *c.want)
	}
	lowerT, lowerV := c.lowerT, c.lowerV
	if lowerT == nil {
		lowerT = c.typ
	}
	if lowerV == nil {
		lowerV = c.want
	}
	// run_tests.py sizes the destination heap at 5× the source memory,
	// enough for its source-encoding-aware transcoding; this package
	// lowers every string as a utf8 source, whose worst-case allocation
	// can be larger (a latin1 "\u0080" is 1 byte, its utf8 2, worst-case
	// utf16 4), so give it room for that.
	size := 5 * len(c.mem)
	if c.want.Kind() == wit.String {
		size = max(size, 8*len(c.want.Text()))
	}
	cx2, _ := mkcx(make([]byte, size), c.dstEnc)
	l2, err := cx2.layoutOf(lowerT)
	if err != nil {
		t.Fatal(err)
	}
	flat, err := cx2.lowerFlat(nil, l2, *c.want)
	if err != nil {
		t.Fatalf("%s: lower: %v", c.name, err)
	}
	back, err := cx2.liftFlat(l2, NewCoreValues(flat))
	if err != nil {
		t.Fatalf("%s: re-lift: %v", c.name, err)
	}
	if !back.Equal(*lowerV) {
		t.Fatalf("%s: re-lift: got %v, want %v", c.name, back, *lowerV)
	}
}

func f32bits(f float32) uint64 { return uint64(math.Float32bits(f)) }
func f64bits(f float64) uint64 { return math.Float64bits(f) }

func TestSpecLiftFlat(t *testing.T) {
	xyz := tRecord(fld("x", tU8), fld("y", tU16), fld("z", tU32))
	ab := tFlags("a", "b")
	f32s := tFlags(labels(32)...)
	v := tVariant(cas("x", tU8), cas("y", tF32), cas("z", nil))
	wy := tVariant(cas("w", tU8), cas("y", tU8))
	w := tVariant(cas("w", tU8))
	cases := []specCase{
		{name: "record", typ: xyz, flat: []uint64{1, 2, 3}, want: ptr(value.Record(vu8(1), value.U16(2), value.U32(3)))},
		{name: "nested tuple", typ: tTuple(tTuple(tU8, tU8), tU8), flat: []uint64{1, 2, 3},
			want: ptr(value.Tuple(value.Tuple(vu8(1), vu8(2)), vu8(3)))},
		{name: "fixed list", typ: tArray(tU8, 3), flat: []uint64{1, 2, 3}, want: ptr(value.List(vu8(1), vu8(2), vu8(3)))},
		{name: "fixed list of fixed lists", typ: tArray(tArray(tU8, 2), 3), flat: []uint64{1, 2, 3, 4, 5, 6},
			want: ptr(value.List(value.List(vu8(1), vu8(2)), value.List(vu8(3), vu8(4)), value.List(vu8(5), vu8(6))))},
		{name: "flags 0", typ: ab, flat: []uint64{0}, want: ptr(value.Flags(0))},
		{name: "flags 2", typ: ab, flat: []uint64{2}, want: ptr(value.Flags(2))},
		{name: "flags 3", typ: ab, flat: []uint64{3}, want: ptr(value.Flags(3))},
		{name: "flags 4 masked", typ: ab, flat: []uint64{4}, want: ptr(value.Flags(0))},
		{name: "flags 32", typ: f32s, flat: []uint64{0xffffffff}, want: ptr(value.Flags(0xffffffff))},
		{name: "variant x", typ: v, flat: []uint64{0, 42}, want: ptr(value.Variant(0, vu8(42)))},
		{name: "variant x truncated", typ: v, flat: []uint64{0, 256}, want: ptr(value.Variant(0, vu8(0)))},
		{name: "variant y f32 from i32", typ: v, flat: []uint64{1, 0x4048f5c3}, want: ptr(value.Variant(1, value.F32(3.140000104904175)))},
		{name: "variant z", typ: v, flat: []uint64{2, 0xffffffff}, want: ptr(value.Variant(2))},
		{name: "option none", typ: tOption(tF32), flat: []uint64{0, f32bits(3.14)}, want: ptr(value.None())},
		{name: "option some", typ: tOption(tF32), flat: []uint64{1, f32bits(3.14)}, want: ptr(value.Some(value.F32(3.14)))},
		{name: "result ok", typ: tResult(tU8, tU32), flat: []uint64{0, 42}, want: ptr(value.Ok(vu8(42)))},
		{name: "result err", typ: tResult(tU8, tU32), flat: []uint64{1, 1000}, want: ptr(value.Err(value.U32(1000)))},
		{name: "variant w", typ: wy, flat: []uint64{0, 42}, want: ptr(value.Variant(0, vu8(42)))},
		{name: "variant y", typ: wy, flat: []uint64{1, 42}, want: ptr(value.Variant(1, vu8(42)))},
		{name: "variant lowered as subtype", typ: wy, flat: []uint64{0, 42}, want: ptr(value.Variant(0, vu8(42))),
			lowerT: w, lowerV: ptr(value.Variant(0, vu8(42)))},
		{name: "variant bad discriminant", typ: wy, flat: []uint64{2, 42}},
	}
	pairs := func(name string, typ *wit.Type, ps []struct {
		in  uint64
		out *value.Value
	}) {
		for _, p := range ps {
			cases = append(cases, specCase{name: name, typ: typ, flat: []uint64{p.in}, want: p.out})
		}
	}
	type pr = []struct {
		in  uint64
		out *value.Value
	}
	T, F := ptr(value.Bool(true)), ptr(value.Bool(false))
	pairs("bool", tBool, pr{{0, F}, {1, T}, {2, T}, {4294967295, T}})
	u8 := func(x uint8) *value.Value { return ptr(value.U8(x)) }
	s8 := func(x int8) *value.Value { return ptr(value.S8(x)) }
	u16 := func(x uint16) *value.Value { return ptr(value.U16(x)) }
	s16 := func(x int16) *value.Value { return ptr(value.S16(x)) }
	pairs("u8", tU8, pr{{127, u8(127)}, {128, u8(128)}, {255, u8(255)}, {256, u8(0)}, {4294967295, u8(255)}, {4294967168, u8(128)}, {4294967167, u8(127)}})
	pairs("s8", tS8, pr{{127, s8(127)}, {128, s8(-128)}, {255, s8(-1)}, {256, s8(0)}, {4294967295, s8(-1)}, {4294967168, s8(-128)}, {4294967167, s8(127)}})
	pairs("u16", tU16, pr{{32767, u16(32767)}, {32768, u16(32768)}, {65535, u16(65535)}, {65536, u16(0)},
		{1<<32 - 1, u16(65535)}, {1<<32 - 32768, u16(32768)}, {1<<32 - 32769, u16(32767)}})
	pairs("s16", tS16, pr{{32767, s16(32767)}, {32768, s16(-32768)}, {65535, s16(-1)}, {65536, s16(0)},
		{1<<32 - 1, s16(-1)}, {1<<32 - 32768, s16(-32768)}, {1<<32 - 32769, s16(32767)}})
	pairs("u32", tU32, pr{{1<<31 - 1, ptr(value.U32(1<<31 - 1))}, {1 << 31, ptr(value.U32(1 << 31))}, {1<<32 - 1, ptr(value.U32(1<<32 - 1))}})
	pairs("s32", tS32, pr{{1<<31 - 1, ptr(value.S32(1<<31 - 1))}, {1 << 31, ptr(value.S32(-1 << 31))}, {1<<32 - 1, ptr(value.S32(-1))}})
	pairs("u64", tU64, pr{{1<<63 - 1, ptr(value.U64(1<<63 - 1))}, {1 << 63, ptr(value.U64(1 << 63))}, {1<<64 - 1, ptr(value.U64(1<<64 - 1))}})
	pairs("s64", tS64, pr{{1<<63 - 1, ptr(value.S64(1<<63 - 1))}, {1 << 63, ptr(value.S64(-1 << 63))}, {1<<64 - 1, ptr(value.S64(-1))}})
	pairs("f32", tF32, pr{{f32bits(3.14), ptr(value.F32(3.14))}})
	pairs("f64", tF64, pr{{f64bits(3.14), ptr(value.F64(3.14))}})
	ch := func(r rune) *value.Value { return ptr(value.Char(r)) }
	pairs("char", tChar, pr{{0, ch(0)}, {65, ch('A')}, {0xD7FF, ch(0xD7FF)}, {0xD800, nil}, {0xDFFF, nil},
		{0xE000, ch(0xE000)}, {0x10FFFF, ch(0x10FFFF)}, {0x110000, nil}, {0xFFFFFFFF, nil}})
	pairs("enum", tEnum("a", "b"), pr{{0, ptr(value.Enum(0))}, {1, ptr(value.Enum(1))}, {2, nil}})
	for _, c := range cases {
		runSpecCase(t, c)
	}
}

func TestSpecNaN(t *testing.T) {
	for _, c := range []struct{ in, out uint32 }{
		{0x7fc00000, CanonicalNaN32}, {0x7fc00001, CanonicalNaN32}, {0x7fe00000, CanonicalNaN32},
		{0x7fffffff, CanonicalNaN32}, {0xffffffff, CanonicalNaN32}, {0x7f800000, 0x7f800000}, {0x3fc00000, 0x3fc00000},
	} {
		cx, _ := mkcx(binary.LittleEndian.AppendUint32(nil, c.in), UTF8)
		l, _ := cx.layoutOf(tF32)
		v, err := cx.liftFlat(l, NewCoreValues([]uint64{uint64(c.in)}))
		if err != nil || uint32(v.Bits()) != c.out {
			t.Errorf("lift f32 %#x: got %#x, %v; want %#x", c.in, v.Bits(), err, c.out)
		}
		flat, _ := cx.lowerFlat(nil, l, v)
		if uint32(flat[0]) != c.out {
			t.Errorf("lower f32 %#x: got %#x", c.in, flat[0])
		}
		v, err = Load(cx, 0, tF32)
		if err != nil || uint32(v.Bits()) != c.out {
			t.Errorf("load f32 %#x: got %#x, %v; want %#x", c.in, v.Bits(), err, c.out)
		}
	}
	for _, c := range []struct{ in, out uint64 }{
		{0x7ff8000000000000, CanonicalNaN64}, {0x7ff8000000000001, CanonicalNaN64}, {0x7ffc000000000000, CanonicalNaN64},
		{0x7fffffffffffffff, CanonicalNaN64}, {0xffffffffffffffff, CanonicalNaN64},
		{0x7ff0000000000000, 0x7ff0000000000000}, {0x3ff0000000000000, 0x3ff0000000000000},
	} {
		cx, _ := mkcx(binary.LittleEndian.AppendUint64(nil, c.in), UTF8)
		l, _ := cx.layoutOf(tF64)
		v, err := cx.liftFlat(l, NewCoreValues([]uint64{c.in}))
		if err != nil || v.Bits() != c.out {
			t.Errorf("lift f64 %#x: got %#x, %v; want %#x", c.in, v.Bits(), err, c.out)
		}
		v, err = Load(cx, 0, tF64)
		if err != nil || v.Bits() != c.out {
			t.Errorf("load f64 %#x: got %#x, %v; want %#x", c.in, v.Bits(), err, c.out)
		}
	}
}

// funStrings are run_tests.py's fun_strings.
var funStrings = []string{"", "a", "hi", "\x00", "a\x00b", "\u0080", "\u0080b", "ab\u00efc",
	"\u01ffy", "xy\u01ff", "a\ud7ffb", "a\u02ff\u03ff\u04ffbc",
	"\uf123", "\uf123\uf123abc", "abcdef\uf123"}

var encodings = []StringEncoding{UTF8, UTF16, Latin1UTF16}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func latin1(s string) ([]byte, bool) {
	var b []byte
	for _, r := range s {
		if r >= 256 {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

// encodedAs is how s is stored under enc, with its tagged code units.
func encodedAs(s string, enc StringEncoding) ([]byte, uint32) {
	switch enc {
	case UTF16:
		b := utf16le(s)
		return b, uint32(len(b) / 2)
	case Latin1UTF16:
		if b, ok := latin1(s); ok {
			return b, uint32(len(b))
		}
		b := utf16le(s)
		return b, uint32(len(b)/2) | UTF16Tag
	}
	return []byte(s), uint32(len(s))
}

func TestSpecStrings(t *testing.T) {
	for _, src := range encodings {
		for _, dst := range encodings {
			for _, s := range funStrings {
				type rep struct {
					b   []byte
					tcu uint32
				}
				var reps []rep
				switch src {
				case UTF8:
					reps = append(reps, rep{[]byte(s), uint32(len(s))})
				case UTF16:
					b := utf16le(s)
					reps = append(reps, rep{b, uint32(len(b) / 2)})
				case Latin1UTF16:
					if b, ok := latin1(s); ok {
						reps = append(reps, rep{b, uint32(len(b))})
					}
					b := utf16le(s)
					reps = append(reps, rep{b, uint32(len(b)/2) | UTF16Tag})
				}
				for _, r := range reps {
					name := src.String() + "→" + dst.String() + " " + strings.ToValidUTF8(s, "?")
					runSpecCase(t, specCase{name: name, typ: tString, flat: []uint64{0, uint64(r.tcu)},
						want: ptr(value.String(s)), mem: append([]byte(nil), r.b...), enc: src, dstEnc: dst})
					// Beyond run_tests.py: the lowered bytes are exactly
					// the destination encoding of s.
					cx, h := mkcx(make([]byte, 5*len(r.b)+8), dst)
					l, _ := cx.layoutOf(tString)
					flat, err := cx.lowerFlat(nil, l, value.String(s))
					if err != nil {
						t.Fatalf("%s: lower: %v", name, err)
					}
					want, wantTCU := encodedAs(s, dst)
					n := wantTCU &^ UTF16Tag
					if dst == UTF16 || wantTCU&UTF16Tag != 0 {
						n *= 2
					}
					if uint32(flat[1]) != wantTCU || !bytes.Equal(h.mem[flat[0]:flat[0]+uint64(n)], want) {
						t.Errorf("%s: lowered %x (tcu %#x), want %x (tcu %#x)", name, h.mem[flat[0]:flat[0]+uint64(n)], flat[1], want, wantTCU)
					}
				}
			}
		}
	}
}

func tup(vs ...value.Value) value.Value { return value.Tuple(vs...) }

func TestSpecHeap(t *testing.T) {
	bools := value.List(value.Bool(true), value.Bool(false), value.Bool(true))
	u8s := func(xs ...uint8) value.Value {
		var vs []value.Value
		for _, x := range xs {
			vs = append(vs, value.U8(x))
		}
		return value.List(vs...)
	}
	u16s := func(xs ...uint16) value.Value {
		var vs []value.Value
		for _, x := range xs {
			vs = append(vs, value.U16(x))
		}
		return value.List(vs...)
	}
	u32s := func(xs ...uint32) value.Value {
		var vs []value.Value
		for _, x := range xs {
			vs = append(vs, value.U32(x))
		}
		return value.List(vs...)
	}
	fl9, fl17, fl32 := tFlags(labels(9)...), tFlags(labels(17)...), tFlags(labels(32)...)
	cases := []specCase{
		{typ: tList(tBool), want: &bools, flat: []uint64{0, 3}, mem: []byte{1, 0, 1}},
		{typ: tList(tBool), want: &bools, flat: []uint64{0, 3}, mem: []byte{1, 0, 2}},
		{typ: tList(tBool), want: &bools, flat: []uint64{3, 3}, mem: []byte{0xff, 0xff, 0xff, 1, 0, 1}},
		{typ: tList(tU8), want: ptr(u8s(1, 2, 3)), flat: []uint64{0, 3}, mem: []byte{1, 2, 3}},
		{typ: tList(tU16), want: ptr(u16s(1, 2, 3)), flat: []uint64{0, 3}, mem: []byte{1, 0, 2, 0, 3, 0}},
		{typ: tList(tU16), flat: []uint64{1, 3}, mem: []byte{0, 1, 0, 2, 0, 3, 0}},
		{typ: tList(tU32), want: ptr(u32s(1, 2, 3)), flat: []uint64{0, 3}, mem: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}},
		{typ: tList(tU64), want: ptr(value.List(value.U64(1), value.U64(2))), flat: []uint64{0, 2},
			mem: []byte{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}},
		{typ: tList(tS8), want: ptr(value.List(value.S8(-1), value.S8(-2), value.S8(-3))), flat: []uint64{0, 3}, mem: []byte{0xff, 0xfe, 0xfd}},
		{typ: tList(tS16), want: ptr(value.List(value.S16(-1), value.S16(-2), value.S16(-3))), flat: []uint64{0, 3},
			mem: []byte{0xff, 0xff, 0xfe, 0xff, 0xfd, 0xff}},
		{typ: tList(tS32), want: ptr(value.List(value.S32(-1), value.S32(-2), value.S32(-3))), flat: []uint64{0, 3},
			mem: []byte{0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0xff, 0xff, 0xff}},
		{typ: tList(tS64), want: ptr(value.List(value.S64(-1), value.S64(-2))), flat: []uint64{0, 2},
			mem: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{typ: tList(tChar), want: ptr(value.List(value.Char('A'), value.Char('B'), value.Char('c'))), flat: []uint64{0, 3},
			mem: []byte{65, 0, 0, 0, 66, 0, 0, 0, 99, 0, 0, 0}},
		{typ: tList(tString), want: ptr(value.List(vs("hi"), vs("wat"))), flat: []uint64{0, 2},
			mem: []byte{16, 0, 0, 0, 2, 0, 0, 0, 21, 0, 0, 0, 3, 0, 0, 0, 'h', 'i', 0xf, 0xf, 0xf, 'w', 'a', 't'}},
		{typ: tList(tList(tU8)), want: ptr(value.List(u8s(3, 4, 5), u8s(), u8s(6, 7))), flat: []uint64{0, 3},
			mem: []byte{24, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 27, 0, 0, 0, 2, 0, 0, 0, 3, 4, 5, 6, 7}},
		{typ: tList(tList(tU16)), want: ptr(value.List(u16s(5, 6))), flat: []uint64{0, 1},
			mem: []byte{8, 0, 0, 0, 2, 0, 0, 0, 5, 0, 6, 0}},
		{typ: tList(tList(tU16)), flat: []uint64{0, 1}, mem: []byte{9, 0, 0, 0, 2, 0, 0, 0, 0, 5, 0, 6, 0}},
		{typ: tList(tArray(tU8, 2)), want: ptr(value.List(u8s(1, 2), u8s(3, 4))), flat: []uint64{0, 2}, mem: []byte{1, 2, 3, 4}},
		{typ: tList(tArray(tU32, 2)), want: ptr(value.List(u32s(1, 2), u32s(3, 4))), flat: []uint64{0, 2},
			mem: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0}},
		{typ: tList(tArray(tU32, 2)), flat: []uint64{1, 2}, mem: []byte{0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0}},
		{typ: tList(tTuple(tU8, tU8, tU16, tU32)),
			want: ptr(value.List(tup(vu8(6), vu8(7), value.U16(8), value.U32(9)), tup(vu8(4), vu8(5), value.U16(6), value.U32(7)))),
			flat: []uint64{0, 2}, mem: []byte{6, 7, 8, 0, 9, 0, 0, 0, 4, 5, 6, 0, 7, 0, 0, 0}},
		{typ: tList(tTuple(tU8, tU16, tU8, tU32)),
			want: ptr(value.List(tup(vu8(6), value.U16(7), vu8(8), value.U32(9)), tup(vu8(4), value.U16(5), vu8(6), value.U32(7)))),
			flat: []uint64{0, 2}, mem: []byte{6, 0xff, 7, 0, 8, 0xff, 0xff, 0xff, 9, 0, 0, 0, 4, 0xff, 5, 0, 6, 0xff, 0xff, 0xff, 7, 0, 0, 0}},
		{typ: tList(tTuple(tU16, tU8)), want: ptr(value.List(tup(value.U16(6), vu8(7)), tup(value.U16(8), vu8(9)))),
			flat: []uint64{0, 2}, mem: []byte{6, 0, 7, 0xff, 8, 0, 9, 0xff}},
		{typ: tList(tTuple(tTuple(tU16, tU8), tU8)),
			want: ptr(value.List(tup(tup(value.U16(4), vu8(5)), vu8(6)), tup(tup(value.U16(7), vu8(8)), vu8(9)))),
			flat: []uint64{0, 2}, mem: []byte{4, 0, 5, 0xff, 6, 0xff, 7, 0, 8, 0xff, 9, 0xff}},
		{typ: tList(tFlags("a", "b")), want: ptr(value.List(value.Flags(0), value.Flags(2), value.Flags(3))), flat: []uint64{0, 3}, mem: []byte{0, 2, 3}},
		{typ: tList(tFlags("a", "b")), want: ptr(value.List(value.Flags(0), value.Flags(2), value.Flags(0))), flat: []uint64{0, 3}, mem: []byte{0, 2, 4}},
		{typ: tList(fl9), want: ptr(value.List(value.Flags(0x1ff), value.Flags(0))), flat: []uint64{0, 2}, mem: []byte{0xff, 0x1, 0, 0}},
		{typ: tList(fl9), want: ptr(value.List(value.Flags(0x1ff), value.Flags(0))), flat: []uint64{0, 2}, mem: []byte{0xff, 0x3, 0, 0}},
		{typ: tList(fl17), want: ptr(value.List(value.Flags(0x1ffff), value.Flags(0))), flat: []uint64{0, 2}, mem: []byte{0xff, 0xff, 0x1, 0, 0, 0, 0, 0}},
		{typ: tList(fl17), want: ptr(value.List(value.Flags(0x1ffff), value.Flags(0))), flat: []uint64{0, 2}, mem: []byte{0xff, 0xff, 0x3, 0, 0, 0, 0, 0}},
		{typ: tList(fl32), want: ptr(value.List(value.Flags(0xffffffff), value.Flags(0))), flat: []uint64{0, 2}, mem: []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}},
		// map<u8, u16> despecializes to list<tuple<u8, u16>> (wit has
		// no map kind; a decoder hands maps over as that list).
		{typ: tList(tTuple(tU8, tU16)), want: ptr(value.List(tup(vu8(42), value.U16(83)), tup(vu8(43), value.U16(84)))),
			flat: []uint64{0, 2}, mem: []byte{42, 0xff, 83, 0, 43, 0xff, 84, 0}},
	}
	for i, c := range cases {
		c.name = "heap case " + string(rune('0'+i/10)) + string(rune('0'+i%10)) + " " + typeName(c.typ)
		runSpecCase(t, c)
	}
}

func TestSpecFlatten(t *testing.T) {
	i32, f32, f64 := I32, F32, F64
	u8x := func(n int) []*wit.Type {
		ts := make([]*wit.Type, n)
		for i := range ts {
			ts[i] = tU8
		}
		return ts
	}
	rep := func(c CoreType, n int) []CoreType {
		cs := make([]CoreType, n)
		for i := range cs {
			cs[i] = c
		}
		return cs
	}
	for _, c := range []struct {
		params, results []*wit.Type
		fp, fr          []CoreType
	}{
		{[]*wit.Type{tU8, tF32, tF64}, nil, []CoreType{i32, f32, f64}, nil},
		{[]*wit.Type{tU8, tF32, tF64}, []*wit.Type{tF32}, []CoreType{i32, f32, f64}, []CoreType{f32}},
		{[]*wit.Type{tU8, tF32, tF64}, []*wit.Type{tU8}, []CoreType{i32, f32, f64}, []CoreType{i32}},
		{[]*wit.Type{tU8, tF32, tF64}, []*wit.Type{tTuple(tF32)}, []CoreType{i32, f32, f64}, []CoreType{f32}},
		{[]*wit.Type{tU8, tF32, tF64}, []*wit.Type{tTuple(tF32, tF32)}, []CoreType{i32, f32, f64}, []CoreType{f32, f32}},
		{[]*wit.Type{tU8, tF32, tF64}, []*wit.Type{tF32, tF32}, []CoreType{i32, f32, f64}, []CoreType{f32, f32}},
		{u8x(17), nil, rep(i32, 17), nil},
		{u8x(17), []*wit.Type{tTuple(tU8, tU8)}, rep(i32, 17), []CoreType{i32, i32}},
	} {
		// test_flatten: the expectation before the limits are applied.
		wantP, wantR := append([]CoreType{}, c.fp...), append([]CoreType{}, c.fr...)
		if len(wantP) > MaxFlatParams {
			wantP = []CoreType{I32}
		}
		liftR := wantR
		if len(wantR) > MaxFlatResults {
			liftR = []CoreType{I32}
		}
		got, err := Flatten(c.params, c.results, CanonLift)
		if err != nil || !equalCore(got.Params, wantP) || !equalCore(got.Results, liftR) {
			t.Errorf("lift %v → %v: got %v, %v", c.fp, c.fr, got, err)
		}
		lowerP, lowerR := wantP, wantR
		if len(wantR) > MaxFlatResults {
			lowerP, lowerR = append(append([]CoreType{}, wantP...), I32), []CoreType{}
		}
		got, err = Flatten(c.params, c.results, CanonLower)
		if err != nil || !equalCore(got.Params, lowerP) || !equalCore(got.Results, lowerR) {
			t.Errorf("lower %v → %v: got %v, %v", c.fp, c.fr, got, err)
		}
	}
}

func equalCore(a, b []CoreType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// echoGuest is a guest core function that returns its arguments: it lifts
// them as its own compiled code would read them and lowers them as results.
func echoGuest(cx *CallContext, ft FuncType) CoreFunc {
	return func(flat []uint64) ([]uint64, error) {
		g := &CallContext{Context: cx.Context, Opts: cx.Opts, Inst: NewInstance("guest-code")}
		vals, err := LiftFlatValues(g, MaxFlatParams, NewCoreValues(flat), ft.Params)
		if err != nil {
			return nil, err
		}
		return LowerFlatValues(g, MaxFlatResults, vals, ft.Results, nil)
	}
}

// TestSpecRoundtrips is run_tests.py's test_roundtrips: a value through
// canon lift of a function returning its argument (here through a guest
// with MaxFlatResults = 1, so multi-value results are spilled).
func TestSpecRoundtrips(t *testing.T) {
	u32x16 := make([]*wit.Type, 16)
	var vals16 []value.Value
	for i := range u32x16 {
		u32x16[i] = tU32
		vals16 = append(vals16, value.U32(uint32(i+1)))
	}
	for _, c := range []struct {
		t *wit.Type
		v value.Value
	}{
		{tS8, value.S8(-1)},
		{tTuple(tU16, tU16), tup(value.U16(3), value.U16(4))},
		{tList(tString), value.List(vs("hello there"))},
		{tList(tList(tString)), value.List(value.List(vs("one"), vs("two")), value.List(vs("three")))},
		{tList(tOption(tTuple(tString, tU16))), value.List(value.Some(tup(vs("answer"), value.U16(42))))},
		{tVariant(cas("x", tTuple(append(append([]*wit.Type{}, u32x16...), tString)...))),
			value.Variant(0, tup(append(append([]value.Value{}, vals16...), vs("wat"))...))},
	} {
		h := newHeap(make([]byte, 1000))
		cx := NewExportCall(context.Background(), h.opts(UTF8), NewInstance("callee"), nil)
		ft := FuncType{Params: []*wit.Type{c.t}, Results: []*wit.Type{c.t}}
		got, err := CallExport(cx, ft, []value.Value{c.v}, echoGuest(cx, ft))
		if err != nil {
			t.Fatalf("%v: %v", c.v, err)
		}
		if len(got) != 1 || !got[0].Equal(c.v) {
			t.Fatalf("roundtrip %v: got %v", c.v, got)
		}
		if err := value.Check(got[0], c.t); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSpecHandles is run_tests.py's test_handles.
func TestSpecHandles(t *testing.T) {
	var dtorValue *uint32
	dtor := func(_ context.Context, rep uint32) error { dtorValue = &rep; return nil }
	inst := NewInstance("inst")
	rt := &ResourceType{Name: "rt", Impl: NewInstance("impl"), Dtor: dtor} // usable in imports and exports
	rt2 := &ResourceType{Name: "rt2", Impl: inst, Dtor: dtor}              // only usable in exports
	r1, r2 := tResource("r"), tResource("r2")
	resolve := func(r *wit.Type) (*ResourceType, error) {
		switch r {
		case r1:
			return rt, nil
		case r2:
			return rt2, nil
		}
		return nil, errors.New("unknown resource")
	}
	mem := newHeap(make([]byte, 64))
	opts := mem.opts(UTF8)
	ctx := context.Background()

	hostImport := func(args []value.Value) ([]value.Value, error) {
		if len(args) != 2 || args[0].Handle() != 42 || args[1].Handle() != 44 {
			t.Fatalf("host import args %v", args)
		}
		return []value.Value{value.Own(45)}, nil
	}
	mustRep := func(i, want uint32) {
		t.Helper()
		got, err := inst.ResourceRep(rt, i)
		if err != nil || got != want {
			t.Fatalf("rep(%d) = %d, %v; want %d", i, got, err, want)
		}
	}
	core := func(args []uint64) ([]uint64, error) {
		if len(args) != 4 || inst.Handles.Len() != 4 || inst.Handles.entries[0] != nil {
			t.Fatalf("core args %v, table %d", args, inst.Handles.Len())
		}
		if args[0] != 1 || args[1] != 2 || args[2] != 3 || args[3] != 13 {
			t.Fatalf("core args %v", args)
		}
		mustRep(1, 42)
		mustRep(2, 43)
		mustRep(3, 44)
		hostFT := FuncType{Params: []*wit.Type{tBorrow(r1), tBorrow(r1)}, Results: []*wit.Type{tOwn(r1)}}
		res, err := CallImport(NewImportCall(ctx, &Options{}, inst, resolve), hostFT, []uint64{1, 3}, hostImport)
		if err != nil || len(res) != 1 || res[0] != 4 {
			t.Fatalf("import: %v, %v", res, err)
		}
		mustRep(4, 45)
		dtorValue = nil
		if err := inst.ResourceDrop(ctx, rt, 1); err != nil {
			t.Fatal(err)
		}
		if dtorValue == nil || *dtorValue != 42 || inst.Handles.Len() != 5 || inst.Handles.entries[1] != nil || len(inst.Handles.free) != 1 {
			t.Fatalf("after drop 1: dtor %v, table %d, free %v", dtorValue, inst.Handles.Len(), inst.Handles.free)
		}
		h, err := inst.ResourceNew(rt, 46)
		if err != nil || h != 1 || inst.Handles.Len() != 5 || len(inst.Handles.free) != 0 {
			t.Fatalf("new: %d, %v", h, err)
		}
		dtorValue = nil
		if err := inst.ResourceDrop(ctx, rt, 3); err != nil {
			t.Fatal(err)
		}
		if dtorValue != nil || inst.Handles.entries[3] != nil || len(inst.Handles.free) != 1 {
			t.Fatalf("after drop 3: dtor %v, free %v", dtorValue, inst.Handles.free)
		}
		// Three results spill: the guest returns a pointer to them.
		binary.LittleEndian.PutUint32(mem.mem[0:], 1)
		binary.LittleEndian.PutUint32(mem.mem[4:], 2)
		binary.LittleEndian.PutUint32(mem.mem[8:], 4)
		return []uint64{0}, nil
	}
	ft := FuncType{
		Params:  []*wit.Type{tOwn(r1), tOwn(r1), tBorrow(r1), tBorrow(r2)},
		Results: []*wit.Type{tTuple(tOwn(r1), tOwn(r1), tOwn(r1))},
	}
	got, err := CallExport(NewExportCall(ctx, opts, inst, resolve), ft,
		[]value.Value{value.Own(42), value.Own(43), value.Borrow(44), value.Borrow(13)}, core)
	if err != nil {
		t.Fatal(err)
	}
	want := tup(value.Own(46), value.Own(43), value.Own(45))
	if len(got) != 1 || !got[0].Equal(want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	if inst.Handles.Len() != 5 || len(inst.Handles.free) != 4 {
		t.Fatalf("table %d, free %v", inst.Handles.Len(), inst.Handles.free)
	}
	for i := range 5 {
		if inst.Handles.entries[i] != nil {
			t.Fatalf("entry %d left", i)
		}
	}
}

// TestSpecCrossComponentRealloc is run_tests.py's
// test_cross_component_realloc: a consumer's lowered import returning a
// list<u8> from a producer calls the consumer's realloc exactly once, while
// the consumer may not leave.
func TestSpecCrossComponentRealloc(t *testing.T) {
	ctx := context.Background()
	producerHeap, consumerHeap := newHeap(make([]byte, 16)), newHeap(make([]byte, 24))
	producer, consumer := NewInstance("producer"), NewInstance("consumer")
	ft := FuncType{Results: []*wit.Type{tList(tU8)}}
	coreProducer := func(args []uint64) ([]uint64, error) {
		buf, _ := producerHeap.realloc(ctx, 0, 0, 1, 3)
		copy(producerHeap.mem[buf:], []byte{0x0a, 0x0b, 0x0c})
		retp, _ := producerHeap.realloc(ctx, 0, 0, 4, 8)
		binary.LittleEndian.PutUint32(producerHeap.mem[retp:], buf)
		binary.LittleEndian.PutUint32(producerHeap.mem[retp+4:], 3)
		return []uint64{uint64(retp)}, nil
	}
	calls := 0
	consumerOpts := &Options{Memory: consumerHeap, Realloc: func(ctx context.Context, a, b, c, d uint32) (uint32, error) {
		calls++
		if consumer.MayLeave {
			t.Error("consumer may leave during its realloc")
		}
		return consumerHeap.realloc(ctx, a, b, c, d)
	}}
	retp, _ := consumerHeap.realloc(ctx, 0, 0, 4, 8)
	out, err := CallImport(NewImportCall(ctx, consumerOpts, consumer, nil), ft, []uint64{uint64(retp)},
		func(args []value.Value) ([]value.Value, error) {
			return CallExport(NewExportCall(ctx, &Options{Memory: producerHeap}, producer, nil), ft, args, coreProducer)
		})
	if err != nil || len(out) != 0 {
		t.Fatal(out, err)
	}
	if calls != 1 {
		t.Fatalf("%d realloc calls", calls)
	}
	p, n := binary.LittleEndian.Uint32(consumerHeap.mem[retp:]), binary.LittleEndian.Uint32(consumerHeap.mem[retp+4:])
	if n != 3 || !bytes.Equal(consumerHeap.mem[p:p+3], []byte{0x0a, 0x0b, 0x0c}) {
		t.Fatalf("consumer got %x", consumerHeap.mem[p:p+n])
	}
	if !consumer.MayLeave {
		t.Fatal("consumer may not leave after the call")
	}
}
