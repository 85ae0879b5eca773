package component

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	ast "github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit/value"
)

// canon elaborates a canonical definition: canon lift makes a component
// function; canon lower and the resource built-ins make core functions.
func (l *Linker) canon(ctx context.Context, fr *frame, cn *ast.Canon) error {
	switch cn.Op {
	case ast.CanonLift:
		f, err := l.lift(fr, cn)
		if err != nil {
			return err
		}
		fr.funcs = append(fr.funcs, f)
	case ast.CanonLower:
		ref, err := l.lower(fr, cn)
		if err != nil {
			return err
		}
		fr.core[ast.SortCoreFunc] = append(fr.core[ast.SortCoreFunc], ref)
	case ast.CanonResourceNew, ast.CanonResourceDrop, ast.CanonResourceRep:
		ref, err := l.resourceBuiltin(fr, cn)
		if err != nil {
			return err
		}
		fr.core[ast.SortCoreFunc] = append(fr.core[ast.SortCoreFunc], ref)
	case ast.CanonResourceDropAsync:
		return unsupported(cn.Off, "canon resource.drop async")
	default:
		return unsupported(cn.Off, canonName(cn.Op))
	}
	return nil
}

func canonName(op ast.CanonOp) string {
	switch {
	case op >= ast.CanonStreamNew && op <= ast.CanonStreamDropWritable:
		return fmt.Sprintf("canon stream built-in (opcode 0x%02x)", byte(op))
	case op >= ast.CanonFutureNew && op <= ast.CanonFutureDropWritable:
		return fmt.Sprintf("canon future built-in (opcode 0x%02x)", byte(op))
	case op >= ast.CanonErrorContextNew && op <= ast.CanonErrorContextDrop:
		return fmt.Sprintf("canon error-context built-in (opcode 0x%02x)", byte(op))
	case op >= ast.CanonThreadIndex:
		return fmt.Sprintf("canon thread built-in (opcode 0x%02x)", byte(op))
	}
	return fmt.Sprintf("canon async built-in (opcode 0x%02x)", byte(op))
}

// options resolves canonical options to the wazero memory and functions.
func (l *Linker) options(fr *frame, cn *ast.Canon) (abi.Options, error) {
	var o abi.Options
	for _, op := range cn.Options {
		switch op.Kind {
		case ast.OptUTF8:
			o.Encoding = abi.UTF8
		case ast.OptUTF16:
			o.Encoding = abi.UTF16
		case ast.OptCompactUTF16:
			o.Encoding = abi.Latin1UTF16
		case ast.OptMemory:
			ref, err := fr.coreItem(cn.Off, ast.SortCoreMemory, op.Index)
			if err != nil {
				return o, err
			}
			mem, err := l.memory(ref)
			if err != nil {
				return o, l.errAt(cn.Off, "memory option: %w", err)
			}
			o.Memory = mem
		case ast.OptRealloc:
			ref, err := fr.coreItem(cn.Off, ast.SortCoreFunc, op.Index)
			if err != nil {
				return o, err
			}
			var fn api.Function
			o.Realloc = func(ctx context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
				if fn == nil {
					var err error
					if fn, err = l.function(ref); err != nil {
						return 0, err
					}
				}
				stack := []uint64{uint64(oldPtr), uint64(oldSize), uint64(align), uint64(newSize)}
				if err := fn.CallWithStack(ctx, stack); err != nil {
					return 0, err
				}
				return uint32(stack[0]), nil
			}
		case ast.OptPostReturn:
			ref, err := fr.coreItem(cn.Off, ast.SortCoreFunc, op.Index)
			if err != nil {
				return o, err
			}
			var fn api.Function
			var buf []uint64
			o.PostReturn = func(ctx context.Context, flat []uint64) error {
				if fn == nil {
					var err error
					if fn, err = l.function(ref); err != nil {
						return err
					}
				}
				// Post-return may not leave the instance, so it is not
				// re-entered; its stack is reused.
				stack := buf
				if cap(stack) < max(len(flat), 1) {
					stack = make([]uint64, max(len(flat), 1))
				}
				stack = stack[:max(len(flat), 1)]
				buf = nil
				copy(stack, flat)
				err := fn.CallWithStack(ctx, stack)
				buf = stack
				return err
			}
		case ast.OptAsync:
			return o, unsupported(cn.Off, "canon option async")
		case ast.OptCallback:
			return o, unsupported(cn.Off, "canon option callback")
		case ast.OptGC:
			return o, unsupported(cn.Off, "canon option gc")
		case ast.OptCoreType:
			// The core type only restates the flattened signature.
		default:
			return o, l.errAt(cn.Off, "unknown canon option 0x%02x", op.Kind)
		}
	}
	return o, nil
}

func (l *Linker) lift(fr *frame, cn *ast.Canon) (*Func, error) {
	t, err := fr.typ(cn.Off, cn.Type)
	if err != nil {
		return nil, err
	}
	if t.fn == nil {
		return nil, l.errAt(cn.Off, "canon lift with type index %d, which is not a function type", cn.Type)
	}
	ref, err := fr.coreItem(cn.Off, ast.SortCoreFunc, cn.Func)
	if err != nil {
		return nil, err
	}
	opts, err := l.options(fr, cn)
	if err != nil {
		return nil, err
	}
	fn, err := l.function(ref)
	if err != nil {
		return nil, l.errAt(cn.Off, "canon lift: %w", err)
	}
	ft := abi.FuncTypeOf(t.fn)
	sig, err := abi.Flatten(ft.Params, ft.Results, abi.CanonLift)
	if err != nil {
		return nil, l.errAt(cn.Off, "canon lift: %w", err)
	}
	if err := checkSig(fn.Definition(), sig); err != nil {
		return nil, l.errAt(cn.Off, "canon lift of core function %q: %w", ref.name, err)
	}
	name := ref.name
	if ref.host != nil {
		name = ref.host.what
	}
	return &Func{Type: t.fn, l: l, lift: newLifted(&lifted{coreName: name, fn: fn, opts: opts, inst: fr.inst, ft: ft, sig: sig})}, nil
}

func checkSig(d api.FunctionDefinition, sig abi.FlatSig) error {
	same := func(have []api.ValueType, want []abi.CoreType) bool {
		if len(have) != len(want) {
			return false
		}
		for i := range have {
			if have[i] != valueType(want[i]) {
				return false
			}
		}
		return true
	}
	if !same(d.ParamTypes(), sig.Params) || !same(d.ResultTypes(), sig.Results) {
		return fmt.Errorf("its type %v -> %v does not match the flattened signature %v -> %v",
			typeNames(d.ParamTypes()), typeNames(d.ResultTypes()), sig.Params, sig.Results)
	}
	return nil
}

func typeNames(ts []api.ValueType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = api.ValueTypeName(t)
	}
	return out
}

func valueType(t abi.CoreType) api.ValueType {
	switch t {
	case abi.I64:
		return api.ValueTypeI64
	case abi.F32:
		return api.ValueTypeF32
	case abi.F64:
		return api.ValueTypeF64
	}
	return api.ValueTypeI32
}

func valueTypes(ts []abi.CoreType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = valueType(t)
	}
	return out
}

// lower makes the core function a guest calls to call a component
// function: arguments are lifted with the canon options of the lower (its
// memory and realloc, not the calling module's), the callee runs, and the
// results are lowered back.
func (l *Linker) lower(fr *frame, cn *ast.Canon) (coreRef, error) {
	if uint64(cn.Func) >= uint64(len(fr.funcs)) {
		return coreRef{}, l.errAt(cn.Off, "func index %d out of range (%d defined)", cn.Func, len(fr.funcs))
	}
	callee := fr.funcs[cn.Func]
	opts, err := l.options(fr, cn)
	if err != nil {
		return coreRef{}, err
	}
	ft := abi.FuncTypeOf(callee.Type)
	sig, err := abi.Flatten(ft.Params, ft.Results, abi.CanonLower)
	if err != nil {
		return coreRef{}, l.errAt(cn.Off, "canon lower: %w", err)
	}
	inst := fr.inst
	np := len(sig.Params)
	what := "lower " + callee.Type.Name
	if callee.host != nil && callee.host.call.Interface != "" {
		what = "lower " + callee.host.call.Interface + "#" + callee.Type.Name
	}
	h := &hostFn{params: valueTypes(sig.Params), results: valueTypes(sig.Results), what: what}
	h.fn = func(ctx context.Context, _ api.Module, stack []uint64) {
		cx := abi.NewImportCall(ctx, &opts, inst.abi, l.resolve)
		cx.Layouts = l.layouts
		// Strings cross with the encodings of both sides: the
		// callee's results come lifted in its encoding, the
		// arguments in this lower's.
		cx.Source = callee.encoding()
		out, err := abi.CallImport(cx, ft, stack[:np], func(args []value.Value) ([]value.Value, error) {
			return callee.callFrom(ctx, args, opts.Encoding)
		})
		if err != nil {
			panic(err)
		}
		copy(stack, out)
	}
	return l.addHost(h), nil
}

func (l *Linker) resourceBuiltin(fr *frame, cn *ast.Canon) (coreRef, error) {
	t, err := fr.typ(cn.Off, cn.Type)
	if err != nil {
		return coreRef{}, err
	}
	if t.res == nil {
		return coreRef{}, l.errAt(cn.Off, "canon resource built-in on type index %d, which is not a resource", cn.Type)
	}
	rt := t.res.rt
	inst := fr.inst
	i32 := []api.ValueType{api.ValueTypeI32}
	h := &hostFn{params: i32}
	switch cn.Op {
	case ast.CanonResourceNew:
		if rt.Impl != inst.abi {
			return coreRef{}, l.errAt(cn.Off, "canon resource.new of a resource type this component does not define")
		}
		h.results, h.what = i32, "resource.new"
		h.fn = func(_ context.Context, _ api.Module, stack []uint64) {
			i, err := inst.abi.ResourceNew(rt, uint32(stack[0]))
			if err != nil {
				panic(err)
			}
			stack[0] = uint64(i)
		}
	case ast.CanonResourceRep:
		if rt.Impl != inst.abi {
			return coreRef{}, l.errAt(cn.Off, "canon resource.rep of a resource type this component does not define")
		}
		h.results, h.what = i32, "resource.rep"
		h.fn = func(_ context.Context, _ api.Module, stack []uint64) {
			r, err := inst.abi.ResourceRep(rt, uint32(stack[0]))
			if err != nil {
				panic(err)
			}
			stack[0] = uint64(r)
		}
	case ast.CanonResourceDrop:
		h.what = "resource.drop"
		h.fn = func(ctx context.Context, _ api.Module, stack []uint64) {
			if err := inst.abi.ResourceDrop(ctx, rt, uint32(stack[0])); err != nil {
				panic(err)
			}
		}
	}
	return l.addHost(h), nil
}
