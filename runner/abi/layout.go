package abi

import (
	"fmt"
	"sync"

	"github.com/wfcompat/wfcompat/wit"
)

// lkind is a despecialized type kind: tuples are records; enums, options
// and results are variants (definitions.py's despecialize).
type lkind uint8

const (
	lBool lkind = iota + 1
	lS8
	lU8
	lS16
	lU16
	lS32
	lU32
	lS64
	lU64
	lF32
	lF64
	lChar
	lString
	lList  // list<T>
	lArray // list<T, N>
	lRecord
	lVariant
	lFlags
	lOwn
	lBorrow
)

// layout is a compiled wit.Type: its kind, size, alignment and flat types,
// computed once per type rather than once per value.
type layout struct {
	t     *wit.Type
	k     lkind
	wk    wit.Kind // the value kind values of this type have
	size  uint32
	align uint32
	flat  []CoreType

	elem   *layout   // list, fixed-size list
	n      uint32    // fixed-size list length; flags count
	fields []field   // record, tuple
	cases  []*layout // variant-like; nil entry for a case without payload
	disc   uint32    // discriminant size in bytes
	payOff uint32    // offset of the payload from the start of a variant
}

type field struct {
	off uint32
	l   *layout
}

// Layouts caches compiled type layouts; it is safe for concurrent use.
// Types are keyed by pointer: it serves callers whose *wit.Type trees live
// long (a world's functions). Every Instance has one; a CallContext uses
// its own Layouts if set, else its instance's.
type Layouts struct {
	mu sync.RWMutex
	m  map[*wit.Type]*layout
}

// NewLayouts returns an empty cache.
func NewLayouts() *Layouts { return &Layouts{m: map[*wit.Type]*layout{}} }

// maxCachedLayouts bounds a Layouts: a caller that builds fresh types for
// every call would otherwise grow it without end.
const maxCachedLayouts = 1 << 14

func (c *Layouts) get(t *wit.Type) (*layout, error) {
	c.mu.RLock()
	l, ok := c.m[t]
	c.mu.RUnlock()
	if ok {
		return l, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > maxCachedLayouts {
		c.m = map[*wit.Type]*layout{}
	}
	return compile(t, c.m, 0)
}

// maxFlatLen bounds the flat values of one type: fixed-size lists
// multiply them, and a type beyond MaxFlatParams is passed in memory
// anyway, but its flat types are still computed.
const maxFlatLen = 1 << 20

// maxTypeDepth bounds the nesting of types compiled, so that a hostile
// type cannot exhaust the stack.
const maxTypeDepth = 100

func (cx *CallContext) layoutOf(t *wit.Type) (*layout, error) {
	switch {
	case cx.Layouts != nil:
		return cx.Layouts.get(t)
	case cx.Inst != nil && cx.Inst.layouts != nil:
		return cx.Inst.layouts.get(t)
	}
	if cx.local == nil {
		cx.local = map[*wit.Type]*layout{}
	}
	return compile(t, cx.local, 0)
}

func compileType(t *wit.Type) (*layout, error) {
	return compile(t, map[*wit.Type]*layout{}, 0)
}

func compile(t *wit.Type, memo map[*wit.Type]*layout, depth int) (*layout, error) {
	if t == nil {
		return nil, fmt.Errorf("abi: missing type")
	}
	if l, ok := memo[t]; ok {
		return l, nil
	}
	if depth > maxTypeDepth {
		return nil, fmt.Errorf("abi: type nested deeper than %d", maxTypeDepth)
	}
	l := &layout{t: t, wk: t.Kind}
	if t.Kind == wit.Map {
		l.wk = wit.List // map values are lists of key-value tuples
	}
	sub := func(u *wit.Type) (*layout, error) { return compile(u, memo, depth+1) }
	scalar := func(k lkind, size uint32, ft CoreType) {
		l.k, l.size, l.align, l.flat = k, size, size, []CoreType{ft}
	}
	switch t.Kind {
	case wit.Bool:
		scalar(lBool, 1, I32)
	case wit.S8:
		scalar(lS8, 1, I32)
	case wit.U8:
		scalar(lU8, 1, I32)
	case wit.S16:
		scalar(lS16, 2, I32)
	case wit.U16:
		scalar(lU16, 2, I32)
	case wit.S32:
		scalar(lS32, 4, I32)
	case wit.U32:
		scalar(lU32, 4, I32)
	case wit.S64:
		scalar(lS64, 8, I64)
	case wit.U64:
		scalar(lU64, 8, I64)
	case wit.F32:
		scalar(lF32, 4, F32)
	case wit.F64:
		scalar(lF64, 8, F64)
	case wit.Char:
		scalar(lChar, 4, I32)
	case wit.Own:
		scalar(lOwn, 4, I32)
	case wit.Borrow:
		scalar(lBorrow, 4, I32)
	case wit.String:
		l.k, l.size, l.align, l.flat = lString, 8, 4, []CoreType{I32, I32}
	case wit.List, wit.Map:
		e, err := sub(t.Elem)
		if err != nil {
			return nil, err
		}
		l.elem = e
		if t.Len == 0 {
			l.k, l.size, l.align, l.flat = lList, 8, 4, []CoreType{I32, I32}
			break
		}
		l.k, l.n, l.align = lArray, t.Len, e.align
		sz := uint64(e.size) * uint64(t.Len)
		if sz > 1<<32-1 || uint64(len(e.flat))*uint64(t.Len) > maxFlatLen {
			return nil, fmt.Errorf("abi: %s is too large", typeName(t))
		}
		l.size = uint32(sz)
		l.flat = make([]CoreType, 0, len(e.flat)*int(t.Len))
		for i := uint32(0); i < t.Len; i++ {
			l.flat = append(l.flat, e.flat...)
		}
	case wit.Record, wit.Tuple:
		var members []*wit.Type
		if t.Kind == wit.Record {
			for _, f := range t.Fields {
				members = append(members, f.Type)
			}
		} else {
			members = t.Elems
		}
		if len(members) == 0 {
			return nil, fmt.Errorf("abi: %s has no fields; the Component Model does not allow empty records and tuples", typeName(t))
		}
		l.k, l.align = lRecord, 1
		var s uint64
		for _, m := range members {
			ml, err := sub(m)
			if err != nil {
				return nil, err
			}
			s = alignTo64(s, ml.align)
			l.fields = append(l.fields, field{off: uint32(s), l: ml})
			s += uint64(ml.size)
			l.align = max(l.align, ml.align)
			l.flat = append(l.flat, ml.flat...)
			if s > 1<<32-1 || len(l.flat) > maxFlatLen {
				return nil, fmt.Errorf("abi: %s is too large", typeName(t))
			}
		}
		l.size = uint32(alignTo64(s, l.align))
	case wit.Variant, wit.Enum, wit.Option, wit.Result:
		var payloads []*wit.Type
		switch t.Kind {
		case wit.Variant:
			for _, c := range t.Cases {
				payloads = append(payloads, c.Type)
			}
		case wit.Enum:
			payloads = make([]*wit.Type, len(t.Labels))
		case wit.Option:
			if t.Elem == nil {
				return nil, fmt.Errorf("abi: option without payload type")
			}
			payloads = []*wit.Type{nil, t.Elem}
		case wit.Result:
			payloads = []*wit.Type{t.Ok, t.Err}
		}
		if len(payloads) == 0 {
			return nil, fmt.Errorf("abi: %s has no cases", typeName(t))
		}
		l.k = lVariant
		l.cases = make([]*layout, len(payloads))
		var disc CoreType = I32
		l.disc = DiscriminantSize(len(payloads))
		maxAlign, maxSize := uint32(1), uint32(0)
		var joined []CoreType
		for i, p := range payloads {
			if p == nil {
				continue
			}
			pl, err := sub(p)
			if err != nil {
				return nil, err
			}
			l.cases[i] = pl
			maxAlign = max(maxAlign, pl.align)
			maxSize = max(maxSize, pl.size)
			for j, ft := range pl.flat {
				if j < len(joined) {
					joined[j] = join(joined[j], ft)
				} else {
					joined = append(joined, ft)
				}
			}
		}
		l.payOff = alignTo(l.disc, maxAlign)
		l.align = max(l.disc, maxAlign)
		l.size = alignTo(l.payOff+maxSize, l.align)
		l.flat = append([]CoreType{disc}, joined...)
	case wit.Flags:
		n := len(t.Labels)
		if n == 0 || n > 32 {
			return nil, fmt.Errorf("abi: %s has %d flags; the Component Model allows 1 to 32", typeName(t), n)
		}
		l.k, l.n, l.flat = lFlags, uint32(n), []CoreType{I32}
		switch {
		case n <= 8:
			l.size = 1
		case n <= 16:
			l.size = 2
		default:
			l.size = 4
		}
		l.align = l.size
	default:
		return nil, fmt.Errorf("abi: %s values are not supported by the synchronous canonical ABI", typeName(t))
	}
	memo[t] = l
	return l, nil
}

func typeName(t *wit.Type) string {
	if t.Name != "" {
		return string(t.Kind) + " " + t.Name
	}
	return string(t.Kind)
}

func alignTo(p, a uint32) uint32 { return (p + a - 1) / a * a }

func alignTo64(p uint64, a uint32) uint64 { return (p + uint64(a) - 1) / uint64(a) * uint64(a) }

// Alignment returns the alignment of t in linear memory (definitions.py's alignment).
func Alignment(t *wit.Type) (uint32, error) {
	l, err := compileType(t)
	if err != nil {
		return 0, err
	}
	return l.align, nil
}

// ElemSize returns the size of t in linear memory (definitions.py's elem_size).
func ElemSize(t *wit.Type) (uint32, error) {
	l, err := compileType(t)
	if err != nil {
		return 0, err
	}
	return l.size, nil
}

// DiscriminantSize returns the size in bytes of the discriminant of a
// variant, enum, option or result with n cases: 1, 2 or 4
// (definitions.py's discriminant_type: u8, u16 or u32).
func DiscriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}
