package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/wit"
)

// NewInspection builds the inspect document of an opened artifact. For a
// component it decodes each nested core module too; a malformed nested
// module is an error (with its absolute offset). For a core module it runs
// the callback analysis with cb (nil: the ic0 profile). For a manifest
// file it shows the recorded analysis, which must have been made with cb's
// profiles when cb is not nil.
func NewInspection(a *analyze.Artifact, cb *callbacks.Options) (*Inspection, error) {
	doc := &Inspection{
		Schema:  InspectSchema,
		Path:    a.Path,
		Kind:    string(a.Kind),
		Size:    a.Size,
		SHA256:  a.SHA256,
		World:   a.World,
		Imports: []InspectItem{},
		Exports: []InspectItem{},
	}
	if a.World != nil {
		doc.Imports = inspectItems(a.World.Imports)
		doc.Exports = inspectItems(a.World.Exports)
	}
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
				return nil, fmt.Errorf("the manifest's callback analysis matched the callback imports %s, not %s",
					manifest.ProfilesText(c.AnalysisProfiles()), manifest.ProfilesText(cb.Profiles))
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
		Customs:   []InspectCustom{},
	}
	var funcs, tables, mems uint32
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
	im := InspectMemory{Index: index, Min: l.Min, Imported: imported, Export: m.ExportName(core.KindMemory, uint32(index))}
	if l.HasMax {
		max := l.Max
		im.Max = &max
	}
	return im
}

func writeInspectText(b *strings.Builder, d *Inspection) {
	fmt.Fprintf(b, "path:    %s\nkind:    %s\nsize:    %d bytes\n", d.Path, d.Kind, d.Size)
	if d.SHA256 != "" {
		fmt.Fprintf(b, "sha256:  %s\n", d.SHA256)
	}
	if m := d.Manifest; m != nil {
		where := "the input is a manifest; the artifact itself is not at hand"
		if m.Embedded {
			where = "embedded, describing this binary"
		}
		fmt.Fprintf(b, "manifest: %s, version id %s (%s)\n", m.Schema, m.VersionID, where)
	}
	writeItems(b, "imports", d.Imports)
	writeItems(b, "exports", d.Exports)
	if d.Core != nil {
		writeCore(b, d.Core, "")
	}
	if d.Callbacks != nil {
		if d.Core == nil {
			b.WriteString("\n")
		}
		writeCallbacks(b, d.Callbacks)
	} else if m := d.Manifest; m != nil && !m.Embedded && d.Kind == string(analyze.KindCore) {
		b.WriteString("\ncallbacks: not recorded in the manifest\n")
	}
	if len(d.Modules) > 0 {
		fmt.Fprintf(b, "\ncore modules (%d):\n", len(d.Modules))
		for i := range d.Modules {
			m := &d.Modules[i]
			fmt.Fprintf(b, "  [%d] offset 0x%x, %d bytes, %d functions\n", m.Index, m.Offset, m.Size, m.Functions)
			writeRefs(b, "imports", m.Imports, "    ")
			writeRefs(b, "exports", m.Exports, "    ")
		}
	}
}

func writeItems(b *strings.Builder, title string, items []InspectItem) {
	fmt.Fprintf(b, "\n%s (%d):\n", title, len(items))
	for _, it := range items {
		fmt.Fprintf(b, "  %s (%s)\n", it.Name, it.Kind)
		if len(it.TypeNames) > 0 {
			// Definitions are in --json; the text form names them to stay short.
			writeWrapped(b, it.TypeNames, "    types: ", 100)
		}
		for _, f := range it.Functions {
			fmt.Fprintf(b, "    %s\n", f)
		}
	}
}

func writeRefs(b *strings.Builder, title string, refs []InspectCoreRef, indent string) {
	fmt.Fprintf(b, "%s%s (%d):\n", indent, title, len(refs))
	for _, r := range refs {
		name := quoteName(r.Name)
		if strings.HasSuffix(title, "imports") {
			name = quoteName(r.Module) + "." + name
		}
		fmt.Fprintf(b, "%s  %s %s %s\n", indent, r.Kind, name, r.Type)
	}
}

func writeCore(b *strings.Builder, c *InspectCore, indent string) {
	fmt.Fprintf(b, "\n%score module: %d functions\n", indent, c.Functions)
	writeRefs(b, "core imports", c.Imports, indent)
	writeRefs(b, "core exports", c.Exports, indent)
	fmt.Fprintf(b, "%stables (%d):\n", indent, len(c.Tables))
	for _, t := range c.Tables {
		fmt.Fprintf(b, "%s  [%d] %s min %d%s%s%s\n", indent, t.Index, t.Type, t.Min, maxText(t.Max), exportText(t.Export), importedText(t.Imported))
	}
	fmt.Fprintf(b, "%selements (%d):\n", indent, len(c.Elements))
	for _, e := range c.Elements {
		where := e.Mode
		if e.Mode == "active" {
			start := "non-constant offset"
			if e.Start != nil {
				start = fmt.Sprintf("offset %d", *e.Start)
			}
			where = fmt.Sprintf("active table %d %s", e.Table, start)
		}
		fmt.Fprintf(b, "%s  [%d] %s, %d functions\n", indent, e.Index, where, len(e.Functions))
		names := make([]string, len(e.Functions))
		for i, f := range e.Functions {
			names[i] = funcLabel(f)
		}
		writeWrapped(b, names, indent+"    ", 100)
	}
	fmt.Fprintf(b, "%smemories (%d):\n", indent, len(c.Memories))
	for _, m := range c.Memories {
		fmt.Fprintf(b, "%s  [%d] min %d pages%s%s%s\n", indent, m.Index, m.Min, maxText(m.Max), exportText(m.Export), importedText(m.Imported))
	}
	if c.Start != nil {
		fmt.Fprintf(b, "%sstart: %s\n", indent, funcLabel(*c.Start))
	}
	fmt.Fprintf(b, "%scustom sections (%d):\n", indent, len(c.Customs))
	customs := append([]InspectCustom(nil), c.Customs...)
	sort.SliceStable(customs, func(i, j int) bool { return customs[i].Offset < customs[j].Offset })
	for _, cs := range customs {
		fmt.Fprintf(b, "%s  %-28s %8d bytes at 0x%x\n", indent, cs.Name, cs.Size, cs.Offset)
	}
}

func funcLabel(f InspectFunc) string {
	if f.Name != "" {
		return fmt.Sprintf("%d:%s", f.Index, f.Name)
	}
	return fmt.Sprintf("%d", f.Index)
}

func writeWrapped(b *strings.Builder, words []string, indent string, width int) {
	line := indent
	for i, w := range words {
		sep := ", "
		if i == len(words)-1 {
			sep = ""
		}
		if len(line) > len(indent) && len(line)+len(w)+len(sep) > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += w + sep
	}
	if len(line) > len(indent) {
		b.WriteString(line + "\n")
	}
}

func maxText(max *uint64) string {
	if max == nil {
		return ""
	}
	return fmt.Sprintf(" max %d", *max)
}

func exportText(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" exported as %q", name)
}

func importedText(imported bool) string {
	if imported {
		return " (imported)"
	}
	return ""
}

// quoteName shows empty or unusual core names (components' shim modules
// import from "" and export "0", "1", ...) unambiguously.
func quoteName(s string) string {
	if s == "" || strings.ContainsAny(s, " .\"\t\n") {
		return strconv.Quote(s)
	}
	return s
}

func writeCallbacks(b *strings.Builder, an *callbacks.Analysis) {
	if len(an.Imports) == 0 {
		b.WriteString("callbacks: none (no callback-registering import)\n")
		return
	}
	fmt.Fprintf(b, "callbacks (%d):\n", len(an.Callbacks))
	for _, c := range an.Callbacks {
		fmt.Fprintf(b, "  %s %s: table %d slot %d -> %s %s\n", c.Import, c.Role, c.Table, c.Slot, c.Label(), c.Type)
		sites := make([]string, len(c.Sites))
		for i, s := range c.Sites {
			sites[i] = fmt.Sprintf("%s@0x%x", callbacks.FuncLabel(s.Func, s.Name), s.Off)
		}
		writeWrapped(b, sites, "      sites: ", 100)
	}
	for _, u := range an.Unresolved {
		fmt.Fprintf(b, "  unresolved %s %s in %s at 0x%x: %s\n", u.Import, u.Role, callbacks.FuncLabel(u.Func, u.Name), u.Off, u.Why)
	}
}
