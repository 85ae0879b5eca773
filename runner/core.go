package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/runner/wasi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Core modules run through wazero's wasi_snapshot_preview1 with the
// runner's environment, virtual clock and seed; every call of an imported
// host function is recorded (through a wazero function listener).

const wasip1 = wasi_snapshot_preview1.ModuleName

type rngReader struct{ r *rand.Rand }

func (g rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(g.r.Uint32())
	}
	return len(p), nil
}

func (i *Instance) instantiateCore(ctx context.Context) (*coreInstance, error) {
	m := i.Artifact.Core
	lctx := experimental.WithFunctionListenerFactory(ctx, i.rec)
	var missing []component.MissingImport
	stubs := map[string]wazero.HostModuleBuilder{}
	for _, im := range m.Imports {
		if im.Module == wasip1 {
			continue
		}
		if im.Kind != core.KindFunc || int(im.TypeIndex) >= len(m.Types) {
			missing = append(missing, component.MissingImport{Name: im.Module, Item: im.Name, Type: "non-function import"})
			continue
		}
		ft := &m.Types[im.TypeIndex]
		missing = append(missing, component.MissingImport{Name: im.Module, Item: im.Name, Type: coreSig(ft)})
		b := stubs[im.Module]
		if b == nil {
			b = i.rt.NewHostModuleBuilder(im.Module)
			stubs[im.Module] = b
		}
		name := im.Module + "#" + im.Name
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) {
			panic(&component.HostError{Import: name,
				Err: fmt.Errorf("called the import %s, which the host does not provide (stubbed by --stub-missing)", name)})
		}), valTypes(ft.Params), valTypes(ft.Results)).Export(im.Name)
	}
	if len(missing) > 0 && !i.opts.StubMissing {
		return nil, &component.MissingImportsError{Missing: missing}
	}
	if _, err := wasi_snapshot_preview1.NewBuilder(i.rt).Instantiate(lctx); err != nil {
		return nil, err
	}
	for _, b := range stubs {
		if _, err := b.Instantiate(lctx); err != nil {
			return nil, err
		}
	}
	cm, err := i.rt.CompileModule(ctx, i.Artifact.Bytes)
	if err != nil {
		return nil, err
	}
	if err := component.CheckCompiledMemoryLimit(cm, uint32(i.opts.limitPages())); err != nil {
		return nil, err
	}
	var seed [32]byte
	for k := 0; k < 8; k++ {
		seed[k] = byte(i.opts.Seed >> (8 * k))
	}
	clock := i.host.Now()
	var elapsed int64
	cfg := wazero.NewModuleConfig().WithName("main").WithStartFunctions().
		WithArgs(append([]string{"main"}, i.opts.Args...)...).
		WithRandSource(rngReader{rand.New(rand.NewChaCha8(seed))}).
		WithWalltime(func() (int64, int32) {
			t := clock.UnixNano() + elapsed
			return t / 1e9, int32(t % 1e9)
		}, 1).
		WithNanotime(func() int64 { return int64(wasi.MonotonicStart) + elapsed }, 1).
		WithNanosleep(func(ns int64) { elapsed += ns })
	if i.opts.Stdout != nil {
		cfg = cfg.WithStdout(i.opts.Stdout)
	}
	if i.opts.Stderr != nil {
		cfg = cfg.WithStderr(i.opts.Stderr)
	}
	for _, kv := range i.opts.Env {
		cfg = cfg.WithEnv(kv[0], kv[1])
	}
	mod, err := i.rt.InstantiateModule(ctx, cm, cfg)
	if err != nil {
		return nil, err
	}
	if err := component.CheckMemoryLimit(mod, uint32(i.opts.limitPages())); err != nil {
		mod.Close(ctx)
		return nil, err
	}
	ci := &coreInstance{mod: mod}
	if f := mod.ExportedFunction("_initialize"); f != nil {
		if _, err := f.Call(ctx); err != nil {
			return nil, fmt.Errorf("_initialize: %w", err)
		}
	}
	return ci, nil
}

func coreSig(ft *core.FuncType) string {
	var b strings.Builder
	b.WriteString("func(")
	for k, p := range ft.Params {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.String())
	}
	b.WriteString(")")
	if len(ft.Results) > 0 {
		b.WriteString(" ->")
		for _, r := range ft.Results {
			b.WriteString(" ")
			b.WriteString(r.String())
		}
	}
	return b.String()
}

func valTypes(ts []core.ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for k, t := range ts {
		switch t {
		case core.I64:
			out[k] = api.ValueTypeI64
		case core.F32:
			out[k] = api.ValueTypeF32
		case core.F64:
			out[k] = api.ValueTypeF64
		case core.FuncRef:
			out[k] = api.ValueTypeExternref
		case core.ExternRef:
			out[k] = api.ValueTypeExternref
		default:
			out[k] = api.ValueTypeI32
		}
	}
	return out
}

// call calls an exported core function with values of the core world's
// types (s32, s64, f32, f64).
func (c *coreInstance) call(ctx context.Context, f *wit.Function, args []value.Value) ([]value.Value, error) {
	fn := c.mod.ExportedFunction(f.Name)
	if fn == nil {
		return nil, fmt.Errorf("the module exports no function %q", f.Name)
	}
	flat := make([]uint64, len(args))
	for k, a := range args {
		u, err := toCore(a, f.Params[k].Type)
		if err != nil {
			return nil, err
		}
		flat[k] = u
	}
	res, err := fn.Call(ctx, flat...)
	if err != nil {
		var ee *sys.ExitError
		if errors.As(err, &ee) {
			return nil, &component.Exit{Code: ee.ExitCode()}
		}
		reason, frame := splitErr(err)
		return nil, &component.Trap{CoreFunc: frame, Reason: reason, Err: err, Kind: coreTrapKind(err)}
	}
	if f.Result == nil {
		return nil, nil
	}
	if f.Result.Kind == wit.Tuple {
		vs := make([]value.Value, len(res))
		for k, r := range res {
			vs[k] = fromCore(r, f.Result.Elems[k])
		}
		return []value.Value{value.Tuple(vs...)}, nil
	}
	return []value.Value{fromCore(res[0], f.Result)}, nil
}

func splitErr(err error) (string, string) {
	lines := strings.Split(err.Error(), "\n")
	reason := strings.TrimSuffix(lines[0], " (recovered by wazero)")
	for k, ln := range lines {
		if strings.HasPrefix(ln, "wasm stack trace:") && k+1 < len(lines) {
			return reason, strings.TrimSpace(lines[k+1])
		}
	}
	return reason, ""
}

func toCore(v value.Value, t *wit.Type) (uint64, error) {
	switch t.Kind {
	case wit.S32:
		return uint64(uint32(int32(v.Int()))), nil
	case wit.S64:
		return uint64(v.Int()), nil
	case wit.F32:
		return uint64(math.Float32bits(v.F32())), nil
	case wit.F64:
		return math.Float64bits(v.Float()), nil
	}
	return 0, fmt.Errorf("core value of type %s cannot be passed", t.Kind)
}

func fromCore(u uint64, t *wit.Type) value.Value {
	switch t.Kind {
	case wit.S32:
		return value.S32(int32(uint32(u)))
	case wit.S64:
		return value.S64(int64(u))
	case wit.F32:
		return value.F32(math.Float32frombits(uint32(u)))
	case wit.F64:
		return value.F64(math.Float64frombits(u))
	}
	return value.S64(int64(u))
}

// NewFunctionListener implements experimental.FunctionListenerFactory:
// imported host functions of core modules are recorded.
func (r *recorder) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	if def.GoFunction() == nil {
		return nil
	}
	mod, name, ok := def.Import()
	if !ok {
		mod, name = def.ModuleName(), def.Name()
		if exp := def.ExportNames(); len(exp) > 0 {
			name = exp[0]
		}
	}
	return &coreListener{r: r, fn: coreFunc(name, def), iface: mod}
}

type coreListener struct {
	r      *recorder
	fn     *wit.Function
	iface  string
	params []uint64
}

func coreFunc(name string, def api.FunctionDefinition) *wit.Function {
	f := &wit.Function{Name: name}
	for k, p := range def.ParamTypes() {
		f.Params = append(f.Params, wit.Param{Name: fmt.Sprintf("p%d", k), Type: coreKind(p)})
	}
	switch rs := def.ResultTypes(); len(rs) {
	case 0:
	case 1:
		f.Result = coreKind(rs[0])
	default:
		t := &wit.Type{Kind: wit.Tuple}
		for _, r := range rs {
			t.Elems = append(t.Elems, coreKind(r))
		}
		f.Result = t
	}
	return f
}

func coreKind(t api.ValueType) *wit.Type {
	switch t {
	case api.ValueTypeI64:
		return wit.Prim(wit.S64)
	case api.ValueTypeF32:
		return wit.Prim(wit.F32)
	case api.ValueTypeF64:
		return wit.Prim(wit.F64)
	}
	return wit.Prim(wit.S32)
}

func (l *coreListener) Before(_ context.Context, _ api.Module, _ api.FunctionDefinition, params []uint64, _ experimental.StackIterator) {
	l.params = append(l.params[:0], params...)
}

func (l *coreListener) After(_ context.Context, _ api.Module, _ api.FunctionDefinition, results []uint64) {
	if !l.r.on {
		return
	}
	args := make([]value.Value, len(l.params))
	for k, p := range l.params {
		args[k] = fromCore(p, l.fn.Params[k].Type)
	}
	var res []value.Value
	if l.fn.Result != nil {
		if l.fn.Result.Kind == wit.Tuple {
			vs := make([]value.Value, len(results))
			for k, r := range results {
				vs[k] = fromCore(r, l.fn.Result.Elems[k])
			}
			res = []value.Value{value.Tuple(vs...)}
		} else if len(results) > 0 {
			res = []value.Value{fromCore(results[0], l.fn.Result)}
		}
	}
	e, err := importEvent(&component.ImportCall{HostCall: component.HostCall{Interface: l.iface, Name: l.fn.Name, Type: l.fn}, Args: args}, res)
	if err == nil {
		l.r.events = append(l.r.events, e)
	}
}

func (l *coreListener) Abort(context.Context, api.Module, api.FunctionDefinition, error) {}

// coreTrapKind returns the kind of a core module's trap: TrapHost when the
// host ended the call (a stub of StubMissing, a *component.HostError, or a
// panic of Go code, a runtime.Error, in the chain), TrapProgram otherwise.
func coreTrapKind(err error) TrapKind {
	var he *component.HostError
	var re runtime.Error
	if errors.As(err, &he) || errors.As(err, &re) {
		return TrapHost
	}
	return TrapProgram
}
