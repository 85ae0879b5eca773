package core

import "fmt"

//go:generate go run gen_opcodes.go

// Opcode identifies an instruction. A single-byte opcode is the byte itself
// (OpCall is 0x10); a prefixed opcode is prefix<<16 | sub-opcode, so
// OpTableGrow (0xFC 15) is 0xFC000F and OpV128Const (0xFD 12) is 0xFD000C.
type Opcode uint32

// Opcode prefixes.
const (
	PrefixMisc byte = 0xFC // saturating truncation, bulk memory, table instructions
	PrefixSIMD byte = 0xFD // fixed-width and relaxed SIMD
)

// Prefix returns the opcode's prefix byte (0xFC or 0xFD), or 0 if it has none.
func (o Opcode) Prefix() byte { return byte(o >> 16) }

// Sub returns the sub-opcode of a prefixed opcode, or the opcode byte itself.
func (o Opcode) Sub() uint32 { return uint32(o & 0xFFFF) }

// String returns the text-format mnemonic, such as "i32.add" or
// "i8x16.shuffle"; both select forms are "select". Opcodes the decoder does
// not support print as "opcode(0x...)".
func (o Opcode) String() string {
	var name string
	switch o.Prefix() {
	case 0:
		if o < 256 {
			name = opNames[o]
		}
	case PrefixMisc:
		if s := o.Sub(); s < uint32(len(opFCNames)) {
			name = opFCNames[s]
		}
	case PrefixSIMD:
		if s := o.Sub(); s < uint32(len(opFDNames)) {
			name = opFDNames[s]
		}
	}
	if name == "" {
		return fmt.Sprintf("opcode(0x%x)", uint32(o))
	}
	return name
}

// immKind says which immediates follow an opcode. The zero value marks an
// opcode the decoder does not support.
type immKind uint8

const (
	immInvalid    immKind = iota
	immNone               // no immediates
	immEnd                // end: closes a block or the expression
	immIdx                // one u32 index → Index
	immBlock              // block, loop, if: a block type
	immIdx2               // two u32 indices → Index, Index2
	immBrTable            // vec(labelidx) labelidx → Targets, Index
	immMemArg             // memarg → Mem
	immMemArgLane         // memarg, lane byte → Mem, Lane
	immLane               // lane byte → Lane
	immI32                // s32 → I64
	immI64                // s64 → I64
	immF32                // 4 bytes → Bits
	immF64                // 8 bytes → Bits
	immV128               // 16 bytes → V128
	immShuffle            // 16 lane bytes → V128
	immSelectT            // vec(valtype) of length 1 → Type
	immRefNull            // reftype → Type
	immPrefixFC           // 0xFC prefix
	immPrefixFD           // 0xFD prefix
)

// unsupportedNotes names the proposal of opcodes the decoder knows about but
// deliberately rejects, to make the error message actionable ("" for other
// opcodes; an array, constant data, where a map would be built at every
// start-up).
var unsupportedNotes = [256]string{
	0x06: "try, legacy exception handling",
	0x07: "catch, legacy exception handling",
	0x08: "throw, exception handling",
	0x09: "rethrow, legacy exception handling",
	0x0A: "throw_ref, exception handling",
	0x14: "call_ref, function references",
	0x15: "return_call_ref, function references",
	0x18: "delegate, legacy exception handling",
	0x19: "catch_all, legacy exception handling",
	0x1F: "try_table, exception handling",
	0xD3: "ref.eq, GC",
	0xD4: "ref.as_non_null, function references",
	0xD5: "br_on_null, function references",
	0xD6: "br_on_non_null, function references",
	0xFB: "GC prefix",
	0xFE: "threads prefix",
}
