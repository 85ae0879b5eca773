// Package externs records the memories, tables and globals a core module
// imports and exports: the part of its interface that analyze.CoreWorld,
// a world of functions, leaves out. analyze fills it for core modules
// (Artifact.CoreExterns), manifests keep it, compat compares two records
// with the Wasm import-matching rules. It knows types, not upgrades.
package externs

import "github.com/wfcompat/wfcompat/analyze/core"

// Set is the memories, tables and globals a core module imports and
// exports. A host that links against an exported memory,
// table or global, or must supply an imported one, depends on them as much
// as on the functions (compat compares them with the Wasm matching rules).
// Imports and Exports keep the module's order; they are empty, not nil,
// for a module without any.
type Set struct {
	// AddressWidth is the module's address width (WidthOf): Width32 or
	// Width64. It is the one fact here about a memory the module need
	// not import or export: the first one it defines. 0 means not
	// recorded (a manifest written before the field), never a width.
	AddressWidth int      `json:"address_width,omitempty"`
	Imports      []Extern `json:"imports"`
	Exports      []Extern `json:"exports"`
}

// Extern is one imported or exported memory, table or global with its
// type. The fields are those `wfcompat inspect --json` shows for tables
// and memories (type, min, max, memory64), plus a global's mutability.
type Extern struct {
	// Kind is "memory", "table" or "global".
	Kind string `json:"kind"`
	// Module is the import module name (imports only; it may be empty).
	Module string `json:"module,omitempty"`
	// Name is the import or export name.
	Name string `json:"name"`
	// Type is a table's element type ("funcref", "externref") or a
	// global's value type ("i32", "i64", "f32", "f64", "v128",
	// "funcref", "externref"); empty for a memory.
	Type string `json:"type,omitempty"`
	// Min and Max are a memory's limits in 64 KiB pages or a table's in
	// elements (nil for a global); Max is nil when there is none.
	Min *uint64 `json:"min,omitempty"`
	Max *uint64 `json:"max,omitempty"`
	// Memory64 marks a 64-bit memory (the memory64 proposal).
	Memory64 bool `json:"memory64,omitempty"`
	// Shared marks a shared memory (the threads proposal). The core
	// decoder refuses shared memories, so a record made from a binary
	// never sets it; a manifest may.
	Shared bool `json:"shared,omitempty"`
	// Mutable marks a mutable global.
	Mutable bool `json:"mutable,omitempty"`
}

// Kinds of Extern.Kind.
const (
	Memory = "memory"
	Table  = "table"
	Global = "global"
)

// Address widths of Set.AddressWidth.
const (
	Width32 = 32
	Width64 = 64
)

// WidthOf returns m's address width as the Internet Computer derives it
// (the replica's validation, main_memory_type): Width64 when the first
// memory m defines is a 64-bit one (memory64), else Width32 (a module
// that defines no memory is a 32-bit one). Imported memories do not
// count; the IC provides none. The width decides the form of the ic0
// System API functions the module may import (compat.CoreWidth).
func WidthOf(m *core.Module) int {
	if len(m.Memories) > 0 && m.Memories[0].Limits.Is64 {
		return Width64
	}
	return Width32
}

// Of records the memories, tables and globals m imports and exports, and
// its address width. An export whose index is out of range (a module the
// decoder accepted but a validator would not) is left out.
func Of(m *core.Module) *Set {
	x := &Set{AddressWidth: WidthOf(m), Imports: []Extern{}, Exports: []Extern{}}
	var tables []core.TableType
	var mems []core.Limits
	var globals []core.GlobalType
	for _, im := range m.Imports {
		e := Extern{Module: im.Module, Name: im.Name}
		switch im.Kind {
		case core.KindTable:
			tables = append(tables, im.Table)
			e.setTable(im.Table)
		case core.KindMemory:
			mems = append(mems, im.Memory)
			e.setMemory(im.Memory)
		case core.KindGlobal:
			globals = append(globals, im.Global)
			e.setGlobal(im.Global)
		default:
			continue
		}
		x.Imports = append(x.Imports, e)
	}
	for _, t := range m.Tables {
		tables = append(tables, t.Type)
	}
	for _, mem := range m.Memories {
		mems = append(mems, mem.Limits)
	}
	for _, g := range m.Globals {
		globals = append(globals, g.Type)
	}
	for _, ex := range m.Exports {
		e := Extern{Name: ex.Name}
		i := int(ex.Index)
		switch {
		case ex.Kind == core.KindTable && i < len(tables):
			e.setTable(tables[i])
		case ex.Kind == core.KindMemory && i < len(mems):
			e.setMemory(mems[i])
		case ex.Kind == core.KindGlobal && i < len(globals):
			e.setGlobal(globals[i])
		default:
			continue
		}
		x.Exports = append(x.Exports, e)
	}
	return x
}

func (e *Extern) setLimits(l core.Limits) {
	min := l.Min
	e.Min = &min
	if l.HasMax {
		max := l.Max
		e.Max = &max
	}
}

func (e *Extern) setTable(t core.TableType) {
	e.Kind, e.Type = Table, t.Elem.String()
	e.setLimits(t.Limits)
}

func (e *Extern) setMemory(l core.Limits) {
	e.Kind, e.Memory64 = Memory, l.Is64
	e.setLimits(l)
}

func (e *Extern) setGlobal(g core.GlobalType) {
	e.Kind, e.Type, e.Mutable = Global, g.Type.String(), g.Mutable
}
