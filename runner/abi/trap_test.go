package abi

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// wantTrap fails unless err is a *Trap that Matches msg, the message the
// Component Model's reference tests (values/*.wast, resources/*.wast)
// expect for the same situation.
func wantTrap(t *testing.T, name string, err error, code TrapCode, msg string) {
	t.Helper()
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Errorf("%s: want trap %q, got %v", name, msg, err)
		return
	}
	if tr.Code != code || !tr.Matches(msg) {
		t.Errorf("%s: trap %d %q does not match %d %q", name, tr.Code, tr.Reason, code, msg)
	}
}

func le32(xs ...uint32) []byte {
	var b []byte
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

func TestTrapsLift(t *testing.T) {
	page := func(init func(b []byte)) []byte {
		b := make([]byte, 65536)
		init(b)
		return b
	}
	for _, c := range []struct {
		name string
		mem  []byte
		enc  StringEncoding
		ts   []*wit.Type
		flat []uint64
		code TrapCode
		msg  string
	}{
		{"string ptr out of bounds, len 0", page(func([]byte) {}), UTF8, []*wit.Type{tString}, []uint64{0xdeadbeef, 0},
			TrapStringOutOfBounds, "string pointer/length out of bounds of memory"},
		{"string one byte past the end", page(func([]byte) {}), UTF8, []*wit.Type{tString}, []uint64{65535, 2},
			TrapStringOutOfBounds, "string content out-of-bounds"},
		{"invalid utf-8", page(func(b []byte) { b[8] = 0xff }), UTF8, []*wit.Type{tString}, []uint64{8, 1},
			TrapInvalidUTF8, "invalid utf-8"},
		{"truncated utf-8", page(func(b []byte) { b[8] = 0xc3 }), UTF8, []*wit.Type{tString}, []uint64{8, 1},
			TrapInvalidUTF8, "incomplete utf-8 byte sequence"},
		{"utf16 unpaired surrogate", page(func(b []byte) { b[8], b[9] = 0x00, 0xd8 }), UTF16, []*wit.Type{tString}, []uint64{8, 1},
			TrapInvalidUTF16, "invalid utf-16"},
		{"utf16 unaligned, len 0", page(func([]byte) {}), UTF16, []*wit.Type{tString}, []uint64{1, 0},
			TrapUnaligned, "unaligned pointer"},
		{"latin1 unaligned", page(func([]byte) {}), Latin1UTF16, []*wit.Type{tString}, []uint64{1, 1},
			TrapUnaligned, "unaligned pointer"},
		{"latin1+utf16 tagged unaligned", page(func([]byte) {}), Latin1UTF16, []*wit.Type{tString}, []uint64{1, 1 | UTF16Tag},
			TrapUnaligned, "unaligned pointer"},
		{"string too long (checked first)", page(func([]byte) {}), UTF16, []*wit.Type{tString}, []uint64{1, 1 << 28},
			TrapStringTooLong, "string too large"},
		{"list too long (checked first)", page(func([]byte) {}), UTF8, []*wit.Type{tList(tU32)}, []uint64{1, 1 << 26},
			TrapListTooLong, "list too large"},
		{"list out of bounds", page(func([]byte) {}), UTF8, []*wit.Type{tList(tU32)}, []uint64{65532, 2},
			TrapListOutOfBounds, "list content out-of-bounds"},
		{"list unaligned", page(func([]byte) {}), UTF8, []*wit.Type{tList(tU32)}, []uint64{2, 1},
			TrapUnaligned, "unaligned pointer"},
		{"char d800", nil, UTF8, []*wit.Type{tChar}, []uint64{0xd800}, TrapInvalidChar, "invalid `char` bit pattern"},
		{"char dfff", nil, UTF8, []*wit.Type{tChar}, []uint64{0xdfff}, TrapInvalidChar, "invalid `char` bit pattern"},
		{"char too big", nil, UTF8, []*wit.Type{tChar}, []uint64{0x110000}, TrapInvalidChar, "invalid `char` bit pattern"},
		{"variant discriminant", nil, UTF8, []*wit.Type{tResult(tU8, nil)}, []uint64{2, 0}, TrapInvalidDiscriminant, "invalid variant discriminant"},
		{"option discriminant", nil, UTF8, []*wit.Type{tOption(tU8)}, []uint64{2, 0}, TrapInvalidDiscriminant, "invalid variant discriminant"},
		{"spilled values unaligned", page(func([]byte) {}), UTF8, u32s(17), []uint64{2},
			TrapUnaligned, "unaligned pointer"},
		{"spilled values out of bounds", page(func([]byte) {}), UTF8, u32s(17), []uint64{65532},
			TrapOutOfBounds, "out of bounds"},
		{"discriminant in memory", page(func(b []byte) { copy(b, le32(16, 1)); b[16] = 3 }), UTF8, []*wit.Type{tList(tEnum("a", "b", "c"))}, []uint64{0, 1},
			TrapInvalidDiscriminant, "invalid variant discriminant"},
		{"char in memory", page(func(b []byte) { copy(b, le32(0xd800)) }), UTF8, []*wit.Type{tList(tChar)}, []uint64{0, 1},
			TrapInvalidChar, "invalid `char` bit pattern"},
	} {
		cx, _ := mkcx(c.mem, c.enc)
		_, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues(c.flat), c.ts)
		wantTrap(t, c.name, err, c.code, c.msg)
	}
}

func u32s(n int) []*wit.Type {
	ts := make([]*wit.Type, n)
	for i := range ts {
		ts[i] = tU32
	}
	return ts
}

func TestTrapsLower(t *testing.T) {
	list := value.List(value.U32(1), value.U32(2))
	for _, c := range []struct {
		name    string
		realloc func(ctx context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error)
		ts      []*wit.Type
		vs      []value.Value
		code    TrapCode
		msg     string
	}{
		{"realloc beyond memory", fixedRealloc(65536), []*wit.Type{tList(tU32)}, []value.Value{list},
			TrapReallocOutOfBounds, "realloc return: beyond end of memory"},
		{"realloc beyond memory (cross-component wording)", fixedRealloc(65536), []*wit.Type{tList(tU32)}, []value.Value{list},
			TrapReallocOutOfBounds, "wasm trap: list content out-of-bounds"},
		{"realloc beyond memory, empty list", fixedRealloc(70000), []*wit.Type{tList(tU32)}, []value.Value{value.List()},
			TrapReallocOutOfBounds, "realloc return: beyond end of memory"},
		{"realloc -1: alignment checked first", fixedRealloc(0xffffffff), []*wit.Type{tList(tU32)}, []value.Value{list},
			TrapReallocUnaligned, "realloc return: result not aligned"},
		{"realloc misaligned (cross-component wording)", fixedRealloc(2), []*wit.Type{tList(tU32)}, []value.Value{list},
			TrapReallocUnaligned, "wasm trap: unaligned pointer"},
		{"string realloc beyond memory", fixedRealloc(65535), []*wit.Type{tString}, []value.Value{vs("abc")},
			TrapReallocOutOfBounds, "string content out-of-bounds"},
		{"spilled params realloc misaligned", fixedRealloc(2), u32s(17), u32vals(17),
			TrapReallocUnaligned, "unaligned pointer"},
	} {
		h := newHeap(make([]byte, 65536))
		cx := &CallContext{Opts: &Options{Memory: h, Realloc: c.realloc}, Inst: NewInstance("t")}
		_, err := LowerFlatValues(cx, MaxFlatParams, c.vs, c.ts, nil)
		wantTrap(t, c.name, err, c.code, c.msg)
	}
	// A misaligned return pointer passed by the caller of an import.
	h := newHeap(make([]byte, 65536))
	cx := &CallContext{Opts: h.opts(UTF8), Inst: NewInstance("t")}
	_, err := LowerFlatValues(cx, MaxFlatResults, []value.Value{tup(value.U32(1), value.U32(2))},
		[]*wit.Type{tTuple(tU32, tU32)}, NewCoreValues([]uint64{2}))
	wantTrap(t, "retptr misaligned", err, TrapUnaligned, "unaligned pointer")
}

func fixedRealloc(p uint32) Realloc {
	return func(context.Context, uint32, uint32, uint32, uint32) (uint32, error) { return p, nil }
}

func u32vals(n int) []value.Value {
	vs := make([]value.Value, n)
	for i := range vs {
		vs[i] = value.U32(uint32(i))
	}
	return vs
}

func TestTrapsHandles(t *testing.T) {
	ctx := context.Background()
	inst := NewInstance("user")
	r1 := &ResourceType{Name: "r1", Impl: inst}
	r2 := &ResourceType{Name: "r2", Impl: inst}
	h, _ := inst.ResourceNew(r1, 7)
	if h != 1 {
		t.Fatalf("first handle %d", h)
	}
	wantTrap(t, "drop never allocated", inst.ResourceDrop(ctx, r1, 5), TrapUnknownHandle, "unknown handle index 5")
	_, err := inst.ResourceRep(r1, 5)
	wantTrap(t, "rep never allocated", err, TrapUnknownHandle, "unknown handle index 5")
	wantTrap(t, "drop zero", inst.ResourceDrop(ctx, r1, 0), TrapUnknownHandle, "unknown handle index 0")
	wantTrap(t, "drop max", inst.ResourceDrop(ctx, r1, 0xffffffff), TrapUnknownHandle, "unknown handle index 4294967295")
	wantTrap(t, "drop R1 as R2", inst.ResourceDrop(ctx, r2, 1), TrapWrongHandleType,
		"handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource")
	if err := inst.ResourceDrop(ctx, r1, 1); err != nil {
		t.Fatal(err)
	}
	wantTrap(t, "double drop", inst.ResourceDrop(ctx, r1, 1), TrapUnknownHandle, "unknown handle index 1")

	// Free slots are reused last-freed first.
	a, _ := inst.ResourceNew(r1, 1)
	b, _ := inst.ResourceNew(r1, 2)
	c, _ := inst.ResourceNew(r1, 3)
	_ = inst.ResourceDrop(ctx, r1, a)
	_ = inst.ResourceDrop(ctx, r1, c)
	if d, _ := inst.ResourceNew(r1, 4); d != c {
		t.Errorf("reuse: got %d, want %d", d, c)
	}
	if d, _ := inst.ResourceNew(r1, 5); d != a {
		t.Errorf("reuse: got %d, want %d", d, a)
	}
	_ = b

	// An owned handle lent as a borrow to an import call cannot be moved
	// out or dropped until the call returns.
	res := tResource("r")
	resolve := func(*wit.Type) (*ResourceType, error) { return r1, nil }
	lent, _ := inst.ResourceNew(r1, 99)
	callee := func(args []value.Value) ([]value.Value, error) {
		wantTrap(t, "drop while lent", inst.ResourceDrop(ctx, r1, lent), TrapHandleLent, "cannot remove owned resource while borrowed")
		inner := NewImportCall(ctx, &Options{}, inst, resolve)
		_, err := LiftFlatValues(inner, MaxFlatParams, NewCoreValues([]uint64{uint64(lent)}), []*wit.Type{tOwn(res)})
		wantTrap(t, "move while lent", err, TrapHandleLent, "cannot remove owned resource while borrowed")
		return nil, nil
	}
	ft := FuncType{Params: []*wit.Type{tBorrow(res)}}
	if _, err := CallImport(NewImportCall(ctx, &Options{}, inst, resolve), ft, []uint64{uint64(lent)}, callee); err != nil {
		t.Fatal(err)
	}
	if err := inst.ResourceDrop(ctx, r1, lent); err != nil {
		t.Fatalf("drop after the call: %v", err)
	}
}

func TestTrapsCalls(t *testing.T) {
	ctx := context.Background()
	res := tResource("r")
	host := &ResourceType{Name: "r"}
	resolve := func(*wit.Type) (*ResourceType, error) { return host, nil }

	// An export that keeps a borrowed handle traps when it returns.
	inst := NewInstance("callee")
	ft := FuncType{Params: []*wit.Type{tBorrow(res)}}
	_, err := CallExport(NewExportCall(ctx, &Options{}, inst, resolve), ft, []value.Value{value.Borrow(5)},
		func([]uint64) ([]uint64, error) { return nil, nil })
	wantTrap(t, "borrow kept", err, TrapBorrowsRemain, "borrow handles still remain at the end of the call")

	// Dropping it in time is fine, and does not call the destructor.
	inst = NewInstance("callee")
	dtorCalls := 0
	host.Dtor = func(context.Context, uint32) error { dtorCalls++; return nil }
	_, err = CallExport(NewExportCall(ctx, &Options{}, inst, resolve), ft, []value.Value{value.Borrow(5)},
		func(args []uint64) ([]uint64, error) { return nil, inst.ResourceDrop(ctx, host, uint32(args[0])) })
	if err != nil || dtorCalls != 0 {
		t.Fatalf("borrow dropped: %v, %d destructor calls", err, dtorCalls)
	}

	// Returning a borrowed handle as own traps; so does a handle of
	// another type.
	other := &ResourceType{Name: "other", Impl: inst}
	b, _ := inst.Handles.Add(&ResourceHandle{Type: host, Rep: 1})
	o, _ := inst.ResourceNew(other, 2)
	cx := NewExportCall(ctx, &Options{}, inst, resolve)
	_, err = LiftFlatValues(cx, MaxFlatResults, NewCoreValues([]uint64{uint64(b)}), []*wit.Type{tOwn(res)})
	wantTrap(t, "own from borrow", err, TrapNotOwned, "cannot lift own resource from a borrow")
	_, err = LiftFlatValues(cx, MaxFlatResults, NewCoreValues([]uint64{uint64(o)}), []*wit.Type{tOwn(res)})
	wantTrap(t, "return R1 as R2", err, TrapWrongHandleType, "used with the wrong type, expected host-defined resource but found guest-defined resource")

	// A guest may not call out while values are lowered into it: its
	// realloc calling an import traps.
	h := newHeap(make([]byte, 1024))
	inst = NewInstance("guest")
	var inner error
	opts := &Options{Memory: h, Realloc: func(ctx context.Context, a, b, c, d uint32) (uint32, error) {
		_, inner = CallImport(NewImportCall(ctx, &Options{}, inst, resolve), FuncType{}, nil,
			func([]value.Value) ([]value.Value, error) { return nil, nil })
		return h.realloc(ctx, a, b, c, d)
	}}
	_, err = CallExport(NewExportCall(ctx, opts, inst, resolve), FuncType{Params: []*wit.Type{tString}},
		[]value.Value{vs("x")}, func([]uint64) ([]uint64, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	wantTrap(t, "import from realloc", inner, TrapCannotLeave, "cannot leave component instance")
	if !inst.MayLeave {
		t.Fatal("MayLeave not restored")
	}
}

func TestTrapMatches(t *testing.T) {
	tr := trap(TrapUnaligned)
	if tr.Matches("invalid utf-8") || !tr.Matches("wasm trap: unaligned pointer") {
		t.Fatal("Matches")
	}
}

// TestLiftBudget: a list of more elements than the host allows traps
// (TrapLiftLimit), before anything is allocated.
func TestLiftBudget(t *testing.T) {
	cx, _ := mkcx(make([]byte, 1<<16), UTF8)
	cx.MaxLiftedElems = 1000
	_, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues([]uint64{0, 1 << 16}), []*wit.Type{tList(tBool)})
	var tr *Trap
	if !errors.As(err, &tr) || tr.Code != TrapLiftLimit || !tr.Matches("too many list elements to lift") {
		t.Fatalf("got %v, want a TrapLiftLimit trap", err)
	}
	cx, _ = mkcx(make([]byte, 1<<16), UTF8)
	cx.MaxLiftedElems = -1
	if _, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues([]uint64{0, 1 << 16}), []*wit.Type{tList(tBool)}); err != nil {
		t.Fatal(err)
	}
}
