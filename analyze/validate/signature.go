package validate

import (
	"strings"
	"sync"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// sig is the type of a numeric or vector instruction.
type sig struct {
	in, out []core.ValType
	lane    byte // lanes of an extract_lane or replace_lane, else 0
}

// opTables are the validator's per-opcode tables: the type of every
// numeric and vector instruction the decoder knows (sigs) and every load
// and store (mems), derived from the mnemonics (the text format names
// each instruction by its operand shape: "i64.trunc_sat_f32_u",
// "i16x8.extract_lane_s"), and the one-byte opcodes indexed directly.
type opTables struct {
	plain [256]plainOp
	sigs  map[core.Opcode]sig
	mems  map[core.Opcode]memOp
}

// ops returns the opTables, built on first use rather than at package
// initialization (every wfcompat command links this package; few
// validate) and read-only after.
var ops = sync.OnceValue(func() *opTables {
	t := &opTables{sigs: buildSignatures(), mems: buildMemOps()}
	for op := range t.plain {
		o := core.Opcode(op)
		_, mem := t.mems[o]
		switch s, ok := t.sigs[o]; {
		case o == core.OpUnreachable || o == core.OpNop || o == core.OpBlock || o == core.OpLoop || o == core.OpIf ||
			o == core.OpElse || o == core.OpEnd || o == core.OpBr || o == core.OpBrIf || o == core.OpBrTable || o == core.OpReturn:
			t.plain[op].class = clsControl
		case o == core.OpLocalGet || o == core.OpLocalSet || o == core.OpLocalTee || o == core.OpGlobalGet || o == core.OpGlobalSet:
			t.plain[op].class = clsVariable
		case ok:
			t.plain[op] = plainOp{class: clsNumeric, sig: s}
		case isTableOp(o):
			t.plain[op].class = clsTable
		case mem || isBulkMemoryOp(o):
			t.plain[op] = plainOp{class: clsMemory, mem: t.mems[o]}
		}
	}
	return t
})

// opClass sorts the one-byte opcodes for the validator's dispatch.
type opClass uint8

const (
	clsOther    opClass = iota // calls, references, constants, drop, select: other's switch
	clsNumeric                 // typed by sig alone
	clsMemory                  // loads, stores and memory.* (mem set for loads and stores)
	clsTable                   // table.*
	clsControl                 // control instructions: control
	clsVariable                // local.* and global.*: variable
)

// plainOp is what the validator knows of a one-byte opcode.
type plainOp struct {
	class opClass
	sig   sig
	mem   memOp
}

func signature(op core.Opcode) (sig, bool) {
	t := ops()
	if op < 256 {
		p := &t.plain[op]
		return p.sig, p.class == clsNumeric
	}
	s, ok := t.sigs[op]
	return s, ok
}

func buildSignatures() map[core.Opcode]sig {
	out := map[core.Opcode]sig{}
	add := func(op core.Opcode) {
		name := op.String()
		if strings.HasPrefix(name, "opcode(") || isTableOp(op) || strings.Contains(name, ".load") || strings.Contains(name, ".store") ||
			strings.HasPrefix(name, "memory.") || name == "data.drop" {
			return
		}
		if s, ok := deriveSig(name); ok {
			out[op] = s
		}
	}
	for b := 0; b < 0xFC; b++ {
		add(core.Opcode(b))
	}
	for sub := 0; sub < 0x200; sub++ {
		add(core.Opcode(0xFC<<16 | sub))
		add(core.Opcode(0xFD<<16 | sub))
	}
	return out
}

// scalar returns the scalar value type a mnemonic's type prefix names
// (i32, i64, f32, f64).
func scalar(name string) (core.ValType, bool) {
	switch name {
	case "i32":
		return core.I32, true
	case "i64":
		return core.I64, true
	case "f32":
		return core.F32, true
	case "f64":
		return core.F64, true
	}
	return 0, false
}

// laneType is the scalar of a vector shape: i8x16 → i32, f64x2 → f64.
func laneType(shape string) (core.ValType, int) {
	switch shape {
	case "i8x16":
		return core.I32, 16
	case "i16x8":
		return core.I32, 8
	case "i32x4":
		return core.I32, 4
	case "i64x2":
		return core.I64, 2
	case "f32x4":
		return core.F32, 4
	case "f64x2":
		return core.F64, 2
	}
	return 0, 0
}

func ts(t ...core.ValType) []core.ValType { return t }

// deriveSig derives the type of the instruction with mnemonic name.
func deriveSig(name string) (sig, bool) {
	ty, op, ok := strings.Cut(name, ".")
	if !ok {
		return sig{}, false
	}
	if t, ok := scalar(ty); ok {
		return scalarSig(t, op)
	}
	if ty == "v128" || strings.Contains(ty, "x") {
		return vectorSig(ty, op)
	}
	return sig{}, false
}

func scalarSig(t core.ValType, op string) (sig, bool) {
	switch op {
	case "const":
		return sig{}, false // handled by the caller
	case "eqz":
		return sig{in: ts(t), out: ts(core.I32)}, true
	case "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u", "lt", "gt", "le", "ge":
		return sig{in: ts(t, t), out: ts(core.I32)}, true
	case "clz", "ctz", "popcnt", "abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt",
		"extend8_s", "extend16_s", "extend32_s":
		return sig{in: ts(t), out: ts(t)}, true
	case "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u",
		"rotl", "rotr", "div", "min", "max", "copysign":
		return sig{in: ts(t, t), out: ts(t)}, true
	}
	// Conversions name their source: wrap_i64, trunc_sat_f32_s, convert_i64_u,
	// demote_f64, promote_f32, reinterpret_f32, extend_i32_s.
	for _, part := range strings.Split(op, "_") {
		if src, ok := scalar(part); ok {
			return sig{in: ts(src), out: ts(t)}, true
		}
	}
	return sig{}, false
}

func vectorSig(shape, op string) (sig, bool) {
	v := core.V128
	unary := sig{in: ts(v), out: ts(v)}
	binary := sig{in: ts(v, v), out: ts(v)}
	ternary := sig{in: ts(v, v, v), out: ts(v)}
	lt, lanes := laneType(shape)
	switch {
	case op == "const":
		return sig{out: ts(v)}, true
	case op == "splat":
		return sig{in: ts(lt), out: ts(v)}, lt != 0
	case strings.HasPrefix(op, "extract_lane"):
		return sig{in: ts(v), out: ts(lt), lane: byte(lanes)}, lt != 0
	case op == "replace_lane":
		return sig{in: ts(v, lt), out: ts(v), lane: byte(lanes)}, lt != 0
	case op == "shl" || op == "shr_s" || op == "shr_u":
		return sig{in: ts(v, core.I32), out: ts(v)}, true
	case op == "any_true" || op == "all_true" || op == "bitmask":
		return sig{in: ts(v), out: ts(core.I32)}, true
	case op == "bitselect" || strings.HasSuffix(op, "laneselect") || strings.HasSuffix(op, "madd") ||
		strings.HasSuffix(op, "nmadd") || strings.HasPrefix(op, "relaxed_dot") && strings.Contains(op, "_add"):
		return ternary, true
	}
	for _, u := range []string{"not", "abs", "neg", "popcnt", "sqrt", "ceil", "floor", "trunc", "nearest"} {
		if op == u {
			return unary, true
		}
	}
	for _, u := range []string{"extend_", "extadd_pairwise", "convert", "trunc_sat", "demote", "promote", "relaxed_trunc"} {
		if strings.HasPrefix(op, u) {
			return unary, true
		}
	}
	return binary, true
}
