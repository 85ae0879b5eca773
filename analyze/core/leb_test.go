package core

import (
	"math"
	"testing"
)

func TestLEB(t *testing.T) {
	for _, tc := range []struct {
		in     []byte
		bits   uint
		signed bool
		want   int64
		st     lebStatus
		n      int
	}{
		{[]byte{0x00}, 32, false, 0, lebOK, 1},
		{[]byte{0x7f}, 32, false, 127, lebOK, 1},
		{[]byte{0x80, 0x01}, 32, false, 128, lebOK, 2},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, lebOK, 5}, // padded, allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, false, math.MaxUint32, lebOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, false, 0, lebTooLarge, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, lebTooLong, 5},
		{[]byte{0x80, 0x80}, 32, false, 0, lebEOF, 2},
		{[]byte{}, 32, false, 0, lebEOF, 0},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, false, -1, lebOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64, false, 0, lebTooLarge, 10},

		{[]byte{0x7f}, 32, true, -1, lebOK, 1},
		{[]byte{0x40}, 32, true, -64, lebOK, 1},
		{[]byte{0x3f}, 32, true, 63, lebOK, 1},
		{[]byte{0xc0, 0x00}, 32, true, 64, lebOK, 2},
		{[]byte{0xff, 0x7f}, 32, true, -1, lebOK, 2}, // padded, allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, true, math.MaxInt32, lebOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, true, math.MinInt32, lebOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, true, 0, lebTooLarge, 5}, // sign bits disagree
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 32, true, 0, lebTooLarge, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 32, true, -1, lebOK, 5},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, true, 0xffffffff, lebOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 33, true, -1 << 32, lebOK, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x20}, 33, true, 0, lebTooLarge, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 33, true, 0, lebTooLong, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, true, math.MinInt64, lebOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, true, math.MaxInt64, lebOK, 10},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, true, 0, lebTooLarge, 10},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, true, 0, lebTooLong, 10},
	} {
		var got int64
		var p int
		var st lebStatus
		if tc.signed {
			got, p, st = readSigned(tc.in, 0, tc.bits)
		} else {
			var u uint64
			u, p, st = readUnsigned(tc.in, 0, tc.bits)
			got = int64(u)
		}
		if st != tc.st || (st == lebOK && (got != tc.want || p != tc.n)) {
			t.Errorf("% x (%d bits, signed %v) = %d, %d, status %d; want %d, %d, status %d",
				tc.in, tc.bits, tc.signed, got, p, st, tc.want, tc.n, tc.st)
		}
		if !tc.signed && tc.bits == 32 {
			v, p2, st2 := readU32(tc.in, 0)
			if st2 != st || (st == lebOK && (int64(v) != got || p2 != p)) {
				t.Errorf("readU32(% x) = %d, %d, %d", tc.in, v, p2, st2)
			}
		}
	}
}

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
