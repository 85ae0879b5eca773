package abi

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// layouts compiles ts, appending to buf[:0], and counts their flat values.
func (cx *CallContext) layouts(ts []*wit.Type, buf []*layout) ([]*layout, int, error) {
	ls := buf[:0]
	var flat int
	for _, t := range ts {
		l, err := cx.layoutOf(t)
		if err != nil {
			return nil, 0, err
		}
		ls = append(ls, l)
		flat += len(l.flat)
	}
	return ls, flat, nil
}

// tupleLayout is the layout of the tuple of ts (with layouts ls), the
// in-memory form of spilled parameters and results.
func tupleLayout(ts []*wit.Type, ls []*layout) (*layout, error) {
	tl := &layout{k: lRecord, wk: wit.Tuple, align: 1, t: &wit.Type{Kind: wit.Tuple, Elems: ts}}
	var s uint64
	for _, l := range ls {
		s = alignTo64(s, l.align)
		tl.fields = append(tl.fields, field{off: uint32(s), l: l})
		s += uint64(l.size)
		tl.align = max(tl.align, l.align)
	}
	if s > 1<<32-1 {
		return nil, fmt.Errorf("abi: values too large")
	}
	tl.size = uint32(alignTo64(s, tl.align))
	return tl, nil
}

// LiftFlatValues lifts values of types ts from flat core values
// (definitions.py's lift_flat_values): from vi directly when they flatten
// to at most maxFlat values, else from the tuple in memory that the next
// i32 of vi points to. Use MaxFlatParams for parameters and MaxFlatResults
// for results.
func LiftFlatValues(cx *CallContext, maxFlat int, vi *CoreValues, ts []*wit.Type) ([]value.Value, error) {
	var buf [8]*layout
	ls, nflat, err := cx.layouts(ts, buf[:])
	if err != nil {
		return nil, err
	}
	if nflat > maxFlat {
		tl, err := tupleLayout(ts, ls)
		if err != nil {
			return nil, err
		}
		ptr, err := vi.next32()
		if err != nil {
			return nil, err
		}
		b, err := cx.region(ptr, tl.align, tl.size, TrapUnaligned, TrapOutOfBounds)
		if err != nil {
			return nil, err
		}
		vs := make([]value.Value, len(ls))
		for i, f := range tl.fields {
			if vs[i], err = cx.load(f.l, b[f.off:f.off+f.l.size]); err != nil {
				return nil, err
			}
		}
		return vs, nil
	}
	vs := make([]value.Value, len(ls))
	for i, l := range ls {
		if vs[i], err = cx.liftFlat(l, vi); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// LowerFlatValues lowers vs, of types ts, to flat core values
// (definitions.py's lower_flat_values): directly when they flatten to at
// most maxFlat values; else into a tuple in memory, allocated with realloc
// and returned as one i32 pointer when outParam is nil, or written where
// the next i32 of outParam points (the caller's return pointer of a
// lowered import) and returning no flat values. While lowering, the
// instance may not leave (Instance.MayLeave is false), so realloc cannot
// call imports.
func LowerFlatValues(cx *CallContext, maxFlat int, vs []value.Value, ts []*wit.Type, outParam *CoreValues) ([]uint64, error) {
	if len(vs) != len(ts) {
		return nil, fmt.Errorf("abi: lower: %d values for %d types", len(vs), len(ts))
	}
	var buf [8]*layout
	ls, nflat, err := cx.layouts(ts, buf[:])
	if err != nil {
		return nil, err
	}
	if cx.Inst != nil {
		prev := cx.Inst.MayLeave
		cx.Inst.MayLeave = false
		defer func() { cx.Inst.MayLeave = prev }()
	}
	if nflat > maxFlat {
		tl, err := tupleLayout(ts, ls)
		if err != nil {
			return nil, err
		}
		var ptr uint32
		var out []uint64
		unaligned, oob := TrapUnaligned, TrapOutOfBounds
		if outParam == nil {
			unaligned, oob = TrapReallocUnaligned, TrapReallocOutOfBounds
			if _, err := cx.memory(); err != nil {
				return nil, err
			}
			if cx.Opts.Realloc == nil {
				return nil, errNoRealloc
			}
			if ptr, err = cx.Opts.Realloc(cx.ctx(), 0, 0, tl.align, tl.size); err != nil {
				return nil, err
			}
			out = []uint64{uint64(ptr)}
		} else {
			if ptr, err = outParam.next32(); err != nil {
				return nil, err
			}
			out = []uint64{}
		}
		if err := cx.storeAt(tl, value.Tuple(vs...), ptr, unaligned, oob); err != nil {
			return nil, err
		}
		return out, nil
	}
	out := make([]uint64, 0, nflat)
	for i, l := range ls {
		if out, err = cx.lowerFlat(out, l, vs[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FuncType is a component function type: its parameter and result types.
type FuncType struct {
	Params  []*wit.Type
	Results []*wit.Type
}

// FuncTypeOf returns the type of f.
func FuncTypeOf(f *wit.Function) FuncType {
	ft := FuncType{Params: make([]*wit.Type, len(f.Params))}
	for i, p := range f.Params {
		ft.Params[i] = p.Type
	}
	if f.Result != nil {
		ft.Results = []*wit.Type{f.Result}
	}
	return ft
}

// CoreFunc is a core function of the guest, called with and returning flat
// core values.
type CoreFunc func(flatArgs []uint64) ([]uint64, error)

// CallExport runs the synchronous part of canon lift for a call into the
// guest: it lowers args into the guest, calls core, lifts the results,
// checks that the guest dropped every borrowed handle it was given, calls
// the post-return option with the flat results, and ends the call
// (Exit). cx must come from NewExportCall. Errors from core and from
// post-return are returned as they are; ABI traps are *Trap.
func CallExport(cx *CallContext, ft FuncType, args []value.Value, core CoreFunc) ([]value.Value, error) {
	flatArgs, err := LowerFlatValues(cx, MaxFlatParams, args, ft.Params, nil)
	if err != nil {
		return nil, err
	}
	flatResults, err := core(flatArgs)
	if err != nil {
		return nil, err
	}
	results, err := LiftFlatValues(cx, MaxFlatResults, NewCoreValues(flatResults), ft.Results)
	if err != nil {
		return nil, err
	}
	// task.return_: borrows given to the callee must be gone by now.
	if err := cx.Exit(); err != nil {
		return nil, err
	}
	if cx.Opts != nil && cx.Opts.PostReturn != nil {
		var prev bool
		if cx.Inst != nil {
			prev, cx.Inst.MayLeave = cx.Inst.MayLeave, false
		}
		err := cx.Opts.PostReturn(cx.ctx(), flatResults)
		if cx.Inst != nil {
			cx.Inst.MayLeave = prev
		}
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

// Callee is the component-level function a guest import is bound to (a
// host function, or another instance's export through its CallExport).
type Callee func(args []value.Value) ([]value.Value, error)

// CallImport runs canon lower for a guest's call of an import: it lifts
// the arguments from the guest's flat values (and memory), calls callee,
// lowers the results back (into the return pointer the guest passed when
// they do not fit in MaxFlatResults), and ends the call (Exit), which ends
// the loans of handles the guest lent as borrow arguments. It traps when
// the instance may not leave (it is lowering values, or running
// post-return). cx must come from NewImportCall.
func CallImport(cx *CallContext, ft FuncType, flatArgs []uint64, callee Callee) ([]uint64, error) {
	if cx.Inst != nil && !cx.Inst.MayLeave {
		return nil, trap(TrapCannotLeave)
	}
	// Loans end when the call ends, whether it returns or fails.
	defer cx.Exit()
	vi := NewCoreValues(flatArgs)
	args, err := LiftFlatValues(cx, MaxFlatParams, vi, ft.Params)
	if err != nil {
		return nil, err
	}
	results, err := callee(args)
	if err != nil {
		return nil, err
	}
	return LowerFlatValues(cx, MaxFlatResults, results, ft.Results, vi)
}
