package abi

import (
	"context"
	"encoding/binary"
	"errors"
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

// TestPostReturn: post-return runs once, after the results are lifted,
// with the flat results, while the instance may not leave (resource.new
// traps, resource.rep does not), as values/post-return.wast has it.
func TestPostReturn(t *testing.T) {
	ctx := context.Background()
	h := newHeap(make([]byte, 64))
	inst := NewInstance("g")
	rt := &ResourceType{Name: "R", Impl: inst}
	handle, _ := inst.ResourceNew(rt, 123)
	var calls int
	var got []uint64
	var newErr, repErr error
	var rep uint32
	opts := &Options{Memory: h, Realloc: h.realloc, PostReturn: func(_ context.Context, flat []uint64) error {
		calls++
		got = append([]uint64(nil), flat...)
		// The string result was lifted before post-return may free it.
		copy(h.mem[16:], "XXXXX")
		_, newErr = inst.ResourceNew(rt, 1)
		rep, repErr = inst.ResourceRep(rt, handle)
		return nil
	}}
	ft := FuncType{Results: []*wit.Type{tString}}
	core := func([]uint64) ([]uint64, error) {
		copy(h.mem[16:], "hello")
		binary.LittleEndian.PutUint32(h.mem[8:], 16)
		binary.LittleEndian.PutUint32(h.mem[12:], 5)
		return []uint64{8}, nil
	}
	res, err := CallExport(NewExportCall(ctx, opts, inst, nil), ft, nil, core)
	if err != nil || len(res) != 1 || res[0].Text() != "hello" {
		t.Fatalf("results %v, %v", res, err)
	}
	if calls != 1 || len(got) != 1 || got[0] != 8 {
		t.Fatalf("post-return called %d times with %v", calls, got)
	}
	wantTrap(t, "resource.new in post-return", newErr, TrapCannotLeave, "cannot leave component instance")
	if repErr != nil || rep != 123 {
		t.Fatalf("resource.rep in post-return: %d, %v", rep, repErr)
	}
	if !inst.MayLeave {
		t.Fatal("MayLeave not restored after post-return")
	}
	// A failing post-return fails the call.
	boom := errors.New("boom")
	opts.PostReturn = func(context.Context, []uint64) error { return boom }
	if _, err := CallExport(NewExportCall(ctx, opts, inst, nil), ft, nil, core); !errors.Is(err, boom) {
		t.Fatalf("post-return error: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	f := &wit.Function{Name: "f", Params: []wit.Param{{Name: "a", Type: tU8}, {Name: "b", Type: tString}}, Result: tOption(tU64)}
	ft := FuncTypeOf(f)
	if len(ft.Params) != 2 || ft.Params[1] != tString || len(ft.Results) != 1 || ft.Results[0] != f.Result {
		t.Fatalf("FuncTypeOf: %+v", ft)
	}
	if ft := FuncTypeOf(&wit.Function{Name: "g"}); len(ft.Params) != 0 || len(ft.Results) != 0 {
		t.Fatalf("FuncTypeOf without result: %+v", ft)
	}
	a, err1 := Alignment(tOption(tU64))
	s, err2 := ElemSize(tOption(tU64))
	flat, err3 := FlattenType(tOption(tU64))
	if a != 8 || s != 16 || len(flat) != 2 || flat[1] != I64 || err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("Alignment %d, ElemSize %d, FlattenType %v: %v %v %v", a, s, flat, err1, err2, err3)
	}
	if _, err := ElemSize(tFlags()); err == nil {
		t.Fatal("ElemSize of empty flags")
	}
}
