package abi

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// wazero's api.Memory is the runner's Memory.
var _ Memory = api.Memory(nil)

func TestValType(t *testing.T) {
	for c, want := range map[CoreType]api.ValueType{I32: api.ValueTypeI32, I64: api.ValueTypeI64, F32: api.ValueTypeF32, F64: api.ValueTypeF64} {
		if c.ValType() != want {
			t.Errorf("%s: %#x, want %#x", c, c.ValType(), want)
		}
	}
}

// memoryModule is a core module exporting one page of memory as "memory".
var memoryModule = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x05, 0x03, 0x01, 0x00, 0x01, // memory section: one memory, min 1 page
	0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, // export "memory"
}

// TestWazeroMemory lowers and lifts values through a wazero memory.
func TestWazeroMemory(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, memoryModule)
	if err != nil {
		t.Fatal(err)
	}
	mem := mod.Memory()
	next := uint32(16)
	realloc := func(_ context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
		p := alignTo(next, align)
		next = p + newSize
		if oldSize > 0 {
			b, _ := mem.Read(oldPtr, min(oldSize, newSize))
			mem.Write(p, append([]byte(nil), b...))
		}
		return p, nil
	}
	ts := []*wit.Type{tString, tList(tRecord(fld("a", tU8), fld("b", tString))), tOption(tF64), tU64}
	vs := []value.Value{
		value.String("héllo ✓"),
		value.List(value.Record(vu8(1), vs("x")), value.Record(vu8(2), vs("yz"))),
		value.Some(value.F64(2.5)),
		value.U64(1 << 40),
	}
	for _, enc := range encodings {
		cx := &CallContext{Context: ctx, Opts: &Options{Memory: mem, Realloc: realloc, Encoding: enc}, Inst: NewInstance("w")}
		flat, err := LowerFlatValues(cx, MaxFlatParams, vs, ts, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues(flat), ts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			if !got[i].Equal(vs[i]) {
				t.Errorf("%s: %v, want %v", enc, got[i], vs[i])
			}
		}
		// Spilled, through memory.
		flat, err = LowerFlatValues(cx, 0, vs, ts, nil)
		if err != nil || len(flat) != 1 {
			t.Fatal(flat, err)
		}
		got, err = LiftFlatValues(cx, 0, NewCoreValues(flat), ts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			if !got[i].Equal(vs[i]) {
				t.Errorf("%s spilled: %v, want %v", enc, got[i], vs[i])
			}
		}
	}
	// A string reaching past the end of the page traps.
	cx := &CallContext{Context: ctx, Opts: &Options{Memory: mem}}
	_, err = LiftFlatValues(cx, MaxFlatParams, NewCoreValues([]uint64{65530, 10}), []*wit.Type{tString})
	wantTrap(t, "past the page", err, TrapStringOutOfBounds, "string pointer/length out of bounds of memory")
}

// TestWazeroMemoryGrows: a realloc that grows memory (moving wazero's
// buffer) while values are lowered; nothing may be written through a stale
// view.
func TestWazeroMemoryGrows(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, memoryModule)
	if err != nil {
		t.Fatal(err)
	}
	mem := mod.Memory()
	realloc := func(_ context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
		// Every allocation gets a fresh page at the end.
		pages, ok := mem.Grow(1 + newSize/65536)
		if !ok {
			t.Fatal("grow")
		}
		p := pages * 65536
		if oldSize > 0 {
			b, _ := mem.Read(oldPtr, min(oldSize, newSize))
			mem.Write(p, append([]byte(nil), b...))
		}
		return p, nil
	}
	ts := []*wit.Type{tList(tTuple(tString, tList(tU16))), tString}
	vs := []value.Value{
		value.List(tup(vs("one"), value.List(value.U16(1), value.U16(2))), tup(vs("twö"), value.List())),
		vs("✓ latin é and more"),
	}
	for _, enc := range encodings {
		cx := &CallContext{Context: ctx, Opts: &Options{Memory: mem, Realloc: realloc, Encoding: enc}, Inst: NewInstance("w")}
		flat, err := LowerFlatValues(cx, 0, vs, ts, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := LiftFlatValues(cx, 0, NewCoreValues(flat), ts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			if !got[i].Equal(vs[i]) {
				t.Errorf("%s: %v, want %v", enc, got[i], vs[i])
			}
		}
	}
}
