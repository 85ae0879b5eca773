package abi

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

var scalarSlots = []Slot{
	{Kind: wit.Bool}, {Kind: wit.S8}, {Kind: wit.U8}, {Kind: wit.S16}, {Kind: wit.U16},
	{Kind: wit.S32}, {Kind: wit.U32}, {Kind: wit.S64}, {Kind: wit.U64}, {Kind: wit.F32},
	{Kind: wit.F64}, {Kind: wit.Char}, {Kind: wit.Enum, N: 3}, {Kind: wit.Flags, N: 5},
}

// TestSlotLift ports lift_flat's cases for scalars (definitions.py,
// run_tests.py's test_pairs of i32/i64 core values).
func TestSlotLift(t *testing.T) {
	tests := []struct {
		s        Slot
		in, want uint64
		trap     TrapCode
	}{
		{Slot{Kind: wit.Bool}, 0, 0, 0},
		{Slot{Kind: wit.Bool}, 2, 1, 0},
		{Slot{Kind: wit.Bool}, 1 << 32, 0, 0}, // i32: the high bits are not the value
		{Slot{Kind: wit.U8}, 0x1ff, 0xff, 0},
		{Slot{Kind: wit.S8}, 0x80, 0xffffff80, 0},
		{Slot{Kind: wit.S8}, 0x17f, 0x7f, 0},
		{Slot{Kind: wit.U16}, 0x12345, 0x2345, 0},
		{Slot{Kind: wit.S16}, 0x8000, 0xffff8000, 0},
		{Slot{Kind: wit.U32}, 0x1_0000_0005, 5, 0},
		{Slot{Kind: wit.S64}, math.MaxUint64, math.MaxUint64, 0},
		{Slot{Kind: wit.F32}, 0x7fc00001, CanonicalNaN32, 0},
		{Slot{Kind: wit.F32}, 0xff800000, 0xff800000, 0}, // -inf
		{Slot{Kind: wit.F64}, 0xfff0000000000001, CanonicalNaN64, 0},
		{Slot{Kind: wit.Char}, 0x10ffff, 0x10ffff, 0},
		{Slot{Kind: wit.Char}, 0xd800, 0, TrapInvalidChar},
		{Slot{Kind: wit.Char}, 0x110000, 0, TrapInvalidChar},
		{Slot{Kind: wit.Enum, N: 3}, 2, 2, 0},
		{Slot{Kind: wit.Enum, N: 3}, 3, 0, TrapInvalidDiscriminant},
		{Slot{Kind: wit.Flags, N: 5}, 0xff, 0x1f, 0},
		{Slot{Kind: wit.Flags, N: 32}, math.MaxUint64, math.MaxUint32, 0},
	}
	for _, tc := range tests {
		got, err := tc.s.Lift(tc.in)
		var tr *Trap
		switch {
		case tc.trap != 0:
			if !errors.As(err, &tr) || tr.Code != tc.trap {
				t.Errorf("%s.Lift(%#x): got %#x, %v; want trap %d", tc.s, tc.in, got, err, tc.trap)
			}
		case err != nil || got != tc.want:
			t.Errorf("%s.Lift(%#x) = %#x, %v; want %#x", tc.s, tc.in, got, err, tc.want)
		}
	}
}

// TestSlotLower: a host's flat value must be a value of the type.
func TestSlotLower(t *testing.T) {
	tests := []struct {
		s   Slot
		in  uint64
		out uint64
		bad bool
	}{
		{s: Slot{Kind: wit.Bool}, in: 1, out: 1},
		{s: Slot{Kind: wit.Bool}, in: 2, bad: true},
		{s: Slot{Kind: wit.U8}, in: 255, out: 255},
		{s: Slot{Kind: wit.U8}, in: 256, bad: true},
		{s: Slot{Kind: wit.S8}, in: 0xffffff80, out: 0xffffff80},
		{s: Slot{Kind: wit.S8}, in: 0x80, bad: true},
		{s: Slot{Kind: wit.S8}, in: math.MaxUint64, bad: true}, // i64 sign extension is not an i32
		{s: Slot{Kind: wit.S16}, in: 0xffff8000, out: 0xffff8000},
		{s: Slot{Kind: wit.U16}, in: 0x10000, bad: true},
		{s: Slot{Kind: wit.U32}, in: 1 << 32, bad: true},
		{s: Slot{Kind: wit.U64}, in: math.MaxUint64, out: math.MaxUint64},
		{s: Slot{Kind: wit.F32}, in: 0xffc00001, out: CanonicalNaN32},
		{s: Slot{Kind: wit.F32}, in: 1 << 32, bad: true},
		{s: Slot{Kind: wit.F64}, in: 0x7ff0000000000001, out: CanonicalNaN64},
		{s: Slot{Kind: wit.Char}, in: 0xdfff, bad: true},
		{s: Slot{Kind: wit.Enum, N: 3}, in: 3, bad: true},
		{s: Slot{Kind: wit.Flags, N: 5}, in: 0x20, bad: true},
		{s: Slot{Kind: wit.Flags, N: 5}, in: 0x1f, out: 0x1f},
		{s: Slot{Kind: wit.String}, in: 0, bad: true},
	}
	for _, tc := range tests {
		got, err := tc.s.Lower(tc.in)
		if tc.bad != (err != nil) || !tc.bad && got != tc.out {
			t.Errorf("%s.Lower(%#x) = %#x, %v; want %#x (bad %v)", tc.s, tc.in, got, err, tc.out, tc.bad)
		}
	}
}

// TestScalarValues: LiftScalar and LowerScalar are inverse on lifted
// values, and agree with the general path (LiftFlatValues).
func TestScalarValues(t *testing.T) {
	for _, s := range scalarSlots {
		for _, x := range []uint64{0, 1, 2, 0x7f, 0x80, 0xff, 0x8000, 0xd800, 0x7fc00001, 1 << 31, math.MaxUint32, math.MaxUint64} {
			v, err := LiftScalar(x, s)
			if err != nil {
				continue
			}
			back, err := LowerScalar(v, s)
			want, _ := s.Lift(x)
			if err != nil || back != want {
				t.Errorf("%s %#x: lifted %v, lowered %#x, %v; want %#x", s, x, v, back, err, want)
			}
			typ := &wit.Type{Kind: s.Kind}
			for k := uint32(0); k < s.N; k++ {
				typ.Labels = append(typ.Labels, string(rune('a'+k)))
			}
			vs, err := LiftFlatValues(&CallContext{}, MaxFlatParams, NewCoreValues([]uint64{x}), []*wit.Type{typ})
			if err != nil || !vs[0].Equal(v) {
				t.Errorf("%s %#x: general path %v, %v; scalar path %v", s, x, vs, err, v)
			}
		}
	}
}

func TestNewScalarSig(t *testing.T) {
	rec := tRecord(fld("a", tU8), fld("b", tTuple(tU64, tF32)))
	tests := []struct {
		ft     FuncType
		params int
		err    string
	}{
		{ft: FuncType{Params: []*wit.Type{tU64}, Results: []*wit.Type{tU64}}, params: 1},
		{ft: FuncType{Params: []*wit.Type{rec, tBool}}, params: 4},
		{ft: FuncType{Params: []*wit.Type{tString}}, err: "string"},
		{ft: FuncType{Results: []*wit.Type{rec}}, err: "not a scalar"},
		{ft: FuncType{Params: []*wit.Type{tRecord(fld("a", tList(tU8)))}}, err: "list"},
		{ft: FuncType{Params: []*wit.Type{rec, rec, rec, rec, rec, rec}}, err: "more than 16"},
	}
	for _, tc := range tests {
		s, err := NewScalarSig(tc.ft)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: got %v, want an error saying %q", tc.ft, err, tc.err)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.ft, err)
		case len(s.Params) != tc.params:
			t.Errorf("%v: %d flat parameters, want %d", tc.ft, len(s.Params), tc.params)
		}
	}
}

// FuzzSlot: lifting any core value gives a value that lowering accepts
// unchanged, and never panics.
func FuzzSlot(f *testing.F) {
	f.Add(uint8(0), uint64(0))
	f.Add(uint8(1), uint64(0x80))
	f.Add(uint8(9), uint64(0x7fc00001))
	f.Add(uint8(11), uint64(0xd800))
	f.Fuzz(func(t *testing.T, k uint8, x uint64) {
		s := scalarSlots[int(k)%len(scalarSlots)]
		y, err := s.Lift(x)
		if err != nil {
			return
		}
		z, err := s.Lower(y)
		if err != nil || z != y {
			t.Fatalf("%s: Lift(%#x) = %#x, Lower gives %#x, %v", s, x, y, z, err)
		}
	})
}
