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
		{"ext_base", &externs.Set{Imports: []externs.Extern{}, Exports: []externs.Extern{
			{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
			{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
			{Kind: "global", Name: "g", Type: "i32"},
		}}},
		// The exported memory is the imported one.
		{"ext_import_mem", &externs.Set{
			Imports: []externs.Extern{{Kind: "memory", Module: "env", Name: "memory", Min: u(17), Max: u(256)}},
			Exports: []externs.Extern{
				{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
				{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
				{Kind: "global", Name: "g", Type: "i32"},
			}}},
		{"ext_imp_mut", &externs.Set{Imports: []externs.Extern{
			{Kind: "memory", Module: "env", Name: "memory", Min: u(17), Max: u(256)},
			{Kind: "table", Module: "env", Name: "table", Type: "funcref", Min: u(10)},
			{Kind: "global", Module: "env", Name: "g", Type: "i32", Mutable: true},
		}, Exports: []externs.Extern{}}},
		{"ext_mem64", &externs.Set{Imports: []externs.Extern{}, Exports: []externs.Extern{
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
	// An export index out of range (not valid Wasm) is left out.
	m := &core.Module{Exports: []core.Export{{Name: "m", Kind: core.KindMemory, Index: 3}}}
	if got := externs.Of(m); len(got.Exports) != 0 {
		t.Errorf("out-of-range export recorded: %+v", got.Exports)
	}
}
