package rewrite

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// The differential program generator: random IC-style modules whose
// table 0 is filled by element segments in every encoding (flags 0-7) and
// with every element-expression form (ref.func, ref.null, global.get of
// imported funcref globals, global.get of defined immutable funcref
// globals), pinned to shifted locks and run before and after.

// Types of the generated modules.
const (
	genTypeCB   = 0 // (func (param i32)): callbacks, env.hit
	genTypeVoid = 1 // (func)
	genTypeCall = 2 // ic0.call_new
)

// provGlobals is how many funcref globals the provider module exports
// (g0..g3 hold functions, gnull holds null).
const provGlobals = 4

// providerModule exports funcref globals g0..g3 holding functions that call
// env.hit(1000+k), and gnull holding null: the values an imported funcref
// global brings into a generated module's element expressions.
func providerModule(t testing.TB) []byte {
	m := &core.Module{Version: 1,
		Types:   []core.FuncType{{Params: []core.ValType{core.I32}}, {}},
		Imports: []core.Import{{Module: "env", Name: "hit", Kind: core.KindFunc, TypeIndex: 0}},
	}
	for k := 0; k < provGlobals; k++ {
		m.Funcs = append(m.Funcs, 0)
		m.Code = append(m.Code, core.Code{Body: genBody(t,
			core.Instr{Op: core.OpI32Const, I64: int64(1000 + k)}, core.Instr{Op: core.OpCall, Index: 0})})
		m.Globals = append(m.Globals, core.Global{Type: core.GlobalType{Type: core.FuncRef},
			Init: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpRefFunc, Index: uint32(1 + k)}}}})
		m.Exports = append(m.Exports, core.Export{Name: fmt.Sprintf("g%d", k), Kind: core.KindGlobal, Index: uint32(k)})
	}
	m.Globals = append(m.Globals, core.Global{Type: core.GlobalType{Type: core.FuncRef},
		Init: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpRefNull, Type: core.FuncRef}}}})
	m.Exports = append(m.Exports, core.Export{Name: "gnull", Kind: core.KindGlobal, Index: provGlobals})
	// ref.func in a global initializer needs the functions declared.
	var fs []uint32
	for k := 0; k < provGlobals; k++ {
		fs = append(fs, uint32(1+k))
	}
	m.Elements = []core.Element{{Flags: 3, Mode: core.ElemDeclarative, Type: core.FuncRef, Funcs: fs}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// genBody encodes a function body without locals.
func genBody(t testing.TB, ins ...core.Instr) []byte {
	b := []byte{0}
	var err error
	for _, in := range append(ins, core.Instr{Op: core.OpEnd}) {
		if b, err = AppendInstr(b, in); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// genProgram builds one random module. Its callbacks f0..fN-1 call
// env.hit(100*(i+1) + env); entry points reg_j register two slots with
// ic0.call_new, call_j call a slot through call_indirect.
func genProgram(t testing.TB, rng *rand.Rand) []byte {
	cb := []core.ValType{core.I32}
	m := &core.Module{Version: 1, Types: []core.FuncType{
		{Params: cb}, {},
		{Params: []core.ValType{core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32}},
	}}
	m.Imports = []core.Import{
		{Module: "ic0", Name: "call_new", Kind: core.KindFunc, TypeIndex: genTypeCall},
		{Module: "env", Name: "hit", Kind: core.KindFunc, TypeIndex: genTypeCB},
	}
	const nimp = 2
	// Imported funcref globals, some of them.
	var imported []uint32
	for k := 0; k < provGlobals+1; k++ {
		if rng.Intn(2) == 0 {
			continue
		}
		name := fmt.Sprintf("g%d", k)
		if k == provGlobals {
			name = "gnull"
		}
		imported = append(imported, uint32(len(imported)))
		m.Imports = append(m.Imports, core.Import{Module: "prov", Name: name, Kind: core.KindGlobal, Global: core.GlobalType{Type: core.FuncRef}})
	}
	ncb := 3 + rng.Intn(4)
	for i := 0; i < ncb; i++ {
		m.Funcs = append(m.Funcs, genTypeCB)
		m.Code = append(m.Code, core.Code{Body: genBody(t,
			core.Instr{Op: core.OpI32Const, I64: int64(100 * (i + 1))}, core.Instr{Op: core.OpLocalGet, Index: 0},
			core.Instr{Op: core.OpI32Add}, core.Instr{Op: core.OpCall, Index: 1})})
	}
	fn := func() uint32 { return nimp + uint32(rng.Intn(ncb)) }
	// Defined immutable funcref globals holding ref.func or ref.null.
	var defined []uint32
	for k := rng.Intn(3); k > 0; k-- {
		init := core.Instr{Op: core.OpRefFunc, Index: fn()}
		if rng.Intn(4) == 0 {
			init = core.Instr{Op: core.OpRefNull, Type: core.FuncRef}
		}
		defined = append(defined, uint32(len(imported)+len(m.Globals)))
		m.Globals = append(m.Globals, core.Global{Type: core.GlobalType{Type: core.FuncRef}, Init: core.ConstExpr{Instrs: []core.Instr{init}}})
	}
	size := 6 + rng.Intn(10)
	m.Tables = []core.Table{{Type: core.TableType{Elem: core.FuncRef, Limits: core.Limits{Min: uint64(size)}}}}
	// content tracks what each slot holds after instantiation: a
	// function index, or -1 for anything else.
	content := make([]int64, size)
	for i := range content {
		content[i] = -1
	}
	globalFn := map[uint32]int64{}
	for k, g := range defined {
		if in := m.Globals[k].Init.Instrs[0]; in.Op == core.OpRefFunc {
			globalFn[g] = int64(in.Index)
		}
	}
	expr := func() core.ConstExpr {
		var in core.Instr
		switch r := rng.Intn(10); {
		case r < 4:
			in = core.Instr{Op: core.OpRefFunc, Index: fn()}
		case r < 5:
			in = core.Instr{Op: core.OpRefNull, Type: core.FuncRef}
		case r < 8 && len(imported) > 0:
			in = core.Instr{Op: core.OpGlobalGet, Index: imported[rng.Intn(len(imported))]}
		case len(defined) > 0:
			in = core.Instr{Op: core.OpGlobalGet, Index: defined[rng.Intn(len(defined))]}
		default:
			in = core.Instr{Op: core.OpRefFunc, Index: fn()}
		}
		return core.ConstExpr{Instrs: []core.Instr{in}}
	}
	for k := 1 + rng.Intn(5); k > 0; k-- {
		flags := uint32(rng.Intn(8))
		el := core.Element{Flags: flags, Type: core.FuncRef}
		switch flags & 3 {
		case 1:
			el.Mode = core.ElemPassive
		case 3:
			el.Mode = core.ElemDeclarative
		}
		n := 1 + rng.Intn(size)
		el.Offset = core.ConstExpr{Instrs: []core.Instr{{Op: core.OpI32Const, I64: int64(rng.Intn(size - n + 1))}}}
		if el.Mode != core.ElemActive {
			el.Offset = core.ConstExpr{}
		}
		off := 0
		if el.Mode == core.ElemActive {
			off = int(el.Offset.Instrs[0].I64)
		}
		for i := 0; i < n; i++ {
			c := int64(-1)
			if flags&4 != 0 {
				e := expr()
				el.Exprs = append(el.Exprs, e)
				switch in := e.Instrs[0]; in.Op {
				case core.OpRefFunc:
					c = int64(in.Index)
				case core.OpGlobalGet:
					if f, ok := globalFn[in.Index]; ok {
						c = f
					}
				}
			} else {
				f := fn()
				el.Funcs = append(el.Funcs, f)
				c = int64(f)
			}
			if el.Mode == core.ElemActive {
				content[off+i] = c
			}
		}
		m.Elements = append(m.Elements, el)
	}
	// Registrations mostly name slots that hold a function.
	var good []int
	for s, c := range content {
		if c >= 0 {
			good = append(good, s)
		}
	}
	slot := func() int {
		if len(good) > 0 && rng.Intn(32) != 0 {
			return good[rng.Intn(len(good))]
		}
		return rng.Intn(size)
	}
	// Entry points.
	call := func(op core.Opcode, x uint32) core.Instr { return core.Instr{Op: op, Index: x} }
	c32 := func(v int) core.Instr { return core.Instr{Op: core.OpI32Const, I64: int64(v)} }
	var eps []uint32
	for j := 0; j < 2+rng.Intn(3); j++ {
		body := genBody(t, c32(0), c32(0), c32(0), c32(0), c32(slot()), c32(7), c32(slot()), c32(9), call(core.OpCall, 0))
		eps = append(eps, uint32(nimp+len(m.Funcs)))
		m.Funcs = append(m.Funcs, genTypeVoid)
		m.Code = append(m.Code, core.Code{Body: body})
		m.Exports = append(m.Exports, core.Export{Name: fmt.Sprintf("reg_%d", j), Kind: core.KindFunc, Index: eps[len(eps)-1]})
	}
	for j := 0; j < size; j++ {
		body := genBody(t, c32(5), c32(j), core.Instr{Op: core.OpCallIndirect, Index: genTypeCB})
		m.Funcs = append(m.Funcs, genTypeVoid)
		m.Code = append(m.Code, core.Code{Body: body})
		m.Exports = append(m.Exports, core.Export{Name: fmt.Sprintf("call_%d", j), Kind: core.KindFunc, Index: uint32(nimp + len(m.Funcs) - 1)})
	}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPinGenerated pins random programs to shifted locks. Each pin either
// refuses or gives a module that validates, registers every callback at
// its pinned slot, behaves like the original on every entry point
// (registrations translated, indirect calls of every slot), and runs at
// every pinned and relocated slot what the original ran at the old one.
func TestPinGenerated(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewSource(13))
	var pinned, moved, carried, refused, invalid int
	for i := 0; i < n; i++ {
		src := genProgram(t, rng)
		if err := validateWithProvider(src); err != nil {
			invalid++ // e.g. global.get of a defined global, not Wasm 2.0 in wazero
			continue
		}
		a := analysis(t, src)
		opts := Options{Lock: shiftedLock(a, uint8(1+rng.Intn(6)))}
		res, err := Pin(src, opts)
		if err != nil {
			refused++
			if testing.Verbose() {
				t.Logf("program %d refused: %v", i, err)
			}
			if msg := err.Error(); strings.HasSuffix(msg, ": ") || strings.Contains(msg, "empty slot") && strings.Contains(msg, "global.get") {
				t.Errorf("program %d: refusal with a missing reason: %v", i, err)
			}
			continue
		}
		if err := Verify(res, nil); err != nil {
			t.Fatalf("program %d: %v", i, err)
		}
		checkIncremental(t, src, opts) // Check's shortcuts agree with the full checks
		if err := validateWithProvider(res.Wasm); err != nil {
			t.Fatalf("program %d: invalid output: %v", i, err)
		}
		pinned++
		if len(res.Relocated) > 0 {
			moved++
		}
		for _, r := range res.Relocated {
			if r.Expr != "" {
				carried++
			}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			tw := differential(t, src, res)
			tw.hostCalls(false)
		})
	}
	t.Logf("%d programs: %d pinned (%d moved a slot, %d element expressions carried), %d refused, %d skipped as invalid",
		n, pinned, moved, carried, refused, invalid)
	if pinned < n/4 || carried == 0 {
		t.Fatalf("the generator exercises too little: %d pinned, %d carried expressions", pinned, carried)
	}
}

// validateWithProvider compiles wasm the way the machines run it.
func validateWithProvider(wasm []byte) error {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(Features))
	defer r.Close(ctx)
	_, err := r.CompileModule(ctx, wasm)
	return err
}

// TestElementExprSlot is the review's case: slot 1 holds global.get of an
// imported funcref global, the lock moves a callback there. The pin must
// carry the expression to the fresh slot (and the module's indirect
// calls of slot 1 still reach the global's function), never treat the
// slot as empty.
func TestElementExprSlot(t *testing.T) {
	m := &core.Module{Version: 1, Types: []core.FuncType{{Params: []core.ValType{core.I32}}, {},
		{Params: []core.ValType{core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32}}}}
	m.Imports = []core.Import{
		{Module: "ic0", Name: "call_new", Kind: core.KindFunc, TypeIndex: genTypeCall},
		{Module: "env", Name: "hit", Kind: core.KindFunc, TypeIndex: genTypeCB},
		{Module: "prov", Name: "g2", Kind: core.KindGlobal, Global: core.GlobalType{Type: core.FuncRef}},
	}
	m.Funcs = []uint32{genTypeCB, genTypeVoid, genTypeVoid}
	c32 := func(v int) core.Instr { return core.Instr{Op: core.OpI32Const, I64: int64(v)} }
	m.Code = []core.Code{
		{Body: genBody(t, core.Instr{Op: core.OpLocalGet, Index: 0}, core.Instr{Op: core.OpCall, Index: 1})},
		{Body: genBody(t, c32(0), c32(0), c32(0), c32(0), c32(2), c32(7), c32(2), c32(9), core.Instr{Op: core.OpCall, Index: 0})},
		{Body: genBody(t, c32(5), c32(1), core.Instr{Op: core.OpCallIndirect, Index: genTypeCB})},
	}
	m.Exports = []core.Export{{Name: "reg", Kind: core.KindFunc, Index: 3}, {Name: "call1", Kind: core.KindFunc, Index: 4}}
	m.Tables = []core.Table{{Type: core.TableType{Elem: core.FuncRef, Limits: core.Limits{Min: 4}}}}
	m.Elements = []core.Element{{Flags: 4, Type: core.FuncRef,
		Offset: core.ConstExpr{Instrs: []core.Instr{c32(1)}},
		Exprs: []core.ConstExpr{
			{Instrs: []core.Instr{{Op: core.OpGlobalGet, Index: 0}}},
			{Instrs: []core.Instr{{Op: core.OpRefFunc, Index: 2}}},
			{Instrs: []core.Instr{{Op: core.OpRefNull, Type: core.FuncRef}}},
		}}}
	src, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	a := analysis(t, src)
	if tab := a.Table(0); tab.Unknown == "" || !strings.Contains(tab.Unknown, "global.get 0") || !strings.Contains(tab.Unknown, "prov.g2") {
		t.Fatalf("table 0's unknown slot is not explained: %q", tab.Unknown)
	}
	lock := shiftedLock(a, 255) // slot 2 → slot 1
	if got := lock.Tables[0].Slots[0].Slot; got != 1 {
		t.Fatalf("lock slot %d, want 1", got)
	}
	res, err := Pin(src, Options{Lock: lock})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Relocated) != 1 || res.Relocated[0].Expr != "global.get 0" || res.Relocated[0].Func != callbacks.EntryUnknown {
		t.Fatalf("relocated %+v, want slot 1's global.get 0 carried", res.Relocated)
	}
	if err := Verify(res, nil); err != nil {
		t.Fatal(err)
	}
	tw := differential(t, src, res)
	tw.hostCalls(true)
	// The carried slot, called through the module's own call_indirect,
	// still runs the global's function (env.hit(1002)).
	_, pm := tw.machines(0, core.I32)
	if out := pm.call("call1"); !slices.Equal(out.trace, []string{"env.hit[1002]"}) || out.err != "" {
		t.Fatalf("call1 after pinning: %q / %q", out.trace, out.err)
	}
	// A callback registered at the unknown slot is unresolved with the
	// reason (the in-flight message used to end after its colon).
	m.Code[1].Body = genBody(t, c32(0), c32(0), c32(0), c32(0), c32(1), c32(7), c32(1), c32(9), core.Instr{Op: core.OpCall, Index: 0})
	src2, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	a2 := analysis(t, src2)
	if len(a2.Unresolved) == 0 {
		t.Fatal("a callback at a global.get slot resolved")
	}
	for _, u := range a2.Unresolved {
		if strings.HasSuffix(u.Why, ": ") || !strings.Contains(u.Why, "global.get 0") {
			t.Errorf("unresolved without its reason: %q", u.Why)
		}
	}
	if _, err := Pin(src2, Options{}); err == nil || !strings.Contains(err.Error(), "global.get 0") {
		t.Errorf("pin of a module with a callback at a global.get slot: %v", err)
	}
}
