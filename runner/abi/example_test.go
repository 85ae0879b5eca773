package abi_test

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// sliceMemory is a linear memory for the examples; the runner passes
// wazero's api.Memory instead.
type sliceMemory []byte

func (m sliceMemory) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(m)) {
		return nil, false
	}
	return m[off : off+n], true
}

func (m sliceMemory) Write(off uint32, v []byte) bool {
	if uint64(off)+uint64(len(v)) > uint64(len(m)) {
		return false
	}
	copy(m[off:], v)
	return true
}

func (m sliceMemory) Size() uint32 { return uint32(len(m)) }

// A call into a guest export greet: func(name: string) -> u32, whose core
// function (here written in Go) receives the string as a pointer and a
// length in its own memory.
func ExampleCallExport() {
	mem := make(sliceMemory, 1024)
	next := uint32(8)
	opts := &abi.Options{
		Memory: mem,
		Realloc: func(_ context.Context, _, _, align, size uint32) (uint32, error) {
			p := (next + align - 1) / align * align
			next = p + size
			return p, nil
		},
	}
	inst := abi.NewInstance("guest")
	ft := abi.FuncType{Params: []*wit.Type{wit.Prim(wit.String)}, Results: []*wit.Type{wit.Prim(wit.U32)}}
	sig, _ := abi.Flatten(ft.Params, ft.Results, abi.CanonLift)
	fmt.Println("core signature:", sig.Params, "->", sig.Results)

	core := func(flat []uint64) ([]uint64, error) {
		ptr, n := uint32(flat[0]), uint32(flat[1])
		fmt.Printf("guest got %q\n", mem[ptr:ptr+n])
		return []uint64{uint64(n)}, nil
	}
	cx := abi.NewExportCall(context.Background(), opts, inst, nil)
	results, err := abi.CallExport(cx, ft, []value.Value{value.String("wörld")}, core)
	fmt.Println(results, err)
	// Output:
	// core signature: [i32 i32] -> [i32]
	// guest got "wörld"
	// [6] <nil>
}

// A guest calling a host import log: func(msg: string); the host function
// receives the string lifted out of the guest's memory.
func ExampleCallImport() {
	mem := make(sliceMemory, 64)
	copy(mem[16:], "hello")
	inst := abi.NewInstance("guest")
	ft := abi.FuncType{Params: []*wit.Type{wit.Prim(wit.String)}}
	cx := abi.NewImportCall(context.Background(), &abi.Options{Memory: mem}, inst, nil)
	flat, err := abi.CallImport(cx, ft, []uint64{16, 5}, func(args []value.Value) ([]value.Value, error) {
		fmt.Println("host got", args[0].Text())
		return nil, nil
	})
	fmt.Println(flat, err)

	// A bad pointer is the guest's fault: a trap.
	cx = abi.NewImportCall(context.Background(), &abi.Options{Memory: mem}, inst, nil)
	_, err = abi.CallImport(cx, ft, []uint64{60, 5}, nil)
	fmt.Println(err)
	// Output:
	// host got hello
	// [] <nil>
	// string pointer/length out of bounds of memory
}
