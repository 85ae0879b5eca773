package callbacks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// simModule is the module the step cases run in: type 0 (i32)->(), type 1
// ()->(i32), type 2 (i32 i32)->(i32); function 0 an import of type 0
// (registering: parameter 0 is a callback index), function 1 of type 2;
// global 0 immutable i32 42, global 1 mutable; one funcref table.
func simModule() *core.Module {
	i32 := []core.ValType{core.I32}
	m := &core.Module{
		Types:   []core.FuncType{{Params: i32}, {Results: i32}, {Params: []core.ValType{core.I32, core.I32}, Results: i32}},
		Imports: []core.Import{{Module: "ic0", Name: "reg", Kind: core.KindFunc, TypeIndex: 0}},
		Funcs:   []uint32{2},
		Globals: []core.Global{
			{Type: core.GlobalType{Type: core.I32}, Init: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpI32Const, I64: 42}}}},
			{Type: core.GlobalType{Type: core.I32, Mutable: true}, Init: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpI32Const}}}},
		},
		Tables: []core.Table{{Type: core.TableType{Elem: core.FuncRef, Limits: core.Limits{Min: 4}}}},
	}
	m.Code = []core.Code{{}}
	return m
}

// newTestSim returns a simulation of function 1 (params p0, p1; locals
// l2, l3 of type i32, both written) with table ops recorded and the
// import registering.
func newTestSim() *sim {
	m := simModule()
	z := &analyzer{m: m, a: &Analysis{Tables: []Table{{Index: 0, Elem: "funcref", Min: 4}}}, nimp: 1,
		regs:      map[uint32]*regFunc{0: {fn: 0, args: []regArg{{param: 0, imp: "ic0.reg", role: RoleReply, table: 0, env: -1}}}},
		funcNames: map[uint32]string{}}
	z.evalGlobals()
	s := &sim{z: z, fn: 1, code: &m.Code[0], nparams: 2, set: map[uint32]bool{0: true}, recordOps: true,
		locals:  []val{{k: vParam, x: 0, op: opParam}, {k: vParam, x: 1, op: opParam}, {k: vConst}, {k: vConst}},
		written: []uint32{2, 3}}
	s.frames = []frame{{op: core.OpBlock, nresults: 0}}
	return s
}

// show renders an abstract value compactly: "5", "p0", "p0[1→7]",
// "p0==3", "d(+8)", "?".
func show(v val) string {
	switch v.k {
	case vConst:
		return fmt.Sprint(v.c)
	case vParam:
		if len(v.m) > 0 {
			var ps []string
			for _, p := range v.m {
				ps = append(ps, fmt.Sprintf("%d→%d", p.from, p.to))
			}
			return fmt.Sprintf("p%d[%s]", v.x, strings.Join(ps, ","))
		}
		return fmt.Sprintf("p%d", v.x)
	case vCmp:
		op := "=="
		if v.ne {
			op = "!="
		}
		return fmt.Sprintf("p%d%s%d", v.x, op, v.c)
	case vDerived:
		return fmt.Sprintf("d(%+d)", int64(v.c))
	}
	return "?"
}

func i(op core.Opcode) core.Instr { return core.Instr{Op: op} }
func ix(op core.Opcode, x uint32) core.Instr {
	return core.Instr{Op: op, Index: x}
}
func c32(v int32) core.Instr { return core.Instr{Op: core.OpI32Const, I64: int64(v)} }
func c64(v int64) core.Instr { return core.Instr{Op: core.OpI64Const, I64: v} }
func blk(op core.Opcode, bt core.BlockType) core.Instr {
	return core.Instr{Op: op, Block: bt}
}

// TestSimStep gives every instruction the simulator models a case: the
// instructions run in a fresh simulation, and the case checks the operand
// stack (top last), the locals l2 and l3, and what was recorded.
func TestSimStep(t *testing.T) {
	i32 := core.BlockTypeOf(core.I32)
	for _, tc := range []struct {
		name   string
		instrs []core.Instr
		stack  string // the operand stack, bottom first
		locals string // l2 l3
		rec    string // sites, table ops, unresolved, give-up
	}{
		{"i32.const", []core.Instr{c32(-1)}, "4294967295", "0 0", ""},
		{"i64.const", []core.Instr{c64(-1)}, "18446744073709551615", "0 0", ""},
		{"i32.add const", []core.Instr{c32(2), c32(3), i(core.OpI32Add)}, "5", "0 0", ""},
		{"i32.sub wraps", []core.Instr{c32(2), c32(3), i(core.OpI32Sub)}, "4294967295", "0 0", ""},
		{"i32.mul", []core.Instr{c32(6), c32(7), i(core.OpI32Mul)}, "42", "0 0", ""},
		{"i32.and", []core.Instr{c32(6), c32(3), i(core.OpI32And)}, "2", "0 0", ""},
		{"i32.or", []core.Instr{c32(6), c32(3), i(core.OpI32Or)}, "7", "0 0", ""},
		{"i32.xor", []core.Instr{c32(6), c32(3), i(core.OpI32Xor)}, "5", "0 0", ""},
		{"i32.shl", []core.Instr{c32(1), c32(33), i(core.OpI32Shl)}, "2", "0 0", ""},
		{"i32.shr_u", []core.Instr{c32(-1), c32(28), i(core.OpI32ShrU)}, "15", "0 0", ""},
		{"i64.add", []core.Instr{c64(1 << 40), c64(1), i(core.OpI64Add)}, "1099511627777", "0 0", ""},
		{"i64.sub", []core.Instr{c64(1), c64(2), i(core.OpI64Sub)}, "18446744073709551615", "0 0", ""},
		{"i64.mul", []core.Instr{c64(1 << 32), c64(4), i(core.OpI64Mul)}, "17179869184", "0 0", ""},
		{"i64.and", []core.Instr{c64(12), c64(10), i(core.OpI64And)}, "8", "0 0", ""},
		{"i64.or", []core.Instr{c64(12), c64(10), i(core.OpI64Or)}, "14", "0 0", ""},
		{"i64.xor", []core.Instr{c64(12), c64(10), i(core.OpI64Xor)}, "6", "0 0", ""},
		{"i64.shl", []core.Instr{c64(1), c64(40), i(core.OpI64Shl)}, "1099511627776", "0 0", ""},
		{"i64.shr_u", []core.Instr{c64(-1), c64(60), i(core.OpI64ShrU)}, "15", "0 0", ""},
		{"add to a run-time value is an address", []core.Instr{ix(core.OpLocalGet, 0), c32(8), i(core.OpI32Add)}, "d(+8)", "0 0", ""},
		{"i32.eq const", []core.Instr{c32(3), c32(3), i(core.OpI32Eq)}, "1", "0 0", ""},
		{"i32.ne param", []core.Instr{ix(core.OpLocalGet, 0), c32(3), i(core.OpI32Ne)}, "p0!=3", "0 0", ""},
		{"i64.eq param", []core.Instr{c64(3), ix(core.OpLocalGet, 1), i(core.OpI64Eq)}, "p1==3", "0 0", ""},
		{"i64.ne const", []core.Instr{c64(3), c64(4), i(core.OpI64Ne)}, "1", "0 0", ""},
		{"i32.wrap_i64", []core.Instr{c64(1<<32 + 5), i(core.OpI32WrapI64)}, "5", "0 0", ""},
		{"i64.extend_i32_s", []core.Instr{c32(-2), i(core.OpI64ExtendI32S)}, "18446744073709551614", "0 0", ""},
		{"i64.extend_i32_u", []core.Instr{c32(-2), i(core.OpI64ExtendI32U)}, "4294967294", "0 0", ""},
		{"local.get param", []core.Instr{ix(core.OpLocalGet, 1)}, "p1", "0 0", ""},
		{"local.set", []core.Instr{c32(7), ix(core.OpLocalSet, 2)}, "", "7 0", ""},
		{"local.tee", []core.Instr{c32(7), ix(core.OpLocalTee, 3)}, "7", "0 7", ""},
		{"local out of range", []core.Instr{ix(core.OpLocalGet, 9)}, "", "0 0", "gave up: local 9 out of range"},
		{"global.get immutable", []core.Instr{ix(core.OpGlobalGet, 0)}, "42", "0 0", ""},
		{"global.get mutable", []core.Instr{ix(core.OpGlobalGet, 1)}, "?", "0 0", ""},
		{"global.set", []core.Instr{c32(1), ix(core.OpGlobalSet, 1)}, "", "0 0", ""},
		{"select const true", []core.Instr{c32(1), c32(2), c32(1), i(core.OpSelect)}, "1", "0 0", ""},
		{"select const false", []core.Instr{c32(1), c32(2), c32(0), i(core.OpSelectTyped)}, "2", "0 0", ""},
		{"select translation", []core.Instr{ix(core.OpLocalGet, 0), c32(7), ix(core.OpLocalGet, 0), c32(1), i(core.OpI32Ne), i(core.OpSelect)}, "p0[1→7]", "0 0", ""},
		{"select unknown", []core.Instr{c32(1), c32(2), ix(core.OpLocalGet, 0), i(core.OpSelect)}, "?", "0 0", ""},
		{"unreachable", []core.Instr{c32(1), i(core.OpUnreachable), i(core.OpI32Add)}, "?", "0 0", ""},
		{"return", []core.Instr{c32(1), i(core.OpReturn)}, "", "0 0", ""},
		{"block result", []core.Instr{blk(core.OpBlock, i32), c32(1), i(core.OpEnd)}, "?", "0 0", ""},
		{"block keeps locals", []core.Instr{blk(core.OpBlock, core.BlockEmpty), c32(4), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "4 0", ""},
		{"if without else joins", []core.Instr{ix(core.OpLocalGet, 0), blk(core.OpIf, core.BlockEmpty), c32(4), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "? 0", ""},
		{"if else same value", []core.Instr{ix(core.OpLocalGet, 0), blk(core.OpIf, core.BlockEmpty), c32(4), ix(core.OpLocalSet, 2),
			i(core.OpElse), c32(4), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "4 0", ""},
		{"else restores the entry", []core.Instr{c32(5), ix(core.OpLocalSet, 3), ix(core.OpLocalGet, 0), blk(core.OpIf, core.BlockEmpty), c32(4), ix(core.OpLocalSet, 3),
			c32(5), ix(core.OpLocalSet, 2), i(core.OpElse), ix(core.OpLocalGet, 3), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "5 ?", ""},
		{"loop forgets written locals", []core.Instr{c32(5), ix(core.OpLocalSet, 2), blk(core.OpLoop, core.BlockEmpty), ix(core.OpLocalGet, 2), i(core.OpDrop), i(core.OpEnd)}, "", "? ?", ""},
		{"br joins at the target", []core.Instr{blk(core.OpBlock, core.BlockEmpty), c32(1), ix(core.OpLocalSet, 2), ix(core.OpBr, 0), c32(2), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "1 0", ""},
		{"br_if joins both paths", []core.Instr{blk(core.OpBlock, core.BlockEmpty), c32(1), ix(core.OpLocalSet, 2), ix(core.OpLocalGet, 0), ix(core.OpBrIf, 0), c32(2), ix(core.OpLocalSet, 2), i(core.OpEnd)}, "", "? 0", ""},
		{"br_table", []core.Instr{blk(core.OpBlock, core.BlockEmpty), c32(1), ix(core.OpLocalSet, 2), ix(core.OpLocalGet, 0), {Op: core.OpBrTable, Index: 0, Targets: []uint32{0}}, i(core.OpEnd)}, "", "1 0", ""},
		{"br out of range", []core.Instr{ix(core.OpBr, 3)}, "", "0 0", "gave up: branch to label 3 with 1 blocks open"},
		{"call registers", []core.Instr{c32(2), ix(core.OpCall, 0)}, "", "0 0", "site slot 2"},
		{"call forwards a parameter", []core.Instr{ix(core.OpLocalGet, 1), ix(core.OpCall, 0)}, "", "0 0", "forwards param 1"},
		{"call unknown argument", []core.Instr{ix(core.OpLocalGet, 2), c32(1), i(core.OpI32Add), ix(core.OpLocalGet, 0), i(core.OpI32Mul), ix(core.OpCall, 0)}, "", "0 0", "unresolved"},
		{"call result", []core.Instr{c32(1), c32(2), ix(core.OpCall, 1)}, "?", "0 0", ""},
		{"return_call", []core.Instr{c32(1), c32(2), ix(core.OpReturnCall, 1)}, "", "0 0", ""},
		{"call_indirect", []core.Instr{c32(1), c32(2), c32(0), {Op: core.OpCallIndirect, Index: 2}}, "?", "0 0", ""},
		{"return_call_indirect", []core.Instr{c32(1), c32(0), {Op: core.OpReturnCallIndirect, Index: 0}}, "", "0 0", ""},
		{"call of a missing function", []core.Instr{ix(core.OpCall, 9)}, "", "0 0", "gave up: call of function 9, which does not exist"},
		{"table.get", []core.Instr{c32(1), ix(core.OpTableGet, 0)}, "?", "0 0", ""},
		{"table.set", []core.Instr{c32(1), {Op: core.OpRefNull, Type: core.FuncRef}, ix(core.OpTableSet, 0)}, "", "0 0", "table.set [1,2)"},
		{"table.fill", []core.Instr{c32(1), {Op: core.OpRefNull, Type: core.FuncRef}, c32(2), ix(core.OpTableFill, 0)}, "", "0 0", "table.fill [1,3)"},
		{"table.init", []core.Instr{c32(0), c32(0), c32(3), {Op: core.OpTableInit, Index: 0, Index2: 0}}, "", "0 0", "table.init [0,3)"},
		{"table.copy", []core.Instr{c32(0), c32(2), c32(1), {Op: core.OpTableCopy, Index: 0, Index2: 0}}, "", "0 0", "table.copy [0,1) table.copy read [2,3)"},
		{"table.grow", []core.Instr{{Op: core.OpRefNull, Type: core.FuncRef}, c32(1), ix(core.OpTableGrow, 0)}, "?", "0 0", "table.grow ?"},
		{"table.size", []core.Instr{ix(core.OpTableSize, 0)}, "?", "0 0", "table.size read ?"},
		{"table.set unknown slot", []core.Instr{ix(core.OpLocalGet, 0), {Op: core.OpRefNull, Type: core.FuncRef}, ix(core.OpTableSet, 0)}, "", "0 0", "table.set ?"},
		{"stack effect: load", []core.Instr{c32(0), {Op: core.OpI32Load}}, "?", "0 0", ""},
		{"stack effect: f64.const", []core.Instr{{Op: core.OpF64Const}}, "?", "0 0", ""},
		{"stack effect: store", []core.Instr{c32(0), c32(0), {Op: core.OpI32Store}}, "", "0 0", ""},
		{"stack effect: drop", []core.Instr{c32(0), i(core.OpDrop)}, "", "0 0", ""},
		{"stack effect: memory.fill", []core.Instr{c32(0), c32(0), c32(0), i(core.OpMemoryFill)}, "", "0 0", ""},
		{"stack effect: simd", []core.Instr{{Op: core.OpV128Const}, {Op: core.OpV128Const}, i(core.Opcode(0xFD<<16 | 0x4E))}, "?", "0 0", ""},
		{"underflow", []core.Instr{i(core.OpI32Add)}, "?", "0 0", "gave up: operand stack underflow"},
		{"unmodeled", []core.Instr{i(core.Opcode(0xFB << 16))}, "", "0 0", "gave up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSim()
			for k := range tc.instrs {
				in := tc.instrs[k]
				in.Off = uint32(0x100 + k)
				s.step(&in)
				if s.fail != "" {
					break
				}
			}
			var st []string
			for _, v := range s.stack {
				st = append(st, show(v))
			}
			if got := strings.Join(st, " "); s.fail == "" && got != tc.stack {
				t.Errorf("stack %q, want %q", got, tc.stack)
			}
			if got := show(s.locals[2]) + " " + show(s.locals[3]); s.fail == "" && got != tc.locals {
				t.Errorf("locals %q, want %q", got, tc.locals)
			}
			var rec []string
			for _, p := range s.sites {
				rec = append(rec, fmt.Sprintf("site slot %d", p.slot))
			}
			for _, p := range s.fwds {
				rec = append(rec, fmt.Sprintf("forwards param %d", p.ra.param))
			}
			if len(s.unres) > 0 {
				rec = append(rec, "unresolved")
			}
			for _, p := range s.ops {
				r := p.op.Op
				if !p.op.Write {
					r += " read"
				}
				if p.op.Known {
					r += fmt.Sprintf(" [%d,%d)", p.op.Start, p.op.End)
				} else {
					r += " ?"
				}
				rec = append(rec, r)
			}
			if s.fail != "" {
				rec = append(rec, "gave up: "+s.fail)
			}
			if got := strings.Join(rec, " "); !strings.HasPrefix(got, tc.rec) || (tc.rec == "" && got != "") {
				t.Errorf("recorded %q, want %q", got, tc.rec)
			}
		})
	}
}

// TestSimMemoryBudget: block snapshots beyond maxCells give up the
// function instead of growing.
func TestSimMemoryBudget(t *testing.T) {
	s := newTestSim()
	s.written = make([]uint32, 4096)
	s.locals = make([]val, 4096)
	for k := range s.written {
		s.written[k] = uint32(k)
	}
	for k := 0; k < 1000 && s.fail == ""; k++ {
		in := core.Instr{Op: core.OpI32Const, I64: 1}
		s.step(&in)
		in = core.Instr{Op: core.OpIf, Block: core.BlockEmpty}
		s.step(&in)
	}
	if !strings.Contains(s.fail, "more memory to simulate") || s.cells > maxCells+4096 {
		t.Fatalf("fail %q, %d cells", s.fail, s.cells)
	}
}
