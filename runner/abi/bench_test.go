package abi

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// benchRoundTrip lowers vs into a guest heap and lifts them back, as a
// call passing them to and getting them from a guest would.
func benchRoundTrip(b *testing.B, ts []*wit.Type, vs []value.Value, bytes int64, heapSize int, mode string) {
	h := newHeap(make([]byte, heapSize))
	opts := h.opts(UTF8)
	lay := NewLayouts()
	// Lower once to have flat values to lift.
	cx := &CallContext{Context: context.Background(), Opts: opts, Inst: NewInstance("g"), Layouts: lay}
	flat, err := LowerFlatValues(cx, MaxFlatParams, vs, ts, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(bytes)
	b.ResetTimer()
	for b.Loop() {
		cx := &CallContext{Context: context.Background(), Opts: opts, Inst: NewInstance("g"), Layouts: lay}
		if mode != "lift" {
			h.lastAlloc = 0
			f, err := LowerFlatValues(cx, MaxFlatParams, vs, ts, nil)
			if err != nil {
				b.Fatal(err)
			}
			if mode == "lower" {
				continue
			}
			flat = f
		}
		got, err := LiftFlatValues(cx, MaxFlatParams, NewCoreValues(flat), ts)
		if err != nil || len(got) != len(vs) {
			b.Fatal(err)
		}
	}
}

func BenchmarkString1MiB(b *testing.B) {
	s := strings.Repeat("wfcompat héllo wörld ✓ ", 1<<20/27)
	s += strings.Repeat("x", 1<<20-len(s))
	for _, mode := range []string{"lower", "lift", "roundtrip"} {
		b.Run(mode, func(b *testing.B) {
			benchRoundTrip(b, []*wit.Type{tString}, []value.Value{value.String(s)}, int64(len(s)), 4<<20, mode)
		})
	}
}

// BenchmarkListRecord100k moves a list<record> of 100k elements; bytes
// counted are the list's bytes in memory (and the strings').
func BenchmarkListRecord100k(b *testing.B) {
	const n = 100_000
	scalars := tRecord(fld("id", tU32), fld("x", tF64), fld("ok", tBool), fld("kind", tEnum("a", "b", "c")))
	withString := tRecord(fld("id", tU32), fld("x", tF64), fld("ok", tBool), fld("name", tString))
	for _, c := range []struct {
		name string
		t    *wit.Type
		mk   func(i int) value.Value
	}{
		{"scalars", scalars, func(i int) value.Value {
			return value.Record(value.U32(uint32(i)), value.F64(float64(i)/3), value.Bool(i%2 == 0), value.Enum(i%3))
		}},
		{"with-string", withString, func(i int) value.Value {
			return value.Record(value.U32(uint32(i)), value.F64(float64(i)/3), value.Bool(i%2 == 0), value.String("item-"+strconv.Itoa(i)))
		}},
	} {
		es := make([]value.Value, n)
		var strBytes int64
		for i := range es {
			es[i] = c.mk(i)
			if c.t == withString {
				strBytes += int64(len(es[i].Index(3).Text()))
			}
		}
		size, err := ElemSize(c.t)
		if err != nil {
			b.Fatal(err)
		}
		bytes := int64(size)*n + strBytes
		for _, mode := range []string{"lower", "lift", "roundtrip"} {
			b.Run(c.name+"/"+mode, func(b *testing.B) {
				benchRoundTrip(b, []*wit.Type{tList(c.t)}, []value.Value{value.List(es...)}, bytes, 8<<20, mode)
			})
		}
	}
}

// BenchmarkCallU64 is the ABI's share of a trivial u64 -> u64 export call.
func BenchmarkCallU64(b *testing.B) {
	ft := FuncType{Params: []*wit.Type{tU64}, Results: []*wit.Type{tU64}}
	lay := NewLayouts()
	inst := NewInstance("g")
	opts := &Options{}
	core := func(args []uint64) ([]uint64, error) { return args, nil }
	args := []value.Value{value.U64(7)}
	b.ReportAllocs()
	for b.Loop() {
		cx := NewExportCall(context.Background(), opts, inst, nil)
		cx.Layouts = lay
		if _, err := CallExport(cx, ft, args, core); err != nil {
			b.Fatal(err)
		}
	}
}
