package core

import (
	"math"
	"testing"
)

func TestEval(t *testing.T) {
	ins := func(in ...Instr) ConstExpr {
		for i := range in {
			in[i].Off = uint32(10 + i)
		}
		return ConstExpr{Off: 10, End: uint32(11 + len(in)), Instrs: in}
	}
	g := func(i uint32) (Value, bool) {
		switch i {
		case 0:
			return Value{Type: I32, Bits: 0xfffffff0}, true
		case 1:
			return Value{Type: I64, Bits: 1 << 40}, true
		}
		return Value{}, false
	}
	for _, tc := range []struct {
		name string
		e    ConstExpr
		want Value
		err  string
	}{
		{"i32 wraps", ins(Instr{Op: OpGlobalGet, Index: 0}, Instr{Op: OpI32Const, I64: 32}, Instr{Op: OpI32Add}),
			Value{Type: I32, Bits: 16}, ""},
		{"i32 negative", ins(Instr{Op: OpI32Const, I64: -5}), Value{Type: I32, Bits: 0xfffffffb}, ""},
		{"i64 mul sub", ins(Instr{Op: OpGlobalGet, Index: 1}, Instr{Op: OpI64Const, I64: 3}, Instr{Op: OpI64Mul},
			Instr{Op: OpI64Const, I64: 1}, Instr{Op: OpI64Sub}), Value{Type: I64, Bits: 3<<40 - 1}, ""},
		{"f64", ins(Instr{Op: OpF64Const, Bits: math.Float64bits(1.5)}), Value{Type: F64, Bits: math.Float64bits(1.5)}, ""},
		{"v128", ins(Instr{Op: OpV128Const, V128: [16]byte{1}}), Value{Type: V128, V128: [16]byte{1}}, ""},
		{"ref.null", ins(Instr{Op: OpRefNull, Type: ExternRef}), Value{Type: ExternRef, Null: true}, ""},
		{"unknown global", ins(Instr{Op: OpGlobalGet, Index: 2}), Value{}, "offset 0xa: global.get 2: value not known"},
		{"type mismatch", ins(Instr{Op: OpI32Const}, Instr{Op: OpI64Const}, Instr{Op: OpI32Add}), Value{},
			"offset 0xc: type mismatch in constant expression: i32.add needs i32 operands"},
		{"underflow", ins(Instr{Op: OpI64Add}), Value{}, "offset 0xa: type mismatch in constant expression: i64.add needs i64 operands"},
		{"two values", ins(Instr{Op: OpI32Const}, Instr{Op: OpI32Const}), Value{}, "offset 0xc: constant expression leaves 2 values, want 1"},
		{"empty", ins(), Value{}, "offset 0xa: constant expression leaves 0 values, want 1"},
		{"not constant", ins(Instr{Op: OpLocalGet}), Value{}, "offset 0xa: local.get is not a constant instruction"},
	} {
		got, err := tc.e.Eval(g)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: error %v, want %s", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestOpcodeString(t *testing.T) {
	for op, want := range map[Opcode]string{
		OpCall:                  "call",
		OpSelectTyped:           "select",
		OpI64TruncSatF64U:       "i64.trunc_sat_f64_u",
		OpTableFill:             "table.fill",
		OpI8x16Shuffle:          "i8x16.shuffle",
		OpF64x2ConvertLowI32x4U: "f64x2.convert_low_i32x4_u",
		OpI8x16RelaxedSwizzle:   "i8x16.relaxed_swizzle",
		0x06:                    "opcode(0x6)",
		0xFC0012:                "opcode(0xfc0012)",
		0xFD009A:                "opcode(0xfd009a)",
		0xFB0000:                "opcode(0xfb0000)",
	} {
		if got := op.String(); got != want {
			t.Errorf("%#x.String() = %q, want %q", uint32(op), got, want)
		}
	}
	if OpTableGrow != 0xFC000F || OpTableGrow.Prefix() != PrefixMisc || OpTableGrow.Sub() != 15 {
		t.Errorf("OpTableGrow = %#x", uint32(OpTableGrow))
	}
	if n := len(allOpcodes()); n != 185+18+236+20 {
		// 185 plain (Wasm 2.0 plus tail calls), 18 0xFC, 236 fixed-width
		// SIMD and 20 relaxed SIMD opcodes.
		t.Errorf("%d opcodes", n)
	}
}

func TestBlockType(t *testing.T) {
	if _, ok := BlockEmpty.ValType(); ok || BlockEmpty.String() != "" {
		t.Errorf("BlockEmpty")
	}
	if v, ok := BlockTypeOf(V128).ValType(); !ok || v != V128 {
		t.Errorf("BlockTypeOf(V128) = %v", v)
	}
	if x, ok := BlockType(7).TypeIndex(); !ok || x != 7 || BlockType(7).String() != "(type 7)" {
		t.Errorf("type index block")
	}
}
