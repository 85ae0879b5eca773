package abi

import (
	"context"
	"errors"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// heap is a linear memory with run_tests.py's bump allocator.
type heap struct {
	mem       []byte
	lastAlloc uint32
	calls     [][4]uint32 // realloc calls: old ptr, old size, align, new size
}

func newHeap(b []byte) *heap { return &heap{mem: b} }

func (h *heap) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(h.mem)) {
		return nil, false
	}
	return h.mem[off : off+n], true
}

func (h *heap) Write(off uint32, v []byte) bool {
	if uint64(off)+uint64(len(v)) > uint64(len(h.mem)) {
		return false
	}
	copy(h.mem[off:], v)
	return true
}

// WriteString is wazero's api.Memory.WriteString, which the package uses
// when a memory has it.
func (h *heap) WriteString(off uint32, v string) bool {
	if uint64(off)+uint64(len(v)) > uint64(len(h.mem)) {
		return false
	}
	copy(h.mem[off:], v)
	return true
}

func (h *heap) Size() uint32 { return uint32(len(h.mem)) }

var errHeapFull = errors.New("heap: out of memory")

// realloc is run_tests.py's Heap.realloc.
func (h *heap) realloc(_ context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	h.calls = append(h.calls, [4]uint32{oldPtr, oldSize, align, newSize})
	if oldPtr != 0 && newSize < oldSize {
		return alignTo(oldPtr, align), nil
	}
	ret := alignTo(h.lastAlloc, align)
	end := uint64(ret) + uint64(newSize)
	if end > uint64(len(h.mem)) {
		return 0, errHeapFull
	}
	h.lastAlloc = uint32(end)
	// Copy what fits: realloc(0, old, align, smaller) allocates anew.
	n := min(oldSize, newSize)
	copy(h.mem[ret:ret+n], h.mem[oldPtr:oldPtr+n])
	return ret, nil
}

func (h *heap) opts(enc StringEncoding) *Options {
	return &Options{Memory: h, Realloc: h.realloc, Encoding: enc}
}

// mkcx returns a context over memory b without a call scope, like
// run_tests.py's mk_cx.
func mkcx(b []byte, enc StringEncoding) (*CallContext, *heap) {
	h := newHeap(b)
	return &CallContext{Context: context.Background(), Opts: h.opts(enc), Inst: NewInstance("test")}, h
}

// Type constructors for tests.
var (
	tBool   = wit.Prim(wit.Bool)
	tS8     = wit.Prim(wit.S8)
	tU8     = wit.Prim(wit.U8)
	tS16    = wit.Prim(wit.S16)
	tU16    = wit.Prim(wit.U16)
	tS32    = wit.Prim(wit.S32)
	tU32    = wit.Prim(wit.U32)
	tS64    = wit.Prim(wit.S64)
	tU64    = wit.Prim(wit.U64)
	tF32    = wit.Prim(wit.F32)
	tF64    = wit.Prim(wit.F64)
	tChar   = wit.Prim(wit.Char)
	tString = wit.Prim(wit.String)
)

func tList(e *wit.Type) *wit.Type            { return &wit.Type{Kind: wit.List, Elem: e} }
func tArray(e *wit.Type, n uint32) *wit.Type { return &wit.Type{Kind: wit.List, Elem: e, Len: n} }
func tTuple(es ...*wit.Type) *wit.Type       { return &wit.Type{Kind: wit.Tuple, Elems: es} }
func tOption(e *wit.Type) *wit.Type          { return &wit.Type{Kind: wit.Option, Elem: e} }
func tResult(ok, err *wit.Type) *wit.Type    { return &wit.Type{Kind: wit.Result, Ok: ok, Err: err} }
func tEnum(labels ...string) *wit.Type       { return &wit.Type{Kind: wit.Enum, Labels: labels} }
func tFlags(labels ...string) *wit.Type      { return &wit.Type{Kind: wit.Flags, Labels: labels} }
func tOwn(r *wit.Type) *wit.Type             { return &wit.Type{Kind: wit.Own, Elem: r} }
func tBorrow(r *wit.Type) *wit.Type          { return &wit.Type{Kind: wit.Borrow, Elem: r} }
func tResource(name string) *wit.Type        { return &wit.Type{Kind: wit.Resource, Name: name} }
func tVariant(cases ...wit.Case) *wit.Type   { return &wit.Type{Kind: wit.Variant, Cases: cases} }
func tRecord(fields ...wit.Field) *wit.Type  { return &wit.Type{Kind: wit.Record, Fields: fields} }
func fld(name string, t *wit.Type) wit.Field { return wit.Field{Name: name, Type: t} }
func cas(name string, t *wit.Type) wit.Case  { return wit.Case{Name: name, Type: t} }
func labels(n int) []string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = "f" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return ls
}

var (
	vs  = value.String
	vu8 = value.U8
)
