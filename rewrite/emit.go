package rewrite

import (
	"fmt"
	"maps"
	"slices"

	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/manifest"
)

// Opcodes and bytes the emitted code uses.
const (
	opIf        = 0x04
	opElse      = 0x05
	opEnd       = 0x0B
	opCall      = 0x10
	opSelect    = 0x1B
	opLocalGet  = 0x20
	opI32Const  = 0x41
	opI64Const  = 0x42
	opI32Ne     = 0x47
	opI32GeU    = 0x4F
	opI64Ne     = 0x52
	blockI32    = 0x7F
	elemFuncRef = 0x00
)

// emit builds the output module.
func (p *pinner) emit() error {
	m := p.m
	tables := slices.Sorted(maps.Keys(p.plans))
	anyRemap := false
	for _, t := range tables {
		anyRemap = anyRemap || p.plans[t].hasRemap
	}
	if !p.res.placed && len(p.trans) == 0 && !anyRemap {
		p.res.Wasm = p.src // nothing moves: the input is the output
		return nil
	}
	nm := *m
	enc := &Encoder{Src: p.src}
	// An embedded wfcompat manifest describes the input's bytes: in the
	// rewritten module it would be stale, so it is dropped (run
	// `wfcompat manifest --embed` on the output to embed a new one).
	nm.Sections = slices.DeleteFunc(slices.Clone(m.Sections), func(s core.Section) bool {
		if s.ID == core.SectionCustom && s.Name == manifest.SectionName {
			p.res.DroppedManifest = true
			return true
		}
		return false
	})
	next := uint32(m.NumFuncs())
	var names []core.NameAssoc
	addFunc := func(typ uint32, body []byte, name string) uint32 {
		idx := next
		next++
		nm.Funcs = append(slices.Clip(nm.Funcs), typ)
		nm.Code = append(slices.Clip(nm.Code), core.Code{Body: body})
		names = append(names, core.NameAssoc{Index: idx, Name: name})
		return idx
	}
	// Remap functions, one per table whose indices the module's own code
	// must translate.
	remaps := map[uint32]uint32{}
	for _, t := range tables {
		tp := p.plans[t]
		if !tp.hasRemap {
			continue
		}
		typ := p.funcType(&nm, enc, []core.ValType{core.I32}, []core.ValType{core.I32})
		tp.remapFn = addFunc(typ, remapBody(tp), fmt.Sprintf("wfcompat:remap-table-%d", t))
		remaps[t] = tp.remapFn
	}
	// Wrappers of registering imports whose callback indices move.
	wrappers := map[uint32]uint32{}
	for _, ri := range p.a.Imports {
		byParam := map[int]map[uint64]uint64{}
		for _, arg := range ri.Args {
			if tr := p.trans[argKey{ri.Import, arg.Index}]; len(tr) > 0 {
				byParam[arg.Index] = tr
			}
		}
		if _, done := wrappers[ri.Func]; len(byParam) == 0 || done {
			continue
		}
		t := m.FuncType(ri.Func)
		typ, _ := m.FuncTypeIndex(ri.Func)
		wrappers[ri.Func] = addFunc(typ, wrapperBody(t, ri.Func, byParam), "wfcompat:wrap:"+ri.Import)
		p.res.Wrapped = append(p.res.Wrapped, ri.Import)
	}
	if len(names) > 0 {
		enc.Touch(core.SectionFunction, core.SectionCode)
	}
	// Route calls and indirect accesses.
	if len(wrappers) > 0 || len(remaps) > 0 {
		n, err := p.rewriteBodies(&nm, wrappers, remaps)
		if err != nil {
			return err
		}
		p.res.Rewritten = n
		enc.Touch(core.SectionCode)
	}
	// Grow tables and place the pinned and relocated functions.
	tablesCloned := false
	for _, t := range tables {
		tp := p.plans[t]
		if tp.newSize > tp.oldSize {
			i := int(t) - m.ImportedTables()
			if !tablesCloned {
				nm.Tables, tablesCloned = slices.Clone(m.Tables), true
			}
			tt := &nm.Tables[i]
			tt.Off, tt.End = 0, 0
			tt.Type.Limits.Min = tp.newSize
			if tt.Type.Limits.HasMax && tt.Type.Limits.Max < tp.newSize {
				tt.Type.Limits.Max = tp.newSize
			}
			enc.Touch(core.SectionTable)
		}
		slots := slices.Sorted(maps.Keys(tp.place))
		for i := 0; i < len(slots); {
			j := i + 1
			for j < len(slots) && slots[j] == slots[j-1]+1 {
				j++
			}
			el := core.Element{Mode: core.ElemActive, Table: t, Type: core.FuncRef,
				Offset: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpI32Const, I64: int64(int32(slots[i]))}}}}
			plain := true
			for _, s := range slots[i:j] {
				plain = plain && tp.place[s].plain()
			}
			switch {
			case t != 0 && plain:
				el.Flags = 2
			case t == 0 && !plain:
				el.Flags = 4
			case !plain:
				el.Flags = 6
			}
			for _, s := range slots[i:j] {
				pl := tp.place[s]
				switch {
				case plain:
					el.Funcs = append(el.Funcs, pl.fn)
				case pl.expr != nil:
					el.Exprs = append(el.Exprs, *pl.expr)
				case pl.null:
					el.Exprs = append(el.Exprs, core.ConstExpr{Instrs: []core.Instr{{Op: core.OpRefNull, Type: core.FuncRef}}})
				default:
					el.Exprs = append(el.Exprs, core.ConstExpr{Instrs: []core.Instr{{Op: core.OpRefFunc, Index: pl.fn}}})
				}
			}
			nm.Elements = append(slices.Clip(nm.Elements), el)
			enc.Touch(core.SectionElement)
			i = j
		}
	}
	// Name the added functions.
	if m.Names != nil && m.NamesErr == "" && len(names) > 0 {
		n := *m.Names
		n.Funcs = append(slices.Clip(n.Funcs), names...)
		nm.Names = &n
		enc.TouchNames()
	}
	out, err := enc.Encode(&nm)
	if err != nil {
		return err
	}
	p.res.Wasm = out
	return nil
}

// funcType returns the index of the function type params → results,
// adding it if the module has none.
func (p *pinner) funcType(nm *core.Module, enc *Encoder, params, results []core.ValType) uint32 {
	for i := range nm.Types {
		if slices.Equal(nm.Types[i].Params, params) && slices.Equal(nm.Types[i].Results, results) {
			return uint32(i)
		}
	}
	nm.Types = append(slices.Clip(nm.Types), core.FuncType{Params: params, Results: results})
	enc.Touch(core.SectionType)
	return uint32(len(nm.Types) - 1)
}

// remapBody returns the body of (func (param i32) (result i32)) that maps
// an index the module computed to the slot now holding the function that
// index named: the fresh slot of a relocated function, -1 (out of bounds,
// so it still traps) for an index beyond the original table, itself
// otherwise.
func remapBody(tp *tablePlan) []byte {
	b := []byte{0} // no locals
	b = append(b, opLocalGet, 0, opI32Const)
	b = appendS64(b, int64(int32(uint32(tp.oldSize))))
	b = append(b, opI32GeU, opIf, blockI32, opI32Const, 0x7F, opElse, opLocalGet, 0)
	for _, s := range slices.Sorted(maps.Keys(tp.remap)) {
		b = append(b, opI32Const)
		b = appendS64(b, int64(int32(tp.remap[s])))
		b = append(b, opLocalGet, 0, opI32Const)
		b = appendS64(b, int64(int32(s)))
		b = append(b, opI32Ne, opSelect)
	}
	return append(b, opEnd, opEnd)
}

// wrapperBody returns the body of a function with the import's type that
// translates the callback arguments and calls the import.
func wrapperBody(t *core.FuncType, imp uint32, byParam map[int]map[uint64]uint64) []byte {
	b := []byte{0}
	for i, pt := range t.Params {
		b = append(b, opLocalGet)
		b = appendU32(b, uint32(i))
		tr := byParam[i]
		for _, from := range slices.Sorted(maps.Keys(tr)) {
			to := tr[from]
			if pt == core.I64 {
				b = appendS64(append(b, opI64Const), int64(to))
				b = appendU32(append(b, opLocalGet), uint32(i))
				b = appendS64(append(b, opI64Const), int64(from))
				b = append(b, opI64Ne, opSelect)
			} else {
				b = appendS64(append(b, opI32Const), int64(int32(uint32(to))))
				b = appendU32(append(b, opLocalGet), uint32(i))
				b = appendS64(append(b, opI32Const), int64(int32(uint32(from))))
				b = append(b, opI32Ne, opSelect)
			}
		}
	}
	b = appendU32(append(b, opCall), imp)
	return append(b, opEnd)
}

// rewriteStops are the one-byte opcodes rewriteBodies may rewrite: it
// skips the others undecoded (core.InstrReader.SkipPlain).
var rewriteStops = [256]bool{core.OpCall: true, core.OpReturnCall: true, core.OpCallIndirect: true,
	core.OpReturnCallIndirect: true, core.OpTableGet: true}

// rewriteBodies redirects calls of wrapped imports to their wrappers and
// puts a call of the table's remap function before every call_indirect,
// return_call_indirect and table.get on a remapped table. It returns the
// number of bodies changed. Untouched bodies keep their source ranges and
// are copied verbatim.
func (p *pinner) rewriteBodies(nm *core.Module, wrappers, remaps map[uint32]uint32) (int, error) {
	m := p.m
	src := p.src
	// Only the functions the analysis saw calling a wrapped import or
	// using a remapped table need a look.
	var fns []uint32
	for _, ri := range p.a.Imports {
		if _, ok := wrappers[ri.Func]; ok {
			fns = append(fns, ri.Callers...)
		}
	}
	for t := range remaps {
		fns = append(fns, p.a.Table(t).IndirectFuncs...)
	}
	slices.Sort(fns)
	fns = slices.Compact(fns)
	code := slices.Clone(nm.Code)
	nm.Code = code
	nimp := uint32(m.ImportedFuncs())
	// One arena for the rewritten bodies, sized for them up front: each
	// call_indirect or table.get gains a call of at most 6 bytes, far
	// fewer than an eighth of a body's bytes.
	total := 0
	for _, fn := range fns {
		total += len(m.Code[fn-nimp].Body)
	}
	arena := make([]byte, 0, total+total/8+64)
	var r core.InstrReader
	changed := 0
	for _, fn := range fns {
		ci := fn - nimp
		c := &m.Code[ci]
		r.ResetCode(c)
		start := len(arena)
		last := c.InstrOff
		touched := false
		splice := func(upTo uint32) {
			if !touched {
				touched = true
				arena = append(arena, src[c.Start:c.InstrOff]...)
			}
			arena = append(arena, src[last:upTo]...)
		}
		for r.SkipPlain(&rewriteStops); r.Next(); r.SkipPlain(&rewriteStops) {
			switch r.Op() {
			case core.OpCall, core.OpReturnCall:
				in := r.Current()
				if w, ok := wrappers[in.Index]; ok {
					splice(in.Off)
					arena = appendU32(append(arena, byte(in.Op)), w)
					last = r.Offset()
				}
			case core.OpCallIndirect, core.OpReturnCallIndirect:
				in := r.Current()
				if f, ok := remaps[in.Index2]; ok {
					splice(in.Off)
					arena = appendU32(append(arena, opCall), f)
					last = in.Off
				}
			case core.OpTableGet:
				in := r.Current()
				if f, ok := remaps[in.Index]; ok {
					splice(in.Off)
					arena = appendU32(append(arena, opCall), f)
					last = in.Off
				}
			}
		}
		if err := r.Err(); err != nil {
			return 0, err
		}
		if touched {
			arena = append(arena, src[last:c.End]...)
			nc := &code[ci]
			nc.Off, nc.End = 0, 0
			nc.Body = arena[start:len(arena):len(arena)]
			changed++
		}
	}
	return changed, nil
}
