//go:build ignore

// gen_opcodes generates opcodes_gen.go: the Opcode constants and the
// mnemonic and immediate tables, all from the single list below.
//
//	go generate ./analyze/core
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"
)

type op struct {
	prefix uint32 // 0, 0xFC or 0xFD
	code   uint32
	name   string // text-format mnemonic
	imm    string // immediate kind constant (imm...)
	cname  string // constant name override
}

var ops []op

func add(prefix, code uint32, name, imm string) { ops = append(ops, op{prefix, code, name, imm, ""}) }

func main() {
	// Control, parametric, variable, table and reference instructions.
	for _, o := range []op{
		{0, 0x00, "unreachable", "immNone", ""},
		{0, 0x01, "nop", "immNone", ""},
		{0, 0x02, "block", "immBlock", ""},
		{0, 0x03, "loop", "immBlock", ""},
		{0, 0x04, "if", "immBlock", ""},
		{0, 0x05, "else", "immNone", ""},
		{0, 0x0B, "end", "immEnd", ""},
		{0, 0x0C, "br", "immIdx", ""},
		{0, 0x0D, "br_if", "immIdx", ""},
		{0, 0x0E, "br_table", "immBrTable", ""},
		{0, 0x0F, "return", "immNone", ""},
		{0, 0x10, "call", "immIdx", ""},
		{0, 0x11, "call_indirect", "immIdx2", ""},
		{0, 0x12, "return_call", "immIdx", ""},
		{0, 0x13, "return_call_indirect", "immIdx2", ""},
		{0, 0x1A, "drop", "immNone", ""},
		{0, 0x1B, "select", "immNone", ""},
		{0, 0x1C, "select", "immSelectT", "OpSelectTyped"},
		{0, 0x20, "local.get", "immIdx", ""},
		{0, 0x21, "local.set", "immIdx", ""},
		{0, 0x22, "local.tee", "immIdx", ""},
		{0, 0x23, "global.get", "immIdx", ""},
		{0, 0x24, "global.set", "immIdx", ""},
		{0, 0x25, "table.get", "immIdx", ""},
		{0, 0x26, "table.set", "immIdx", ""},
	} {
		ops = append(ops, o)
	}
	for i, n := range strings.Fields(`i32.load i64.load f32.load f64.load
		i32.load8_s i32.load8_u i32.load16_s i32.load16_u
		i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
		i32.store i64.store f32.store f64.store
		i32.store8 i32.store16 i64.store8 i64.store16 i64.store32`) {
		add(0, 0x28+uint32(i), n, "immMemArg")
	}
	add(0, 0x3F, "memory.size", "immIdx")
	add(0, 0x40, "memory.grow", "immIdx")
	add(0, 0x41, "i32.const", "immI32")
	add(0, 0x42, "i64.const", "immI64")
	add(0, 0x43, "f32.const", "immF32")
	add(0, 0x44, "f64.const", "immF64")
	for i, n := range strings.Fields(`i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u
		i32.le_s i32.le_u i32.ge_s i32.ge_u
		i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
		f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
		f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
		i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
		i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
		i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
		i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
		f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt
		f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
		f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt
		f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
		i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
		i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
		f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
		f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
		i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
		i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`) {
		add(0, 0x45+uint32(i), n, "immNone")
	}
	add(0, 0xD0, "ref.null", "immRefNull")
	add(0, 0xD1, "ref.is_null", "immNone")
	add(0, 0xD2, "ref.func", "immIdx")

	// 0xFC prefix: saturating truncation, bulk memory, table instructions.
	for i, n := range strings.Fields(`i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
		i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u`) {
		add(0xFC, uint32(i), n, "immNone")
	}
	add(0xFC, 8, "memory.init", "immIdx2")
	add(0xFC, 9, "data.drop", "immIdx")
	add(0xFC, 10, "memory.copy", "immIdx2")
	add(0xFC, 11, "memory.fill", "immIdx")
	add(0xFC, 12, "table.init", "immIdx2")
	add(0xFC, 13, "elem.drop", "immIdx")
	add(0xFC, 14, "table.copy", "immIdx2")
	add(0xFC, 15, "table.grow", "immIdx")
	add(0xFC, 16, "table.size", "immIdx")
	add(0xFC, 17, "table.fill", "immIdx")

	// 0xFD prefix: fixed-width SIMD ("-" marks an unassigned opcode).
	simd := `v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u
		v128.load32x2_s v128.load32x2_u v128.load8_splat v128.load16_splat v128.load32_splat
		v128.load64_splat v128.store v128.const i8x16.shuffle i8x16.swizzle
		i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat
		i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane
		i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
		i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane
		f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane
		i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
		i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
		i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
		f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge
		f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
		v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true
		v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane
		v128.store8_lane v128.store16_lane v128.store32_lane v128.store64_lane
		v128.load32_zero v128.load64_zero f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
		i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask
		i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
		f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
		i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u
		i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor
		i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u
		i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
		i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u
		i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask
		i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
		i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
		i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u
		i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul
		i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u
		i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
		i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -
		i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
		i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - - i32x4.mul
		i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
		i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
		i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -
		i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
		i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - - i64x2.mul
		i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
		i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
		f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div
		f32x4.min f32x4.max f32x4.pmin f32x4.pmax
		f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div
		f64x2.min f64x2.max f64x2.pmin f64x2.pmax
		i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
		i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero
		f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u
		i8x16.relaxed_swizzle
		i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u
		i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero
		f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
		i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect
		f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max
		i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s`
	for i, n := range strings.Fields(simd) {
		if n == "-" {
			continue
		}
		imm := "immNone"
		switch {
		case i <= 11 || i == 92 || i == 93:
			imm = "immMemArg"
		case i == 12:
			imm = "immV128"
		case i == 13:
			imm = "immShuffle"
		case i >= 21 && i <= 34:
			imm = "immLane"
		case i >= 84 && i <= 91:
			imm = "immMemArgLane"
		}
		add(0xFD, uint32(i), n, imm)
	}
	if n := len(strings.Fields(simd)); n != 0x114 {
		log.Fatalf("SIMD table has %d entries, want 0x114", n)
	}

	var buf bytes.Buffer
	fmt.Fprintln(&buf, "// Code generated by gen_opcodes.go; DO NOT EDIT.\n\npackage core\n")
	fmt.Fprintln(&buf, "// Opcodes of every instruction the decoder supports. Plain opcodes are the")
	fmt.Fprintln(&buf, "// byte itself; prefixed opcodes are prefix<<16 | sub-opcode.")
	fmt.Fprintln(&buf, "const (")
	seen := map[string]bool{}
	for _, o := range ops {
		c := o.cname
		if c == "" {
			c = constName(o.name)
		}
		if seen[c] {
			log.Fatalf("duplicate constant %s", c)
		}
		seen[c] = true
		fmt.Fprintf(&buf, "\t%s Opcode = 0x%X // %s\n", c, o.prefix<<16|o.code, o.name)
	}
	fmt.Fprintln(&buf, ")\n")
	table := func(varName string, prefix uint32, n int) {
		fmt.Fprintf(&buf, "var %sNames = [%d]string{\n", varName, n)
		for _, o := range ops {
			if o.prefix == prefix {
				fmt.Fprintf(&buf, "\t0x%X: %q,\n", o.code, o.name)
			}
		}
		fmt.Fprintf(&buf, "}\n\nvar %sImm = [%d]immKind{\n", varName, n)
		for _, o := range ops {
			if o.prefix == prefix {
				fmt.Fprintf(&buf, "\t0x%X: %s,\n", o.code, o.imm)
			}
		}
		if prefix == 0 {
			fmt.Fprintf(&buf, "\t0xFC: immPrefixFC,\n\t0xFD: immPrefixFD,\n")
		}
		fmt.Fprintln(&buf, "}\n")
	}
	table("op", 0, 256)
	table("opFC", 0xFC, 18)
	table("opFD", 0xFD, 0x114)
	src, err := format.Source(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("opcodes_gen.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// constName turns a mnemonic into a Go constant name:
// "i32.trunc_sat_f32_s" → "OpI32TruncSatF32S".
func constName(mnemonic string) string {
	var b strings.Builder
	b.WriteString("Op")
	for _, part := range strings.FieldsFunc(mnemonic, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
