package callbacks

import (
	"strings"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// stackEffect returns how many operands an instruction pops and how many
// results it pushes, for the instructions the simulator does not model
// individually (control, variable, call, table and constant instructions
// are handled in sim.step). ok is false for an instruction it does not
// know, which makes the simulation give up on the function: an unknown
// effect must never be guessed.
func stackEffect(op core.Opcode) (pop, push int, ok bool) {
	switch op.Prefix() {
	case 0:
		return plainEffect(byte(op))
	case core.PrefixMisc:
		switch s := op.Sub(); {
		case s <= 7: // trunc_sat
			return 1, 1, true
		case op == core.OpMemoryInit, op == core.OpMemoryCopy, op == core.OpMemoryFill:
			return 3, 0, true
		case op == core.OpDataDrop, op == core.OpElemDrop:
			return 0, 0, true
		}
		return 0, 0, false
	case core.PrefixSIMD:
		return simdEffect(op.String())
	}
	return 0, 0, false
}

func plainEffect(b byte) (pop, push int, ok bool) {
	switch {
	case b == 0x01: // nop
		return 0, 0, true
	case b == 0x1A: // drop
		return 1, 0, true
	case b >= 0x28 && b <= 0x35: // loads
		return 1, 1, true
	case b >= 0x36 && b <= 0x3E: // stores
		return 2, 0, true
	case b == 0x3F: // memory.size
		return 0, 1, true
	case b == 0x40: // memory.grow
		return 1, 1, true
	case b == 0x43 || b == 0x44: // f32.const, f64.const
		return 0, 1, true
	case b == 0x45 || b == 0x50: // i32.eqz, i64.eqz
		return 1, 1, true
	case b >= 0x46 && b <= 0x4F, b >= 0x51 && b <= 0x66: // comparisons
		return 2, 1, true
	case b >= 0x67 && b <= 0x69, b >= 0x79 && b <= 0x7B: // clz, ctz, popcnt
		return 1, 1, true
	case b >= 0x6A && b <= 0x78, b >= 0x7C && b <= 0x8A: // integer binary
		return 2, 1, true
	case b >= 0x8B && b <= 0x91, b >= 0x99 && b <= 0x9F: // float unary
		return 1, 1, true
	case b >= 0x92 && b <= 0x98, b >= 0xA0 && b <= 0xA6: // float binary
		return 2, 1, true
	case b >= 0xA7 && b <= 0xC4: // conversions, reinterpretations, sign extension
		return 1, 1, true
	case b == 0xD0 || b == 0xD2: // ref.null, ref.func
		return 0, 1, true
	case b == 0xD1: // ref.is_null
		return 1, 1, true
	}
	return 0, 0, false
}

// simdEffect derives the effect of a SIMD instruction from its mnemonic.
func simdEffect(name string) (pop, push int, ok bool) {
	op := name
	if i := strings.IndexByte(name, '.'); i >= 0 {
		op = name[i+1:]
	}
	switch {
	case strings.HasPrefix(name, "opcode("):
		return 0, 0, false
	case strings.Contains(op, "store") && strings.Contains(op, "lane"):
		return 2, 0, true
	case strings.Contains(op, "store"):
		return 2, 0, true
	case strings.Contains(op, "load") && strings.Contains(op, "lane"):
		return 2, 1, true
	case strings.Contains(op, "load"):
		return 1, 1, true
	case op == "const":
		return 0, 1, true
	case op == "shuffle":
		return 2, 1, true
	case op == "splat", strings.HasPrefix(op, "extract_lane"):
		return 1, 1, true
	case op == "replace_lane":
		return 2, 1, true
	case op == "bitselect", strings.HasSuffix(op, "laneselect"), strings.HasSuffix(op, "madd"),
		strings.HasSuffix(op, "nmadd"), strings.HasPrefix(op, "relaxed_dot") && strings.Contains(op, "_add"):
		return 3, 1, true
	}
	for _, u := range []string{"not", "abs", "neg", "popcnt", "sqrt", "ceil", "floor", "trunc", "nearest",
		"any_true", "all_true", "bitmask"} {
		if op == u {
			return 1, 1, true
		}
	}
	for _, u := range []string{"extend_", "extadd_pairwise", "convert", "trunc_sat", "demote", "promote", "relaxed_trunc"} {
		if strings.HasPrefix(op, u) {
			return 1, 1, true
		}
	}
	return 2, 1, true // every other SIMD instruction is binary
}
