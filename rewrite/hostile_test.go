package rewrite

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// hugeLocals is the review's module: a callback-registering canister
// whose function declares 2^32-16 locals, which made wazero's compilation
// exhaust memory.
func hugeLocals(t testing.TB) []byte {
	m := &core.Module{Version: 1, Types: []core.FuncType{{}}}
	m.Funcs = []uint32{0}
	body := appendU32([]byte{1}, 1<<32-16)
	body = append(body, byte(core.I32), byte(core.OpEnd))
	m.Code = []core.Code{{Body: body}}
	m.Exports = []core.Export{{Name: "canister_update f", Kind: core.KindFunc, Index: 0}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPinHugeLocals: the module fails to decode, with the offset of the
// declaration, before anything reaches wazero.
func TestPinHugeLocals(t *testing.T) {
	b := hugeLocals(t)
	_, err := Pin(b, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "offset 0x") || !strings.Contains(err.Error(), "4294967280 locals") {
		t.Fatalf("Pin: %v", err)
	}
}

// nestedIfs is the review's memory bomb: one function with nlocals
// locals, all written, and depth nested ifs around a call of
// ic0.call_new (about 100 KB for 5,000 and 20,000).
func nestedIfs(t testing.TB, nlocals, depth int) []byte {
	m := &core.Module{Version: 1, Types: []core.FuncType{{},
		{Params: []core.ValType{core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32}}}}
	m.Imports = []core.Import{{Module: "ic0", Name: "call_new", Kind: core.KindFunc, TypeIndex: 1}}
	m.Funcs = []uint32{0, 0}
	body := appendU32([]byte{1}, uint32(nlocals))
	body = append(body, byte(core.I32))
	for i := 0; i < nlocals; i++ {
		body = append(body, byte(core.OpI32Const), 0, byte(core.OpLocalSet))
		body = appendU32(body, uint32(i))
	}
	for i := 0; i < depth; i++ {
		body = append(body, byte(core.OpI32Const), 1, byte(core.OpIf), 0x40)
	}
	for _, v := range []byte{0, 0, 0, 0, 0, 0, 0, 0} {
		body = append(body, byte(core.OpI32Const), v)
	}
	body = append(body, byte(core.OpCall), 0)
	for i := 0; i < depth; i++ {
		body = append(body, byte(core.OpEnd))
	}
	body = append(body, byte(core.OpEnd))
	m.Code = []core.Code{{Body: body}, {Body: []byte{0, byte(core.OpEnd)}}}
	m.Tables = []core.Table{{Type: core.TableType{Elem: core.FuncRef, Limits: core.Limits{Min: 1}}}}
	m.Elements = []core.Element{{Type: core.FuncRef, Offset: core.ConstExpr{Instrs: []core.Instr{{Op: core.OpI32Const}}}, Funcs: []uint32{2}}}
	m.Exports = []core.Export{{Name: "canister_update f", Kind: core.KindFunc, Index: 1}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNestedIfsMemory: the callback analysis of the 100 KB bomb stays
// within a memory budget (it allocated 2.3 GB before) and gives up with
// its reason, so pin refuses.
func TestNestedIfsMemory(t *testing.T) {
	b := nestedIfs(t, 5000, 20000)
	if len(b) > 200_000 {
		t.Fatalf("%d bytes", len(b))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Pin(b, Options{})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more memory to simulate") {
		t.Fatalf("Pin: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Fatalf("Pin allocated %d MB on a %d-byte module", alloc>>20, len(b))
	}
	// A shallow version resolves.
	if _, err := Pin(nestedIfs(t, 50, 20), Options{}); err != nil {
		t.Fatalf("shallow: %v", err)
	}
}

// beyondWazero reports modules wazero cannot compile: memory64 and
// multi-memory.
func beyondWazero(b []byte) bool {
	m, err := core.Decode(b)
	if err != nil {
		return false
	}
	if m.NumMemories() > 1 {
		return true
	}
	for _, im := range m.Imports {
		if im.Kind == core.KindMemory && im.Memory.Is64 {
			return true
		}
	}
	for _, mm := range m.Memories {
		if mm.Limits.Is64 {
			return true
		}
	}
	return false
}

// TestWriteHostile writes the hostile core modules to
// $WFCOMPAT_HOSTILE_DIR, for measuring the commands' peak memory
// (/usr/bin/time -v); it is skipped otherwise.
func TestWriteHostile(t *testing.T) {
	dir := os.Getenv("WFCOMPAT_HOSTILE_DIR")
	if dir == "" {
		t.Skip("WFCOMPAT_HOSTILE_DIR not set")
	}
	for name, b := range map[string][]byte{
		"nested-ifs.wasm":  nestedIfs(t, 5000, 20000),
		"huge-locals.wasm": hugeLocals(t),
		"stack-bomb.wasm":  stackBomb(t, 200_000),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// stackBomb is a valid module whose one function calls a function
// returning 1,000 values n times, then one taking 1,000 parameters n
// times: the operand stack reaches 1,000·n values from 4·n bytes of code.
func stackBomb(t testing.TB, n int) []byte {
	many := make([]core.ValType, 1000)
	for i := range many {
		many[i] = core.I32
	}
	m := &core.Module{Version: 1, Types: []core.FuncType{{},
		{Params: []core.ValType{core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32, core.I32}},
		{Results: many}, {Params: many}}}
	m.Imports = []core.Import{{Module: "ic0", Name: "call_new", Kind: core.KindFunc, TypeIndex: 1},
		{Module: "env", Name: "many", Kind: core.KindFunc, TypeIndex: 2}, {Module: "env", Name: "take", Kind: core.KindFunc, TypeIndex: 3}}
	m.Funcs = []uint32{0}
	body := []byte{0}
	for i := 0; i < n; i++ {
		body = append(body, byte(core.OpCall), 1)
	}
	for i := 0; i < n; i++ {
		body = append(body, byte(core.OpCall), 2)
	}
	for _, v := range []byte{0, 0, 0, 0, 0, 0, 0, 0} {
		body = append(body, byte(core.OpI32Const), v)
	}
	body = append(body, byte(core.OpCall), 0, byte(core.OpEnd))
	m.Code = []core.Code{{Body: body}}
	m.Exports = []core.Export{{Name: "canister_update f", Kind: core.KindFunc, Index: 3}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStackBomb: the callback analysis and the validator bound the
// operand stack in memory.
func TestStackBomb(t *testing.T) {
	b := stackBomb(t, 20_000) // 80 KB, 20M values at the peak
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Pin(b, Options{})
	verr := Validate(context.Background(), b)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "operand stack grows") {
		t.Errorf("Pin: %v", err)
	}
	if verr == nil || !strings.Contains(verr.Error(), "operand stack deeper") {
		t.Errorf("Validate: %v", verr)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 256<<20 {
		t.Errorf("%d MB allocated for a %d-byte module", a>>20, len(b))
	}
	// A small one is valid, for the validator and for wazero.
	small := stackBomb(t, 3)
	if err := Validate(context.Background(), small); err != nil {
		t.Error(err)
	}
	if err := ValidateWazero(context.Background(), small); err != nil {
		t.Error(err)
	}
}
