package abi

import (
	"encoding/binary"
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Store writes v, a value of type t, at ptr in the guest's memory
// (definitions.py's store), allocating strings and lists through realloc.
// ptr must be aligned for t and the value must fit in memory; otherwise
// Store traps. Owned handles in v are added to the instance's table.
//
// A value that does not have type t is the host's mistake, not the
// guest's: Store returns an error that is not a *Trap.
func Store(cx *CallContext, v value.Value, t *wit.Type, ptr uint32) error {
	l, err := cx.layoutOf(t)
	if err != nil {
		return err
	}
	return cx.storeAt(l, v, ptr, TrapUnaligned, TrapOutOfBounds)
}

func (cx *CallContext) storeAt(l *layout, v value.Value, ptr uint32, unaligned, oob TrapCode) error {
	mem, err := cx.memory()
	if err != nil {
		return err
	}
	if ptr%l.align != 0 {
		return trap(unaligned)
	}
	if uint64(ptr)+uint64(l.size) > uint64(mem.Size()) {
		return trap(oob)
	}
	buf := make([]byte, l.size)
	if err := cx.store(l, v, buf); err != nil {
		return err
	}
	return cx.write(ptr, buf)
}

// mismatch is the error for a value that does not have the type it is
// lowered as.
func mismatch(l *layout, v value.Value) error {
	return fmt.Errorf("abi: lower: %s value for type %s", v.Kind(), typeName(l.t))
}

func errKind(l *layout) error {
	return fmt.Errorf("abi: %s values are not supported by the synchronous canonical ABI", typeName(l.t))
}

// store encodes v into b, which is exactly l.size bytes; strings and lists
// are allocated in the guest.
func (cx *CallContext) store(l *layout, v value.Value, b []byte) error {
	if v.Kind() != l.wk {
		return mismatch(l, v)
	}
	switch l.k {
	case lBool:
		b[0] = 0
		if v.Bits() != 0 {
			b[0] = 1
		}
	case lU8, lS8:
		b[0] = byte(v.Bits())
	case lU16, lS16:
		binary.LittleEndian.PutUint16(b, uint16(v.Bits()))
	case lU32, lS32:
		binary.LittleEndian.PutUint32(b, uint32(v.Bits()))
	case lU64, lS64:
		binary.LittleEndian.PutUint64(b, v.Bits())
	case lF32:
		binary.LittleEndian.PutUint32(b, lowerF32(v.Bits()))
	case lF64:
		binary.LittleEndian.PutUint64(b, lowerF64(v.Bits()))
	case lChar:
		c, err := lowerChar(l, v)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b, c)
	case lString:
		ptr, n, err := cx.storeStringIntoRange(v.Text())
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b, ptr)
		binary.LittleEndian.PutUint32(b[4:], n)
	case lList:
		ptr, n, err := cx.storeListIntoRange(l.elem, v.Elems())
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b, ptr)
		binary.LittleEndian.PutUint32(b[4:], n)
	case lArray:
		es := v.Elems()
		if len(es) != int(l.n) {
			return fmt.Errorf("abi: lower: %d elements for %s", len(es), typeName(l.t))
		}
		return cx.storeElems(l.elem, es, b)
	case lRecord:
		fs := v.Elems()
		if len(fs) != len(l.fields) {
			return fmt.Errorf("abi: lower: %d members for %s of %d", len(fs), typeName(l.t), len(l.fields))
		}
		for i, f := range l.fields {
			if err := cx.store(f.l, fs[i], b[f.off:f.off+f.l.size]); err != nil {
				return err
			}
		}
	case lVariant:
		c, payload, err := matchCase(l, v)
		if err != nil {
			return err
		}
		switch l.disc {
		case 1:
			b[0] = byte(c)
		case 2:
			binary.LittleEndian.PutUint16(b, uint16(c))
		default:
			binary.LittleEndian.PutUint32(b, uint32(c))
		}
		if pl := l.cases[c]; pl != nil {
			return cx.store(pl, payload, b[l.payOff:l.payOff+pl.size])
		}
	case lFlags:
		bits := uint32(v.Bits()) & flagMask(l.n)
		switch l.size {
		case 1:
			b[0] = byte(bits)
		case 2:
			binary.LittleEndian.PutUint16(b, uint16(bits))
		default:
			binary.LittleEndian.PutUint32(b, bits)
		}
	case lOwn:
		h, err := cx.lowerOwn(l, v.Handle())
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b, h)
	case lBorrow:
		h, err := cx.lowerBorrow(l, v.Handle())
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b, h)
	default:
		return errKind(l)
	}
	return nil
}

// matchCase returns the case index and payload of a variant-like value.
func matchCase(l *layout, v value.Value) (int, value.Value, error) {
	c := v.Case()
	if c < 0 || c >= len(l.cases) {
		return 0, value.Value{}, fmt.Errorf("abi: lower: case %d of %s with %d cases", c, typeName(l.t), len(l.cases))
	}
	if l.wk == wit.Enum {
		return c, value.Value{}, nil
	}
	p, ok := v.Payload()
	if ok != (l.cases[c] != nil) {
		return 0, value.Value{}, fmt.Errorf("abi: lower: case %d of %s: payload present is %v, the type says %v", c, typeName(l.t), ok, !ok)
	}
	return c, p, nil
}

func lowerF32(bits uint64) uint32 { return canonF32(uint32(bits)) }

func lowerF64(bits uint64) uint64 { return canonF64(bits) }

func lowerChar(l *layout, v value.Value) (uint32, error) {
	c := v.Bits()
	if !validChar(c) {
		return 0, fmt.Errorf("abi: lower: %s: invalid char %#x", typeName(l.t), c)
	}
	return uint32(c), nil
}

// storeListIntoRange allocates the elements in the guest and stores them
// (definitions.py's store_list_into_range).
func (cx *CallContext) storeListIntoRange(elem *layout, es []value.Value) (uint32, uint32, error) {
	byteLen := uint64(len(es)) * uint64(elem.size)
	if byteLen > ReallocMax {
		return 0, 0, errTooLarge("list", byteLen)
	}
	ptr, err := cx.realloc(0, 0, elem.align, uint32(byteLen))
	if err != nil {
		return 0, 0, err
	}
	if byteLen == 0 {
		return ptr, 0, nil
	}
	buf := make([]byte, byteLen)
	if err := cx.storeElems(elem, es, buf); err != nil {
		return 0, 0, err
	}
	if err := cx.write(ptr, buf); err != nil {
		return 0, 0, err
	}
	return ptr, uint32(len(es)), nil
}

// storeElems encodes consecutive elements into b.
func (cx *CallContext) storeElems(elem *layout, es []value.Value, b []byte) error {
	if elem.k == lU8 || elem.k == lS8 {
		for i, e := range es {
			if e.Kind() != elem.wk {
				return mismatch(elem, e)
			}
			b[i] = byte(e.Bits())
		}
		return nil
	}
	sz := elem.size
	off := uint32(0)
	for _, e := range es {
		if err := cx.store(elem, e, b[off:off+sz]); err != nil {
			return err
		}
		off += sz
	}
	return nil
}
