package abi

import (
	"fmt"
	"math"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Scalars are the types whose value is one flat core value and needs
// neither memory nor a handle table: bool, the integers, f32, f64, char,
// enum and flags. Their lift_flat and lower_flat (definitions.py) are here,
// once: the general path (liftFlat, lowerFlat), the component layer's
// calls of scalar functions and the runner's typed fast path all use them.
//
// A scalar's flat value is a uint64 as wazero represents core values (see
// api.EncodeI32, api.EncodeF32 …): a 32-bit type in the low 32 bits (the
// high bits zero), s8/s16/s32 as their int32 two's complement, f32 and f64
// as their IEEE bits, char as its code point, enum as its case index,
// flags as their bit set, bool as 0 or 1. This is what LowerFlatValues
// produces for them.

// Slot is one flat core value of a ScalarSig: the scalar kind and, for an
// enum or flags, its number of cases or flags.
type Slot struct {
	Kind wit.Kind
	N    uint32
	c    scode // Kind as a small integer (0: not computed)
}

// scode is a scalar kind as a small integer, switched on per call; the
// first twelve are the layout kinds'.
type scode uint8

const (
	cBool  = scode(lBool)
	cS8    = scode(lS8)
	cU8    = scode(lU8)
	cS16   = scode(lS16)
	cU16   = scode(lU16)
	cS32   = scode(lS32)
	cU32   = scode(lU32)
	cS64   = scode(lS64)
	cU64   = scode(lU64)
	cF32   = scode(lF32)
	cF64   = scode(lF64)
	cChar  = scode(lChar)
	cEnum  = scode(lBorrow) + 1
	cFlags = scode(lBorrow) + 2
)

// scodeOf is the code of a scalar kind, 0 for other kinds (a switch:
// nothing is built at start-up).
func scodeOf(k wit.Kind) scode {
	switch k {
	case wit.Bool:
		return cBool
	case wit.S8:
		return cS8
	case wit.U8:
		return cU8
	case wit.S16:
		return cS16
	case wit.U16:
		return cU16
	case wit.S32:
		return cS32
	case wit.U32:
		return cU32
	case wit.S64:
		return cS64
	case wit.U64:
		return cU64
	case wit.F32:
		return cF32
	case wit.F64:
		return cF64
	case wit.Char:
		return cChar
	case wit.Enum:
		return cEnum
	case wit.Flags:
		return cFlags
	}
	return 0
}

func (s Slot) code() scode {
	if s.c != 0 {
		return s.c
	}
	return scodeOf(s.Kind)
}

// SlotOf returns the slot of a scalar type (ok false for any other type).
func SlotOf(t *wit.Type) (s Slot, ok bool) {
	if t == nil {
		return Slot{}, false
	}
	c := scodeOf(t.Kind)
	switch {
	case c == 0:
		return Slot{}, false
	case c == cEnum && len(t.Labels) == 0, c == cFlags && (len(t.Labels) == 0 || len(t.Labels) > 32):
		return Slot{}, false
	case c == cEnum || c == cFlags:
		return Slot{Kind: t.Kind, N: uint32(len(t.Labels)), c: c}, true
	}
	return Slot{Kind: t.Kind, c: c}, true
}

// ScalarSig is the flat signature of a function whose parameters are
// scalars or records and tuples of scalars (flattening to at most
// MaxFlatParams core values) and whose result is none or one scalar: a
// call of it passes core values only, with no memory, realloc or handle
// table involved.
type ScalarSig struct {
	// Params has one slot per flat parameter (a record's fields in order).
	Params []Slot
	// Result is the result's slot when HasResult.
	Result    Slot
	HasResult bool
}

// NewScalarSig returns the scalar signature of ft, or an error saying why
// it has none.
func NewScalarSig(ft FuncType) (*ScalarSig, error) {
	s := &ScalarSig{}
	for i, p := range ft.Params {
		var err error
		if s.Params, err = appendSlots(s.Params, p, 0); err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i, err)
		}
		if len(s.Params) > MaxFlatParams {
			return nil, fmt.Errorf("the parameters flatten to more than %d core values (they are passed in memory)", MaxFlatParams)
		}
	}
	switch len(ft.Results) {
	case 0:
	case 1:
		r, ok := SlotOf(ft.Results[0])
		if !ok {
			return nil, fmt.Errorf("the result %s is not a scalar", typeName(ft.Results[0]))
		}
		s.Result, s.HasResult = r, true
	default:
		return nil, fmt.Errorf("%d results", len(ft.Results))
	}
	return s, nil
}

func appendSlots(out []Slot, t *wit.Type, depth int) ([]Slot, error) {
	if t == nil {
		return out, fmt.Errorf("missing type")
	}
	if s, ok := SlotOf(t); ok {
		return append(out, s), nil
	}
	if depth > maxTypeDepth {
		return out, fmt.Errorf("type nested deeper than %d", maxTypeDepth)
	}
	var members []*wit.Type
	switch t.Kind {
	case wit.Record:
		for _, f := range t.Fields {
			members = append(members, f.Type)
		}
	case wit.Tuple:
		members = t.Elems
	default:
		return out, fmt.Errorf("%s is neither a scalar nor a record or tuple of scalars", typeName(t))
	}
	if len(members) == 0 {
		return out, fmt.Errorf("%s has no fields", typeName(t))
	}
	for _, m := range members {
		var err error
		if out, err = appendSlots(out, m, depth+1); err != nil {
			return out, err
		}
		if len(out) > MaxFlatParams {
			return out, nil // the caller reports it
		}
	}
	return out, nil
}

// Lift is lift_flat of the slot's type: it returns the flat value x that
// the guest produced, normalized (small integers truncated or sign
// extended, bool as 0 or 1, NaN canonicalized, flags masked), or a *Trap
// for an invalid char or enum case.
func (s Slot) Lift(x uint64) (uint64, error) {
	switch s.code() {
	case cBool:
		if uint32(x) != 0 {
			return 1, nil
		}
		return 0, nil
	case cS8:
		return uint64(uint32(int32(int8(x)))), nil
	case cU8:
		return x & 0xff, nil
	case cS16:
		return uint64(uint32(int32(int16(x)))), nil
	case cU16:
		return x & 0xffff, nil
	case cS32, cU32:
		return uint64(uint32(x)), nil
	case cS64, cU64:
		return x, nil
	case cF32:
		return uint64(canonF32(uint32(x))), nil
	case cF64:
		return canonF64(x), nil
	case cChar:
		c := uint32(x)
		if !validChar(uint64(c)) {
			return 0, trap(TrapInvalidChar)
		}
		return uint64(c), nil
	case cEnum:
		if uint32(x) >= s.N {
			return 0, trap(TrapInvalidDiscriminant)
		}
		return uint64(uint32(x)), nil
	case cFlags:
		return uint64(uint32(x) & flagMask(s.N)), nil
	}
	return 0, fmt.Errorf("abi: %s is not a scalar", s.Kind)
}

// Lower is lower_flat of the slot's type for a flat value x the host
// gives: it checks that x is a value of the type (an error, not a trap,
// when it is not: a bad argument) and canonicalizes NaN.
func (s Slot) Lower(x uint64) (uint64, error) {
	ok := true
	switch s.code() {
	case cBool:
		ok = x <= 1
	case cS8:
		ok = x>>32 == 0 && int32(x) == int32(int8(x))
	case cU8:
		ok = x <= math.MaxUint8
	case cS16:
		ok = x>>32 == 0 && int32(x) == int32(int16(x))
	case cU16:
		ok = x <= math.MaxUint16
	case cS32, cU32:
		ok = x>>32 == 0
	case cS64, cU64:
	case cF32:
		if x>>32 != 0 {
			ok = false
			break
		}
		return uint64(canonF32(uint32(x))), nil
	case cF64:
		return canonF64(x), nil
	case cChar:
		ok = validChar(x)
	case cEnum:
		ok = x < uint64(s.N)
	case cFlags:
		ok = x>>32 == 0 && uint32(x)&^flagMask(s.N) == 0
	default:
		return 0, fmt.Errorf("abi: %s is not a scalar", s.Kind)
	}
	if !ok {
		return 0, fmt.Errorf("%#x is not the flat value of a %s", x, s)
	}
	return x, nil
}

// String names the slot's type ("u8", "enum (3 cases)").
func (s Slot) String() string {
	switch s.Kind {
	case wit.Enum:
		return fmt.Sprintf("enum (%d cases)", s.N)
	case wit.Flags:
		return fmt.Sprintf("flags (%d)", s.N)
	}
	return string(s.Kind)
}

// LiftScalar is lift_flat of a scalar into a value: x is the flat value the
// guest produced (see Slot.Lift).
func LiftScalar(x uint64, s Slot) (value.Value, error) {
	x, err := s.Lift(x)
	if err != nil {
		return value.Value{}, err
	}
	return ScalarValue(x, s), nil
}

// ScalarValue returns the value whose normalized flat value is x (one that
// Slot.Lift or Slot.Lower returned).
func ScalarValue(x uint64, s Slot) value.Value {
	switch s.code() {
	case cBool:
		return value.Bool(x != 0)
	case cS8:
		return value.S8(int8(x))
	case cU8:
		return value.U8(uint8(x))
	case cS16:
		return value.S16(int16(x))
	case cU16:
		return value.U16(uint16(x))
	case cS32:
		return value.S32(int32(x))
	case cU32:
		return value.U32(uint32(x))
	case cS64:
		return value.S64(int64(x))
	case cU64:
		return value.U64(x)
	case cF32:
		return value.F32(math.Float32frombits(uint32(x)))
	case cF64:
		return value.F64(math.Float64frombits(x))
	case cChar:
		return value.Char(rune(x))
	case cEnum:
		return value.Enum(int(x))
	case cFlags:
		return value.Flags(x)
	}
	return value.Value{}
}

// LowerScalar is lower_flat of a scalar value: its flat value, or an error
// when v is not a value of the slot's type (an invalid char, an enum case
// or flag out of range).
func LowerScalar(v value.Value, s Slot) (uint64, error) {
	if v.Kind() != s.Kind {
		return 0, fmt.Errorf("abi: lower: a %s value for a %s", v.Kind(), s)
	}
	b := v.Bits()
	switch s.code() {
	case cBool:
		if b != 0 {
			return 1, nil
		}
		return 0, nil
	case cS8, cU8, cS16, cU16, cS32, cU32:
		// Signed values are sign-extended in Bits; the core i32 is their
		// low 32 bits.
		return uint64(uint32(b)), nil
	case cF32:
		return uint64(canonF32(uint32(b))), nil
	case cF64:
		return canonF64(b), nil
	}
	return s.Lower(b)
}

func validChar(c uint64) bool { return c < 0x110000 && (c < 0xD800 || c > 0xDFFF) }

// canonF32 and canonF64 canonicalize NaN, as lift_flat and lower_flat of
// floats do (the deterministic profile).
func canonF32(bits uint32) uint32 {
	if f := math.Float32frombits(bits); f != f {
		return CanonicalNaN32
	}
	return bits
}

func canonF64(bits uint64) uint64 {
	if f := math.Float64frombits(bits); f != f {
		return CanonicalNaN64
	}
	return bits
}
