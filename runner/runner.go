package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/runner/wasi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Instance is an instantiated artifact, ready for invocations. State carries
// over from one invocation to the next. It is not safe for concurrent use.
type Instance struct {
	// Artifact is what was instantiated; World its world (the names and
	// signatures invocations are resolved against).
	Artifact *analyze.Artifact
	World    *wit.World

	opts    Options
	engine  *Engine
	owned   bool // engine made for this instance
	rt      wazero.Runtime
	comp    *component.Instance
	core    *coreInstance
	host    *wasi.Host
	log     *eventlog.Writer
	rec     *recorder
	hosted  handleTable
	exports map[string]*Export
	// callCtx is the context guest code runs under; cancelCall ends it
	// (timeout, or the caller's context done).
	callCtx    context.Context
	cancelCall context.CancelFunc
	// runCtx is the context guest code runs under: callCtx when a timeout
	// or cancellation can interrupt it (sandboxed runtime); without a
	// timeout nothing can, and runCtx is callCtx's uncancelable parent,
	// which wazero looks values up in faster.
	runCtx context.Context
	// timer is the invocation timeout: made once, armed (Reset) when an
	// invocation starts and stopped when it ends, which is several times
	// cheaper than a timer per invocation. timedOut is set when it fires.
	timer    *time.Timer
	to       time.Duration // the timeout (opts.timeout())
	depth    int           // invocations running (an interceptor may call in again)
	timedOut atomic.Bool
	mem      *memLimit // the memory limit, which knows a refused grow
	closed   error     // why the instance is closed, when it is
}

// Outcome is what one invocation did.
type Outcome struct {
	// Function is the qualified name as the world spells it
	// ("golem:component/api#f1"); Func its signature.
	Function string
	Func     *wit.Function
	Args     []value.Value
	// Results holds the result (none for a function without one) when the
	// invocation returned.
	Results []value.Value
	// Trap is set when it did not return: a *component.Trap (its Kind
	// tells a trap of the program from a timeout, a cancellation, the
	// memory limit or a failure of the host; see TrapKind) or a *component.Exit (wasi:cli/exit).
	Trap error
	// Imports are the import calls it made, in order, as log events.
	Imports []eventlog.Event
}

// Returned reports whether the invocation returned.
func (o *Outcome) Returned() bool { return o.Trap == nil }

// TrapKind says why an invocation stopped without returning: a trap of the
// program, the sandbox stopping it, or the runner's host failing a call
// (see component.TrapKind).
type TrapKind = component.TrapKind

// The kinds of trap (see component.TrapKind).
const (
	TrapProgram     = component.TrapProgram
	TrapTimeout     = component.TrapTimeout
	TrapCanceled    = component.TrapCanceled
	TrapMemoryLimit = component.TrapMemoryLimit
	TrapHost        = component.TrapHost
)

// KindOf returns the kind of an invocation's trap (an Outcome's Trap, or
// the error of FlatExport.Call): the *component.Trap's or the
// *component.Exit's Kind (an exit is the program's own, TrapProgram,
// unless the memory limit refused a grow before it); TrapProgram for any
// other error.
func KindOf(err error) TrapKind {
	var tr *component.Trap
	if errors.As(err, &tr) {
		return tr.Kind
	}
	var ex *component.Exit
	if errors.As(err, &ex) {
		return ex.Kind
	}
	return TrapProgram
}

// TrapKind returns the kind of the trap (KindOf(o.Trap)); meaningful only
// when the invocation did not return.
func (o *Outcome) TrapKind() TrapKind { return KindOf(o.Trap) }

// ResultWAVE returns the result in WAVE ("" for no result).
func (o *Outcome) ResultWAVE() (string, error) {
	if len(o.Results) == 0 || o.Func.Result == nil {
		return "", nil
	}
	return value.FormatWAVE(o.Results[0], o.Func.Result)
}

// IsErr reports whether the invocation returned a result value err(...).
func (o *Outcome) IsErr() bool {
	return o.Trap == nil && len(o.Results) == 1 && o.Func.Result != nil &&
		o.Func.Result.Kind == wit.Result && o.Results[0].Case() == 1
}

// Instantiate instantiates a (with its own compilation cache engine, per
// opts.CacheDir). Close the instance when done.
func Instantiate(ctx context.Context, a *analyze.Artifact, opts Options) (*Instance, error) {
	e, err := NewEngine(opts.CacheDir)
	if err != nil {
		return nil, err
	}
	i, err := e.Instantiate(ctx, a, opts)
	if err != nil {
		e.Close(ctx)
		return nil, err
	}
	i.owned = true
	return i, nil
}

// Instantiate instantiates a on this engine.
func (e *Engine) Instantiate(ctx context.Context, a *analyze.Artifact, opts Options) (*Instance, error) {
	if a.FromManifest() || a.Bytes == nil {
		return nil, fmt.Errorf("a %s cannot be run; give the binary", describeKind(a))
	}
	i := &Instance{Artifact: a, World: a.World, opts: opts, engine: e}
	base := ctx
	if ctx.Done() != nil {
		base = context.WithoutCancel(ctx)
	}
	i.callCtx, i.cancelCall = context.WithCancel(base)
	i.runCtx = i.callCtx
	i.to = opts.timeout()
	if i.to <= 0 {
		i.runCtx = base
	}
	i.host = wasi.New(wasi.Config{Env: opts.Env, Args: opts.Args, Clock: opts.Clock, Seed: opts.Seed,
		Stdout: opts.Stdout, Stderr: opts.Stderr, HTTP: opts.HTTP})
	i.rec = &recorder{intercept: opts.Intercept, discard: opts.NoImportEvents && opts.Log == nil}
	if opts.Log != nil {
		vid := opts.VersionID
		if vid == "" {
			if m := manifest.Of(a); m != nil {
				vid = m.VersionID
			} else {
				vid = manifest.DefaultVersionID(a.SHA256)
			}
		}
		w, err := eventlog.NewWriter(opts.Log, eventlog.Header{SHA256: a.SHA256, VersionID: vid, Worker: opts.Worker, World: a.World})
		if err != nil {
			return nil, err
		}
		i.log = w
	}
	var shared *sharedRuntime
	var prefix string
	if a.Component != nil {
		shared, prefix = e.sharedFor(ctx, &opts)
		i.rt = shared.rt
	} else {
		i.rt = e.runtime(ctx, &opts)
	}
	// Every linear memory is allocated under the memory limit.
	i.mem = &memLimit{limit: opts.limitPages() * 65536}
	// Start functions run under the invocation timeout too.
	ictx := experimental.WithMemoryAllocator(ctx, i.mem)
	if to := opts.timeout(); to > 0 {
		var cancel context.CancelFunc
		ictx, cancel = context.WithTimeout(ictx, to)
		defer cancel()
	}
	var err error
	switch {
	case a.Component != nil:
		i.comp, err = component.Instantiate(ictx, a.Component, a.Bytes, component.Config{
			Runtime: i.rt, Host: i.host, StubMissing: opts.StubMissing, Intercept: i.rec.intercept2,
			Prefix: prefix, Compiled: &shared.compiled, MemoryLimitPages: uint32(opts.limitPages())})
	case a.Core != nil:
		i.core, err = i.instantiateCore(ictx)
	default:
		err = fmt.Errorf("a %s input cannot be run; give a component or a core module", describeKind(a))
	}
	if err != nil {
		if i.comp == nil && shared == nil {
			i.rt.Close(ctx)
		}
		i.cancelCall()
		return nil, err
	}
	return i, nil
}

func describeKind(a *analyze.Artifact) string {
	if a.FromManifest() {
		return "manifest"
	}
	return string(a.Kind)
}

// Close closes the instance (and its engine when Instantiate made one).
func (i *Instance) Close(ctx context.Context) error {
	if i.closed == nil {
		i.closed = errors.New("the instance is closed")
	}
	var err error
	if i.comp != nil {
		// The runtime is the engine's; close this instance's modules.
		err = i.comp.Close(ctx)
	} else {
		err = i.rt.Close(ctx)
	}
	if i.timer != nil {
		i.timer.Stop()
	}
	i.cancelCall()
	if i.owned {
		i.engine.Close(ctx)
	}
	return err
}

// Resolve finds the exported function a qualified name names.
func (i *Instance) Resolve(name string) (*eventlog.Target, error) {
	return eventlog.Resolve(i.World, name, false)
}

// ParseCall parses an invocation written `name(args)` in WAVE, such as
// `golem:component/api#f1(1000)`, against the instance's world.
func (i *Instance) ParseCall(src string) (*eventlog.Target, []value.Value, error) {
	return ParseCall(i.World, src)
}

// ParseCall parses an invocation written `name(args)` in WAVE against the
// exports of w: the export the name resolves to (eventlog.Resolve) and the
// arguments, typed by its parameters.
func ParseCall(w *wit.World, src string) (*eventlog.Target, []value.Value, error) {
	p := strings.IndexByte(src, '(')
	if p < 0 {
		return nil, nil, fmt.Errorf("%q: want NAME(ARGS), such as golem:component/api#f1(1000)", src)
	}
	t, err := eventlog.Resolve(w, strings.TrimSpace(src[:p]), false)
	if err != nil {
		return nil, nil, err
	}
	args, err := value.ParseArgs(src[p:], t.Func.Params)
	if err != nil {
		return nil, nil, err
	}
	return t, args, nil
}

// InvokeTarget invokes a parsed call (see ParseCall).
func (i *Instance) InvokeTarget(ctx context.Context, t *eventlog.Target, args []value.Value) (*Outcome, error) {
	return i.invoke(ctx, t, args)
}

// InvokeWAVE parses call (see ParseCall) and invokes it.
func (i *Instance) InvokeWAVE(ctx context.Context, call string) (*Outcome, error) {
	t, args, err := i.ParseCall(call)
	if err != nil {
		return nil, err
	}
	return i.invoke(ctx, t, args)
}

// Invoke calls the exported function name (a qualified name, see
// eventlog.Resolve) with args. The error is for calls that cannot be made
// (unknown function, wrong arguments, closed instance); a trap is the
// Outcome's Trap.
func (i *Instance) Invoke(ctx context.Context, name string, args []value.Value) (*Outcome, error) {
	e, err := i.Export(name)
	if err != nil {
		return nil, err
	}
	return e.Call(ctx, args)
}

func (i *Instance) invoke(ctx context.Context, t *eventlog.Target, args []value.Value) (*Outcome, error) {
	e, err := i.export(t)
	if err != nil {
		return nil, err
	}
	return e.Call(ctx, args)
}

// Drop drops the handle h of an exported resource that the runner holds
// (returned by a constructor or function): the resource's destructor runs
// in the guest, as resource.drop of the last own handle does.
func (i *Instance) Drop(ctx context.Context, h uint32) error {
	if i.closed != nil {
		return i.closed
	}
	e, ok := i.hosted.take(h)
	if !ok {
		return fmt.Errorf("unknown handle %d", h)
	}
	r := i.comp.Resource(e.res)
	if r == nil {
		return fmt.Errorf("handle %d: unknown resource type", h)
	}
	if err := r.Destroy(i.callCtx, e.rep); err != nil {
		i.closed = errors.New("the instance trapped in a destructor")
		return &component.Trap{Reason: fmt.Sprintf("destructor of %s: %v", resName(e.res), err), Err: err}
	}
	return nil
}

// Export is an exported function resolved once, for calling many times.
type Export struct {
	i       *Instance
	t       *eventlog.Target
	f       *component.Func
	handles bool // parameters or result can hold resource handles
}

// Export resolves the exported function name (see Invoke).
func (i *Instance) Export(name string) (*Export, error) {
	if e, ok := i.exports[name]; ok {
		return e, nil
	}
	t, err := i.Resolve(name)
	if err != nil {
		return nil, err
	}
	e, err := i.export(t)
	if err != nil {
		return nil, err
	}
	if i.exports == nil {
		i.exports = map[string]*Export{}
	}
	i.exports[name] = e
	return e, nil
}

func (i *Instance) export(t *eventlog.Target) (*Export, error) {
	e := &Export{i: i, t: t}
	if i.comp != nil {
		iface := ""
		if t.Item.Kind == wit.ItemInterface {
			iface = t.Item.Name
		}
		e.f = i.comp.Func(iface, t.Func.Name)
		if e.f == nil {
			return nil, fmt.Errorf("%s: the component has no such export", t.Name)
		}
		e.handles = hasHandles(t.Func.Result, 0)
		for _, p := range t.Func.Params {
			e.handles = e.handles || hasHandles(p.Type, 0)
		}
	}
	return e, nil
}

// Name returns the qualified name as the world spells it.
func (e *Export) Name() string { return e.t.Name }

// Func returns the signature.
func (e *Export) Func() *wit.Function { return e.t.Func }

// Call invokes the export with args.
func (e *Export) Call(ctx context.Context, args []value.Value) (*Outcome, error) {
	i, t := e.i, e.t
	if i.closed != nil {
		return nil, i.closed
	}
	if len(args) != len(t.Func.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, %d given", t.Name, len(t.Func.Params), len(args))
	}
	for k, a := range args {
		if err := value.Check(a, t.Func.Params[k].Type); err != nil {
			return nil, fmt.Errorf("%s: argument %s: %w", t.Name, t.Func.Params[k].Name, err)
		}
	}
	o := &Outcome{Function: t.Name, Func: t.Func, Args: args}
	if e.handles {
		// The guest sees representations of the exported resources the
		// runner holds, not the runner's handle numbers.
		guestArgs := make([]value.Value, len(args))
		for k, a := range args {
			// The component's own signature types the handles: its
			// resource types are the instance's, exactly.
			g, err := mapHandles(a, e.f.Type.Params[k].Type, i.hosted.toGuest)
			if err != nil {
				return nil, fmt.Errorf("%s: argument %s: %w", t.Name, t.Func.Params[k].Name, err)
			}
			guestArgs[k] = g
		}
		args = guestArgs
	}
	callCtx := i.runCtx
	if i.depth == 0 {
		i.mem.refused = false
	}
	stop := i.begin(ctx)
	i.rec.start()
	var err error
	switch {
	case e.f != nil:
		o.Results, err = e.f.Call(callCtx, args)
		if err == nil && e.handles && t.Func.Result != nil && len(o.Results) == 1 {
			o.Results[0], err = mapHandles(o.Results[0], e.f.Type.Result, i.hosted.fromGuest)
		}
	default:
		o.Results, err = i.core.call(callCtx, t.Func, args)
	}
	o.Imports = i.rec.stop()
	i.end(stop)
	if err != nil {
		err = i.failed(err, ctx, t)
		if err != nil {
			o.Trap = err
			o.Results = nil
		}
	}
	if i.log != nil {
		if err := i.writeLog(o); err != nil {
			return o, err
		}
	}
	return o, nil
}

// begin starts the timeout of an invocation and ties the instance's call
// context to the caller's ctx. Guest code runs under the instance's call
// context (one for every call, which keeps calls cheap): the timer or the
// caller's ctx cancels it, wazero then marks the running module closed and
// its code stops at the next check (a module must not be closed from
// another goroutine while it runs). end, given what begin returned, undoes
// both. A call made while another runs (from an interceptor) runs under
// the outer one's timer.
func (i *Instance) begin(ctx context.Context) (stop func() bool) {
	i.depth++
	if i.to > 0 && i.depth == 1 {
		if i.timer == nil {
			i.timer = time.AfterFunc(i.to, i.expire)
		} else {
			i.timer.Reset(i.to)
		}
	}
	if ctx.Done() != nil {
		return context.AfterFunc(ctx, i.cancelCall)
	}
	return nil
}

func (i *Instance) end(stop func() bool) {
	i.depth--
	if i.timer != nil && i.depth == 0 {
		i.timer.Stop()
	}
	if stop != nil {
		stop()
	}
}

// expire is the timeout's action.
func (i *Instance) expire() {
	i.timedOut.Store(true)
	i.cancelCall()
}

// failed turns the error of an invocation into its trap (nil when the guest
// exited with status 0 from a function without result, which returns).
func (i *Instance) failed(err error, ctx context.Context, t *eventlog.Target) error {
	var exit *component.Exit
	if i.callCtx.Err() != nil {
		reason := fmt.Sprintf("timeout: the invocation ran longer than %s; the instance was closed", i.opts.timeout())
		kind := TrapTimeout
		if !i.timedOut.Load() {
			reason = fmt.Sprintf("canceled: %v; the instance was closed", ctx.Err())
			kind = TrapCanceled
		}
		err = &component.Trap{Reason: reason, Err: err, Kind: kind}
		i.closed = errors.New("the instance was closed when an invocation timed out or was canceled")
	} else if errors.As(err, &exit) {
		// The guest exited (wasi:cli/exit, proc_exit): the instance is
		// done. Status 0 from a function without result is a return.
		i.closed = fmt.Errorf("the instance exited with status %d", exit.Code)
		if exit.Code == 0 && t.Func.Result == nil {
			return nil
		}
	}
	var tr *component.Trap
	if errors.As(err, &tr) {
		if tr.Export == "" {
			tr.Export = t.Name
		}
		if i.mem.refused && tr.Kind == TrapProgram {
			// The memory limit refused a grow during the invocation:
			// the trap may be the program's answer to it.
			tr.Kind = TrapMemoryLimit
		}
	} else if errors.As(err, &exit) && i.mem.refused {
		exit.Kind = TrapMemoryLimit
	}
	return err
}

func (i *Instance) writeLog(o *Outcome) error {
	params, err := value.FormatArgs(o.Args, o.Func.Params)
	if err != nil {
		return fmt.Errorf("event log: %w", err)
	}
	e := &eventlog.Event{Type: eventlog.TypeInvoke, Function: o.Function, Params: params}
	if o.Trap != nil {
		e.Trap = o.Trap.Error()
	} else {
		r, err := o.ResultWAVE()
		if err != nil {
			return fmt.Errorf("event log: %w", err)
		}
		e.Result = eventlog.Returned(r)
	}
	if err := i.log.Write(e); err != nil {
		return err
	}
	for k := range o.Imports {
		if err := i.log.Write(&o.Imports[k]); err != nil {
			return err
		}
	}
	return nil
}

// coreInstance is a core module instance (wasip1 command or reactor).
type coreInstance struct {
	mod api.Module
}
