package component

import (
	"context"
	"math"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// The scalar fast path: a lifted function whose parameters and result are
// all primitive scalars (bool, integers, floats, char) passes them in core
// values only, so calling it needs no call context, memory or layouts.
// The conversions are definitions.py's lift_flat and lower_flat for those
// types, as runner/abi implements them for the general path (the
// conformance directives on numerics go through this path).

func isScalar(t *wit.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case wit.Bool, wit.S8, wit.U8, wit.S16, wit.U16, wit.S32, wit.U32, wit.S64, wit.U64, wit.F32, wit.F64, wit.Char:
		return true
	}
	return false
}

// scalarSig reports whether f takes the scalar fast path.
func scalarSig(f *wit.Function) bool {
	if len(f.Params) > abi.MaxFlatParams {
		return false
	}
	for _, p := range f.Params {
		if !isScalar(p.Type) {
			return false
		}
	}
	return f.Result == nil || isScalar(f.Result)
}

// lowerScalar is lower_flat of a scalar value.
func lowerScalar(v value.Value, k wit.Kind) uint64 {
	switch k {
	case wit.S8, wit.S16, wit.S32:
		return uint64(uint32(int32(v.Int())))
	case wit.S64:
		return uint64(v.Int())
	case wit.F32:
		f := v.F32()
		if f != f {
			return abi.CanonicalNaN32
		}
		return uint64(math.Float32bits(f))
	case wit.F64:
		f := v.Float()
		if f != f {
			return abi.CanonicalNaN64
		}
		return math.Float64bits(f)
	}
	return v.Bits() // bool, unsigned integers, char
}

// liftScalar is lift_flat of a scalar value.
func liftScalar(u uint64, k wit.Kind) (value.Value, error) {
	switch k {
	case wit.Bool:
		return value.Bool(uint32(u) != 0), nil
	case wit.S8:
		return value.S8(int8(u)), nil
	case wit.U8:
		return value.U8(uint8(u)), nil
	case wit.S16:
		return value.S16(int16(u)), nil
	case wit.U16:
		return value.U16(uint16(u)), nil
	case wit.S32:
		return value.S32(int32(u)), nil
	case wit.U32:
		return value.U32(uint32(u)), nil
	case wit.S64:
		return value.S64(int64(u)), nil
	case wit.U64:
		return value.U64(u), nil
	case wit.F32:
		f := math.Float32frombits(uint32(u))
		if f != f {
			f = math.Float32frombits(abi.CanonicalNaN32)
		}
		return value.F32(f), nil
	case wit.F64:
		f := math.Float64frombits(u)
		if f != f {
			f = math.Float64frombits(abi.CanonicalNaN64)
		}
		return value.F64(f), nil
	case wit.Char:
		i := uint32(u)
		if i >= 0x110000 || (i >= 0xD800 && i <= 0xDFFF) {
			return value.Value{}, &abi.Trap{Code: abi.TrapInvalidChar, Reason: "invalid `char` bit pattern"}
		}
		return value.Char(rune(i)), nil
	}
	return value.Value{}, nil
}

// callScalar calls a lifted function of the scalar fast path.
func (lf *lifted) callScalar(ctx context.Context, ft *wit.Function, args []value.Value) ([]value.Value, error) {
	n := max(len(lf.sig.Params), len(lf.sig.Results), 1)
	stack := lf.stack
	if cap(stack) < n {
		stack = make([]uint64, n)
	}
	stack = stack[:n]
	lf.stack = nil // a re-entrant call gets its own
	for k, a := range args {
		stack[k] = lowerScalar(a, ft.Params[k].Type.Kind)
	}
	err := lf.fn.CallWithStack(ctx, stack)
	lf.stack = stack
	if err != nil {
		return nil, err
	}
	if ft.Result == nil {
		if lf.opts.PostReturn != nil {
			return nil, lf.opts.PostReturn(ctx, nil)
		}
		return nil, nil
	}
	r, err := liftScalar(stack[0], ft.Result.Kind)
	if err != nil {
		return nil, err
	}
	if lf.opts.PostReturn != nil {
		lf.inst.abi.MayLeave = false
		err := lf.opts.PostReturn(ctx, []uint64{stack[0]})
		lf.inst.abi.MayLeave = true
		if err != nil {
			return nil, err
		}
	}
	return []value.Value{r}, nil
}
