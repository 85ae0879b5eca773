package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/runner/component"
)

// FlatExport is an exported function with a scalar signature prepared for
// the typed fast path: parameters that are bool, integers, floats, char,
// enums, flags, or records and tuples of them (at most 16 core values), and
// no result or one such scalar (abi.ScalarSig). Calls pass flat core values
// as uint64s, as wazero does (abi.Slot documents the encoding), and skip
// value.Value, the argument check, the Outcome and every allocation; the
// canonical ABI's rules still hold (parameters are checked against their
// types, results are lifted: small integers truncated or sign-extended,
// NaN canonicalized, an invalid char or enum case traps), post-return runs,
// and the timeout and cancellation act as for Export.Call.
//
// What it does not give is the Outcome: the import calls the invocation
// made are not collected. When the instance writes an event log
// (Options.Log), Call takes the general path (Export.Call) instead, so the
// log is complete; it is then as slow as Export.Call. Options.Intercept
// sees the import calls on both paths.
//
// Like the Instance, it is not safe for concurrent use.
type FlatExport struct {
	e   *Export
	c   *component.FlatCaller
	sig *abi.ScalarSig
}

// Flat prepares the export for flat calls. It fails when the signature is
// not scalar (the error says why) or the artifact is a core module.
func (e *Export) Flat() (*FlatExport, error) {
	if e.f == nil {
		return nil, fmt.Errorf("%s: flat calls are for component exports", e.t.Name)
	}
	c, err := e.f.Flat()
	if err != nil {
		return nil, fmt.Errorf("%s: no flat fast path: %w", e.t.Name, err)
	}
	return &FlatExport{e: e, c: c, sig: c.Sig()}, nil
}

// Sig returns the flat signature: one slot per flat parameter, and the
// result's.
func (x *FlatExport) Sig() *abi.ScalarSig { return x.sig }

// Export returns the export it calls.
func (x *FlatExport) Export() *Export { return x.e }

// Call invokes the export with flat parameter values (one per slot of Sig,
// each a value of its slot's type as abi.Slot.Lower accepts it) and stores
// the flat result in results[0] when the function has one. The error is a
// call that could not be made (closed instance, a parameter that is not a
// value of its type) or, as an Outcome's Trap is, a *component.Trap (a
// trap, a timeout or a cancellation) or a *component.Exit.
func (x *FlatExport) Call(ctx context.Context, params, results []uint64) error {
	e := x.e
	i := e.i
	if i.closed != nil {
		return i.closed
	}
	if i.log != nil {
		return x.callLogged(ctx, params, results)
	}
	if i.depth == 0 {
		i.mem.refused = false
	}
	var err error
	if i.to <= 0 && ctx.Done() == nil {
		// Nothing can interrupt the call: no timer, no cancellation.
		err = x.c.Call(i.runCtx, params, results)
	} else {
		stop := i.begin(ctx)
		err = x.c.Call(i.runCtx, params, results)
		i.end(stop)
	}
	if err != nil {
		var tr *component.Trap
		var ex *component.Exit
		if i.callCtx.Err() == nil && !errors.As(err, &tr) && !errors.As(err, &ex) {
			return fmt.Errorf("%s: %w", e.t.Name, err) // not called
		}
		return i.failed(err, ctx, e.t)
	}
	return nil
}

// callLogged is Call through Export.Call, for the event log.
func (x *FlatExport) callLogged(ctx context.Context, params, results []uint64) error {
	e, s := x.e, x.sig
	if len(params) != len(s.Params) {
		return fmt.Errorf("%s: %d flat parameters for %d", e.t.Name, len(params), len(s.Params))
	}
	if s.HasResult && len(results) == 0 {
		return fmt.Errorf("%s: no room for the result", e.t.Name)
	}
	for k, p := range params {
		if _, err := s.Params[k].Lower(p); err != nil {
			return fmt.Errorf("%s: flat parameter %d: %w", e.t.Name, k, err)
		}
	}
	// The parameters lift as the guest would see them; no memory is
	// involved.
	args, err := abi.LiftFlatValues(&abi.CallContext{}, abi.MaxFlatParams, abi.NewCoreValues(params), abi.FuncTypeOf(e.t.Func).Params)
	if err != nil {
		return fmt.Errorf("%s: %w", e.t.Name, err)
	}
	o, err := e.Call(ctx, args)
	if err != nil {
		return err
	}
	if o.Trap != nil {
		return o.Trap
	}
	if s.HasResult && len(o.Results) == 1 {
		r, err := abi.LowerScalar(o.Results[0], s.Result)
		if err != nil {
			return fmt.Errorf("%s: result: %w", e.t.Name, err)
		}
		results[0] = r
	}
	return nil
}
