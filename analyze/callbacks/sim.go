package callbacks

import (
	"fmt"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// frame is an open block during the simulation.
type frame struct {
	op       core.Opcode // block, loop, if
	height   int         // stack height below the block's parameters
	nresults int
	nparams  int
	entry    []val // if: written locals at entry, for the else branch
	acc      []val // written locals joined over every branch to the end
	reached  bool  // acc holds at least one path
	dead     bool  // the block was entered in unreachable code
	hasElse  bool
}

// sim simulates one function body over the abstract domain.
type sim struct {
	z         *analyzer
	fn        uint32
	code      *core.Code
	nparams   int
	set       map[uint32]bool // registering functions whose calls are recorded
	recordOps bool
	locals    []val
	written   []uint32 // locals written anywhere in the body; only these are snapshotted
	cells     int      // abstract values held in frame snapshots, bounded by maxCells
	stack     []val
	frames    []frame
	dead      bool
	fail      string
	failOff   uint32

	sites []pendingSite
	unres []Unresolved
	fwds  []pendingFwd
	ops   []pendingOp
}

type pendingSite struct {
	ra   regArg
	slot uint64
	site Site
}

type pendingFwd struct {
	ra regArg
}

type pendingOp struct {
	table uint32
	op    TableOp
}

// simulate runs the simulation on fn and commits what it found. fresh
// collects the functions that became forwarders.
func (z *analyzer) simulate(fn uint32, set map[uint32]bool, recordOps bool, fresh *[]uint32) error {
	code := z.m.FuncCode(fn)
	t := z.funcType(fn)
	if code == nil || t == nil {
		return nil
	}
	if recordOps {
		if z.simmed[fn] {
			recordOps = false
		}
		z.simmed[fn] = true
	}
	s := &sim{z: z, fn: fn, code: code, nparams: len(t.Params), set: set, recordOps: recordOps}
	err := s.run(t)
	if err != nil {
		return err
	}
	if s.fail != "" {
		return z.giveUp(fn, code, set, recordOps, s.failOff, s.fail)
	}
	for _, p := range s.sites {
		z.addSite(p.ra, p.slot, p.site)
	}
	z.a.Unresolved = append(z.a.Unresolved, s.unres...)
	for _, p := range s.ops {
		z.a.Tables[p.table].Ops = append(z.a.Tables[p.table].Ops, p.op)
	}
	for _, p := range s.fwds {
		z.addForwarder(fn, p.ra, fresh)
	}
	return nil
}

// addForwarder makes fn a registering function for ra.
func (z *analyzer) addForwarder(fn uint32, ra regArg, fresh *[]uint32) {
	rf := z.regs[fn]
	if rf == nil {
		rf = &regFunc{fn: fn}
		z.regs[fn] = rf
	}
	for _, o := range rf.args {
		if o.param == ra.param && o.imp == ra.imp && o.role == ra.role {
			if !slices.Equal(o.m, ra.m) {
				z.unresolved(ra, fn, 0, fmt.Sprintf("%s forwards parameter %d to the %s callback through different translations (recursion)", z.label(fn), ra.param, ra.role))
			}
			return
		}
	}
	rf.args = append(rf.args, ra)
	z.a.Forwarders = append(z.a.Forwarders, Forwarder{Func: fn, Name: z.name(fn), Import: ra.imp, Role: ra.role, Param: ra.param, Map: ra.m.toMap()})
	if !slices.Contains(*fresh, fn) {
		*fresh = append(*fresh, fn)
	}
}

// giveUp reports every registration in fn as unresolved, and every table
// instruction as affecting unknown slots, after the simulation lost track.
func (z *analyzer) giveUp(fn uint32, code *core.Code, set map[uint32]bool, recordOps bool, off uint32, why string) error {
	r := code.Instrs()
	for r.Next() {
		in := r.Current()
		switch in.Op {
		case core.OpCall, core.OpReturnCall:
			if set[in.Index] && z.regs[in.Index] != nil {
				for _, ra := range z.regs[in.Index].args {
					z.unresolved(ra, fn, in.Off, fmt.Sprintf("the stack simulation of %s gave up at 0x%x: %s", z.label(fn), off, why))
				}
			}
		}
		if recordOps {
			for _, p := range tableOpsOf(in) {
				if int(p.table) < len(z.a.Tables) {
					p.op.Func = fn
					z.a.Tables[p.table].Ops = append(z.a.Tables[p.table].Ops, p.op)
				}
			}
		}
	}
	return r.Err()
}

// tableOpsOf returns the table operations of in with unknown ranges.
func tableOpsOf(in *core.Instr) []pendingOp {
	op := func(t uint32, write bool) pendingOp {
		return pendingOp{table: t, op: TableOp{Op: in.Op.String(), Write: write, Off: in.Off}}
	}
	switch in.Op {
	case core.OpTableSet, core.OpTableFill, core.OpTableGrow:
		return []pendingOp{op(in.Index, true)}
	case core.OpTableSize:
		return []pendingOp{op(in.Index, false)}
	case core.OpTableInit:
		return []pendingOp{op(in.Index2, true)}
	case core.OpTableCopy:
		return []pendingOp{op(in.Index, true), op(in.Index2, false)}
	}
	return nil
}

func (s *sim) giveUp(off uint32, format string, args ...any) {
	if s.fail == "" {
		s.fail, s.failOff = fmt.Sprintf(format, args...), off
	}
}

func (s *sim) run(t *core.FuncType) error {
	nl := uint64(s.nparams) + s.code.NumLocals()
	if nl > maxLocals {
		s.giveUp(s.code.InstrOff, "%d locals are more than the simulation models", nl)
		return nil
	}
	if s.charge(int(nl) + len(s.code.Body)); s.fail != "" {
		return nil
	}
	s.locals = make([]val, nl)
	isWritten := make([]bool, nl)
	for i := range s.locals {
		if i < s.nparams {
			s.locals[i] = val{k: vParam, x: uint32(i), op: opParam}
		} else {
			s.locals[i] = val{k: vConst} // declared locals start at zero
		}
	}
	j := s.nparams
	for _, d := range s.code.Locals {
		if d.Type == core.FuncRef || d.Type == core.ExternRef {
			for k := uint32(0); k < d.Count; k++ {
				s.locals[j+int(k)] = val{k: vUnknown}
			}
		}
		j += int(d.Count)
	}
	// Locals written anywhere: a loop invalidates these at its start.
	r := s.code.Instrs()
	for r.Next() {
		if in := r.Current(); (in.Op == core.OpLocalSet || in.Op == core.OpLocalTee) && int(in.Index) < len(isWritten) && !isWritten[in.Index] {
			isWritten[in.Index] = true
			s.written = append(s.written, in.Index)
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	s.frames = append(s.frames, frame{op: core.OpBlock, nresults: len(t.Results)})
	r = s.code.Instrs()
	for s.fail == "" && r.Next() {
		s.charge(1)
		s.step(r.Current())
		if len(s.frames) == 0 {
			break
		}
	}
	return r.Err()
}

func (s *sim) push(v val) { s.stack = append(s.stack, v) }

func (s *sim) pop(off uint32) val {
	f := &s.frames[len(s.frames)-1]
	if len(s.stack) <= f.height {
		if !s.dead {
			s.giveUp(off, "operand stack underflow")
		}
		return val{k: vUnknown, off: off}
	}
	v := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	return v
}

func (s *sim) popN(n int, off uint32) []val {
	f := &s.frames[len(s.frames)-1]
	if len(s.stack)-n < f.height {
		if !s.dead {
			s.giveUp(off, "operand stack underflow")
			return make([]val, n)
		}
		// Unreachable code: the stack is polymorphic.
		have := len(s.stack) - f.height
		out := make([]val, n-have, n)
		out = append(out, s.stack[f.height:]...)
		s.stack = s.stack[:f.height]
		return out
	}
	out := slices.Clone(s.stack[len(s.stack)-n:])
	s.stack = s.stack[:len(s.stack)-n]
	return out
}

// pushUnknown pushes n unknown results. Calls and blocks may push up to
// a thousand values each, so the pushes are charged to the budget and
// the operand stack shares the memory budget with block snapshots.
func (s *sim) pushUnknown(n int, op core.Opcode, off uint32) {
	s.charge(n)
	if len(s.stack)+n > maxStack {
		s.giveUp(off, "the operand stack grows beyond what the analysis allows (%d values)", len(s.stack)+n)
		return
	}
	for range n {
		s.push(val{k: vUnknown, op: op, off: off})
	}
}

func (s *sim) setDead() {
	s.dead = true
	s.stack = s.stack[:s.frames[len(s.frames)-1].height]
}

// charge spends n units of the analysis budget, which bounds the time the
// simulations of all functions take together; a function that exceeds it
// is given up (its registrations are unresolved).
func (s *sim) charge(n int) {
	s.z.work += n
	if s.z.work > maxWork {
		s.giveUp(0, "the module is too large to simulate within the analysis budget")
	}
}

// Snapshots of the locals (an if's entry state, a block's joined state)
// hold only the locals written somewhere in the body, in the order of
// s.written: the others keep their initial value throughout. Their total
// size is bounded by maxCells, the memory side of the budget; a function
// that needs more is given up.

// snapshot returns the written locals of l.
func (s *sim) snapshot(l []val) []val {
	s.charge(len(s.written))
	if !s.hold(len(s.written)) {
		return nil
	}
	out := make([]val, len(s.written))
	for k, i := range s.written {
		out[k] = l[i]
	}
	return out
}

// restore sets the written locals from snapshot snap.
func (s *sim) restore(snap []val) {
	for k, i := range s.written {
		s.locals[i] = snap[k]
	}
}

// hold accounts for n more snapshot cells; false if that exceeds the budget.
func (s *sim) hold(n int) bool {
	s.cells += n
	if s.cells > maxCells {
		s.giveUp(0, "the function needs more memory to simulate (%d block states of %d written locals) than the analysis allows", len(s.frames), len(s.written))
		return false
	}
	return true
}

// release returns the cells of a closed frame to the budget.
func (s *sim) release(f *frame) { s.cells -= len(f.entry) + len(f.acc) }

// branch joins the current locals into the target of a branch to label.
func (s *sim) branch(label uint32, off uint32) {
	if s.dead {
		return
	}
	if int(label) >= len(s.frames) {
		s.giveUp(off, "branch to label %d with %d blocks open", label, len(s.frames))
		return
	}
	f := &s.frames[len(s.frames)-1-int(label)]
	if f.op == core.OpLoop {
		return // the loop start already assumes any value for written locals
	}
	s.joinInto(f, s.locals, off)
}

// joinInto joins the full locals l into f's accumulated state.
func (s *sim) joinInto(f *frame, l []val, off uint32) {
	if !f.reached {
		f.acc = s.snapshot(l)
		f.reached = true
		return
	}
	s.charge(len(f.acc))
	for k, i := range s.written {
		f.acc[k] = join(f.acc[k], l[i], off, i)
	}
}

// joinSnap joins the snapshot snap into f's accumulated state.
func (s *sim) joinSnap(f *frame, snap []val, off uint32) {
	if !f.reached {
		s.charge(len(snap))
		if !s.hold(len(snap)) {
			return
		}
		f.acc = slices.Clone(snap)
		f.reached = true
		return
	}
	s.charge(len(f.acc))
	for k, i := range s.written {
		f.acc[k] = join(f.acc[k], snap[k], off, i)
	}
}

func (s *sim) blockSig(bt core.BlockType, off uint32) (int, int) {
	if bt == core.BlockEmpty {
		return 0, 0
	}
	if _, ok := bt.ValType(); ok {
		return 0, 1
	}
	x, _ := bt.TypeIndex()
	if int(x) >= len(s.z.m.Types) {
		s.giveUp(off, "block type %d out of range", x)
		return 0, 0
	}
	t := &s.z.m.Types[x]
	return len(t.Params), len(t.Results)
}

// step simulates one instruction.
func (s *sim) step(in *core.Instr) {
	switch in.Op {
	case core.OpUnreachable, core.OpReturn:
		s.setDead()
	case core.OpBlock, core.OpLoop, core.OpIf:
		s.enter(in)
	case core.OpElse:
		s.elseBranch(in)
	case core.OpEnd:
		s.end(in)
	case core.OpBr:
		s.branch(in.Index, in.Off)
		s.setDead()
	case core.OpBrIf:
		s.pop(in.Off)
		s.branch(in.Index, in.Off)
	case core.OpBrTable:
		s.pop(in.Off)
		for _, l := range in.Targets {
			s.branch(l, in.Off)
		}
		s.branch(in.Index, in.Off)
		s.setDead()
	case core.OpCall, core.OpReturnCall, core.OpCallIndirect, core.OpReturnCallIndirect:
		s.call(in)
	case core.OpSelect, core.OpSelectTyped:
		c := s.pop(in.Off)
		b := s.pop(in.Off)
		a := s.pop(in.Off)
		s.push(selectVal(a, b, c, in.Off))
	case core.OpLocalGet, core.OpLocalSet, core.OpLocalTee, core.OpGlobalGet, core.OpGlobalSet:
		s.variable(in)
	case core.OpTableGet, core.OpTableSet, core.OpTableFill, core.OpTableInit, core.OpTableCopy, core.OpTableGrow, core.OpTableSize:
		s.table(in)
	default:
		s.numeric(in)
	}
}

// enter opens a block, loop or if.
func (s *sim) enter(in *core.Instr) {
	if in.Op == core.OpIf {
		s.pop(in.Off)
	}
	np, nr := s.blockSig(in.Block, in.Off)
	s.charge(np + nr)
	h := len(s.stack) - np
	if cur := &s.frames[len(s.frames)-1]; h < cur.height {
		if !s.dead {
			s.giveUp(in.Off, "operand stack underflow")
			return
		}
		// Unreachable code: materialize the polymorphic parameters.
		missing := cur.height - h
		s.stack = slices.Insert(s.stack, cur.height, make([]val, missing)...)
		for i := cur.height; i < cur.height+missing; i++ {
			s.stack[i] = val{k: vUnknown, off: in.Off}
		}
		h = cur.height
	}
	f := frame{op: in.Op, height: h, nresults: nr, nparams: np, dead: s.dead}
	if in.Op == core.OpIf && !s.dead {
		f.entry = s.snapshot(s.locals)
	}
	if in.Op == core.OpLoop {
		for i := h; i < len(s.stack); i++ {
			s.stack[i] = val{k: vUnknown, op: opLoop, off: in.Off}
		}
		s.charge(len(s.written))
		for _, i := range s.written {
			s.locals[i] = val{k: vUnknown, op: opLoop, off: in.Off, x: i}
		}
	}
	s.frames = append(s.frames, f)
}

// elseBranch ends an if's then branch and starts its else branch from
// the locals at the if.
func (s *sim) elseBranch(in *core.Instr) {
	f := &s.frames[len(s.frames)-1]
	if f.op != core.OpIf || f.hasElse {
		s.giveUp(in.Off, "else without if")
		return
	}
	if !s.dead {
		if len(s.stack) != f.height+f.nresults {
			s.giveUp(in.Off, "stack height %d at else, expected %d", len(s.stack)-f.height, f.nresults)
			return
		}
		s.joinInto(f, s.locals, in.Off)
	}
	f.hasElse = true
	s.stack = s.stack[:f.height]
	s.pushUnknown(f.nparams, opBlock, in.Off)
	s.dead = f.dead
	if !f.dead && f.entry != nil {
		s.restore(f.entry)
		s.cells -= len(f.entry)
		f.entry = nil
	}
}

// end closes the innermost block; the locals after it are the join of
// every path that reached its end.
func (s *sim) end(in *core.Instr) {
	f := &s.frames[len(s.frames)-1]
	if !s.dead {
		if len(s.stack) != f.height+f.nresults {
			s.giveUp(in.Off, "stack height %d at end, expected %d", len(s.stack)-f.height, f.nresults)
			return
		}
		if f.op != core.OpLoop {
			s.joinInto(f, s.locals, in.Off)
		}
	}
	if f.op == core.OpIf && !f.hasElse && !f.dead {
		if f.nparams != f.nresults {
			s.giveUp(in.Off, "if without else changes the stack")
			return
		}
		if f.entry != nil {
			s.joinSnap(f, f.entry, in.Off)
		}
	}
	done := *f
	s.release(&done)
	s.frames = s.frames[:len(s.frames)-1]
	if len(s.frames) == 0 {
		return
	}
	if done.op != core.OpLoop {
		if done.reached {
			if done.acc != nil {
				s.restore(done.acc)
			}
			s.dead = false
		} else {
			s.dead = true
		}
	} else if done.dead {
		s.dead = true
	}
	s.stack = s.stack[:done.height]
	s.pushUnknown(done.nresults, opBlock, in.Off)
}

// call simulates direct and indirect calls; calls of registering
// functions record their callback arguments.
func (s *sim) call(in *core.Instr) {
	var t *core.FuncType
	if in.Op == core.OpCall || in.Op == core.OpReturnCall {
		if t = s.z.funcType(in.Index); t == nil {
			s.giveUp(in.Off, "call of function %d, which does not exist", in.Index)
			return
		}
	} else {
		if int(in.Index) >= len(s.z.m.Types) {
			s.giveUp(in.Off, "type %d out of range", in.Index)
			return
		}
		t = &s.z.m.Types[in.Index]
		s.pop(in.Off) // the table index
	}
	args := s.popN(len(t.Params), in.Off)
	if in.Op == core.OpCall || in.Op == core.OpReturnCall {
		if s.set[in.Index] && !s.dead {
			s.register(in, args)
		}
	}
	s.pushUnknown(len(t.Results), in.Op, in.Off)
	if in.Op == core.OpReturnCall || in.Op == core.OpReturnCallIndirect {
		s.setDead()
	}
}

// variable simulates local.get/set/tee and global.get/set.
func (s *sim) variable(in *core.Instr) {
	switch in.Op {
	case core.OpGlobalGet:
		if int(in.Index) >= len(s.z.globals) {
			s.giveUp(in.Off, "global %d out of range", in.Index)
			return
		}
		v := s.z.globals[in.Index]
		v.off = in.Off
		s.push(v)
		return
	case core.OpGlobalSet:
		s.pop(in.Off)
		return
	}
	if int(in.Index) >= len(s.locals) {
		s.giveUp(in.Off, "local %d out of range", in.Index)
		return
	}
	switch in.Op {
	case core.OpLocalGet:
		v := s.locals[in.Index]
		if v.k == vUnknown {
			v = val{k: vUnknown, op: core.OpLocalGet, x: in.Index, off: in.Off, op2: v.op, off2: v.off, x2: v.x}
		} else if v.k == vDerived && v.op == opJoin {
			v.op, v.x = core.OpLocalGet, in.Index
		}
		s.push(v)
	case core.OpLocalSet:
		s.locals[in.Index] = s.pop(in.Off)
	default:
		v := s.pop(in.Off)
		s.locals[in.Index] = v
		s.push(v)
	}
}

// table simulates the table instructions, recording the slots they write.
func (s *sim) table(in *core.Instr) {
	switch in.Op {
	case core.OpTableGet:
		s.pop(in.Off)
		s.pushUnknown(1, in.Op, in.Off)
	case core.OpTableSet:
		s.pop(in.Off)
		i := s.pop(in.Off)
		s.tableOp(in, in.Index, true, i, val{k: vConst, c: 1})
	case core.OpTableFill:
		n := s.pop(in.Off)
		s.pop(in.Off)
		i := s.pop(in.Off)
		s.tableOp(in, in.Index, true, i, n)
	case core.OpTableInit:
		n := s.pop(in.Off)
		s.pop(in.Off)
		d := s.pop(in.Off)
		s.tableOp(in, in.Index2, true, d, n)
	case core.OpTableCopy:
		n := s.pop(in.Off)
		src := s.pop(in.Off)
		d := s.pop(in.Off)
		s.tableOp(in, in.Index, true, d, n)
		s.tableOp(in, in.Index2, false, src, n)
	case core.OpTableGrow:
		s.pop(in.Off)
		s.pop(in.Off)
		s.tableOp(in, in.Index, true, val{}, val{})
		s.pushUnknown(1, in.Op, in.Off)
	case core.OpTableSize:
		s.tableOp(in, in.Index, false, val{}, val{})
		s.pushUnknown(1, in.Op, in.Off)
	}
}

// numeric simulates constants, the integer arithmetic that computes
// table indices, and every other instruction by its stack effect.
func (s *sim) numeric(in *core.Instr) {
	switch in.Op {
	case core.OpI32Const:
		s.push(val{k: vConst, c: uint64(uint32(in.I64)), op: in.Op, off: in.Off})
	case core.OpI64Const:
		s.push(val{k: vConst, c: uint64(in.I64), op: in.Op, off: in.Off})
	case core.OpI32Add, core.OpI32Sub, core.OpI32Mul, core.OpI32And, core.OpI32Or, core.OpI32Xor, core.OpI32Shl, core.OpI32ShrU,
		core.OpI64Add, core.OpI64Sub, core.OpI64Mul, core.OpI64And, core.OpI64Or, core.OpI64Xor, core.OpI64Shl, core.OpI64ShrU:
		b := s.pop(in.Off)
		a := s.pop(in.Off)
		s.push(arith(in, a, b))
	case core.OpI32Eq, core.OpI32Ne, core.OpI64Eq, core.OpI64Ne:
		b := s.pop(in.Off)
		a := s.pop(in.Off)
		s.push(compare(in, a, b))
	case core.OpI32WrapI64, core.OpI64ExtendI32S, core.OpI64ExtendI32U:
		s.push(convert(in, s.pop(in.Off)))
	default:
		pop, push, ok := stackEffect(in.Op)
		if !ok {
			s.giveUp(in.Off, "%s is not modeled", in.Op)
			return
		}
		s.popN(pop, in.Off)
		s.pushUnknown(push, in.Op, in.Off)
	}
}

func (s *sim) tableOp(in *core.Instr, table uint32, write bool, start, n val) {
	if !s.recordOps || s.dead || int(table) >= len(s.z.a.Tables) {
		return
	}
	op := TableOp{Op: in.Op.String(), Write: write, Func: s.fn, Off: in.Off}
	if in.Op != core.OpTableGrow && in.Op != core.OpTableSize && start.k == vConst && n.k == vConst {
		op.Known, op.Start, op.End = true, start.c, start.c+n.c
		if op.End < op.Start { // wraps: traps at run time, but claim nothing
			op.Known = false
		}
	}
	s.ops = append(s.ops, pendingOp{table: table, op: op})
}

// register handles a call of a registering function with the given
// arguments.
func (s *sim) register(in *core.Instr, args []val) {
	z := s.z
	for _, ra := range z.regs[in.Index].args {
		if ra.param >= len(args) {
			continue
		}
		v := args[ra.param]
		var via []uint32
		if in.Index >= z.nimp {
			via = ra.via
		}
		switch v.k {
		case vConst:
			final := ra.m.apply(v.c)
			if isSentinel(final, z.importParamType(ra)) {
				continue
			}
			site := Site{Func: s.fn, Name: z.name(s.fn), Off: in.Off, Via: via}
			if ra.env >= 0 && ra.env < len(args) {
				site.Env = args[ra.env].env()
			} else if ra.envFix != nil {
				site.Env = ra.envFix
			}
			// addSite applies ra.m; hand it the untranslated value.
			s.sites = append(s.sites, pendingSite{ra: ra, slot: v.c, site: site})
		case vParam:
			fw := regArg{param: int(v.x), imp: ra.imp, role: ra.role, arg: ra.arg, table: ra.table,
				m: v.m.then(ra.m), env: -1, envFix: ra.envFix, via: append([]uint32{s.fn}, via...)}
			if ra.env >= 0 && ra.env < len(args) {
				if e := args[ra.env]; e.k == vParam && len(e.m) == 0 {
					fw.env = int(e.x)
				} else {
					fw.envFix = e.env()
				}
			}
			s.fwds = append(s.fwds, pendingFwd{ra: fw})
		default:
			s.unres = append(s.unres, Unresolved{Import: ra.imp, Role: ra.role, Arg: ra.arg, Func: s.fn, Name: z.name(s.fn), Off: in.Off,
				Why: fmt.Sprintf("the %s table index passed to %s is not a known constant: %s", ra.role, z.label(in.Index), v.why())})
		}
	}
}

// importParamType returns the type of the underlying import's parameter.
func (z *analyzer) importParamType(ra regArg) core.ValType {
	for _, ri := range z.a.Imports {
		if ri.Import == ra.imp {
			if t := z.funcType(ri.Func); t != nil && ra.arg < len(t.Params) {
				return t.Params[ra.arg]
			}
		}
	}
	return core.I32
}

// isSentinel reports the "no callback" values of one-way calls: -1 as i32
// (0xFFFFFFFF) or as i64 (u64::MAX, or 0xFFFFFFFF zero-extended).
func isSentinel(v uint64, t core.ValType) bool {
	if t == core.I64 {
		return v == ^uint64(0) || v == 0xFFFFFFFF
	}
	return v == 0xFFFFFFFF
}

func selectVal(a, b, c val, off uint32) val {
	switch {
	case c.k == vConst && c.c != 0:
		return a
	case c.k == vConst:
		return b
	case a.same(b):
		return a
	case c.k == vCmp && c.ne && a.k == vParam && a.x == c.x && b.k == vConst && !a.m.has(c.c):
		// p != k ? m(p) : q  ==  (m extended by k → q)(p)
		return val{k: vParam, x: a.x, m: a.m.with(c.c, b.c), op: opParam}
	case c.k == vCmp && !c.ne && b.k == vParam && b.x == c.x && a.k == vConst && !b.m.has(c.c):
		return val{k: vParam, x: b.x, m: b.m.with(c.c, a.c), op: opParam}
	case a.k == vDerived && (b.k == vDerived || b.k == vConst):
		return a
	case b.k == vDerived && a.k == vConst:
		return b
	}
	return val{k: vUnknown, op: core.OpSelect, off: off}
}

func is64(op core.Opcode) bool {
	return op >= core.OpI64Eqz && op <= core.OpI64GeU || op >= core.OpI64Clz && op <= core.OpI64Rotr
}

func arith(in *core.Instr, a, b val) val {
	mask := ^uint64(0)
	if !is64(in.Op) {
		mask = 0xFFFFFFFF
	}
	if a.k == vConst && b.k == vConst {
		var r uint64
		switch in.Op {
		case core.OpI32Add, core.OpI64Add:
			r = a.c + b.c
		case core.OpI32Sub, core.OpI64Sub:
			r = a.c - b.c
		case core.OpI32Mul, core.OpI64Mul:
			r = a.c * b.c
		case core.OpI32And, core.OpI64And:
			r = a.c & b.c
		case core.OpI32Or, core.OpI64Or:
			r = a.c | b.c
		case core.OpI32Xor, core.OpI64Xor:
			r = a.c ^ b.c
		case core.OpI32Shl:
			r = a.c << (b.c & 31)
		case core.OpI64Shl:
			r = a.c << (b.c & 63)
		case core.OpI32ShrU:
			r = (a.c & mask) >> (b.c & 31)
		case core.OpI64ShrU:
			r = a.c >> (b.c & 63)
		}
		return val{k: vConst, c: r & mask, op: in.Op, off: in.Off}
	}
	add := in.Op == core.OpI32Add || in.Op == core.OpI64Add
	sub := in.Op == core.OpI32Sub || in.Op == core.OpI64Sub
	if (add || sub) && b.k == vConst && a.k != vConst {
		d := b.c
		if sub {
			d = -d
		}
		return derive(a, d, in)
	}
	if add && a.k == vConst && b.k != vConst {
		return derive(b, a.c, in)
	}
	return val{k: vUnknown, op: in.Op, off: in.Off}
}

// derive returns base plus d: an address computed from a run-time value.
func derive(base val, d uint64, in *core.Instr) val {
	switch base.k {
	case vDerived:
		base.c += d
		return base
	case vCmp:
		return val{k: vUnknown, op: in.Op, off: in.Off}
	}
	v := val{k: vDerived, c: d, op: base.op, off: base.off, x: base.x}
	if base.k == vParam {
		v.op = opParam
	}
	return v
}

func compare(in *core.Instr, a, b val) val {
	ne := in.Op == core.OpI32Ne || in.Op == core.OpI64Ne
	switch {
	case a.k == vConst && b.k == vConst:
		r := uint64(0)
		if (a.c == b.c) != ne {
			r = 1
		}
		return val{k: vConst, c: r, op: in.Op, off: in.Off}
	case a.k == vParam && len(a.m) == 0 && b.k == vConst:
		return val{k: vCmp, x: a.x, c: b.c, ne: ne, op: in.Op, off: in.Off}
	case b.k == vParam && len(b.m) == 0 && a.k == vConst:
		return val{k: vCmp, x: b.x, c: a.c, ne: ne, op: in.Op, off: in.Off}
	}
	return val{k: vUnknown, op: in.Op, off: in.Off}
}

func convert(in *core.Instr, a val) val {
	switch a.k {
	case vConst:
		switch in.Op {
		case core.OpI32WrapI64, core.OpI64ExtendI32U:
			a.c &= 0xFFFFFFFF
		case core.OpI64ExtendI32S:
			a.c = uint64(int64(int32(uint32(a.c))))
		}
		a.op, a.off = in.Op, in.Off
		return a
	case vDerived:
		return a
	}
	return val{k: vUnknown, op: in.Op, off: in.Off}
}
