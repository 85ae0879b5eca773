package validate

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/internal/quote"
)

// Limits of memories, in 64 KiB pages.
const (
	maxPages32 = 1 << 16
	maxPages64 = 1 << 48
)

// Error is an invalid module: the offset of the offending byte and why.
type Error = core.FormatError

func errorf(off uint32, format string, args ...any) *Error {
	return &core.FormatError{Off: int64(off), Msg: fmt.Sprintf(format, quote.Args(args)...)}
}

// ctx is the validation context C of the specification.
type ctx struct {
	m       *core.Module
	types   []core.FuncType
	funcs   []uint32 // type index of every function, imported first
	tables  []core.TableType
	mems    []core.Limits
	globals []core.GlobalType
	nimpG   int
	refs    map[uint32]bool // functions ref.func may name
	elems   []core.ValType
	slow    bool // check every instruction on the general path (tests: the fast path against it)
}

// Module validates m. The error is a *core.FormatError at the offending
// byte.
func Module(m *core.Module) error {
	_, err := Check(m)
	return err
}

// structure validates everything of m but the function bodies and returns
// the context the bodies are checked in.
func structure(m *core.Module) (*ctx, error) {
	c := &ctx{m: m, types: m.Types, refs: map[uint32]bool{}}
	if err := c.imports(); err != nil {
		return nil, err
	}
	c.funcs = slices.Grow(c.funcs, len(m.Funcs))
	c.funcs = append(c.funcs, m.Funcs...)
	if err := c.definitions(); err != nil {
		return nil, err
	}
	if err := c.segments(); err != nil {
		return nil, err
	}
	return c, nil
}

// bodies type-checks the function bodies but those skip (if not nil)
// reports, in runs of consecutive bodies of about equal size, a few per
// available processor, which the workers take in turn (a worker that
// shares its processor with other work takes fewer); the error reported
// is that of the first invalid body, as a sequential check would report.
// observe, if not nil, gives each run its Observer (see Observed).
func (c *ctx) bodies(skip []bool, observe func(first, n int) Observer) error {
	m := c.m
	workers := min(runtime.GOMAXPROCS(0), 8)
	total := 0
	for i := range m.Code {
		if skip == nil || !skip[i] {
			total += len(m.Code[i].Body)
		}
	}
	runs := 4 * workers
	if workers < 2 || total < 1<<16 {
		workers, runs = 1, 1
	}
	first := uint32(len(c.funcs) - len(m.Code))
	// bounds[k], bounds[k+1] are the code-section indices of run k.
	bounds := make([]int, 1, runs+1)
	share := total/runs + 1
	for k, end := 0, 0; k < runs; k++ {
		size := 0
		for end < len(m.Code) && (size < share || k == runs-1) {
			if skip == nil || !skip[end] {
				size += len(m.Code[end].Body)
			}
			end++
		}
		bounds = append(bounds, end)
	}
	errs := make([]error, runs)
	var next, failed atomic.Int32 // the next run to take; 1 + the first run that failed
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v bodyValidator
			for {
				k := int(next.Add(1)) - 1
				if k >= runs {
					return
				}
				if f := failed.Load(); f > 0 && k >= int(f)-1 {
					continue // a run before it failed: its verdict does not count
				}
				start, end := bounds[k], bounds[k+1]
				v.obs, v.observed, v.slow = nil, [256]bool{}, c.slow
				if observe != nil {
					v.obs = observe(start, end-start)
					for op := range v.observed {
						v.observed[op] = v.obs.Observes(core.Opcode(op))
						// fast shows the observer calls, and nothing else.
						if v.observed[op] && op != int(core.OpCall) && fastTakes(byte(op)) {
							v.slow = true
						}
					}
				}
				for i := start; i < end; i++ {
					if skip != nil && skip[i] {
						continue
					}
					if err := v.function(c, first+uint32(i), &m.Code[i]); err != nil {
						errs[k] = err
						for f := failed.Load(); f == 0 || int(f)-1 > k; f = failed.Load() {
							if failed.CompareAndSwap(f, int32(k)+1) {
								break
							}
						}
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *ctx) imports() error {
	for i := range c.m.Imports {
		im := &c.m.Imports[i]
		switch im.Kind {
		case core.KindFunc:
			if int(im.TypeIndex) >= len(c.types) {
				return errorf(im.Off, "import %s.%s: type %d out of range", im.Module, im.Name, im.TypeIndex)
			}
			c.funcs = append(c.funcs, im.TypeIndex)
		case core.KindTable:
			if err := tableLimits(im.Off, im.Table.Limits); err != nil {
				return err
			}
			c.tables = append(c.tables, im.Table)
		case core.KindMemory:
			if err := memLimits(im.Off, im.Memory); err != nil {
				return err
			}
			c.mems = append(c.mems, im.Memory)
		case core.KindGlobal:
			c.globals = append(c.globals, im.Global)
		}
	}
	c.nimpG = len(c.globals)
	return nil
}

func tableLimits(off uint32, l core.Limits) error {
	if l.HasMax && l.Max < l.Min {
		return errorf(off, "table maximum %d is below its minimum %d", l.Max, l.Min)
	}
	if l.Min > 0xFFFFFFFF || l.HasMax && l.Max > 0xFFFFFFFF {
		return errorf(off, "table size beyond 2^32-1")
	}
	return nil
}

func memLimits(off uint32, l core.Limits) error {
	limit := uint64(maxPages32)
	if l.Is64 {
		limit = maxPages64
	}
	switch {
	case l.Min > limit:
		return errorf(off, "memory minimum %d pages exceeds %d", l.Min, limit)
	case l.HasMax && l.Max > limit:
		return errorf(off, "memory maximum %d pages exceeds %d", l.Max, limit)
	case l.HasMax && l.Max < l.Min:
		return errorf(off, "memory maximum %d is below its minimum %d", l.Max, l.Min)
	}
	return nil
}

// declareRefs records the functions constant expressions name outside
// function bodies: those ref.func may take (C.refs).
func (c *ctx) declareRefs(e *core.ConstExpr) {
	for _, in := range e.Instrs {
		if in.Op == core.OpRefFunc {
			c.refs[in.Index] = true
		}
	}
}

func (c *ctx) definitions() error {
	m := c.m
	// C.refs: every function named outside function bodies.
	for i := range m.Globals {
		c.declareRefs(&m.Globals[i].Init)
	}
	for i := range m.Tables {
		if m.Tables[i].Init != nil {
			c.declareRefs(m.Tables[i].Init)
		}
	}
	for i := range m.Elements {
		for _, f := range m.Elements[i].Funcs {
			c.refs[f] = true
		}
		for k := range m.Elements[i].Exprs {
			c.declareRefs(&m.Elements[i].Exprs[k])
		}
	}
	for i := range m.Exports {
		if e := &m.Exports[i]; e.Kind == core.KindFunc {
			c.refs[e.Index] = true
		}
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		if err := tableLimits(t.Off, t.Type.Limits); err != nil {
			return err
		}
		if t.Init != nil {
			if err := c.constExpr(t.Init, t.Type.Elem, len(c.globals)); err != nil {
				return err
			}
		}
		c.tables = append(c.tables, t.Type)
	}
	for i := range m.Memories {
		if err := memLimits(m.Memories[i].Off, m.Memories[i].Limits); err != nil {
			return err
		}
		c.mems = append(c.mems, m.Memories[i].Limits)
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		// A global's initializer sees the imported and earlier globals.
		if err := c.constExpr(&g.Init, g.Type.Type, len(c.globals)); err != nil {
			return err
		}
		c.globals = append(c.globals, g.Type)
	}
	names := map[string]bool{}
	for i := range m.Exports {
		e := &m.Exports[i]
		if names[e.Name] {
			return errorf(e.Off, "duplicate export name %q", e.Name)
		}
		names[e.Name] = true
		var n int
		switch e.Kind {
		case core.KindFunc:
			n = len(c.funcs)
		case core.KindTable:
			n = len(c.tables)
		case core.KindMemory:
			n = len(c.mems)
		case core.KindGlobal:
			n = len(c.globals)
		}
		if int64(e.Index) >= int64(n) {
			return errorf(e.Off, "export %q: %s %d out of range", e.Name, e.Kind, e.Index)
		}
	}
	if m.HasStart {
		if int(m.Start) >= len(c.funcs) {
			return errorf(c.sectionOff(core.SectionStart), "start function %d out of range", m.Start)
		}
		if t := &c.types[c.funcs[m.Start]]; len(t.Params) > 0 || len(t.Results) > 0 {
			return errorf(c.sectionOff(core.SectionStart), "start function %d has type %s, want (func)", m.Start, t)
		}
	}
	return nil
}

func (c *ctx) sectionOff(id core.SectionID) uint32 {
	for _, s := range c.m.Sections {
		if s.ID == id {
			return s.Start
		}
	}
	return 0
}

func (c *ctx) segments() error {
	m := c.m
	for i := range m.Elements {
		e := &m.Elements[i]
		for k := range e.Exprs {
			if err := c.constExpr(&e.Exprs[k], e.Type, len(c.globals)); err != nil {
				return err
			}
		}
		for _, f := range e.Funcs {
			if int(f) >= len(c.funcs) {
				return errorf(e.ItemsOff, "element segment %d: function %d out of range", i, f)
			}
		}
		if e.Mode == core.ElemActive {
			if int(e.Table) >= len(c.tables) {
				return errorf(e.Off, "element segment %d: table %d out of range", i, e.Table)
			}
			if t := c.tables[e.Table].Elem; t != e.Type {
				return errorf(e.Off, "element segment %d of %s in a table of %s", i, e.Type, t)
			}
			if err := c.constExpr(&e.Offset, core.I32, len(c.globals)); err != nil {
				return err
			}
		}
		c.elems = append(c.elems, e.Type)
	}
	for i := range m.Data {
		d := &m.Data[i]
		if d.Mode != core.DataActive {
			continue
		}
		if int(d.Memory) >= len(c.mems) {
			return errorf(d.Off, "data segment %d: memory %d out of range", i, d.Memory)
		}
		if err := c.constExpr(&d.Offset, addrType(c.mems[d.Memory]), len(c.globals)); err != nil {
			return err
		}
	}
	return nil
}

func addrType(l core.Limits) core.ValType {
	if l.Is64 {
		return core.I64
	}
	return core.I32
}

// constExpr checks that e is constant and has type want. It may read the
// first nglobals globals, which must be immutable.
func (c *ctx) constExpr(e *core.ConstExpr, want core.ValType, nglobals int) error {
	var stack []core.ValType
	pop := func(in *core.Instr, t core.ValType) error {
		if len(stack) == 0 || stack[len(stack)-1] != t {
			return errorf(in.Off, "type mismatch in constant expression: %s needs %s operands", in.Op, t)
		}
		stack = stack[:len(stack)-1]
		return nil
	}
	for i := range e.Instrs {
		in := &e.Instrs[i]
		switch in.Op {
		case core.OpI32Const:
			stack = append(stack, core.I32)
		case core.OpI64Const:
			stack = append(stack, core.I64)
		case core.OpF32Const:
			stack = append(stack, core.F32)
		case core.OpF64Const:
			stack = append(stack, core.F64)
		case core.OpV128Const:
			stack = append(stack, core.V128)
		case core.OpRefNull:
			stack = append(stack, in.Type)
		case core.OpRefFunc:
			if int(in.Index) >= len(c.funcs) {
				return errorf(in.Off, "ref.func %d out of range", in.Index)
			}
			stack = append(stack, core.FuncRef)
		case core.OpGlobalGet:
			if int(in.Index) >= nglobals {
				return errorf(in.Off, "global.get %d in a constant expression: only imported and earlier globals are visible", in.Index)
			}
			g := c.globals[in.Index]
			if g.Mutable {
				return errorf(in.Off, "global.get %d in a constant expression reads a mutable global", in.Index)
			}
			stack = append(stack, g.Type)
		case core.OpI32Add, core.OpI32Sub, core.OpI32Mul, core.OpI64Add, core.OpI64Sub, core.OpI64Mul:
			t := core.I32
			if in.Op >= core.OpI64Add {
				t = core.I64
			}
			if err := pop(in, t); err != nil {
				return err
			}
			if err := pop(in, t); err != nil {
				return err
			}
			stack = append(stack, t)
		default:
			return errorf(in.Off, "%s is not a constant instruction", in.Op)
		}
	}
	if len(stack) != 1 || stack[0] != want {
		return errorf(e.Off, "constant expression has type %v, want %s", stack, want)
	}
	return nil
}
