package component

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// The flat fast path: a lifted function whose parameters are scalars (or
// records and tuples of scalars) and whose result is none or one scalar
// (abi.ScalarSig) passes core values only, so calling it needs no call
// context, memory, realloc or layouts. A FlatCaller (Func.Flat) takes and
// returns the flat values themselves; Call of a function whose parameters
// are each one scalar goes the same way, converting values with
// abi.LowerScalar and abi.ScalarValue. The conversions are runner/abi's
// (one implementation of lift_flat and lower_flat for scalars).

// ScalarSig returns the flat signature of f when calls of it can take the
// fast path (Flat), or an error saying why they cannot.
func (f *Func) ScalarSig() (*abi.ScalarSig, error) {
	if f.lift == nil {
		return nil, errors.New("a host function has no flat fast path")
	}
	if f.lift.ssig == nil {
		return nil, f.lift.ssigErr
	}
	return f.lift.ssig, nil
}

// FlatCaller is a lifted function with a scalar signature prepared for
// calls with flat values (Func.Flat). It has its own stack and allocates
// nothing per call. Like the instance it calls into, it is not safe for
// concurrent use.
type FlatCaller struct {
	// What a call touches, copied here from the lifted function, its
	// signature and its instance to spare indirections.
	lf      *lifted
	l       *Linker
	inst    *compInst
	fn      api.Function
	post    abi.PostReturn
	sig     *abi.ScalarSig
	nparams int
	result  bool // the function has a result
	check   bool // a parameter needs checking (Slot.Lower is not the identity)
	lift    bool // the result needs lifting
	nres    int  // flat results of the core function
	stack   []uint64
}

// Flat prepares f, a lifted function with a scalar signature (see
// ScalarSig), for calls with flat values.
func (f *Func) Flat() (*FlatCaller, error) {
	sig, err := f.ScalarSig()
	if err != nil {
		return nil, err
	}
	lf := f.lift
	c := &FlatCaller{lf: lf, l: f.l, inst: lf.inst, fn: lf.fn, post: lf.opts.PostReturn, sig: sig,
		nparams: len(sig.Params), result: sig.HasResult, nres: len(lf.sig.Results),
		stack: make([]uint64, max(len(lf.sig.Params), len(lf.sig.Results), 1))}
	for _, p := range sig.Params {
		c.check = c.check || !identity(p)
	}
	c.lift = sig.HasResult && !identity(sig.Result)
	return c, nil
}

// identity reports whether lifting and lowering a value of s change or
// reject nothing.
func identity(s abi.Slot) bool { return s.Kind == wit.U64 || s.Kind == wit.S64 }

// Sig returns the flat signature.
func (c *FlatCaller) Sig() *abi.ScalarSig { return c.sig }

// Call calls the function with flat parameter values, one per slot of its
// ScalarSig as abi.Slot.Lower accepts them, and stores the flat result (as
// abi.Slot.Lift returns it) in results[0] when the function has one.
// Traps and exits are returned as Func.Call returns them; a parameter
// that is not a value of its type is an error (the call is not made).
func (c *FlatCaller) Call(ctx context.Context, params, results []uint64) error {
	if len(params) != c.nparams {
		return fmt.Errorf("%d flat parameters for %d", len(params), c.nparams)
	}
	if c.result && len(results) == 0 {
		return errors.New("no room for the result")
	}
	inst := c.inst
	if c.l.closed || inst.trapped || inst.busy {
		return c.lf.enter(c.l) // says why
	}
	inst.busy = true
	stack := c.stack
	if c.check {
		s := c.sig
		for k, p := range params {
			x, err := s.Params[k].Lower(p)
			if err != nil {
				inst.busy = false
				return fmt.Errorf("flat parameter %d: %w", k, err)
			}
			stack[k] = x
		}
	} else {
		copy(stack, params)
	}
	err := c.fn.CallWithStack(ctx, stack)
	r := stack[0]
	if err == nil && c.lift {
		r, err = c.sig.Result.Lift(r)
	}
	if err == nil && c.post != nil {
		inst.abi.MayLeave = false
		err = c.post(ctx, stack[:c.nres])
		inst.abi.MayLeave = true
	}
	if err != nil {
		return c.lf.leave(c.l, err)
	}
	inst.busy = false
	if c.result {
		results[0] = r
	}
	return nil
}

// callScalar calls f (whose parameters are one scalar each) with values.
func (f *Func) callScalar(ctx context.Context, args []value.Value) ([]value.Value, error) {
	lf := f.lift
	s := lf.ssig
	stack := lf.takeStack()
	for k, a := range args {
		x, err := abi.LowerScalar(a, s.Params[k])
		if err != nil {
			lf.stack = stack
			return nil, fmt.Errorf("argument %d: %w", k, err)
		}
		stack[k] = x
	}
	r, err := f.callFlat(ctx, stack)
	if err != nil || !s.HasResult {
		return nil, err
	}
	return []value.Value{abi.ScalarValue(r, s.Result)}, nil
}

// takeStack returns the stack of a call of lf, its parameters to be
// filled in; callFlat gives it back (a re-entrant call, through an import,
// gets its own meanwhile).
func (lf *lifted) takeStack() []uint64 {
	n := max(len(lf.sig.Params), len(lf.sig.Results), 1)
	stack := lf.stack
	if cap(stack) < n {
		stack = make([]uint64, n)
	}
	lf.stack = nil
	return stack[:n]
}

// callFlat enters the instance and calls the core function with the
// stack takeStack returned, holding the lowered flat parameters; it
// returns the lifted flat result.
func (f *Func) callFlat(ctx context.Context, stack []uint64) (uint64, error) {
	lf, l := f.lift, f.l
	if err := lf.enter(l); err != nil {
		lf.stack = stack
		return 0, err
	}
	err := lf.fn.CallWithStack(ctx, stack)
	var r uint64
	s := lf.ssig
	if err == nil && s.HasResult {
		r, err = s.Result.Lift(stack[0])
	}
	if err == nil && lf.opts.PostReturn != nil {
		lf.inst.abi.MayLeave = false
		err = lf.opts.PostReturn(ctx, stack[:len(lf.sig.Results)])
		lf.inst.abi.MayLeave = true
	}
	lf.stack = stack
	if err := lf.leave(l, err); err != nil {
		return 0, err
	}
	return r, nil
}
