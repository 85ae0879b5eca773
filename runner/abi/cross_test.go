package abi

import (
	"context"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// TestCrossComponentResources wires a caller instance D to a callee C that
// defines resource R, the way the runner fuses canon lower (D) with canon
// lift (C), as in resources/borrows.wast.
func TestCrossComponentResources(t *testing.T) {
	ctx := context.Background()
	instC, instD := NewInstance("C"), NewInstance("D")
	var destroyed []uint32
	rt := &ResourceType{Name: "R", Impl: instC, Dtor: func(_ context.Context, rep uint32) error {
		destroyed = append(destroyed, rep)
		return nil
	}}
	res := tResource("R")
	resolve := func(*wit.Type) (*ResourceType, error) { return rt, nil }
	optsC, optsD := &Options{}, &Options{}

	makeFT := FuncType{Results: []*wit.Type{tOwn(res)}}
	getFT := FuncType{Params: []*wit.Type{tBorrow(res)}, Results: []*wit.Type{tU32}}
	consumeFT := FuncType{Params: []*wit.Type{tOwn(res)}, Results: []*wit.Type{tU32}}

	// C's core functions.
	coreMake := func([]uint64) ([]uint64, error) {
		h, err := instC.ResourceNew(rt, 42)
		return []uint64{uint64(h)}, err
	}
	coreGet := func(args []uint64) ([]uint64, error) {
		// C defines R, so it receives the rep itself, not a handle.
		return []uint64{args[0] + 1}, nil
	}
	coreConsume := func(args []uint64) ([]uint64, error) {
		rep, err := instC.ResourceRep(rt, uint32(args[0]))
		if err != nil {
			return nil, err
		}
		return []uint64{uint64(rep)}, instC.ResourceDrop(ctx, rt, uint32(args[0]))
	}
	// D's lowered imports: canon lower in D fused with canon lift in C.
	call := func(ft FuncType, core CoreFunc, flat []uint64) ([]uint64, error) {
		return CallImport(NewImportCall(ctx, optsD, instD, resolve), ft, flat, func(args []value.Value) ([]value.Value, error) {
			return CallExport(NewExportCall(ctx, optsC, instC, resolve), ft, args, core)
		})
	}

	out, err := call(makeFT, coreMake, nil)
	if err != nil {
		t.Fatal(err)
	}
	hD := uint32(out[0])
	if rep, err := instD.ResourceRep(rt, hD); err != nil || rep != 42 {
		t.Fatalf("D's handle: rep %d, %v", rep, err)
	}
	if n := instC.Handles.Len(); instC.Handles.entries[n-1] != nil {
		t.Fatal("C kept the handle it gave away")
	}
	if out, err = call(getFT, coreGet, []uint64{uint64(hD)}); err != nil || out[0] != 43 {
		t.Fatalf("get: %v, %v", out, err)
	}
	if h, _ := instD.Handles.Get(hD); h.Lends != 0 {
		t.Fatalf("loan not returned: %d", h.Lends)
	}
	// Lending the handle and moving it in the same call traps.
	ownAndBorrow := FuncType{Params: []*wit.Type{tBorrow(res), tOwn(res)}}
	_, err = call(ownAndBorrow, func([]uint64) ([]uint64, error) { return nil, nil }, []uint64{uint64(hD), uint64(hD)})
	wantTrap(t, "lend and move", err, TrapHandleLent, "cannot remove owned resource while borrowed")
	if h, _ := instD.Handles.Get(hD); h == nil || h.Lends != 0 {
		t.Fatalf("after the trap: %+v", h)
	}
	// Moving it to C, which drops it: the destructor runs once.
	if out, err = call(consumeFT, coreConsume, []uint64{uint64(hD)}); err != nil || out[0] != 42 {
		t.Fatalf("consume: %v, %v", out, err)
	}
	if len(destroyed) != 1 || destroyed[0] != 42 {
		t.Fatalf("destroyed %v", destroyed)
	}
	_, err = instD.ResourceRep(rt, hD)
	wantTrap(t, "use after move", err, TrapUnknownHandle, "unknown handle index 1")
}
