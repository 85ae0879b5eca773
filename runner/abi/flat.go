package abi

import (
	"errors"
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// CoreValues iterates over flat core values as wazero represents them: i32
// in the low 32 bits of a uint64, f32 and f64 as their IEEE bits
// (definitions.py's CoreValueIter).
type CoreValues struct {
	Values []uint64
	i      int
}

// NewCoreValues returns an iterator over vs.
func NewCoreValues(vs []uint64) *CoreValues { return &CoreValues{Values: vs} }

// Done reports whether every value has been consumed.
func (c *CoreValues) Done() bool { return c.i == len(c.Values) }

// Remaining returns the values not consumed yet.
func (c *CoreValues) Remaining() []uint64 { return c.Values[c.i:] }

var errTooFewFlat = errors.New("abi: fewer flat core values than the signature has")

func (c *CoreValues) next() (uint64, error) {
	if c.i >= len(c.Values) {
		return 0, errTooFewFlat
	}
	v := c.Values[c.i]
	c.i++
	return v, nil
}

func (c *CoreValues) next32() (uint32, error) {
	v, err := c.next()
	return uint32(v), err
}

// liftFlat reads a value of layout l from flat values (definitions.py's
// lift_flat). Every 32-bit type reads the low 32 bits of its slot, which is
// also the coercion a variant's joined i64 slot needs (CoerceValueIter).
func (cx *CallContext) liftFlat(l *layout, vi *CoreValues) (value.Value, error) {
	x, err := vi.next()
	if err != nil {
		return value.Value{}, err
	}
	switch l.k {
	case lBool, lU8, lS8, lU16, lS16, lU32, lS32, lU64, lS64, lF32, lF64, lChar:
		return LiftScalar(x, Slot{Kind: l.wk, c: scode(l.k)})
	case lString:
		n, err := vi.next32()
		if err != nil {
			return value.Value{}, err
		}
		return cx.loadStringFromRange(uint32(x), n)
	case lList:
		n, err := vi.next32()
		if err != nil {
			return value.Value{}, err
		}
		return cx.loadListFromRange(l.elem, uint32(x), n)
	case lArray, lRecord:
		vi.i-- // the first member reads x again
		var vs []value.Value
		if l.k == lArray {
			vs = cx.vals(int(l.n))
			for i := range vs {
				if vs[i], err = cx.liftFlat(l.elem, vi); err != nil {
					return value.Value{}, err
				}
			}
			return value.List(vs...), nil
		}
		vs = cx.vals(len(l.fields))
		for i, f := range l.fields {
			if vs[i], err = cx.liftFlat(f.l, vi); err != nil {
				return value.Value{}, err
			}
		}
		return mkRecord(l, vs), nil
	case lVariant:
		c := uint32(x)
		if c >= uint32(len(l.cases)) {
			return value.Value{}, trap(TrapInvalidDiscriminant)
		}
		pl := l.cases[c]
		used := 0
		var v value.Value
		if pl != nil {
			if v, err = cx.liftFlat(pl, vi); err != nil {
				return value.Value{}, err
			}
			used = len(pl.flat)
		}
		for range len(l.flat) - 1 - used {
			if _, err := vi.next(); err != nil {
				return value.Value{}, err
			}
		}
		if pl == nil {
			return cx.mkCase(l, int(c), nil), nil
		}
		return cx.mkCase(l, int(c), &v), nil
	case lFlags:
		return LiftScalar(x, Slot{Kind: wit.Flags, N: l.n, c: cFlags})
	case lOwn:
		return cx.liftOwn(l, uint32(x))
	case lBorrow:
		return cx.liftBorrow(l, uint32(x))
	}
	return value.Value{}, errKind(l)
}

// lowerFlat appends the flat values of v (definitions.py's lower_flat).
// i32 values are zero-extended, which is also the coercion of an i32 or
// f32 payload into a variant's joined i64 slot.
func (cx *CallContext) lowerFlat(out []uint64, l *layout, v value.Value) ([]uint64, error) {
	if v.Kind() != l.wk {
		return out, mismatch(l, v)
	}
	switch l.k {
	case lBool, lU8, lS8, lU16, lS16, lU32, lS32, lU64, lS64, lF32, lF64, lChar:
		x, err := LowerScalar(v, Slot{Kind: l.wk, c: scode(l.k)})
		if err != nil {
			return out, fmt.Errorf("abi: lower: %s: %w", typeName(l.t), err)
		}
		return append(out, x), nil
	case lString:
		ptr, n, err := cx.storeStringIntoRange(v.Text())
		return append(out, uint64(ptr), uint64(n)), err
	case lList:
		ptr, n, err := cx.storeListIntoRange(l.elem, v.Elems())
		return append(out, uint64(ptr), uint64(n)), err
	case lArray:
		es := v.Elems()
		if len(es) != int(l.n) {
			return out, mismatch(l, v)
		}
		var err error
		for _, e := range es {
			if out, err = cx.lowerFlat(out, l.elem, e); err != nil {
				return out, err
			}
		}
		return out, nil
	case lRecord:
		fs := v.Elems()
		if len(fs) != len(l.fields) {
			return out, mismatch(l, v)
		}
		var err error
		for i, f := range l.fields {
			if out, err = cx.lowerFlat(out, f.l, fs[i]); err != nil {
				return out, err
			}
		}
		return out, nil
	case lVariant:
		c, payload, err := matchCase(l, v)
		if err != nil {
			return out, err
		}
		out = append(out, uint64(c))
		start := len(out)
		if pl := l.cases[c]; pl != nil {
			if out, err = cx.lowerFlat(out, pl, payload); err != nil {
				return out, err
			}
		}
		for len(out)-start < len(l.flat)-1 {
			out = append(out, 0)
		}
		return out, nil
	case lFlags:
		// Flags beyond the type's are dropped, as store does.
		return append(out, uint64(uint32(v.Bits())&flagMask(l.n))), nil
	case lOwn:
		h, err := cx.lowerOwn(l, v.Handle())
		return append(out, uint64(h)), err
	case lBorrow:
		h, err := cx.lowerBorrow(l, v.Handle())
		return append(out, uint64(h)), err
	}
	return out, errKind(l)
}
