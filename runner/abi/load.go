package abi

import (
	"encoding/binary"
	"math"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Canonical NaNs: lifting a float turns every NaN into these
// (definitions.py's canonicalize_nan32/64), and, as in its deterministic
// profile, lowering writes them too.
const (
	CanonicalNaN32 = 0x7fc00000
	CanonicalNaN64 = 0x7ff8000000000000
)

// Load reads a value of type t stored at ptr in the guest's memory
// (definitions.py's load). ptr must be aligned for t and the value must lie
// in memory; otherwise Load traps. Owned handles in the value are removed
// from the instance's table (ownership moves to the caller).
func Load(cx *CallContext, ptr uint32, t *wit.Type) (value.Value, error) {
	l, err := cx.layoutOf(t)
	if err != nil {
		return value.Value{}, err
	}
	b, err := cx.region(ptr, l.align, l.size, TrapUnaligned, TrapOutOfBounds)
	if err != nil {
		return value.Value{}, err
	}
	return cx.load(l, b)
}

// region returns the size bytes at ptr after checking alignment and bounds,
// trapping with the given codes.
func (cx *CallContext) region(ptr, align, size uint32, unaligned, oob TrapCode) ([]byte, error) {
	mem, err := cx.memory()
	if err != nil {
		return nil, err
	}
	if ptr%align != 0 {
		return nil, trap(unaligned)
	}
	if uint64(ptr)+uint64(size) > uint64(mem.Size()) {
		return nil, trap(oob)
	}
	b, ok := mem.Read(ptr, size)
	if !ok || uint32(len(b)) < size {
		return nil, trap(oob)
	}
	return b, nil
}

func u16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
func u64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

// load decodes the value of layout l from b, which holds exactly l.size
// bytes of memory.
func (cx *CallContext) load(l *layout, b []byte) (value.Value, error) {
	switch l.k {
	case lBool:
		return value.Bool(b[0] != 0), nil
	case lU8:
		return value.U8(b[0]), nil
	case lS8:
		return value.S8(int8(b[0])), nil
	case lU16:
		return value.U16(u16(b)), nil
	case lS16:
		return value.S16(int16(u16(b))), nil
	case lU32:
		return value.U32(u32(b)), nil
	case lS32:
		return value.S32(int32(u32(b))), nil
	case lU64:
		return value.U64(u64(b)), nil
	case lS64:
		return value.S64(int64(u64(b))), nil
	case lF32:
		return liftF32(u32(b)), nil
	case lF64:
		return liftF64(u64(b)), nil
	case lChar:
		return liftChar(u32(b))
	case lString:
		return cx.loadStringFromRange(u32(b), u32(b[4:]))
	case lList:
		return cx.loadListFromRange(l.elem, u32(b), u32(b[4:]))
	case lArray:
		return cx.loadElems(l.elem, b, l.n)
	case lRecord:
		vs := cx.vals(len(l.fields))
		for i, f := range l.fields {
			v, err := cx.load(f.l, b[f.off:f.off+f.l.size])
			if err != nil {
				return value.Value{}, err
			}
			vs[i] = v
		}
		return mkRecord(l, vs), nil
	case lVariant:
		var c uint32
		switch l.disc {
		case 1:
			c = uint32(b[0])
		case 2:
			c = uint32(u16(b))
		default:
			c = u32(b)
		}
		if c >= uint32(len(l.cases)) {
			return value.Value{}, trap(TrapInvalidDiscriminant)
		}
		pl := l.cases[c]
		if pl == nil {
			return cx.mkCase(l, int(c), nil), nil
		}
		v, err := cx.load(pl, b[l.payOff:l.payOff+pl.size])
		if err != nil {
			return value.Value{}, err
		}
		return cx.mkCase(l, int(c), &v), nil
	case lFlags:
		var bits uint32
		switch l.size {
		case 1:
			bits = uint32(b[0])
		case 2:
			bits = uint32(u16(b))
		default:
			bits = u32(b)
		}
		return value.Flags(uint64(bits & flagMask(l.n))), nil
	case lOwn:
		return cx.liftOwn(l, u32(b))
	case lBorrow:
		return cx.liftBorrow(l, u32(b))
	}
	return value.Value{}, errKind(l)
}

func flagMask(n uint32) uint32 {
	if n >= 32 {
		return math.MaxUint32
	}
	return 1<<n - 1
}

func liftF32(bits uint32) value.Value { return value.F32(math.Float32frombits(canonF32(bits))) }

func liftF64(bits uint64) value.Value { return value.F64(math.Float64frombits(canonF64(bits))) }

func liftChar(i uint32) (value.Value, error) {
	return LiftScalar(uint64(i), Slot{Kind: wit.Char, c: cChar})
}

// mkRecord builds a record or tuple value, as the type is.
func mkRecord(l *layout, vs []value.Value) value.Value {
	if l.wk == wit.Tuple {
		return value.Tuple(vs...)
	}
	return value.Record(vs...)
}

// mkCase builds the value of case c of a variant-like type.
func (cx *CallContext) mkCase(l *layout, c int, payload *value.Value) value.Value {
	switch l.wk {
	case wit.Enum:
		return value.Enum(c)
	case wit.Option:
		if c == 0 {
			return value.None()
		}
		return value.Some(*payload)
	}
	var p []value.Value
	if payload != nil {
		p = cx.vals(1)
		p[0] = *payload
	}
	switch l.wk {
	case wit.Result:
		if c == 0 {
			return value.Ok(p...)
		}
		return value.Err(p...)
	}
	return value.Variant(c, p...)
}

// vals returns a slice of n values for the members of one lifted value,
// carved from a chunk shared by the small values of this call, so that a
// list of 100k records costs a few allocations rather than 100k.
func (cx *CallContext) vals(n int) []value.Value {
	if n > 64 {
		return make([]value.Value, n)
	}
	if len(cx.arena) < n {
		cx.arenaSize = min(max(2*cx.arenaSize, 16), 4096)
		cx.arena = make([]value.Value, max(cx.arenaSize, n))
	}
	s := cx.arena[:n:n]
	cx.arena = cx.arena[n:]
	return s
}

// loadListFromRange reads length elements of elem at ptr
// (definitions.py's load_list_from_range).
func (cx *CallContext) loadListFromRange(elem *layout, ptr, length uint32) (value.Value, error) {
	mem, err := cx.memory()
	if err != nil {
		return value.Value{}, err
	}
	n := uint64(length) * uint64(elem.size)
	if n > MaxListByteLength {
		return value.Value{}, trap(TrapListTooLong)
	}
	if ptr%elem.align != 0 {
		return value.Value{}, trap(TrapUnaligned)
	}
	if uint64(ptr)+n > uint64(mem.Size()) {
		return value.Value{}, trap(TrapListOutOfBounds)
	}
	if err := cx.countElems(length); err != nil {
		return value.Value{}, err
	}
	b, ok := mem.Read(ptr, uint32(n))
	if !ok || uint64(len(b)) < n {
		return value.Value{}, trap(TrapListOutOfBounds)
	}
	return cx.loadElems(elem, b, length)
}

// loadElems decodes n consecutive elements from b.
func (cx *CallContext) loadElems(elem *layout, b []byte, n uint32) (value.Value, error) {
	vs := make([]value.Value, n)
	sz := elem.size
	switch elem.k {
	case lU8:
		for i := range vs {
			vs[i] = value.U8(b[i])
		}
		return value.List(vs...), nil
	case lS8:
		for i := range vs {
			vs[i] = value.S8(int8(b[i]))
		}
		return value.List(vs...), nil
	}
	off := uint32(0)
	for i := range vs {
		v, err := cx.load(elem, b[off:off+sz])
		if err != nil {
			return value.Value{}, err
		}
		vs[i] = v
		off += sz
	}
	return value.List(vs...), nil
}

// DefaultMaxLiftedElems is the number of list elements one CallContext
// lifts at most unless its MaxLiftedElems says otherwise.
const DefaultMaxLiftedElems = 1 << 24

// countElems charges n list elements to the call's budget, and traps
// (TrapLiftLimit) past it. The canonical ABI has no such limit: a guest
// may describe a list of a billion bools in 1 GiB of memory, which as
// values would take 56 GiB of the host's.
func (cx *CallContext) countElems(n uint32) error {
	limit := cx.MaxLiftedElems
	if limit == 0 {
		limit = DefaultMaxLiftedElems
	}
	cx.lifted += uint64(n)
	if limit > 0 && cx.lifted > uint64(limit) {
		return trapf(TrapLiftLimit, "too many list elements to lift: more than %d in one call (a host limit, MaxLiftedElems)", limit)
	}
	return nil
}
