package externs_test

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/externs"
)

func u(v uint64) *uint64 { return &v }

// TestOf: imports in module order; an export takes the type of what its
// index names in the index space, imported entries first.
func TestOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want *externs.Set
	}{
		{"ext_base", &externs.Set{AddressWidth: 32, Imports: []externs.Extern{}, Exports: []externs.Extern{
			{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
			{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
			{Kind: "global", Name: "g", Type: "i32"},
		}}},
		// The exported memory is the imported one.
		{"ext_import_mem", &externs.Set{AddressWidth: 32,
			Imports: []externs.Extern{{Kind: "memory", Module: "env", Name: "memory", Min: u(17), Max: u(256)}},
			Exports: []externs.Extern{
				{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
				{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
				{Kind: "global", Name: "g", Type: "i32"},
			}}},
		{"ext_imp_mut", &externs.Set{AddressWidth: 32, Imports: []externs.Extern{
			{Kind: "memory", Module: "env", Name: "memory", Min: u(17), Max: u(256)},
			{Kind: "table", Module: "env", Name: "table", Type: "funcref", Min: u(10)},
			{Kind: "global", Module: "env", Name: "g", Type: "i32", Mutable: true},
		}, Exports: []externs.Extern{}}},
		{"ext_mem64", &externs.Set{AddressWidth: 64, Imports: []externs.Extern{}, Exports: []externs.Extern{
			{Kind: "memory", Name: "memory", Min: u(17), Max: u(256), Memory64: true},
			{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
			{Kind: "global", Name: "g", Type: "i32"},
		}}},
	} {
		b, err := os.ReadFile("../../testdata/wat/" + tc.name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		m, err := core.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, externs.Of(m)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// The address width is the first defined memory's: an imported
	// memory does not count, a module defining none is a 32-bit one.
	mem := func(is64 bool) core.Memory { return core.Memory{Limits: core.Limits{Is64: is64}} }
	for _, tc := range []struct {
		name string
		m    *core.Module
		want int
	}{
		{"no memory", &core.Module{}, externs.Width32},
		{"imported memory64 only", &core.Module{Imports: []core.Import{{Module: "env", Name: "m", Kind: core.KindMemory, Memory: core.Limits{Is64: true}}}}, externs.Width32},
		{"memory64", &core.Module{Memories: []core.Memory{mem(true)}}, externs.Width64},
		{"memory64 second", &core.Module{Memories: []core.Memory{mem(false), mem(true)}}, externs.Width32},
	} {
		if got := externs.Of(tc.m).AddressWidth; got != tc.want {
			t.Errorf("%s: address width %d, want %d", tc.name, got, tc.want)
		}
	}
	// An export index out of range (not valid Wasm) is left out.
	m := &core.Module{Exports: []core.Export{{Name: "m", Kind: core.KindMemory, Index: 3}}}
	if got := externs.Of(m); len(got.Exports) != 0 {
		t.Errorf("out-of-range export recorded: %+v", got.Exports)
	}
}

// TestWAT: the text-format forms diff's findings and inspect show.
func TestWAT(t *testing.T) {
	for _, tc := range []struct {
		e        externs.Extern
		imported bool
		want     string
	}{
		{externs.Extern{Kind: "memory", Module: "env", Name: "memory", Min: u(17), Max: u(256)}, true, `(import "env" "memory" (memory 17 256))`},
		{externs.Extern{Kind: "memory", Name: "m", Min: u(1), Memory64: true, Shared: true, Max: u(2)}, false, `(export "m" (memory i64 1 2 shared))`},
		{externs.Extern{Kind: "table", Name: "t", Type: "funcref", Min: u(10)}, false, `(export "t" (table 10 funcref))`},
		{externs.Extern{Kind: "global", Name: "g", Type: "i32"}, false, `(export "g" (global i32))`},
		{externs.Extern{Kind: "global", Module: "", Name: "sp", Type: "i64", Mutable: true}, true, `(import "" "sp" (global (mut i64)))`},
		{externs.Extern{Kind: "memory", Name: "m"}, false, `(export "m" (memory 0))`},
	} {
		if got := tc.e.WAT(tc.imported); got != tc.want {
			t.Errorf("%+v: WAT = %s, want %s", tc.e, got, tc.want)
		}
	}
}
