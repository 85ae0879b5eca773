package validate

import (
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// unknown is the bottom type of unreachable code's operand stack.
const unknown core.ValType = 0

func isNum(t core.ValType) bool {
	return t == core.I32 || t == core.I64 || t == core.F32 || t == core.F64 || t == core.V128 || t == unknown
}

func isRef(t core.ValType) bool { return t == core.FuncRef || t == core.ExternRef || t == unknown }

// frame is a control frame of the validation algorithm.
type frame struct {
	op          core.Opcode
	params      []core.ValType
	results     []core.ValType
	height      int
	unreachable bool
}

func (f *frame) labels() []core.ValType {
	if f.op == core.OpLoop {
		return f.params
	}
	return f.results
}

// bodyValidator type-checks function bodies; it keeps its buffers between
// bodies.
type bodyValidator struct {
	c      *ctx
	locals []core.ValType
	vals   []core.ValType
	ctrls  []frame
	ft     *core.FuncType
	r      core.InstrReader
	err    *Error

	scratch    []core.ValType // peekAll's buffer
	lastPopped core.ValType   // the value popAny last took from the stack
	obs        Observer       // sees the instructions, if not nil
	observed   [256]bool      // the one-byte opcodes obs observes
	plain      *[256]plainOp  // ops().plain
	scratchIn  core.Instr     // the call fast shows obs
	slow       bool           // no fast path (tests)
}

func (v *bodyValidator) fail(off uint32, format string, args ...any) {
	if v.err == nil {
		v.err = errorf(off, format, args...)
	}
}

func (v *bodyValidator) push(t core.ValType) { v.vals = append(v.vals, t) }

// maxStack bounds the operand stack the validator tracks: a megabyte of
// calls returning a thousand values each could otherwise grow it to half
// a billion entries. Deeper stacks are refused (no engine or toolchain
// produces them).
const maxStack = 1 << 20

func (v *bodyValidator) pushAll(ts []core.ValType) {
	if len(v.vals)+len(ts) > maxStack {
		v.fail(v.r.Offset(), "operand stack deeper than %d values, beyond what the validator checks", maxStack)
		return
	}
	v.vals = append(v.vals, ts...)
}

func (v *bodyValidator) popAny(off uint32) core.ValType {
	f := &v.ctrls[len(v.ctrls)-1]
	if len(v.vals) == f.height {
		if f.unreachable {
			return unknown
		}
		v.fail(off, "type mismatch: operand stack underflow")
		return unknown
	}
	t := v.vals[len(v.vals)-1]
	v.vals = v.vals[:len(v.vals)-1]
	v.lastPopped = t
	return t
}

func (v *bodyValidator) pop(off uint32, want core.ValType) core.ValType {
	t := v.popAny(off)
	if t != want && t != unknown && want != unknown {
		v.fail(off, "type mismatch: expected %s, found %s", want, t)
	}
	if t == unknown {
		return want
	}
	return t
}

func (v *bodyValidator) popAll(off uint32, ts []core.ValType) {
	// Fast path: the stack of the current block ends with exactly ts.
	if n := len(v.vals) - len(ts); n >= v.ctrls[len(v.ctrls)-1].height {
		top := v.vals[n:]
		same := true
		for i, t := range ts {
			if top[i] != t || t == unknown {
				same = false
				break
			}
		}
		if same {
			v.vals = v.vals[:n]
			return
		}
	}
	for i := len(ts) - 1; i >= 0; i-- {
		v.pop(off, ts[i])
	}
}

// peekAll checks that the stack ends with ts, leaving it as it was
// (unknown values of unreachable code stay unknown).
func (v *bodyValidator) peekAll(off uint32, ts []core.ValType) {
	popped := v.scratch[:0]
	for i := len(ts) - 1; i >= 0; i-- {
		popped = append(popped, v.popRaw(off, ts[i]))
	}
	for i := len(popped) - 1; i >= 0; i-- {
		if popped[i] != none {
			v.push(popped[i])
		}
	}
	v.scratch = popped
}

// none marks a value peekAll took from the polymorphic stack of
// unreachable code, which it must not push back.
const none core.ValType = 0xFF

// popRaw is pop, returning none for a value unreachable code supplied.
func (v *bodyValidator) popRaw(off uint32, want core.ValType) core.ValType {
	f := &v.ctrls[len(v.ctrls)-1]
	if len(v.vals) == f.height && f.unreachable {
		return none
	}
	v.pop(off, want)
	return v.lastPopped
}

func (v *bodyValidator) pushCtrl(op core.Opcode, params, results []core.ValType) {
	v.ctrls = append(v.ctrls, frame{op: op, params: params, results: results, height: len(v.vals)})
	v.pushAll(params)
}

func (v *bodyValidator) popCtrl(off uint32) frame {
	f := v.ctrls[len(v.ctrls)-1]
	v.popAll(off, f.results)
	if len(v.vals) != f.height {
		v.fail(off, "type mismatch: %d values left at the end of the block, want %d", len(v.vals)-f.height+len(f.results), len(f.results))
	}
	v.ctrls = v.ctrls[:len(v.ctrls)-1]
	return f
}

func (v *bodyValidator) setUnreachable() {
	f := &v.ctrls[len(v.ctrls)-1]
	v.vals = v.vals[:f.height]
	f.unreachable = true
}

func (v *bodyValidator) label(off uint32, l uint32) *frame {
	if int(l) >= len(v.ctrls) {
		v.fail(off, "branch to label %d with %d blocks open", l, len(v.ctrls))
		return nil
	}
	return &v.ctrls[len(v.ctrls)-1-int(l)]
}

// blockType returns a block type's parameters and results.
func (v *bodyValidator) blockType(off uint32, bt core.BlockType) (params, results []core.ValType) {
	if bt == core.BlockEmpty {
		return nil, nil
	}
	if t, ok := bt.ValType(); ok {
		return nil, one(t)
	}
	x, _ := bt.TypeIndex()
	if int(x) >= len(v.c.types) {
		v.fail(off, "block type %d out of range", x)
		return nil, nil
	}
	return v.c.types[x].Params, v.c.types[x].Results
}

// function validates body c of function fn.
func (v *bodyValidator) function(c *ctx, fn uint32, code *core.Code) error {
	v.c, v.err = c, nil
	if v.plain == nil {
		v.plain = &ops().plain
	}
	v.ft = &c.types[c.funcs[fn]]
	v.locals = append(v.locals[:0], v.ft.Params...)
	for _, l := range code.Locals {
		for k := uint32(0); k < l.Count; k++ {
			v.locals = append(v.locals, l.Type)
		}
	}
	v.vals, v.ctrls = v.vals[:0], v.ctrls[:0]
	v.pushCtrl(core.OpBlock, nil, v.ft.Results)
	v.r.ResetCode(code)
	for v.err == nil {
		if !v.slow {
			v.fast()
		}
		if !v.r.Next() {
			break
		}
		in := v.r.Current()
		if v.obs != nil && (in.Op < 256 && v.observed[in.Op] || in.Op >= 256 && v.obs.Observes(in.Op)) {
			v.obs.Instr(in)
		}
		// The most frequent instructions, inline where their operands
		// are plainly right; the general check otherwise.
		switch in.Op {
		case core.OpLocalGet:
			if int(in.Index) < len(v.locals) {
				v.vals = append(v.vals, v.locals[in.Index])
				continue
			}
		case core.OpLocalSet, core.OpLocalTee:
			if n := len(v.vals) - 1; int(in.Index) < len(v.locals) && n >= v.ctrls[len(v.ctrls)-1].height && v.vals[n] == v.locals[in.Index] {
				if in.Op == core.OpLocalSet {
					v.vals = v.vals[:n]
				}
				continue
			}
		case core.OpI32Const:
			v.vals = append(v.vals, core.I32)
			continue
		}
		v.instr(in)
		if len(v.ctrls) == 0 {
			break
		}
	}
	if err := v.r.Err(); err != nil && v.err == nil {
		return err
	}
	if v.err != nil {
		return v.err
	}
	if v.obs != nil {
		v.obs.EndBody()
	}
	return nil
}

// instr checks one instruction. The one-byte opcodes are dispatched by
// their class in ops().plain, the common ones without further switching.
func (v *bodyValidator) instr(in *core.Instr) {
	if in.Op < 256 {
		switch p := &v.plain[in.Op]; p.class {
		case clsNumeric:
			v.popAll(in.Off, p.sig.in)
			v.pushAll(p.sig.out)
			return
		case clsVariable:
			v.variable(in)
			return
		case clsControl:
			v.control(in)
			return
		case clsMemory:
			v.memory(in)
			return
		}
	}
	v.other(in)
}

// other checks the instructions instr does not dispatch itself.
func (v *bodyValidator) other(in *core.Instr) {
	off := in.Off
	switch in.Op {
	case core.OpUnreachable, core.OpNop, core.OpBlock, core.OpLoop, core.OpIf, core.OpElse, core.OpEnd,
		core.OpBr, core.OpBrIf, core.OpBrTable, core.OpReturn:
		v.control(in)
	case core.OpLocalGet, core.OpLocalSet, core.OpLocalTee, core.OpGlobalGet, core.OpGlobalSet:
		v.variable(in)
	case core.OpCall, core.OpReturnCall:
		if int(in.Index) >= len(v.c.funcs) {
			v.fail(off, "call of function %d, out of range", in.Index)
			return
		}
		v.call(in, &v.c.types[v.c.funcs[in.Index]])
	case core.OpCallIndirect, core.OpReturnCallIndirect:
		if int(in.Index2) >= len(v.c.tables) {
			v.fail(off, "%s: table %d out of range", in.Op, in.Index2)
			return
		}
		if v.c.tables[in.Index2].Elem != core.FuncRef {
			v.fail(off, "%s: table %d does not hold functions", in.Op, in.Index2)
			return
		}
		if int(in.Index) >= len(v.c.types) {
			v.fail(off, "%s: type %d out of range", in.Op, in.Index)
			return
		}
		v.pop(off, core.I32)
		v.call(in, &v.c.types[in.Index])
	case core.OpDrop:
		v.popAny(off)
	case core.OpSelect:
		v.pop(off, core.I32)
		t1, t2 := v.popAny(off), v.popAny(off)
		if !isNum(t1) || !isNum(t2) {
			v.fail(off, "type mismatch: select without a type needs numeric operands")
			return
		}
		if t1 != t2 && t1 != unknown && t2 != unknown {
			v.fail(off, "type mismatch: select of %s and %s", t2, t1)
			return
		}
		if t1 == unknown {
			t1 = t2
		}
		v.push(t1)
	case core.OpSelectTyped:
		v.pop(off, core.I32)
		v.pop(off, in.Type)
		v.pop(off, in.Type)
		v.push(in.Type)
	case core.OpI32Const:
		v.push(core.I32)
	case core.OpI64Const:
		v.push(core.I64)
	case core.OpF32Const:
		v.push(core.F32)
	case core.OpF64Const:
		v.push(core.F64)
	case core.OpRefNull:
		v.push(in.Type)
	case core.OpRefIsNull:
		if t := v.popAny(off); !isRef(t) {
			v.fail(off, "type mismatch: ref.is_null of %s", t)
		}
		v.push(core.I32)
	case core.OpRefFunc:
		if int(in.Index) >= len(v.c.funcs) {
			v.fail(off, "ref.func %d out of range", in.Index)
			return
		}
		if !v.c.refs[in.Index] {
			v.fail(off, "ref.func %d: the function is not declared in an element segment, export or global", in.Index)
			return
		}
		v.push(core.FuncRef)
	default:
		if in.Op < 256 {
			// The one-byte opcodes, from a table: most instructions.
			switch p := &v.plain[in.Op]; p.class {
			case clsNumeric:
				v.popAll(off, p.sig.in)
				v.pushAll(p.sig.out)
			case clsMemory:
				v.memory(in)
			case clsTable:
				v.table(in)
			default:
				v.numeric(in) // not supported
			}
			return
		}
		switch {
		case isTableOp(in.Op):
			v.table(in)
		case isMemoryOp(in.Op):
			v.memory(in)
		default:
			v.numeric(in)
		}
	}
}

// control checks the control instructions.
func (v *bodyValidator) control(in *core.Instr) {
	off := in.Off
	switch in.Op {
	case core.OpUnreachable:
		v.setUnreachable()
	case core.OpNop:
	case core.OpBlock, core.OpLoop, core.OpIf:
		if in.Op == core.OpIf {
			v.pop(off, core.I32)
		}
		p, r := v.blockType(off, in.Block)
		v.popAll(off, p)
		v.pushCtrl(in.Op, p, r)
	case core.OpElse:
		if f := &v.ctrls[len(v.ctrls)-1]; f.op != core.OpIf {
			v.fail(off, "else without if")
			return
		}
		f := v.popCtrl(off)
		v.pushCtrl(core.OpElse, f.params, f.results)
	case core.OpEnd:
		f := v.popCtrl(off)
		if f.op == core.OpIf && !slices.Equal(f.params, f.results) {
			v.fail(off, "type mismatch: if without else must leave its parameters")
		}
		if len(v.ctrls) > 0 {
			v.pushAll(f.results)
		}
	case core.OpBr:
		if f := v.label(off, in.Index); f != nil {
			v.popAll(off, f.labels())
		}
		v.setUnreachable()
	case core.OpBrIf:
		v.pop(off, core.I32)
		if f := v.label(off, in.Index); f != nil {
			v.popAll(off, f.labels())
			v.pushAll(f.labels())
		}
	case core.OpBrTable:
		v.pop(off, core.I32)
		d := v.label(off, in.Index)
		if d == nil {
			return
		}
		n := len(d.labels())
		for _, l := range in.Targets {
			f := v.label(off, l)
			if f == nil {
				return
			}
			if len(f.labels()) != n {
				v.fail(off, "type mismatch: br_table targets have different arities")
				return
			}
			// Check each target against the stack without consuming it:
			// pop its label types and push back what was popped, O(arity).
			v.peekAll(off, f.labels())
		}
		v.popAll(off, d.labels())
		v.setUnreachable()
	case core.OpReturn:
		v.popAll(off, v.ft.Results)
		v.setUnreachable()
	}
}

// variable checks local and global accesses.
func (v *bodyValidator) variable(in *core.Instr) {
	off := in.Off
	switch in.Op {
	case core.OpLocalGet, core.OpLocalSet, core.OpLocalTee:
		if int(in.Index) >= len(v.locals) {
			v.fail(off, "local %d out of range", in.Index)
			return
		}
		t := v.locals[in.Index]
		switch in.Op {
		case core.OpLocalGet:
			v.push(t)
		case core.OpLocalSet:
			v.pop(off, t)
		default:
			v.pop(off, t)
			v.push(t)
		}
	case core.OpGlobalGet, core.OpGlobalSet:
		if int(in.Index) >= len(v.c.globals) {
			v.fail(off, "global %d out of range", in.Index)
			return
		}
		g := v.c.globals[in.Index]
		if in.Op == core.OpGlobalGet {
			v.push(g.Type)
		} else if !g.Mutable {
			v.fail(off, "global.set of immutable global %d", in.Index)
		} else {
			v.pop(off, g.Type)
		}
	}
}

func (v *bodyValidator) call(in *core.Instr, t *core.FuncType) {
	v.popAll(in.Off, t.Params)
	if in.Op == core.OpReturnCall || in.Op == core.OpReturnCallIndirect {
		if !slices.Equal(t.Results, v.ft.Results) {
			v.fail(in.Off, "type mismatch: %s of a function returning %v from one returning %v", in.Op, t.Results, v.ft.Results)
			return
		}
		v.setUnreachable()
		return
	}
	v.pushAll(t.Results)
}

// numeric checks an instruction whose type follows from its mnemonic.
func (v *bodyValidator) numeric(in *core.Instr) {
	s, ok := signature(in.Op)
	if !ok {
		v.fail(in.Off, "%s is not supported by the validator", in.Op)
		return
	}
	if s.lane > 0 && in.Lane >= s.lane {
		v.fail(in.Off, "lane index %d out of range (%d lanes)", in.Lane, s.lane)
		return
	}
	if in.Op == core.OpV128Const || in.Op == core.OpI8x16Shuffle {
		for _, l := range in.V128 {
			if in.Op != core.OpV128Const && l >= 32 {
				v.fail(in.Off, "shuffle lane index %d out of range", l)
				return
			}
		}
	}
	v.popAll(in.Off, s.in)
	v.pushAll(s.out)
}
