package rewrite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// hostCall is one call of an imported function.
type hostCall struct {
	name string
	args []uint64
}

// machine runs a module in wazero with every import stubbed: each stub
// records its call, and the few the canisters need to get going return
// something useful (the message argument, a caller, traps).
type machine struct {
	t     testing.TB
	r     wazero.Runtime
	cm    wazero.CompiledModule
	trace []hostCall
	arg   []byte
}

// candidEmpty is a Candid message with no arguments.
var candidEmpty = []byte("DIDL\x00\x00")

func newMachine(t testing.TB, wasm []byte) *machine {
	t.Helper()
	ctx := context.Background()
	mc := &machine{t: t, arg: candidEmpty,
		r: wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(Features))}
	t.Cleanup(func() { mc.r.Close(ctx) })
	m, err := core.Decode(wasm)
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string]wazero.HostModuleBuilder{}
	var order []string
	prov := false
	for _, im := range m.Imports {
		if im.Kind == core.KindGlobal && im.Module == "prov" {
			prov = true // funcref globals from providerModule
			continue
		}
		if im.Kind != core.KindFunc {
			t.Fatalf("cannot stub %s import %s.%s", im.Kind, im.Module, im.Name)
		}
		b, ok := builders[im.Module]
		if !ok {
			b = mc.r.NewHostModuleBuilder(im.Module)
			builders[im.Module] = b
			order = append(order, im.Module)
		}
		ft := m.Types[im.TypeIndex]
		name := im.Module + "." + im.Name
		params := slices.Clone(ft.Params)
		results := slices.Clone(ft.Results)
		fn := api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
			mc.host(name, mod, stack, len(params), len(results))
		})
		b.NewFunctionBuilder().WithGoModuleFunction(fn, valTypes(params), valTypes(results)).Export(im.Name)
	}
	for _, name := range order {
		if _, err := builders[name].Instantiate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if prov {
		if _, err := mc.r.InstantiateWithConfig(ctx, providerModule(t), wazero.NewModuleConfig().WithName("prov")); err != nil {
			t.Fatal(err)
		}
	}
	if mc.cm, err = mc.r.CompileModule(ctx, wasm); err != nil {
		t.Fatal(err)
	}
	return mc
}

func valTypes(ts []core.ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = api.ValueType(t)
	}
	return out
}

func (mc *machine) host(name string, mod api.Module, stack []uint64, np, nr int) {
	mc.trace = append(mc.trace, hostCall{name, slices.Clone(stack[:np])})
	for i := range nr {
		stack[i] = 0
	}
	mem := mod.Memory()
	write := func(dst, off, size uint64, data []byte) {
		if off > uint64(len(data)) || size > uint64(len(data))-off || mem == nil || !mem.Write(uint32(dst), data[off:off+size]) {
			panic(fmt.Sprintf("%s: out of bounds", name))
		}
	}
	caller := []byte{0x04}     // the anonymous principal
	self := []byte{0x01, 0x01} // a canister id
	switch name {
	case "ic0.msg_arg_data_size":
		stack[0] = uint64(len(mc.arg))
	case "ic0.msg_arg_data_copy":
		write(stack[0], stack[1], stack[2], mc.arg)
	case "ic0.msg_caller_size":
		stack[0] = uint64(len(caller))
	case "ic0.msg_caller_copy":
		write(stack[0], stack[1], stack[2], caller)
	case "ic0.canister_self_size":
		stack[0] = uint64(len(self))
	case "ic0.canister_self_copy":
		write(stack[0], stack[1], stack[2], self)
	case "ic0.trap":
		msg := "?"
		if mem != nil {
			if b, ok := mem.Read(uint32(stack[0]), uint32(stack[1])); ok {
				msg = string(b)
			}
		}
		panic("ic0.trap: " + msg)
	}
}

// outcome is what one entry point did: its host calls and how it ended.
type outcome struct {
	trace []string
	err   string
}

// call instantiates the module afresh and calls export.
func (mc *machine) call(export string, args ...uint64) outcome {
	ctx := context.Background()
	mc.trace = nil
	mod, err := mc.r.InstantiateModule(ctx, mc.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return outcome{err: "instantiate: " + firstLine(err)}
	}
	defer mod.Close(ctx)
	f := mod.ExportedFunction(export)
	if f == nil {
		mc.t.Fatalf("no export %q", export)
	}
	_, err = f.Call(ctx, args...)
	return outcome{trace: render(mc.trace, nil), err: firstLine(err)}
}

// session is one instance that keeps its state across calls, as a
// canister does between messages.
type session struct {
	mc  *machine
	mod api.Module
}

func (mc *machine) session() *session {
	ctx := context.Background()
	mod, err := mc.r.InstantiateModule(ctx, mc.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		mc.t.Fatal(err)
	}
	mc.t.Cleanup(func() { mod.Close(ctx) })
	return &session{mc: mc, mod: mod}
}

// call runs export with arg as the message's argument data and returns
// the host calls it made (raw, for translation) and how it ended.
func (s *session) call(export string, arg []byte, params ...uint64) ([]hostCall, string) {
	s.mc.trace, s.mc.arg = nil, arg
	f := s.mod.ExportedFunction(export)
	if f == nil {
		s.mc.t.Fatalf("no export %q", export)
	}
	_, err := f.Call(context.Background(), params...)
	return s.mc.trace, firstLine(err)
}

// firstLine keeps the trap's message and drops wazero's stack trace, which
// names functions and so differs between the two modules.
func firstLine(err error) string {
	if err == nil {
		return ""
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// translation maps, per import argument, the callback indices a build
// registers to the slots the pinned build registers instead.
type translation map[string]map[uint64]uint64

func translationOf(res *Result) translation {
	tr := translation{}
	for _, p := range res.Pins {
		if p.From == p.To {
			continue
		}
		for _, ri := range res.Analysis.Imports {
			if ri.Import != p.Import {
				continue
			}
			for _, a := range ri.Args {
				if a.Role == p.Role {
					k := fmt.Sprintf("%s#%d", p.Import, a.Index)
					if tr[k] == nil {
						tr[k] = map[uint64]uint64{}
					}
					tr[k][uint64(p.From)] = uint64(p.To)
				}
			}
		}
	}
	return tr
}

func render(calls []hostCall, tr translation) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		args := slices.Clone(c.args)
		for j := range args {
			if to, ok := tr[fmt.Sprintf("%s#%d", c.name, j)][args[j]]; ok {
				args[j] = to
			}
		}
		out[i] = fmt.Sprintf("%s%v", c.name, args)
	}
	return out
}

// entryPoints are the exported functions without parameters.
func entryPoints(t testing.TB, wasm []byte) []string {
	m, err := core.Decode(wasm)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range m.Exports {
		if e.Kind == core.KindFunc && len(m.FuncType(e.Index).Params) == 0 && !strings.HasPrefix(e.Name, "wfcompat") {
			out = append(out, e.Name)
		}
	}
	return out
}

// twin holds the original and the pinned module, each with a trampoline
// (see withTrampoline) per table and env type, compiled once.
type twin struct {
	t           *testing.T
	orig, pin   []byte
	res         *Result
	origM, pinM map[string]*machine
}

func newTwin(t *testing.T, orig []byte, res *Result) *twin {
	return &twin{t: t, orig: orig, pin: res.Wasm, res: res, origM: map[string]*machine{}, pinM: map[string]*machine{}}
}

func (tw *twin) machines(table uint32, env core.ValType) (om, pm *machine) {
	k := fmt.Sprintf("%d/%s", table, env)
	if tw.origM[k] == nil {
		tw.origM[k] = newMachine(tw.t, withTrampoline(tw.t, tw.orig, table, env))
		tw.pinM[k] = newMachine(tw.t, withTrampoline(tw.t, tw.pin, table, env))
	}
	return tw.origM[k], tw.pinM[k]
}

// differential runs every entry point of the original and the pinned
// module and requires the same host calls, once the original's callback
// indices are translated as the pin says, and the same trap.
func differential(t *testing.T, orig []byte, res *Result) *twin {
	t.Helper()
	tw := newTwin(t, orig, res)
	om, pm := tw.machines(0, core.I32)
	tr := translationOf(res)
	eps := entryPoints(t, orig)
	if len(eps) == 0 {
		t.Fatal("no entry points")
	}
	for _, ep := range eps {
		a := om.call(ep)
		a.trace = render(om.trace, tr)
		b := pm.call(ep)
		if !slices.Equal(a.trace, b.trace) || a.err != b.err {
			t.Errorf("%s: original (translated) %q / %q\n pinned %q / %q", ep, a.trace, a.err, b.trace, b.err)
		}
	}
	return tw
}

// withTrampoline returns wasm plus an exported function
// "wfcompat_trampoline"(slot i32, env T) that calls table[slot] the way the
// host calls a callback: a call_indirect the pin does not remap, because it
// is added afterwards. It is built with the encoder and used in tests only.
func withTrampoline(t testing.TB, wasm []byte, table uint32, env core.ValType) []byte {
	t.Helper()
	m, err := core.Decode(wasm)
	if err != nil {
		t.Fatal(err)
	}
	enc := &Encoder{Src: wasm}
	nm := *m
	typeOf := func(params []core.ValType) uint32 {
		for i := range nm.Types {
			if slices.Equal(nm.Types[i].Params, params) && len(nm.Types[i].Results) == 0 {
				return uint32(i)
			}
		}
		nm.Types = append(slices.Clip(nm.Types), core.FuncType{Params: params})
		enc.Touch(core.SectionType)
		return uint32(len(nm.Types) - 1)
	}
	cb := typeOf([]core.ValType{env})
	tramp := typeOf([]core.ValType{core.I32, env})
	var body []byte
	body = append(body, 0) // no locals
	for _, in := range []core.Instr{
		{Op: core.OpLocalGet, Index: 1},
		{Op: core.OpLocalGet, Index: 0},
		{Op: core.OpCallIndirect, Index: cb, Index2: table},
		{Op: core.OpEnd},
	} {
		if body, err = AppendInstr(body, in); err != nil {
			t.Fatal(err)
		}
	}
	fn := uint32(m.NumFuncs())
	nm.Funcs = append(slices.Clip(nm.Funcs), tramp)
	nm.Code = append(slices.Clip(nm.Code), core.Code{Body: body})
	nm.Exports = append(slices.Clip(nm.Exports), core.Export{Name: "wfcompat_trampoline", Kind: core.KindFunc, Index: fn})
	enc.Touch(core.SectionFunction, core.SectionCode, core.SectionExport)
	out, err := enc.Encode(&nm)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hostCalls checks that calling the pinned module's table at each pinned
// slot runs what the original ran at the registered slot, and at each
// relocated function's fresh slot what the original ran at its old one.
func (tw *twin) hostCalls(wantTrace bool) {
	t, res := tw.t, tw.res
	t.Helper()
	m, err := core.Decode(tw.orig)
	if err != nil {
		t.Fatal(err)
	}
	envOf := func(fn uint32) core.ValType {
		if ft := m.FuncType(fn); ft != nil && len(ft.Params) == 1 {
			return ft.Params[0]
		}
		return core.I32
	}
	for _, p := range res.Pins {
		om, pm := tw.machines(p.Table, envOf(p.Func))
		a := om.call("wfcompat_trampoline", uint64(p.From), 5)
		b := pm.call("wfcompat_trampoline", uint64(p.To), 5)
		if !slices.Equal(a.trace, b.trace) || a.err != b.err {
			t.Errorf("%s callback %s: original slot %d ran %q / %q; pinned slot %d ran %q / %q",
				p.Role, callbacks.FuncLabel(p.Func, p.Name), p.From, a.trace, a.err, p.To, b.trace, b.err)
		}
		if wantTrace && (len(b.trace) == 0 || b.err != "") {
			t.Errorf("%s callback at slot %d did not run: %q / %q", p.Role, p.To, b.trace, b.err)
		}
	}
	for _, r := range res.Relocated {
		if r.Func == callbacks.EntryNull {
			continue // both trap on a null slot; the trap messages name the slots
		}
		env := core.I32
		if r.Func >= 0 {
			env = envOf(uint32(r.Func))
		}
		om, pm := tw.machines(r.Table, env)
		a := om.call("wfcompat_trampoline", uint64(r.Slot), 5)
		b := pm.call("wfcompat_trampoline", uint64(r.To), 5)
		if !slices.Equal(a.trace, b.trace) || a.err != b.err {
			t.Errorf("relocated %s: slot %d ran %q / %q, slot %d ran %q / %q", r.Name, r.Slot, a.trace, a.err, r.To, b.trace, b.err)
		}
	}
}
