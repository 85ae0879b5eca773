package abi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// roundTrip lowers v (of type t) into a fresh guest and lifts it back,
// through flat values (spilling when needed) and through memory, and
// reports the first difference.
func roundTrip(t *wit.Type, v value.Value, enc, src StringEncoding) error {
	hostRT := &ResourceType{Name: "res"}
	resolve := func(*wit.Type) (*ResourceType, error) { return hostRT, nil }
	h := newHeap(make([]byte, 256<<10))
	h.lastAlloc = 8 // keep 0 free so a null pointer is never valid
	cx := &CallContext{Context: context.Background(), Opts: h.opts(enc), Inst: NewInstance("g"), Resolve: resolve, Source: src}
	for _, maxFlat := range []int{MaxFlatParams, MaxFlatResults, 0} {
		flat, err := LowerFlatValues(cx, maxFlat, []value.Value{v}, []*wit.Type{t}, nil)
		if err != nil {
			return fmt.Errorf("lower (max %d): %w", maxFlat, err)
		}
		got, err := LiftFlatValues(cx, maxFlat, NewCoreValues(flat), []*wit.Type{t})
		if err != nil {
			return fmt.Errorf("lift (max %d): %w", maxFlat, err)
		}
		if !got[0].Equal(v) {
			return fmt.Errorf("flat (max %d): got %v, want %v", maxFlat, got[0], v)
		}
	}
	l, err := cx.layoutOf(t)
	if err != nil {
		return err
	}
	ptr, err := h.realloc(nil, 0, 0, l.align, l.size)
	if err != nil {
		return err
	}
	if err := Store(cx, v, t, ptr); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	got, err := Load(cx, ptr, t)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if !got.Equal(v) {
		return fmt.Errorf("memory: got %v, want %v", got, v)
	}
	for i, e := range cx.Inst.Handles.entries {
		if e != nil {
			return fmt.Errorf("handle %d left in the table after lifting every own", i)
		}
	}
	return nil
}

func checkRoundTrip(t *testing.T, data []byte) {
	s := &src{b: data}
	typ := genType(s, 0, false)
	v := genValue(s, typ)
	if err := value.Check(v, typ); err != nil {
		t.Fatalf("generator made a bad value: %v", err)
	}
	enc := encodings[s.intn(3)]
	src := encodings[s.intn(3)] // the encoding strings were lifted from
	if err := roundTrip(typ, v, enc, src); err != nil {
		t.Fatalf("%s, %v (%s from %s): %v", typeName(typ), v, enc, src, err)
	}
}

// FuzzRoundTrip checks lift(lower(x)) == x for random values of random types.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{15, 3, 13, 0, 12, 2})
	f.Add([]byte{17, 4, 1, 12, 1, 3, 2, 20, 9})
	f.Add([]byte{14, 3, 21, 1, 1, 5, 6, 1, 2, 3})
	f.Add([]byte{16, 3, 22, 18, 7, 19, 31})
	f.Fuzz(checkRoundTrip)
}

// TestRoundTripRandom runs the round trip on random inputs in ordinary
// test runs.
func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		b := make([]byte, r.IntN(200))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		checkRoundTrip(t, b)
	}
}

// checkLiftMemory lifts a random type from random flat values over random
// memory: it must trap or give a value of the type, never panic.
func checkLiftMemory(t *testing.T, data []byte) {
	s := &src{b: data}
	ts := make([]*wit.Type, 1+s.intn(3))
	for i := range ts {
		ts[i] = genType(s, 0, true)
	}
	enc := encodings[s.intn(3)]
	flat := make([]uint64, s.intn(20))
	for i := range flat {
		// Small numbers are likelier pointers, lengths and indices.
		switch s.intn(3) {
		case 0:
			flat[i] = uint64(s.u8())
		case 1:
			flat[i] = uint64(s.u8()) | uint64(s.u8())<<8
		default:
			flat[i] = s.u64()
		}
	}
	mem := append(make([]byte, 0, 256+len(s.b)), s.b...)
	mem = append(mem, make([]byte, 256)...)
	h := newHeap(mem)

	inst := NewInstance("g")
	rt := &ResourceType{Name: "res"}
	other := &ResourceType{Name: "other", Impl: inst}
	_, _ = inst.ResourceNew(rt, 1)
	_, _ = inst.Handles.Add(&ResourceHandle{Type: rt, Rep: 2})
	_, _ = inst.ResourceNew(other, 3)
	resolve := func(*wit.Type) (*ResourceType, error) { return rt, nil }

	cx := NewImportCall(context.Background(), h.opts(enc), inst, resolve)
	vals, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues(flat), ts)
	checkLifted(t, ts, vals, err)
	cx.Exit()

	cx = NewImportCall(context.Background(), h.opts(enc), inst, resolve)
	ptr := uint32(s.intn(64))
	v, err := Load(cx, ptr, ts[0])
	checkLifted(t, ts[:1], []value.Value{v}, err)
}

func checkLifted(t *testing.T, ts []*wit.Type, vals []value.Value, err error) {
	t.Helper()
	if err != nil {
		var tr *Trap
		if !errors.As(err, &tr) && !errors.Is(err, errTooFewFlat) {
			t.Fatalf("lift: error that is neither a trap nor too few flat values: %v", err)
		}
		return
	}
	for i, v := range vals {
		if err := value.Check(v, ts[i]); err != nil {
			t.Fatalf("lifted %v does not check against %s: %v", v, typeName(ts[i]), err)
		}
	}
}

// FuzzLiftMemory checks that lifting random memory never panics and
// gives values of their types.
func FuzzLiftMemory(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{12, 0, 2, 0, 8, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0})
	f.Add([]byte{13, 12, 1, 2, 0, 16, 0, 2, 16, 0, 0, 0, 1, 0, 0, 0, 'x'})
	f.Add([]byte{22, 23, 0, 2, 0, 1, 0, 2})
	f.Fuzz(checkLiftMemory)
}

func TestLiftMemoryRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		checkLiftMemory(t, b)
	}
}
