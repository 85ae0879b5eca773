package component

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Func is a component function: lifted from a core function of a component
// instance, or implemented by the host.
type Func struct {
	// Type is the function's signature (Name is its name where it was
	// imported or is known; it may be empty).
	Type *wit.Function

	l    *Linker
	lift *lifted
	host *hostImpl
}

type hostImpl struct {
	call HostCall
	fn   HostFunc
}

// lifted is a canon lift: the core function, its options and the
// component instance it runs in.
type lifted struct {
	coreName string
	fn       api.Function
	opts     abi.Options
	inst     *compInst
	ft       abi.FuncType
	sig      abi.FlatSig
	stack    []uint64
	// ssig is the flat signature when the flat fast path applies (else
	// ssigErr says why not); scalar when Call takes it too (each
	// parameter is one scalar).
	ssig    *abi.ScalarSig
	ssigErr error
	scalar  bool
}

func newLifted(lf *lifted) *lifted {
	lf.ssig, lf.ssigErr = abi.NewScalarSig(lf.ft)
	lf.scalar = lf.ssig != nil && len(lf.ssig.Params) == len(lf.ft.Params)
	return lf
}

// Call calls f with args (one value per parameter) and returns its results
// (none or one value). A trap is a *Trap; an exit a *Exit.
func (f *Func) Call(ctx context.Context, args []value.Value) ([]value.Value, error) {
	if len(args) != len(f.Type.Params) {
		return nil, fmt.Errorf("%d arguments for %d parameters", len(args), len(f.Type.Params))
	}
	return f.callFrom(ctx, args, abi.UTF8)
}

// callFrom is Call with arguments lifted from a component whose string
// encoding is src (abi.UTF8 for the host's values).
func (f *Func) callFrom(ctx context.Context, args []value.Value, src abi.StringEncoding) ([]value.Value, error) {
	if f.host != nil {
		return f.callHost(ctx, args)
	}
	return f.callLifted(ctx, args, src)
}

// encoding returns the string encoding f's results are lifted with
// (abi.UTF8 for a host function's).
func (f *Func) encoding() abi.StringEncoding {
	if f.lift == nil {
		return abi.UTF8
	}
	return f.lift.opts.Encoding
}

func (f *Func) callHost(ctx context.Context, args []value.Value) ([]value.Value, error) {
	h := f.host
	// The host function's own errors are the host's failures (HostError);
	// an interceptor's (a replayer stopping at a divergence) are not.
	call := func() ([]value.Value, error) {
		res, err := h.fn(ctx, &h.call, args)
		return res, hostFailure(&h.call, err)
	}
	if ic := f.l.cfg.Intercept; ic != nil {
		c := &ImportCall{HostCall: h.call, Args: args}
		return ic(ctx, c, call)
	}
	return call()
}

func (f *Func) callLifted(ctx context.Context, args []value.Value, src abi.StringEncoding) ([]value.Value, error) {
	lf := f.lift
	if lf.scalar {
		return f.callScalar(ctx, args)
	}
	l := f.l
	if err := lf.enter(l); err != nil {
		return nil, err
	}
	res, err := lf.callABI(ctx, l, args, src)
	if err := lf.leave(l, err); err != nil {
		return nil, err
	}
	return res, nil
}

// enter marks the component instance busy for a call into it, or says why
// it may not be entered.
func (lf *lifted) enter(l *Linker) error {
	if l.closed {
		return errors.New("the component instance is closed")
	}
	if lf.inst.trapped {
		return &Trap{Reason: "the component instance trapped before and may not be entered again"}
	}
	if lf.inst.busy {
		return &Trap{Reason: "cannot enter component instance (it is already running a call)"}
	}
	lf.inst.busy = true
	return nil
}

// leave ends a call that enter began: err, the call's error, becomes its
// trap (or exit), and a trap marks the instance trapped.
func (lf *lifted) leave(l *Linker, err error) error {
	lf.inst.busy = false
	if err == nil {
		return nil
	}
	err = l.trap(err, lf.coreName)
	var ex *Exit
	if !errors.As(err, &ex) {
		lf.inst.trapped = true
	}
	return err
}

func (lf *lifted) callABI(ctx context.Context, l *Linker, args []value.Value, src abi.StringEncoding) ([]value.Value, error) {
	cx := abi.NewExportCall(ctx, &lf.opts, lf.inst.abi, l.resolve)
	cx.Layouts = l.layouts
	cx.Source = src
	n := max(len(lf.sig.Params), len(lf.sig.Results))
	return abi.CallExport(cx, lf.ft, args, func(flat []uint64) ([]uint64, error) {
		stack := lf.stack
		if stack == nil || cap(stack) < n {
			stack = make([]uint64, n)
		}
		stack = stack[:n]
		lf.stack = nil // a re-entrant call (through an import) gets its own
		copy(stack, flat)
		err := lf.fn.CallWithStack(ctx, stack)
		out := stack[:len(lf.sig.Results)]
		if lf.opts.PostReturn != nil || len(out) > 0 {
			out = append([]uint64(nil), out...)
		}
		lf.stack = stack
		return out, err
	})
}

// resolve maps a resource type of a signature to its runtime identity.
func (l *Linker) resolve(t *wit.Type) (*abi.ResourceType, error) {
	r := l.resources[t]
	if r == nil {
		return nil, fmt.Errorf("unknown resource type %s", t.WIT())
	}
	return r.rt, nil
}

// trap wraps an error raised while running core code into a *Trap (or
// passes an *Exit through).
func (l *Linker) trap(err error, coreFunc string) error {
	var ex *Exit
	if errors.As(err, &ex) {
		return ex
	}
	var se *sys.ExitError
	if errors.As(err, &se) {
		return &Exit{Code: se.ExitCode()}
	}
	var t *Trap
	if errors.As(err, &t) {
		if t.CoreFunc == "" {
			t.CoreFunc = coreFunc
		}
		return t
	}
	reason, frame := splitWazeroError(err)
	frame = strings.TrimPrefix(frame, l.cfg.Prefix)
	if frame != "" && frame != coreFunc {
		coreFunc += " at " + frame
	}
	return &Trap{CoreFunc: coreFunc, Reason: reason, Err: err, Kind: hostKind(err)}
}

// splitWazeroError returns the first line of a wazero error without the
// "(recovered by wazero)" suffix, and the innermost frame of its wasm
// stack trace.
func splitWazeroError(err error) (reason, frame string) {
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	reason = strings.TrimSuffix(lines[0], " (recovered by wazero)")
	for i, ln := range lines {
		if strings.HasPrefix(ln, "wasm stack trace:") && i+1 < len(lines) {
			frame = strings.TrimSpace(lines[i+1])
			break
		}
	}
	return reason, frame
}

func trapFromPanic(r any, what string) error {
	if err, ok := r.(error); ok {
		return &Trap{Reason: what + ": " + err.Error(), Err: err, Kind: hostKind(err)}
	}
	return &Trap{Reason: fmt.Sprintf("%s: %v", what, r)}
}
