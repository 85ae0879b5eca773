package wfcompat

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/wit"
)

// InspectSchema identifies the layout of Inspection (docs/inspect.md).
const InspectSchema = "wfcompat.inspect/v1"

// Inspect builds the inspect document of an opened artifact: what
// `wfcompat inspect --json` prints. For a
// component it decodes each nested core module too; a malformed nested
// module is an error (with its absolute offset). For a core module it runs
// the callback analysis with cb (nil: the ic0 profile). For a manifest
// file it shows the recorded analysis, which must have been made with cb's
// profiles when cb is not nil.
func Inspect(a *analyze.Artifact, cb *callbacks.Options) (*Inspection, error) {
	doc := &Inspection{
		Schema:  InspectSchema,
		Path:    a.Path,
		Kind:    string(a.Kind),
		Size:    a.Size,
		SHA256:  a.SHA256,
		World:   a.World,
		Imports: []InspectItem{},
		Exports: []InspectItem{},
		// A binary's, or what a manifest records (nil when it does not).
		CoreExterns: a.CoreExterns,
	}
	if a.World != nil {
		doc.Imports = inspectItems(a.World.Imports)
		doc.Exports = inspectItems(a.World.Exports)
	}
	// The features WIT was read with, or a WIT manifest records, when
	// restricted: items behind others are not in the world shown.
	doc.WITFeatures = ReportArtifact(a).WITFeatures
	if m := manifest.Of(a); m != nil {
		doc.Manifest = &InspectManifest{Schema: m.Schema, VersionID: m.VersionID, Embedded: a.Embedded, Callbacks: m.Callbacks != nil}
		if m.Legacy != "" {
			doc.Manifest.Schema = m.Legacy
		}
	}
	switch {
	case a.FromManifest():
		if c := manifest.Of(a).Callbacks; c != nil {
			if cb != nil && cb.Profiles != nil && !manifest.SameProfiles(cb.Profiles, c.AnalysisProfiles()) {
				recText, usedText := manifest.ProfilesTexts(c.AnalysisProfiles(), cb.Profiles)
				return nil, fmt.Errorf("the manifest's callback analysis matched the callback imports %s, not %s", recText, usedText)
			}
			doc.Callbacks = c.Analysis()
		}
	case a.Core != nil:
		c := inspectCore(a.Core, 0, 0, a.Size)
		doc.Core = &c
		an, err := callbacks.Analyze(a.Core, cb)
		if err != nil {
			return nil, err
		}
		doc.Callbacks = an
	case a.Component != nil:
		for i, m := range a.Component.Modules {
			mod, err := core.Decode(a.Bytes[m.Off:m.End])
			if err != nil {
				return nil, fmt.Errorf("core module %d at offset 0x%x: %w", i, m.Off, shiftOffset(err, m.Off))
			}
			doc.Modules = append(doc.Modules, inspectCore(mod, i, m.Off, m.End-m.Off))
		}
	}
	return doc, nil
}

// shiftOffset rebases a nested module's decode error onto the outer file.
func shiftOffset(err error, base int64) error {
	if fe, ok := err.(*core.FormatError); ok {
		shifted := *fe
		shifted.Off += base
		return &shifted
	}
	return err
}

func inspectItems(items []*wit.Item) []InspectItem {
	out := make([]InspectItem, 0, len(items))
	for _, it := range items {
		ii := InspectItem{Name: it.Name, Kind: string(it.Kind)}
		switch it.Kind {
		case wit.ItemInterface:
			if it.Interface != nil {
				for _, f := range it.Interface.Functions {
					ii.Functions = append(ii.Functions, f.WIT())
				}
				for _, t := range it.Interface.Types {
					ii.Types = append(ii.Types, t.WIT())
					ii.TypeNames = append(ii.TypeNames, t.Name)
				}
			}
		case wit.ItemFunction:
			if it.Function != nil {
				ii.Functions = []string{it.Function.WIT()}
			}
		case wit.ItemType:
			if it.Type != nil {
				ii.Types = []string{it.Type.WIT()}
				ii.TypeNames = []string{it.Type.Name}
			}
		}
		out = append(out, ii)
	}
	return out
}

func inspectCore(m *core.Module, index int, off, size int64) InspectCore {
	c := InspectCore{
		Index:     index,
		Offset:    off,
		Size:      size,
		Functions: m.NumFuncs(),
		Imports:   []InspectCoreRef{},
		Exports:   []InspectCoreRef{},
		Tables:    []InspectTable{},
		Elements:  []InspectElement{},
		Memories:  []InspectMemory{},
		Globals:   []InspectGlobal{},
		Customs:   []InspectCustom{},
	}
	// Global export names, looked up once: a module may have a million
	// globals (core.MaxGlobals).
	globalExports := map[uint32]string{}
	for i := len(m.Exports) - 1; i >= 0; i-- {
		if ex := &m.Exports[i]; ex.Kind == core.KindGlobal {
			globalExports[ex.Index] = ex.Name // the first export of an index wins, as ExportName
		}
	}
	var funcs, tables, mems, globals uint32
	for _, im := range m.Imports {
		ref := InspectCoreRef{Module: im.Module, Name: im.Name, Kind: im.Kind.String()}
		switch im.Kind {
		case core.KindFunc:
			ref.Index = funcs
			funcs++
			if int(im.TypeIndex) < len(m.Types) {
				ref.Type = m.Types[im.TypeIndex].String()
			}
		case core.KindTable:
			ref.Index = tables
			c.Tables = append(c.Tables, inspectTable(m, int(tables), im.Table, true))
			tables++
		case core.KindMemory:
			ref.Index = mems
			c.Memories = append(c.Memories, inspectMemory(m, int(mems), im.Memory, true))
			mems++
		case core.KindGlobal:
			ref.Index = globals
			c.Globals = append(c.Globals, inspectGlobal(int(globals), im.Global, true, globalExports[globals]))
			globals++
		}
		c.Imports = append(c.Imports, ref)
	}
	for _, t := range m.Tables {
		c.Tables = append(c.Tables, inspectTable(m, int(tables), t.Type, false))
		tables++
	}
	for _, mem := range m.Memories {
		c.Memories = append(c.Memories, inspectMemory(m, int(mems), mem.Limits, false))
		mems++
	}
	for _, g := range m.Globals {
		c.Globals = append(c.Globals, inspectGlobal(int(globals), g.Type, false, globalExports[globals]))
		globals++
	}
	for _, ex := range m.Exports {
		ref := InspectCoreRef{Name: ex.Name, Kind: ex.Kind.String(), Index: ex.Index}
		if ex.Kind == core.KindFunc {
			if ft := m.FuncType(ex.Index); ft != nil {
				ref.Type = ft.String()
			}
		}
		c.Exports = append(c.Exports, ref)
	}
	for i := range m.Elements {
		e := &m.Elements[i]
		ie := InspectElement{Index: i, Offset: e.Off, Mode: e.Mode.String(), Table: e.Table, Functions: []InspectFunc{}}
		if e.Mode == core.ElemActive {
			if v, err := e.Offset.Eval(constGlobal(m)); err == nil {
				start := int64(v.Bits)
				if v.Type == core.I32 {
					start = int64(uint32(v.Bits))
				}
				ie.Start = &start
			}
		}
		for _, f := range e.Funcs {
			ie.Functions = append(ie.Functions, InspectFunc{Index: f, Name: m.FuncName(f)})
		}
		for _, x := range e.Exprs {
			if v, err := x.Eval(nil); err == nil && v.Type == core.FuncRef && !v.Null {
				f := uint32(v.Bits)
				ie.Functions = append(ie.Functions, InspectFunc{Index: f, Name: m.FuncName(f)})
			}
		}
		c.Elements = append(c.Elements, ie)
	}
	if m.HasStart {
		c.Start = &InspectFunc{Index: m.Start, Name: m.FuncName(m.Start)}
	}
	for _, cs := range m.Customs {
		c.Customs = append(c.Customs, InspectCustom{Name: cs.Name, Offset: cs.Off, Size: cs.End - cs.Start})
	}
	return c
}

// constGlobal resolves global.get in constant expressions to the constant
// initializer of an immutable defined global; imported globals are unknown.
func constGlobal(m *core.Module) func(uint32) (core.Value, bool) {
	return func(idx uint32) (core.Value, bool) {
		n := uint32(m.ImportedGlobals())
		if idx < n || int(idx-n) >= len(m.Globals) {
			return core.Value{}, false
		}
		g := &m.Globals[idx-n]
		if g.Type.Mutable {
			return core.Value{}, false
		}
		v, err := g.Init.Eval(nil)
		return v, err == nil
	}
}

func inspectTable(m *core.Module, index int, t core.TableType, imported bool) InspectTable {
	it := InspectTable{Index: index, Type: t.Elem.String(), Min: t.Limits.Min, Imported: imported,
		Export: m.ExportName(core.KindTable, uint32(index))}
	if t.Limits.HasMax {
		max := t.Limits.Max
		it.Max = &max
	}
	return it
}

func inspectMemory(m *core.Module, index int, l core.Limits, imported bool) InspectMemory {
	im := InspectMemory{Index: index, Min: l.Min, Memory64: l.Is64, Imported: imported, Export: m.ExportName(core.KindMemory, uint32(index))}
	if l.HasMax {
		max := l.Max
		im.Max = &max
	}
	return im
}

func inspectGlobal(index int, g core.GlobalType, imported bool, export string) InspectGlobal {
	return InspectGlobal{Index: index, Type: g.Type.String(), Mutable: g.Mutable, Imported: imported, Export: export}
}

// Inspection is the `inspect --json` document (schema wfcompat.inspect/v1).
type Inspection struct {
	Schema  string        `json:"schema"`
	Path    string        `json:"path"`
	Kind    string        `json:"kind"`
	Size    int64         `json:"size"`
	SHA256  string        `json:"sha256,omitempty"`
	Imports []InspectItem `json:"imports"`
	Exports []InspectItem `json:"exports"`
	Core    *InspectCore  `json:"core,omitempty"`
	Modules []InspectCore `json:"modules,omitempty"`
	// WITFeatures, for WIT read with only some @unstable features enabled
	// (or a manifest of WIT recording such a reading), lists them (empty:
	// none); nil when every feature was, and for other inputs.
	WITFeatures *[]string `json:"witFeatures,omitempty"`
	// Manifest names the wfcompat manifest the input is, or embeds.
	Manifest *InspectManifest `json:"manifest,omitempty"`
	// Callbacks is the callback analysis of a core module (analyze/callbacks).
	Callbacks *callbacks.Analysis `json:"callbacks,omitempty"`
	// CoreExterns, for a core module or a manifest of one that records
	// them (core_externs), are its imported and exported memories, tables
	// and globals with their types and its address width: what diff
	// compares of them (analyze.Artifact.CoreExterns). Nil for other
	// inputs and for a manifest that does not record them; AddressWidth
	// is 0 (absent) when the manifest does not record the width.
	CoreExterns *externs.Set `json:"coreExterns,omitempty"`
	World       *wit.World   `json:"world"`
}

// InspectManifest describes the wfcompat manifest an input is or embeds.
type InspectManifest struct {
	// Schema is the manifest's schema as written ("wfcompat.manifest/v3").
	Schema    string `json:"schema"`
	VersionID string `json:"version_id"`
	// Embedded is true for a manifest embedded in the binary, false when
	// the input is a manifest file.
	Embedded bool `json:"embedded"`
	// Callbacks says whether the manifest records a callback analysis.
	Callbacks bool `json:"callbacks"`
}

// InspectItem is one import or export with its functions rendered in WIT.
type InspectItem struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Functions []string `json:"functions,omitempty"`
	Types     []string `json:"types,omitempty"`
	TypeNames []string `json:"-"`
}

// InspectCore describes a core module: the top-level module of a core input,
// or one nested in a component.
type InspectCore struct {
	Index     int              `json:"index"`
	Offset    int64            `json:"offset"`
	Size      int64            `json:"size"`
	Functions int              `json:"functions"`
	Imports   []InspectCoreRef `json:"imports"`
	Exports   []InspectCoreRef `json:"exports"`
	Tables    []InspectTable   `json:"tables"`
	Elements  []InspectElement `json:"elements"`
	Memories  []InspectMemory  `json:"memories"`
	Globals   []InspectGlobal  `json:"globals"`
	Start     *InspectFunc     `json:"start,omitempty"`
	Customs   []InspectCustom  `json:"customs"`
}

// InspectCoreRef is a core import ("module.name") or export with its kind
// and, for functions, its core signature.
type InspectCoreRef struct {
	Module string `json:"module,omitempty"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Index  uint32 `json:"index"`
	Type   string `json:"type,omitempty"`
}

// InspectTable is a table with its limits and export name.
type InspectTable struct {
	Index    int     `json:"index"`
	Type     string  `json:"type"`
	Min      uint64  `json:"min"`
	Max      *uint64 `json:"max,omitempty"`
	Imported bool    `json:"imported,omitempty"`
	Export   string  `json:"export,omitempty"`
}

// InspectElement is an element segment: where it goes and what it holds.
type InspectElement struct {
	Index  int    `json:"index"`
	Offset uint32 `json:"byte_offset"`
	Mode   string `json:"mode"`
	Table  uint32 `json:"table"`
	// Start is the constant table offset of an active segment, or null when
	// it is not a constant (e.g. an imported global).
	Start     *int64        `json:"start,omitempty"`
	Functions []InspectFunc `json:"functions"`
}

// InspectFunc names a function by index.
type InspectFunc struct {
	Index uint32 `json:"index"`
	Name  string `json:"name,omitempty"`
}

// InspectMemory is a memory with its limits in pages.
type InspectMemory struct {
	Index int     `json:"index"`
	Min   uint64  `json:"min"`
	Max   *uint64 `json:"max,omitempty"`
	// Memory64 marks a 64-bit memory (the memory64 proposal: i64
	// addresses, limits beyond 4 GiB; Wasm64 canisters); absent for a
	// 32-bit one.
	Memory64 bool   `json:"memory64,omitempty"`
	Imported bool   `json:"imported,omitempty"`
	Export   string `json:"export,omitempty"`
}

// InspectGlobal is a global with its value type and mutability.
type InspectGlobal struct {
	Index int `json:"index"`
	// Type is the value type: i32, i64, f32, f64, v128, funcref, externref.
	Type     string `json:"type"`
	Mutable  bool   `json:"mutable,omitempty"`
	Imported bool   `json:"imported,omitempty"`
	Export   string `json:"export,omitempty"`
}

// InspectCustom is a custom section.
type InspectCustom struct {
	Name   string `json:"name"`
	Offset uint32 `json:"offset"`
	Size   uint32 `json:"size"`
}
