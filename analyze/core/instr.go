package core

import (
	"encoding/binary"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// Instr is one decoded instruction. Only the fields for Op's immediates are
// set; the others are zero.
type Instr struct {
	Off uint32 // absolute offset of the opcode's first byte
	Op  Opcode

	// Index is the first index immediate: the function of call,
	// return_call and ref.func; the type of call_indirect and
	// return_call_indirect; the local, global or table of the variable and
	// table instructions; the label of br and br_if and the default label of
	// br_table; the memory of memory.size, memory.grow and memory.fill; the
	// data segment of memory.init and data.drop; the element segment of
	// table.init and elem.drop; the destination of table.copy and
	// memory.copy.
	Index uint32
	// Index2 is the second index immediate: the table of call_indirect,
	// return_call_indirect and table.init, the memory of memory.init, the
	// source of table.copy and memory.copy.
	Index2 uint32

	I64  int64  // i32.const (sign-extended) and i64.const
	Bits uint64 // bit pattern of f32.const (low 32 bits) and f64.const

	Mem   MemArg    // loads and stores
	Block BlockType // block, loop, if
	V128  [16]byte  // v128.const bytes, i8x16.shuffle lanes
	Lane  byte      // lane index of extract_lane, replace_lane, load/store_lane
	Type  ValType   // typed select's result type, ref.null's reference type

	// Targets are br_table's labels, default excluded (it is in Index).
	// From an InstrReader, Targets is only valid until the next call to
	// Next; from Instructions, it stays valid.
	Targets []uint32
}

// MemArg is the memory immediate of loads and stores.
type MemArg struct {
	Align  uint32 // log2 of the alignment
	Mem    uint32 // memory index (multi-memory form; 0 otherwise)
	Offset uint64
	// Explicit is true when the memory index was encoded (the
	// multi-memory form, flag bit 6), even if it is 0.
	Explicit bool
}

// BlockType is the type of block, loop and if, stored as the s33 the binary
// format encodes: BlockEmpty, a value type (negative), or a type index
// (non-negative).
type BlockType int64

// BlockEmpty is the block type of a block with no parameters or results.
const BlockEmpty BlockType = -0x40

// BlockTypeOf returns the block type with the single result t.
func BlockTypeOf(t ValType) BlockType { return BlockType(int64(t) - 0x80) }

// ValType returns the single result type, if the block type is one.
func (t BlockType) ValType() (ValType, bool) {
	if t < 0 && t != BlockEmpty {
		return ValType(t + 0x80), true
	}
	return 0, false
}

// TypeIndex returns the type index, if the block type is one.
func (t BlockType) TypeIndex() (uint32, bool) {
	if t >= 0 {
		return uint32(t), true
	}
	return 0, false
}

// String returns "", a value type, or "(type N)".
func (t BlockType) String() string {
	if v, ok := t.ValType(); ok {
		return "(result " + v.String() + ")"
	}
	if x, ok := t.TypeIndex(); ok {
		return fmt.Sprintf("(type %d)", x)
	}
	return ""
}

// InstrReader decodes instructions one at a time without allocating:
//
//	r := code.Instrs()
//	for r.Next() {
//		in := r.Instr()
//		...
//	}
//	if err := r.Err(); err != nil { ... }
//
// The final end of the body is returned like any other instruction. Reading
// stops at the first error. The reader checks the encoding and block nesting
// only: indices are not checked against the module. The zero InstrReader is empty and reports an
// error; use Reset or Code.Instrs.
type InstrReader struct {
	buf     []byte
	base    uint32 // absolute offset of buf[0]
	pos     int    // position in buf
	depth   int    // open blocks
	expr    bool   // constant expression: stop after the final end
	keep    bool   // keep br_table targets of earlier instructions valid
	done    bool
	wide    bool // the last instruction set fields other than Off, Op and Index
	err     *FormatError
	in      Instr
	targets []uint32
}

// Reset makes r read the instructions in expr, whose first byte is at
// absolute offset off; expr must end with the body's final end. The
// reader's br_table buffer is reused.
func (r *InstrReader) Reset(expr []byte, off uint32) { r.reset(expr, off, false) }

// ResetCode makes r read the instructions of c.
func (r *InstrReader) ResetCode(c *Code) { r.reset(c.Expr(), c.InstrOff, false) }

func (r *InstrReader) reset(buf []byte, off uint32, expr bool) {
	*r = InstrReader{buf: buf, base: off, expr: expr, targets: r.targets[:0]}
}

// Next decodes the next instruction and reports whether there is one.
func (r *InstrReader) Next() bool {
	if r.done || r.err != nil {
		return false
	}
	p := r.pos
	if p >= len(r.buf) {
		r.failf(p, nil, "unexpected end of %s: missing end", r.where())
		return false
	}
	op := r.buf[p]
	// Instructions with at most an Index leave the other fields zero, so
	// the whole Instr is only cleared after one that set more.
	if r.wide {
		r.in = Instr{}
	}
	r.in.Off, r.in.Op, r.in.Index = r.base+uint32(p), Opcode(op), 0
	r.pos = p + 1
	kind := opImm[op]
	r.wide = kind > immIdx
	switch kind {
	case immNone:
	case immIdx:
		// Inline fast path for one-byte indices, the common case.
		if q := p + 1; q < len(r.buf) && r.buf[q] < 0x80 {
			r.in.Index = uint32(r.buf[q])
			r.pos = q + 1
		} else {
			r.in.Index = r.u32Slow()
		}
	case immEnd:
		if r.depth == 0 {
			r.done = true
			if !r.expr && r.pos != len(r.buf) {
				r.failf(r.pos, nil, "unexpected data after the final end of the %s", r.where())
			}
		} else {
			r.depth--
		}
	case immI32:
		if q := p + 1; q < len(r.buf) && r.buf[q] < 0x80 {
			r.in.I64 = int64(int8(r.buf[q]<<1) >> 1) // sign-extend 7 bits
			r.pos = q + 1
		} else {
			r.in.I64 = r.signed(32, "s32")
		}
	case immMemArg:
		r.memArg()
	case immBlock:
		r.blockType()
		r.depth++
	case immIdx2:
		r.in.Index = r.u32()
		r.in.Index2 = r.u32()
	case immI64:
		r.in.I64 = r.signed(64, "s64")
	case immF32:
		if b := r.fixed(4); b != nil {
			r.in.Bits = uint64(binary.LittleEndian.Uint32(b))
		}
	case immF64:
		if b := r.fixed(8); b != nil {
			r.in.Bits = binary.LittleEndian.Uint64(b)
		}
	case immBrTable:
		r.brTable()
	case immSelectT:
		r.selectT()
	case immRefNull:
		off := r.pos
		t := ValType(r.byte())
		if r.err == nil && t != FuncRef && t != ExternRef {
			r.failf(off, byte(t), "unsupported reference type 0x%02x", byte(t))
		}
		r.in.Type = t
	case immPrefixFC:
		r.prefixFC()
	case immPrefixFD:
		r.prefixFD()
	default:
		if note := unsupportedNotes[op]; note != "" {
			r.failf(p, op, "unsupported opcode 0x%02x (%s)", op, note)
		} else {
			r.failf(p, op, "unsupported opcode 0x%02x", op)
		}
	}
	return r.err == nil
}

// SkipPlain moves past the instructions, from the next one on, whose
// one-byte opcode is not marked in stop and whose encoding is short: no
// immediate, an index or integer constant of at most four bytes (any such
// LEB128 is valid), a one-byte block type, a memarg of a one-byte
// alignment and an offset of at most four bytes, or the end of an inner
// block. It stops before any other instruction
// (and before the body's final end), for Next to decode; the skipped ones
// are exactly those Next would accept. After SkipPlain, Current, Op and
// Instr are stale until the next call to Next. It is the fast path of
// loops that look at a few opcodes only: it decodes nothing it skips.
func (r *InstrReader) SkipPlain(stop *[256]bool) {
	if r.done || r.err != nil {
		return
	}
	b, p, d := r.buf, r.pos, r.depth
loop:
	for p < len(b) {
		op := b[p]
		if stop[op] {
			break
		}
		switch opImm[op] {
		case immNone:
			p++
		case immIdx, immI32, immI64:
			q := skipLEB4(b, p+1)
			if q < 0 {
				break loop
			}
			p = q
		case immMemArg:
			if p+1 >= len(b) || b[p+1] >= 0x40 {
				break loop
			}
			q := skipLEB4(b, p+2)
			if q < 0 {
				break loop
			}
			p = q
		case immBlock:
			if p+1 >= len(b) {
				break loop
			}
			if c := b[p+1]; c > 0x40 && (c >= 0x80 || !ValType(c).valid()) {
				break loop
			}
			p += 2
			d++
		case immEnd:
			if d == 0 {
				break loop
			}
			p++
			d--
		default:
			break loop
		}
	}
	r.pos, r.depth = p, d
}

// skipLEB4 returns the position after the LEB128 at b[p:] if it has at
// most four bytes, else -1.
func skipLEB4(b []byte, p int) int {
	for i := p; i < p+4 && i < len(b); i++ {
		if b[i] < 0x80 {
			return i + 1
		}
	}
	return -1
}

// Raw returns the bytes of the expression being read and the position in
// them of the next instruction, for a caller's fast loop that decodes the
// simplest instructions itself and hands the position back with Advance;
// ok is false once the reader is done or failed.
func (r *InstrReader) Raw() (buf []byte, pos int, ok bool) {
	return r.buf, r.pos, !r.done && r.err == nil
}

// Advance moves the reader to position pos of the bytes Raw returned,
// past whole instructions the caller decoded and checked as Next would,
// which opened opened blocks in all (negative: closed); they must not
// include the body's final end. Current, Op and Instr are stale until
// the next call to Next.
func (r *InstrReader) Advance(pos, opened int) {
	r.pos = pos
	r.depth += opened
}

// Instr returns the instruction decoded by the last call to Next.
func (r *InstrReader) Instr() Instr { return r.in }

// Op returns the opcode of the instruction decoded by the last call to
// Next: the cheap test of loops that look at a few opcodes only.
func (r *InstrReader) Op() Opcode { return r.in.Op }

// Current returns the instruction decoded by the last call to Next
// without copying it (an Instr is over 100 bytes): it points into the
// reader and is overwritten by the next call to Next.
func (r *InstrReader) Current() *Instr { return &r.in }

// Err returns the error that stopped Next, or nil. An InstrReader that
// stopped without error has read the whole expression.
func (r *InstrReader) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Offset returns the absolute offset of the next byte to decode.
func (r *InstrReader) Offset() uint32 { return r.base + uint32(r.pos) }

// Depth returns the number of blocks open after the last instruction.
func (r *InstrReader) Depth() int { return r.depth }

func (r *InstrReader) where() string {
	if r.expr {
		return "constant expression"
	}
	return "function body"
}

func (r *InstrReader) failf(p int, val any, format string, args ...any) {
	if r.err == nil {
		r.err = errorf(int(r.base)+p, val, format, args...)
	}
}

func (r *InstrReader) u32() uint32 {
	b, p := r.buf, r.pos
	if p < len(b) && b[p] < 0x80 {
		r.pos = p + 1
		return uint32(b[p])
	}
	return r.u32Slow()
}

func (r *InstrReader) u32Slow() uint32 {
	v, p, st := wasmbin.ReadUnsigned(r.buf, r.pos, 32)
	if st != wasmbin.LEBOK {
		if r.err == nil {
			r.err = lebError(st, int(r.base)+r.pos, int(r.base)+len(r.buf), "u32", r.where())
		}
		r.pos = len(r.buf)
		return 0
	}
	r.pos = p
	return uint32(v)
}

func (r *InstrReader) signed(bits uint, what string) int64 {
	v, p, st := wasmbin.ReadSigned(r.buf, r.pos, bits)
	if st != wasmbin.LEBOK {
		if r.err == nil {
			r.err = lebError(st, int(r.base)+r.pos, int(r.base)+len(r.buf), what, r.where())
		}
		r.pos = len(r.buf)
		return 0
	}
	r.pos = p
	return v
}

func (r *InstrReader) byte() byte {
	if r.pos >= len(r.buf) {
		r.failf(r.pos, nil, "unexpected end of %s", r.where())
		return 0
	}
	c := r.buf[r.pos]
	r.pos++
	return c
}

func (r *InstrReader) fixed(n int) []byte {
	if n > len(r.buf)-r.pos {
		r.failf(len(r.buf), nil, "unexpected end of %s reading a %d-byte immediate", r.where(), n)
		r.pos = len(r.buf)
		return nil
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b
}

func (r *InstrReader) blockType() {
	p := r.pos
	if p < len(r.buf) {
		if c := r.buf[p]; c < 0x80 {
			r.pos++
			if c < 0x40 { // type index
				r.in.Block = BlockType(c)
				return
			}
			if c == 0x40 || ValType(c).valid() {
				r.in.Block = BlockType(int64(c) - 0x80)
				return
			}
			r.failf(p, c, "unsupported block type 0x%02x", c)
			return
		}
	}
	v := r.signed(33, "s33 block type")
	if r.err == nil && v < 0 {
		r.failf(p, v, "malformed block type %d", v)
	}
	r.in.Block = BlockType(v)
}

func (r *InstrReader) memArg() {
	b, p := r.buf, r.pos
	if p+1 < len(b) && b[p] < 0x40 && b[p+1] < 0x80 { // one-byte align and offset
		r.in.Mem.Align = uint32(b[p])
		r.in.Mem.Offset = uint64(b[p+1])
		r.pos = p + 2
		return
	}
	a := r.u32()
	if a >= 0x40 {
		if a >= 0x80 {
			r.failf(p, a, "malformed memarg flags 0x%x", a)
			return
		}
		a -= 0x40
		r.in.Mem.Mem = r.u32()
		r.in.Mem.Explicit = true
	}
	r.in.Mem.Align = a
	// The offset is a u64 (memory64 proposal); validation bounds it by the
	// memory's address type.
	r.in.Mem.Offset = r.u64()
}

func (r *InstrReader) u64() uint64 {
	b, p := r.buf, r.pos
	if p < len(b) && b[p] < 0x80 {
		r.pos = p + 1
		return uint64(b[p])
	}
	v, q, st := wasmbin.ReadUnsigned(r.buf, r.pos, 64)
	if st != wasmbin.LEBOK {
		if r.err == nil {
			r.err = lebError(st, int(r.base)+r.pos, int(r.base)+len(r.buf), "u64", r.where())
		}
		r.pos = len(r.buf)
		return 0
	}
	r.pos = q
	return v
}

func (r *InstrReader) brTable() {
	p := r.pos
	n := r.u32()
	if r.err != nil {
		return
	}
	if uint64(n) >= uint64(len(r.buf)-r.pos) { // n targets plus the default
		r.failf(p, n, "br_table target count %d cannot fit in the %d remaining bytes of the %s", n, len(r.buf)-r.pos, r.where())
		return
	}
	if !r.keep {
		r.targets = r.targets[:0]
	}
	start := len(r.targets)
	for i := uint32(0); i < n && r.err == nil; i++ {
		r.targets = append(r.targets, r.u32())
	}
	r.in.Targets = r.targets[start:len(r.targets):len(r.targets)]
	r.in.Index = r.u32()
}

func (r *InstrReader) selectT() {
	p := r.pos
	n := r.u32()
	if r.err == nil && n != 1 {
		r.failf(p, n, "typed select must have exactly 1 result type, got %d", n)
		return
	}
	off := r.pos
	t := ValType(r.byte())
	if r.err == nil && !t.valid() {
		r.failf(off, byte(t), "unsupported value type 0x%02x", byte(t))
	}
	r.in.Type = t
}

func (r *InstrReader) prefixFC() {
	sub := r.u32()
	if r.err != nil {
		return
	}
	if sub >= uint32(len(opFCImm)) || opFCImm[sub] == immInvalid {
		r.failf(int(r.in.Off-r.base), sub, "unsupported opcode 0xfc 0x%x", sub)
		return
	}
	r.in.Op = Opcode(0xFC<<16 | sub)
	switch opFCImm[sub] {
	case immIdx:
		r.in.Index = r.u32()
	case immIdx2:
		r.in.Index = r.u32()
		r.in.Index2 = r.u32()
	}
}

func (r *InstrReader) prefixFD() {
	sub := r.u32()
	if r.err != nil {
		return
	}
	if sub >= uint32(len(opFDImm)) || opFDImm[sub] == immInvalid {
		r.failf(int(r.in.Off-r.base), sub, "unsupported opcode 0xfd 0x%x", sub)
		return
	}
	r.in.Op = Opcode(0xFD<<16 | sub)
	switch opFDImm[sub] {
	case immMemArg:
		r.memArg()
	case immMemArgLane:
		r.memArg()
		r.in.Lane = r.byte()
	case immLane:
		r.in.Lane = r.byte()
	case immV128, immShuffle:
		if b := r.fixed(16); b != nil {
			copy(r.in.V128[:], b)
		}
	}
}

// Instructions decodes the whole body. br_table targets of the returned
// instructions share one backing array.
func (c *Code) Instructions() ([]Instr, error) {
	var r InstrReader
	r.ResetCode(c)
	r.keep = true
	// Bodies average a little under two bytes per instruction.
	out := make([]Instr, 0, len(r.buf)/2+1)
	for r.Next() {
		out = append(out, r.in)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Instructions decodes the body of the function with index funcIndex in the
// module's function index space (imported functions first).
func (m *Module) Instructions(funcIndex uint32) ([]Instr, error) {
	c := m.FuncCode(funcIndex)
	if c == nil {
		return nil, fmt.Errorf("function %d has no body in this module (%d imported, %d defined)",
			funcIndex, m.ImportedFuncs(), len(m.Code))
	}
	return c.Instructions()
}
